//===- CpuDevice.h - the cpu device -----------------------------*- C++ -*-===//
//
// Runs executables of format "elf-x86_64-so": shared objects whose kernels
// follow the cpu kernel ABI (docs/artifact-format.md),
//   int32_t kernel(void *const *bindings, uint32_t wg_x, uint32_t wg_y,
//                  uint32_t wg_z);
// called once per workgroup, on a thread pool.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_CPU_CPUDEVICE_H
#define STRATA_RUNTIME_DEVICES_CPU_CPUDEVICE_H

#include "runtime/src/Device.h"

namespace strata::runtime {

/// Creates the cpu device with STRATA_CPU_THREADS threads if set, else one
/// per hardware thread.
strata_status_t createCpuDevice(std::unique_ptr<Device> *out);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_CPU_CPUDEVICE_H
