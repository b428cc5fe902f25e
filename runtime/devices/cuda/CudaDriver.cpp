//===- CudaDriver.cpp - the CUDA driver API, loaded at run time -----------===//

#include "runtime/devices/cuda/CudaDriver.h"

#include <cstdlib>
#include <dlfcn.h>

namespace strata::runtime::cuda {

Driver::~Driver() {
  if (library)
    ::dlclose(library);
}

bool Driver::load(std::string *error) {
  const char *override = std::getenv("STRATA_CUDA_LIBRARY");
  path = override && *override ? override : "libcuda.so.1";
  library = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    *error = "cannot load the CUDA driver '" + path +
             "' (install the NVIDIA driver, or set STRATA_CUDA_LIBRARY): " +
             ::dlerror();
    return false;
  }
#define STRATA_CUDA_LOAD(name, ...)                                            \
  name = reinterpret_cast<name##_t>(::dlsym(library, #name));                  \
  if (!name) {                                                                 \
    *error = "the CUDA driver '" + path + "' lacks " #name;                    \
    return false;                                                              \
  }
  STRATA_CUDA_FUNCTIONS(STRATA_CUDA_LOAD)
#undef STRATA_CUDA_LOAD
#define STRATA_CUDA_LOAD_OPTIONAL(name, ...)                                   \
  name = reinterpret_cast<name##_t>(::dlsym(library, #name));
  STRATA_CUDA_OPTIONAL_FUNCTIONS(STRATA_CUDA_LOAD_OPTIONAL)
#undef STRATA_CUDA_LOAD_OPTIONAL
  return true;
}

std::string Driver::describe(CUresult result) const {
  const char *name = nullptr, *text = nullptr;
  if (cuGetErrorName(result, &name) != CUDA_SUCCESS || !name)
    return "CUDA error " + std::to_string(result);
  std::string described = name;
  if (cuGetErrorString(result, &text) == CUDA_SUCCESS && text)
    described += std::string(" (") + text + ")";
  return described;
}

} // namespace strata::runtime::cuda
