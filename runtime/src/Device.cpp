//===- Device.cpp - the device registry and interface defaults ------------===//
//
// One line per device in the registry; a new device adds its factory here
// and nothing else in the runtime core changes.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Device.h"
#include "runtime/devices/cpu/CpuDevice.h"
#include "runtime/src/Status.h"

namespace strata::runtime {

const DeviceEntry *deviceRegistry(size_t *count) {
  static const DeviceEntry kDevices[] = {
      {"cpu", createCpuDevice},
  };
  *count = sizeof(kDevices) / sizeof(kDevices[0]);
  return kDevices;
}

strata_status_t Device::setThreads(uint32_t threads) {
  return makeStatus(STRATA_STATUS_UNSUPPORTED,
                    std::string("device '") + name() +
                        "' has no thread count option");
}

} // namespace strata::runtime
