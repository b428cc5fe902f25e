//===- NullDevice.h - a device that computes nothing -----------*- C++ -*-===//
//
// The skeleton a new device is cloned from (docs/runtime.md, "Adding a
// device"), and a device for testing schedules: it loads executables of
// format "null", keeps the size of every buffer but no memory, and accepts
// every command without running it. Downloads read zeros.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_NULL_NULLDEVICE_H
#define STRATA_RUNTIME_DEVICES_NULL_NULLDEVICE_H

#include "runtime/src/Device.h"

namespace strata::runtime {

strata_status_t createNullDevice(std::unique_ptr<Device> *out);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_NULL_NULLDEVICE_H
