//===- SystolicDevice.h - the systolic-array simulator as a device -*- C++
//-*-===//
//
// Runs "systolic-program" executables in process on the simulator in
// sim/: each dispatch runs its kernel's program once over host-memory
// buffers, computing the numbers and counting cycles. Option "config"
// (a SCALE-Sim .cfg or Strata JSON file) replaces the configuration that
// the artifact recorded; the program must fit it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_SYSTOLIC_SYSTOLICDEVICE_H
#define STRATA_RUNTIME_DEVICES_SYSTOLIC_SYSTOLICDEVICE_H

#include "runtime/src/Device.h"

namespace strata::runtime {

strata_status_t createSystolicDevice(std::unique_ptr<Device> *out);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_SYSTOLIC_SYSTOLICDEVICE_H
