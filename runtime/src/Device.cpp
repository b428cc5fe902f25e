//===- Device.cpp - the device registry and interface defaults ------------===//
//
// One line per device in the registry; a new device adds its factory here
// and nothing else in the runtime core changes.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Device.h"
#include "runtime/devices/cpu/CpuDevice.h"
#include "runtime/devices/cuda/CudaDevice.h"
#include "runtime/devices/null/NullDevice.h"
#include "runtime/devices/systolic/SystolicDevice.h"
#include "runtime/devices/vulkan/VulkanDevice.h"
#include "runtime/src/Status.h"

#include <chrono>

namespace strata::runtime {

const DeviceEntry *deviceRegistry(size_t *count) {
  static const DeviceEntry kDevices[] = {
      {"cpu", createCpuDevice},       {"cuda", createCudaDevice},
      {"null", createNullDevice},     {"systolic", createSystolicDevice},
      {"vulkan", createVulkanDevice},
  };
  *count = sizeof(kDevices) / sizeof(kDevices[0]);
  return kDevices;
}

strata_status_t Device::setOption(const std::string &key,
                                  const std::string &value) {
  if (key != "trace")
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      std::string("device '") + name() + "' has no option '" +
                          key + "'");
  if (value != "0" && value != "1")
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      "option 'trace': '" + value + "' is not 0 or 1");
  traceOn.store(value == "1", std::memory_order_relaxed);
  return nullptr;
}

strata_status_t Device::getOption(const std::string &key,
                                  std::string *value) const {
  if (key != "trace")
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      std::string("device '") + name() + "' has no option '" +
                          key + "'");
  *value = tracing() ? "1" : "0";
  return nullptr;
}

strata_status_t Device::checkFormat(const artifact::ExecutableSpec &spec,
                                    const char *format) const {
  if (spec.format == format)
    return nullptr;
  return makeStatus(STRATA_STATUS_UNSUPPORTED,
                    "format '" + spec.format + "' is not supported by the " +
                        name() + " device (supported: " + format + ")");
}

void Device::record(TraceEvent event) {
  std::lock_guard<std::mutex> lock(traceMutex);
  events.push_back(std::move(event));
}

std::vector<TraceEvent> Device::trace() const {
  std::lock_guard<std::mutex> lock(traceMutex);
  return events;
}

void Device::clearTrace() {
  std::lock_guard<std::mutex> lock(traceMutex);
  events.clear();
}

uint64_t traceClockUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace strata::runtime
