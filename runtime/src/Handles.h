//===- Handles.h - what the C API's opaque handles hold ---------*- C++ -*-===//
//
// The structs behind the C API's opaque handles (instance, device, buffer
// view, module), their reference counting, and what a module works out at
// load time for each function.
//
//===----------------------------------------------------------------------===//

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

/// How a function's schedule runs, worked out once at load: steps in runs
/// on one device, each run one command buffer, with barriers where a step
/// touches what an earlier step of the run wrote (or writes what it read).
struct FunctionPlan {
  /// Whether a barrier goes before each step (false for a run's first).
  std::vector<bool> barrierBefore;
  /// Whether each step starts a new command buffer.
  std::vector<bool> startsRun;
  /// Whether each step is a copy between two devices.
  std::vector<bool> isTransfer;
  /// How messages and traces name each step ("step 3 (dispatch 'conv1')").
  std::vector<std::string> labels;
  /// The device-memory buffers that each constant buffer was uploaded to
  /// (null for other kinds).
  std::vector<std::unique_ptr<Buffer>> constants;
};

} // namespace strata::runtime

struct strata_instance_s : strata::runtime::RefCounted {};

namespace strata::runtime {

/// The counters the core keeps for every device.
struct CoreStats {
  std::atomic<uint64_t> submissions{0}, dispatches{0}, workgroups{0}, copies{0},
      fills{0}, barriers{0}, uploads{0}, uploadBytes{0}, downloads{0},
      downloadBytes{0};

  /// Each counter with the name strata_device_query_stats gives it.
  static constexpr std::pair<const char *, std::atomic<uint64_t> CoreStats::*>
      kCounters[] = {{"submissions", &CoreStats::submissions},
                     {"dispatches", &CoreStats::dispatches},
                     {"workgroups", &CoreStats::workgroups},
                     {"copies", &CoreStats::copies},
                     {"fills", &CoreStats::fills},
                     {"barriers", &CoreStats::barriers},
                     {"uploads", &CoreStats::uploads},
                     {"upload_bytes", &CoreStats::uploadBytes},
                     {"downloads", &CoreStats::downloads},
                     {"download_bytes", &CoreStats::downloadBytes}};
};

} // namespace strata::runtime

struct strata_device_s : strata::runtime::RefCounted {
  strata_instance_s *instance = nullptr;
  std::unique_ptr<strata::runtime::Device> device;
  strata::runtime::CoreStats stats;
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
  /// The device of each slot of the artifact (one reference per slot).
  std::vector<strata_device_s *> devices;
  /// The artifact file; blobs (constants included) point into it, and its
  /// start and every blob offset are 64-byte aligned.
  strata::runtime::AlignedBuffer file;
  strata::artifact::ArtifactSpec spec;
  std::vector<strata::artifact::BlobView> blobs;
  std::vector<strata::runtime::FunctionSignature> signatures;
  std::vector<strata::runtime::FunctionPlan> plans;
  std::vector<std::unique_ptr<strata::runtime::Executable>> executables;
  /// Arenas of finished invocations, by slot and memory kind
  /// (arenaIndex()). Reusing them spares large transients a fresh
  /// allocation, and the page faults that come with it, per call.
  std::mutex arenaMutex;
  std::vector<std::vector<std::unique_ptr<strata::runtime::Buffer>>>
      spareArenas;
  ~strata_module_s() {
    // Device code and memory go before the devices that own them.
    executables.clear();
    plans.clear();
    spareArenas.clear();
    for (strata_device_s *device : devices)
      strata::runtime::releaseHandle(device);
  }
  strata::runtime::Device &device(uint32_t slot) const {
    return *devices[slot]->device;
  }
  static size_t arenaIndex(uint32_t slot, strata::artifact::MemoryKind kind) {
    return slot * 2 + (kind == strata::artifact::MemoryKind::Host ? 1 : 0);
  }
};

#endif // STRATA_RUNTIME_SRC_HANDLES_H
