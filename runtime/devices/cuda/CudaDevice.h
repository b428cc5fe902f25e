//===- CudaDevice.h - kernels through the CUDA driver API -------*- C++ -*-===//
//
// Runs PTX or cubin executables (formats "ptx" and "cubin") on an NVIDIA
// GPU. The driver is dlopen'ed at run time, so the runtime builds and
// links without it (and without the CUDA toolkit) and says clearly when
// no driver or GPU is there.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_CUDA_CUDADEVICE_H
#define STRATA_RUNTIME_DEVICES_CUDA_CUDADEVICE_H

#include "runtime/src/Device.h"

namespace strata::runtime {

strata_status_t createCudaDevice(std::unique_ptr<Device> *out);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_CUDA_CUDADEVICE_H
