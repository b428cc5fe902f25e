//===- Device.cpp - the device registry and interface defaults ------------===//
//
// One line per device in the registry; a new device adds its factory here
// and nothing else in the runtime core changes.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Device.h"
#include "runtime/devices/cpu/CpuDevice.h"
#include "runtime/devices/null/NullDevice.h"
#include "runtime/src/Status.h"

namespace strata::runtime {

const DeviceEntry *deviceRegistry(size_t *count) {
  static const DeviceEntry kDevices[] = {
      {"cpu", createCpuDevice},
      {"null", createNullDevice},
  };
  *count = sizeof(kDevices) / sizeof(kDevices[0]);
  return kDevices;
}

strata_status_t Device::setOption(const std::string &key, const std::string &) {
  return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                    std::string("device '") + name() + "' has no option '" +
                        key + "'");
}

strata_status_t Device::getOption(const std::string &key, std::string *) const {
  return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                    std::string("device '") + name() + "' has no option '" +
                        key + "'");
}

} // namespace strata::runtime
