// A stand-in for the CUDA driver (libcuda.so.1), for testing the cuda
// device's error paths on machines without a GPU. Device memory is host
// memory and kernels do nothing. STRATA_FAKE_CUDA picks a failure:
// "no-device" (cuInit fails), "bad-image" (module loads fail),
// "launch-fails" (kernels fail), "missing-kernel" (no module has the
// kernel asked for), "no-opt-in" (kernels cannot opt in to more shared
// memory); STRATA_FAKE_CUDA_CC is the compute capability ("80" by
// default), STRATA_FAKE_CUDA_MEMORY the bytes one allocation may take and
// STRATA_FAKE_CUDA_SHARED the shared memory a block may opt in to (99 KiB
// by default). As the driver does, a launch with more than 48 KiB of
// dynamic shared memory fails unless its kernel opted in to that much.
// Tensor maps: cuTensorMapEncodeTiled checks the driver's rules and
// writes what it was given into the map as text; module globals are
// buffers of STRATA_FAKE_CUDA_GLOBAL_BYTES (128 by default), one per name
// (four at most), none in mode "missing-global"; with
// STRATA_FAKE_CUDA_TRACE set, a launch prints the tensor map in each. Built
// with STRATA_FAKE_CUDA_11, the library is a driver from before tensor maps.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

typedef int CUresult;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
struct CUtensorMap_st;
enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_OUT_OF_MEMORY = 2,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_INVALID_PTX = 218,
  CUDA_ERROR_NOT_FOUND = 500,
  CUDA_ERROR_LAUNCH_FAILED = 719,
};

static int failing(const char *what) {
  const char *mode = getenv("STRATA_FAKE_CUDA");
  return mode && strcmp(mode, what) == 0;
}

static const char *describe(CUresult result, int name) {
  switch (result) {
  case CUDA_ERROR_INVALID_VALUE:
    return name ? "CUDA_ERROR_INVALID_VALUE" : "invalid argument";
  case CUDA_ERROR_OUT_OF_MEMORY:
    return name ? "CUDA_ERROR_OUT_OF_MEMORY" : "out of memory";
  case CUDA_ERROR_NO_DEVICE:
    return name ? "CUDA_ERROR_NO_DEVICE" : "no CUDA-capable device is detected";
  case CUDA_ERROR_INVALID_PTX:
    return name ? "CUDA_ERROR_INVALID_PTX" : "a PTX JIT compilation failed";
  case CUDA_ERROR_NOT_FOUND:
    return name ? "CUDA_ERROR_NOT_FOUND" : "named symbol not found";
  case CUDA_ERROR_LAUNCH_FAILED:
    return name ? "CUDA_ERROR_LAUNCH_FAILED" : "unspecified launch failure";
  }
  return 0;
}

EXPORT CUresult cuInit(unsigned flags) {
  (void)flags;
  return failing("no-device") ? CUDA_ERROR_NO_DEVICE : CUDA_SUCCESS;
}
EXPORT CUresult cuGetErrorName(CUresult result, const char **text) {
  *text = describe(result, 1);
  return *text ? CUDA_SUCCESS : 1;
}
EXPORT CUresult cuGetErrorString(CUresult result, const char **text) {
  *text = describe(result, 0);
  return *text ? CUDA_SUCCESS : 1;
}
EXPORT CUresult cuDeviceGetCount(int *count) {
  *count = 1;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuDeviceGetName(char *name, int length, int device) {
  (void)device;
  strncpy(name, "Fake GPU", (size_t)length);
  return CUDA_SUCCESS;
}
EXPORT CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  (void)device;
  const char *cc = getenv("STRATA_FAKE_CUDA_CC");
  int capability = cc && *cc ? atoi(cc) : 80;
  switch (attribute) {
  case 1: // max threads per block
    *value = 1024;
    break;
  case 97: { // max shared memory per block, opted in
    const char *shared = getenv("STRATA_FAKE_CUDA_SHARED");
    *value = shared && *shared ? atoi(shared) : 101376;
    break;
  }
  case 75:
    *value = capability / 10;
    break;
  case 76:
    *value = capability % 10;
    break;
  default:
    *value = 0;
  }
  return CUDA_SUCCESS;
}
EXPORT CUresult cuDevicePrimaryCtxRetain(CUcontext *context, int device) {
  (void)device;
  static int primary;
  *context = (CUcontext)&primary;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuDevicePrimaryCtxRelease_v2(int device) {
  (void)device;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuCtxSetCurrent(CUcontext context) {
  (void)context;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemGetInfo_v2(size_t *free, size_t *total) {
  *free = *total = 1u << 20;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemAlloc_v2(unsigned long long *pointer, size_t size) {
  const char *limit = getenv("STRATA_FAKE_CUDA_MEMORY");
  if (limit && *limit && size > (size_t)atoll(limit))
    return CUDA_ERROR_OUT_OF_MEMORY;
  void *memory = calloc(1, size);
  if (!memory)
    return CUDA_ERROR_OUT_OF_MEMORY;
  *pointer = (unsigned long long)(size_t)memory;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemFree_v2(unsigned long long pointer) {
  free((void *)(size_t)pointer);
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemcpyHtoD_v2(unsigned long long dst, const void *src,
                                size_t size) {
  memcpy((void *)(size_t)dst, src, size);
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemcpyDtoH_v2(void *dst, unsigned long long src,
                                size_t size) {
  memcpy(dst, (const void *)(size_t)src, size);
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemcpyDtoDAsync_v2(unsigned long long dst,
                                     unsigned long long src, size_t size,
                                     CUstream stream) {
  (void)stream;
  memmove((void *)(size_t)dst, (const void *)(size_t)src, size);
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemsetD32Async(unsigned long long dst, unsigned value,
                                 size_t count, CUstream stream) {
  (void)stream;
  unsigned *words = (unsigned *)(size_t)dst;
  for (size_t i = 0; i < count; ++i)
    words[i] = value;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemsetD8Async(unsigned long long dst, unsigned char value,
                                size_t count, CUstream stream) {
  (void)stream;
  memset((void *)(size_t)dst, value, count);
  return CUDA_SUCCESS;
}
EXPORT CUresult cuModuleLoadDataEx(CUmodule *module, const void *image,
                                   unsigned count, int *options,
                                   void **values) {
  (void)image;
  static int loaded;
  if (failing("bad-image")) {
    // The error log buffer is option 5 (CU_JIT_ERROR_LOG_BUFFER).
    for (unsigned i = 0; i < count; ++i)
      if (options[i] == 5)
        strcpy((char *)values[i], "ptxas fatal: the fake driver refuses it");
    return CUDA_ERROR_INVALID_PTX;
  }
  *module = (CUmodule)&loaded;
  return CUDA_SUCCESS;
}
/// The module globals asked for, by name: room for one tensor map each.
enum { kGlobals = 4 };
static char names[kGlobals][64];
static _Alignas(64) char globals[kGlobals][128];

EXPORT CUresult cuModuleGetGlobal_v2(unsigned long long *pointer, size_t *bytes,
                                     CUmodule module, const char *name) {
  (void)module;
  if (failing("missing-global"))
    return CUDA_ERROR_NOT_FOUND;
  int g = 0;
  while (g < kGlobals && names[g][0] && strcmp(names[g], name) != 0)
    ++g;
  if (g == kGlobals)
    return CUDA_ERROR_NOT_FOUND;
  strncpy(names[g], name, sizeof(names[g]) - 1);
  const char *size = getenv("STRATA_FAKE_CUDA_GLOBAL_BYTES");
  *pointer = (unsigned long long)(size_t)globals[g];
  *bytes = size && *size ? (size_t)atoll(size) : sizeof(globals[g]);
  return CUDA_SUCCESS;
}
EXPORT CUresult cuMemcpyHtoDAsync_v2(unsigned long long dst, const void *src,
                                     size_t size, CUstream stream) {
  (void)stream;
  memcpy((void *)(size_t)dst, src, size);
  return CUDA_SUCCESS;
}

#ifndef STRATA_FAKE_CUDA_11
/// The rules of cuTensorMapEncodeTiled (CUDA 12 driver API reference) for
/// maps without interleave.
EXPORT CUresult cuTensorMapEncodeTiled(
    struct CUtensorMap_st *map, int type, unsigned rank, void *address,
    const unsigned long long *dims, const unsigned long long *strides,
    const unsigned *box, const unsigned *elementStrides, int interleave,
    int swizzle, int promotion, int fill) {
  static const unsigned kBytes[] = {1, 2, 4, 4, 8, 8, 2, 4, 8, 2};
  if (type < 0 || type > 9 || rank < 1 || rank > 5 || (size_t)address % 16 ||
      interleave != 0 || swizzle < 0 || swizzle > 3 || promotion < 0 ||
      promotion > 3 || fill != 0)
    return CUDA_ERROR_INVALID_VALUE;
  unsigned row = box[0] * kBytes[type];
  if (row % 16 || (swizzle && row > (16u << swizzle)))
    return CUDA_ERROR_INVALID_VALUE;
  for (unsigned d = 0; d < rank; ++d)
    if (dims[d] < 1 || dims[d] > (1ull << 32) || box[d] < 1 || box[d] > 256 ||
        elementStrides[d] < 1 || elementStrides[d] > 8 ||
        (d > 0 && (strides[d - 1] % 16 || strides[d - 1] >= (1ull << 40))))
      return CUDA_ERROR_INVALID_VALUE;
  char *text = (char *)map;
  int at = snprintf(text, 128, "type %d, swizzle %d, dims", type, swizzle);
  for (unsigned d = 0; d < rank; ++d)
    at += snprintf(text + at, 128 - at, " %llu", dims[d]);
  at += snprintf(text + at, 128 - at, ", strides");
  for (unsigned d = 1; d < rank; ++d)
    at += snprintf(text + at, 128 - at, " %llu", strides[d - 1]);
  at += snprintf(text + at, 128 - at, ", box");
  for (unsigned d = 0; d < rank; ++d)
    at += snprintf(text + at, 128 - at, " %u", box[d]);
  return CUDA_SUCCESS;
}
#endif

EXPORT CUresult cuModuleUnload(CUmodule module) {
  (void)module;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuModuleGetFunction(CUfunction *function, CUmodule module,
                                    const char *name) {
  (void)module;
  (void)name;
  if (failing("missing-kernel"))
    return CUDA_ERROR_NOT_FOUND;
  static int kernel;
  *function = (CUfunction)&kernel;
  return CUDA_SUCCESS;
}
/// The dynamic shared memory the (only) kernel opted in to.
static int optedIn = 49152;

EXPORT CUresult cuFuncSetAttribute(CUfunction function, int attribute,
                                   int value) {
  (void)function;
  // CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES
  if (attribute != 8 || failing("no-opt-in"))
    return CUDA_ERROR_INVALID_VALUE;
  optedIn = value;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuStreamCreate(CUstream *stream, unsigned flags) {
  (void)flags;
  static int only;
  *stream = (CUstream)&only;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuStreamDestroy_v2(CUstream stream) {
  (void)stream;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuStreamSynchronize(CUstream stream) {
  (void)stream;
  return CUDA_SUCCESS;
}
EXPORT CUresult cuLaunchKernel(CUfunction function, unsigned gx, unsigned gy,
                               unsigned gz, unsigned bx, unsigned by,
                               unsigned bz, unsigned shared, CUstream stream,
                               void **params, void **extra) {
  (void)function, (void)gx, (void)gy, (void)gz, (void)bx, (void)by, (void)bz;
  (void)stream, (void)params, (void)extra;
  if (shared > 49152 && (int)shared > optedIn)
    return CUDA_ERROR_INVALID_VALUE;
  const char *trace = getenv("STRATA_FAKE_CUDA_TRACE");
  for (int g = 0; trace && *trace && g < kGlobals; ++g)
    if (globals[g][0])
      fprintf(stderr, "fake-cuda: launch reads the tensor map %s '%.128s'\n",
              names[g], globals[g]);
  return failing("launch-fails") ? CUDA_ERROR_LAUNCH_FAILED : CUDA_SUCCESS;
}
