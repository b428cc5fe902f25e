//===- Instance.cpp - C API: instances and devices ------------------------===//
//
// Instances, and the devices of the registry created by name with their
// options and counters.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Handles.h"
#include "runtime/src/Status.h"

#include <cstdio>
#include <cstring>

using namespace strata::runtime;

namespace {
/// `text` as the inside of a JSON string.
std::string jsonEscape(const std::string &text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

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

void strata_device_options_init(strata_device_options_t *options) {
  if (!options)
    return;
  *options = strata_device_options_t{};
  options->struct_size = sizeof(*options);
}

strata_status_t strata_device_create(strata_instance_t *instance,
                                     const char *name, strata_device_t **out) {
  return strata_device_create_with_options(instance, name, nullptr, out);
}

strata_status_t
strata_device_create_with_options(strata_instance_t *instance, const char *name,
                                  const strata_device_options_t *options,
                                  strata_device_t **out) {
  if (!instance)
    return nullArgument("instance");
  if (!name)
    return nullArgument("device name");
  if (!out)
    return nullArgument("out");
  if (options && options->struct_size < sizeof(strata_device_options_t))
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      "options->struct_size is " +
                          std::to_string(options->struct_size) + ", expected " +
                          std::to_string(sizeof(strata_device_options_t)) +
                          " (call strata_device_options_init)");
  if (options && options->option_count && !options->options)
    return nullArgument("options->options");
  return guard([&]() -> strata_status_t {
    size_t count = 0;
    const DeviceEntry *devices = deviceRegistry(&count);
    std::string available;
    for (size_t i = 0; i < count; ++i) {
      available += (i ? ", " : "") + std::string(devices[i].name);
      if (std::string(devices[i].name) != name)
        continue;
      std::string where = "device '" + std::string(name) + "': ";
      std::unique_ptr<Device> device;
      if (strata_status_t status = devices[i].create(&device))
        return prefixStatus(status, where);
      for (size_t o = 0; options && o < options->option_count; ++o) {
        const strata_device_option_t &option = options->options[o];
        if (!option.key || !option.value)
          return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                            where + "option " + std::to_string(o) +
                                " has a NULL key or value");
        if (strata_status_t status =
                device->setOption(option.key, option.value))
          return prefixStatus(status, where);
      }
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

strata_status_t strata_device_set_option(strata_device_t *device,
                                         const char *key, const char *value) {
  if (!device)
    return nullArgument("device");
  if (!key || !value)
    return nullArgument("option key or value");
  return guard([&] { return device->device->setOption(key, value); });
}

strata_status_t strata_device_get_option(const strata_device_t *device,
                                         const char *key, char *buffer,
                                         size_t capacity) {
  if (!device)
    return nullArgument("device");
  if (!key || !buffer)
    return nullArgument("option key or buffer");
  return guard([&]() -> strata_status_t {
    std::string value;
    if (strata_status_t status = device->device->getOption(key, &value))
      return status;
    if (value.size() >= capacity)
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                        "option '" + std::string(key) + "' needs " +
                            std::to_string(value.size() + 1) +
                            " bytes, the buffer has " +
                            std::to_string(capacity));
    std::memcpy(buffer, value.c_str(), value.size() + 1);
    return nullptr;
  });
}

strata_status_t strata_device_query_stats(const strata_device_t *device,
                                          strata_device_stat_t *out,
                                          size_t capacity, size_t *count) {
  if (!device)
    return nullArgument("device");
  if (!count)
    return nullArgument("count");
  if (capacity && !out)
    return nullArgument("out");
  return guard([&]() -> strata_status_t {
    Stats stats;
    for (auto [name, counter] : CoreStats::kCounters)
      stats.push_back({name, (device->stats.*counter).load()});
    for (auto &stat : device->device->stats())
      stats.push_back(stat);
    for (size_t i = 0; i < stats.size() && i < capacity; ++i)
      out[i] = {stats[i].first, stats[i].second};
    *count = stats.size();
    return nullptr;
  });
}

void strata_device_reset_stats(strata_device_t *device) {
  if (!device)
    return;
  for (auto [name, counter] : CoreStats::kCounters)
    (device->stats.*counter).store(0, std::memory_order_relaxed);
  device->device->resetStats();
  device->device->clearTrace();
}

strata_status_t strata_device_query_trace(const strata_device_t *device,
                                          char *buffer, size_t capacity,
                                          size_t *size) {
  if (!device)
    return nullArgument("device");
  if (!size)
    return nullArgument("size");
  if (capacity && !buffer)
    return nullArgument("buffer");
  return guard([&]() -> strata_status_t {
    std::string json = "[";
    for (const TraceEvent &event : device->device->trace()) {
      if (json.size() > 1)
        json += ",\n";
      json += "{\"name\": \"" + jsonEscape(event.label) + "\", \"cat\": \"" +
              event.category +
              "\", \"ph\": \"X\", \"ts\": " + std::to_string(event.startUs) +
              ", \"dur\": " + std::to_string(event.durationUs) +
              ", \"pid\": 0, \"tid\": 0}";
    }
    json += "]";
    *size = json.size();
    if (json.size() < capacity)
      std::memcpy(buffer, json.c_str(), json.size() + 1);
    return nullptr;
  });
}

} // extern "C"
