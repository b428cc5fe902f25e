//===- Handles.h - what the C API's opaque handles hold ---------*- C++ -*-===//

#ifndef STRATA_RUNTIME_SRC_HANDLES_H
#define STRATA_RUNTIME_SRC_HANDLES_H

#include "runtime/artifact/Artifact.h"
#include "runtime/src/AlignedBuffer.h"
#include "runtime/src/Device.h"

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

namespace strata::runtime {

/// Reference counting shared by the handles: a new object has one reference.
struct RefCounted {
  std::atomic<uint32_t> references{1};
};

template <typename Handle> void retainHandle(Handle *handle) {
  if (handle)
    handle->references.fetch_add(1, std::memory_order_relaxed);
}

template <typename Handle> void releaseHandle(Handle *handle) {
  if (handle && handle->references.fetch_sub(1, std::memory_order_acq_rel) == 1)
    delete handle;
}

/// A function's signature with dtypes resolved to the C enum.
struct FunctionSignature {
  std::vector<strata_dtype_t> inputDtypes, outputDtypes;
};

} // namespace strata::runtime

struct strata_instance_s : strata::runtime::RefCounted {};

struct strata_device_s : strata::runtime::RefCounted {
  strata_instance_s *instance = nullptr;
  std::unique_ptr<strata::runtime::Device> device;
  ~strata_device_s() { strata::runtime::releaseHandle(instance); }
};

struct strata_buffer_view_s {
  strata_dtype_t dtype;
  std::vector<int64_t> shape;
  void *data = nullptr;
  size_t byteSize = 0;
  /// The memory of a view made by strata_buffer_view_allocate.
  strata::runtime::AlignedBuffer storage;
};

struct strata_module_s : strata::runtime::RefCounted {
  strata_device_s *device = nullptr;
  /// The artifact file; blobs (constants included) point into it, and its
  /// start and every blob offset are 64-byte aligned.
  strata::runtime::AlignedBuffer file;
  strata::artifact::ArtifactSpec spec;
  std::vector<strata::artifact::BlobView> blobs;
  std::vector<strata::runtime::FunctionSignature> signatures;
  std::vector<std::unique_ptr<strata::runtime::Executable>> executables;
  /// Arenas of finished invocations. Reusing them spares large transients
  /// a fresh allocation, and the page faults that come with it, per call.
  std::mutex arenaMutex;
  std::vector<strata::runtime::AlignedBuffer> spareArenas;
  ~strata_module_s() {
    // Device code goes before the device that loaded it.
    executables.clear();
    strata::runtime::releaseHandle(device);
  }
};

#endif // STRATA_RUNTIME_SRC_HANDLES_H
