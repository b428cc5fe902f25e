//===- CudaDriver.h - the CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// The cuda device calls the driver (libcuda.so.1) only through the entry
// points resolved here with dlopen/dlsym, declared with the few types they
// need, so the runtime builds, links and loads without the driver or the
// CUDA toolkit and says clearly when no driver is there.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_CUDA_CUDADRIVER_H
#define STRATA_RUNTIME_DEVICES_CUDA_CUDADRIVER_H

#include <cstddef>
#include <string>

// The driver's opaque handle types, at global scope as in cuda.h, so that
// the functions called through these pointers have the types they are
// defined with.
struct CUctx_st;
struct CUmod_st;
struct CUfunc_st;
struct CUstream_st;
/// The driver's CUtensorMap: 128 opaque bytes, 64-byte aligned.
struct alignas(64) CUtensorMap_st {
  unsigned long long opaque[16];
};

namespace strata::runtime::cuda {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = ::CUctx_st *;
using CUmodule = ::CUmod_st *;
using CUfunction = ::CUfunc_st *;
using CUstream = ::CUstream_st *;
using CUtensorMap = ::CUtensorMap_st;

// The values of the driver API's enums that the device uses (cuda.h).
constexpr CUresult CUDA_SUCCESS = 0;
constexpr int CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 1;
constexpr int CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
constexpr int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
constexpr int CU_JIT_ERROR_LOG_BUFFER = 5;
constexpr int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
// CUtensorMapDataType, CUtensorMapSwizzle and the two settings every
// tensor map of the cuda target takes: L2 promotion by 128 bytes, and
// zeros (not NaNs) past the tensor.
constexpr int CU_TENSOR_MAP_DATA_TYPE_UINT8 = 0;
constexpr int CU_TENSOR_MAP_DATA_TYPE_UINT16 = 1;
constexpr int CU_TENSOR_MAP_DATA_TYPE_UINT32 = 2;
constexpr int CU_TENSOR_MAP_DATA_TYPE_INT32 = 3;
constexpr int CU_TENSOR_MAP_DATA_TYPE_UINT64 = 4;
constexpr int CU_TENSOR_MAP_DATA_TYPE_INT64 = 5;
constexpr int CU_TENSOR_MAP_DATA_TYPE_FLOAT16 = 6;
constexpr int CU_TENSOR_MAP_DATA_TYPE_FLOAT32 = 7;
constexpr int CU_TENSOR_MAP_DATA_TYPE_FLOAT64 = 8;
constexpr int CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 = 9;
constexpr int CU_TENSOR_MAP_INTERLEAVE_NONE = 0;
constexpr int CU_TENSOR_MAP_SWIZZLE_NONE = 0;
constexpr int CU_TENSOR_MAP_SWIZZLE_32B = 1;
constexpr int CU_TENSOR_MAP_SWIZZLE_64B = 2;
constexpr int CU_TENSOR_MAP_SWIZZLE_128B = 3;
constexpr int CU_TENSOR_MAP_L2_PROMOTION_L2_128B = 2;
constexpr int CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE = 0;

#define STRATA_CUDA_FUNCTIONS(X)                                               \
  X(cuInit, CUresult (*)(unsigned))                                            \
  X(cuGetErrorName, CUresult (*)(CUresult, const char **))                     \
  X(cuGetErrorString, CUresult (*)(CUresult, const char **))                   \
  X(cuDeviceGetCount, CUresult (*)(int *))                                     \
  X(cuDeviceGet, CUresult (*)(CUdevice *, int))                                \
  X(cuDeviceGetName, CUresult (*)(char *, int, CUdevice))                      \
  X(cuDeviceGetAttribute, CUresult (*)(int *, int, CUdevice))                  \
  X(cuDevicePrimaryCtxRetain, CUresult (*)(CUcontext *, CUdevice))             \
  X(cuDevicePrimaryCtxRelease_v2, CUresult (*)(CUdevice))                      \
  X(cuCtxSetCurrent, CUresult (*)(CUcontext))                                  \
  X(cuMemGetInfo_v2, CUresult (*)(size_t *, size_t *))                         \
  X(cuMemAlloc_v2, CUresult (*)(CUdeviceptr *, size_t))                        \
  X(cuMemFree_v2, CUresult (*)(CUdeviceptr))                                   \
  X(cuMemcpyHtoD_v2, CUresult (*)(CUdeviceptr, const void *, size_t))          \
  X(cuMemcpyDtoH_v2, CUresult (*)(void *, CUdeviceptr, size_t))                \
  X(cuMemcpyHtoDAsync_v2,                                                      \
    CUresult (*)(CUdeviceptr, const void *, size_t, CUstream))                 \
  X(cuMemcpyDtoDAsync_v2,                                                      \
    CUresult (*)(CUdeviceptr, CUdeviceptr, size_t, CUstream))                  \
  X(cuMemsetD32Async, CUresult (*)(CUdeviceptr, unsigned, size_t, CUstream))   \
  X(cuMemsetD8Async,                                                           \
    CUresult (*)(CUdeviceptr, unsigned char, size_t, CUstream))                \
  X(cuModuleLoadDataEx,                                                        \
    CUresult (*)(CUmodule *, const void *, unsigned, int *, void **))          \
  X(cuModuleUnload, CUresult (*)(CUmodule))                                    \
  X(cuModuleGetFunction, CUresult (*)(CUfunction *, CUmodule, const char *))   \
  X(cuModuleGetGlobal_v2,                                                      \
    CUresult (*)(CUdeviceptr *, size_t *, CUmodule, const char *))             \
  X(cuFuncSetAttribute, CUresult (*)(CUfunction, int, int))                    \
  X(cuStreamCreate, CUresult (*)(CUstream *, unsigned))                        \
  X(cuStreamDestroy_v2, CUresult (*)(CUstream))                                \
  X(cuStreamSynchronize, CUresult (*)(CUstream))                               \
  X(cuLaunchKernel,                                                            \
    CUresult (*)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, \
                 unsigned, unsigned, CUstream, void **, void **))

/// Entry points of newer drivers, null where the driver lacks them: tensor
/// maps came with CUDA 12.
#define STRATA_CUDA_OPTIONAL_FUNCTIONS(X)                                      \
  X(cuTensorMapEncodeTiled,                                                    \
    CUresult (*)(CUtensorMap *, int, unsigned, void *,                         \
                 const unsigned long long *, const unsigned long long *,       \
                 const unsigned *, const unsigned *, int, int, int, int))

/// The driver's entry points, resolved from the library dlopen'ed by load().
struct Driver {
  ~Driver();
  /// Loads libcuda.so.1 (or $STRATA_CUDA_LIBRARY) and resolves every entry
  /// point; says what is missing otherwise.
  bool load(std::string *error);
  /// "CUDA_ERROR_NAME (the driver's description)" for `result`.
  std::string describe(CUresult result) const;

#define STRATA_CUDA_DECLARE(name, ...)                                         \
  using name##_t = __VA_ARGS__;                                                \
  name##_t name = nullptr;
  STRATA_CUDA_FUNCTIONS(STRATA_CUDA_DECLARE)
  STRATA_CUDA_OPTIONAL_FUNCTIONS(STRATA_CUDA_DECLARE)
#undef STRATA_CUDA_DECLARE

  /// The library's path, for messages.
  std::string path;

private:
  void *library = nullptr;
};

} // namespace strata::runtime::cuda

#endif // STRATA_RUNTIME_DEVICES_CUDA_CUDADRIVER_H
