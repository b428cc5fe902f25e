//===- Instance.cpp - C API: instances and devices ------------------------===//

#include "runtime/src/Handles.h"
#include "runtime/src/Status.h"

using namespace strata::runtime;

namespace {
strata_status_t nullArgument(const char *what) {
  return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                    std::string(what) + " is NULL");
}
} // namespace

extern "C" {

strata_status_t strata_instance_create(strata_instance_t **out) {
  if (!out)
    return nullArgument("out");
  return guard([&]() -> strata_status_t {
    *out = new strata_instance_s;
    return nullptr;
  });
}

void strata_instance_retain(strata_instance_t *instance) {
  retainHandle(instance);
}

void strata_instance_release(strata_instance_t *instance) {
  releaseHandle(instance);
}

size_t strata_instance_device_count(const strata_instance_t *instance) {
  size_t count = 0;
  if (instance)
    deviceRegistry(&count);
  return count;
}

const char *strata_instance_device_name(const strata_instance_t *instance,
                                        size_t index) {
  size_t count = 0;
  const DeviceEntry *devices = deviceRegistry(&count);
  return instance && index < count ? devices[index].name : nullptr;
}

strata_status_t strata_device_create(strata_instance_t *instance,
                                     const char *name, strata_device_t **out) {
  if (!instance)
    return nullArgument("instance");
  if (!name)
    return nullArgument("device name");
  if (!out)
    return nullArgument("out");
  return guard([&]() -> strata_status_t {
    size_t count = 0;
    const DeviceEntry *devices = deviceRegistry(&count);
    std::string available;
    for (size_t i = 0; i < count; ++i) {
      available += (i ? ", " : "") + std::string(devices[i].name);
      if (std::string(devices[i].name) != name)
        continue;
      std::unique_ptr<Device> device;
      if (strata_status_t status = devices[i].create(&device))
        return prefixStatus(status, "device '" + std::string(name) + "': ");
      auto *handle = new strata_device_s;
      handle->device = std::move(device);
      retainHandle(instance);
      handle->instance = instance;
      *out = handle;
      return nullptr;
    }
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      "unknown device '" + std::string(name) +
                          "' (available: " + available + ")");
  });
}

void strata_device_retain(strata_device_t *device) { retainHandle(device); }

void strata_device_release(strata_device_t *device) { releaseHandle(device); }

const char *strata_device_name(const strata_device_t *device) {
  return device ? device->device->name() : nullptr;
}

strata_status_t strata_device_set_threads(strata_device_t *device,
                                          uint32_t threads) {
  if (!device)
    return nullArgument("device");
  return guard([&] { return device->device->setThreads(threads); });
}

uint32_t strata_device_threads(const strata_device_t *device) {
  return device ? device->device->threads() : 0;
}

} // extern "C"
