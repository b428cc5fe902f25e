//===- Device.h - the interface every device implements ---------*- C++ -*-===//
//
// The runtime core (loader, buffers, schedule) talks to devices only
// through this interface, as IREE's HAL drivers do: load an executable from
// its blob, dispatch one of its kernels over a workgroup grid. A new device
// adds a folder under runtime/devices/ and one line to Device.cpp.
// Buffers are host memory for now; a device with memory of its own will add
// allocation and transfer hooks here.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SRC_DEVICE_H
#define STRATA_RUNTIME_SRC_DEVICE_H

#include "runtime/artifact/Artifact.h"
#include "strata/runtime.h"

#include <memory>

namespace strata::runtime {

/// Device code loaded from one of an artifact's executables.
class Executable {
public:
  virtual ~Executable() = default;
};

class Device {
public:
  virtual ~Device() = default;

  /// The name strata_device_create knows the device by.
  virtual const char *name() const = 0;

  /// How many threads run a dispatch's workgroups; 0 means the default.
  virtual strata_status_t setThreads(uint32_t threads);
  virtual uint32_t threads() const { return 1; }

  /// The most push constants one dispatch may carry.
  virtual size_t maxPushConstants() const = 0;

  /// Loads executable `spec` from its blob bytes and resolves every kernel,
  /// so that dispatch cannot fail to find one. Messages need no prefix; the
  /// caller names the executable.
  virtual strata_status_t loadExecutable(const artifact::ExecutableSpec &spec,
                                         const uint8_t *blob, size_t size,
                                         std::unique_ptr<Executable> *out) = 0;

  /// Runs kernel `kernel` of `executable` once per workgroup id in the grid
  /// `workgroups`; `bindings[i]` is the base address of the kernel's i-th
  /// buffer. Returns after every workgroup has finished.
  virtual strata_status_t
  dispatch(Executable &executable, uint32_t kernel,
           const uint32_t workgroups[3], void *const *bindings,
           const std::vector<uint32_t> &pushConstants) = 0;
};

/// Creates a device; returns a status if the device cannot run here.
using DeviceFactory = strata_status_t (*)(std::unique_ptr<Device> *out);

/// The devices strata_device_create knows, in the order it lists them.
struct DeviceEntry {
  const char *name;
  DeviceFactory create;
};
const DeviceEntry *deviceRegistry(size_t *count);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SRC_DEVICE_H
