//===- NullDevice.cpp - a device that computes nothing --------------------===//
//
// Every method a device implements, each with what a real device does in
// its place. A new device copies this folder, renames it, fills in the
// methods and adds its line to runtime/src/Device.cpp; the runtime core
// stays as it is. The core counts submissions, dispatches, copies, fills,
// barriers and transfers for every device, so this one keeps no counters.
//
//===----------------------------------------------------------------------===//

#include "runtime/devices/null/NullDevice.h"
#include "runtime/src/Status.h"

#include <cstring>

namespace strata::runtime {

namespace {

/// A real device keeps its module handle and entry points here (a
/// VkShaderModule and pipelines, a CUmodule and CUfunctions, ...).
class NullExecutable : public Executable {};

/// A real device keeps its allocation here (a VkBuffer and its memory, a
/// CUdeviceptr); the null device keeps only the size.
class NullBuffer : public Buffer {
public:
  using Buffer::Buffer;
};

/// A real device records into its own command list (vkCmdDispatch,
/// vkCmdPipelineBarrier, cuLaunchKernel on a stream). Bindings arrive
/// checked against their buffers. The null device keeps only each
/// command's label, to trace it at submission.
class NullCommandBuffer : public CommandBuffer {
public:
  strata_status_t dispatch(Executable &, uint32_t, const uint32_t[3],
                           const std::vector<Binding> &,
                           const std::vector<uint32_t> &,
                           const std::string &label) override {
    commands.push_back({label, "dispatch"});
    return nullptr;
  }
  strata_status_t copy(const Binding &, const Binding &,
                       const std::string &label) override {
    commands.push_back({label, "copy"});
    return nullptr;
  }
  strata_status_t fill(const Binding &, uint32_t,
                       const std::string &label) override {
    commands.push_back({label, "fill"});
    return nullptr;
  }
  void barrier() override {}

  std::vector<std::pair<std::string, const char *>> commands;
};

class NullDevice : public Device {
public:
  /// The name is also the target name of the artifacts the device runs.
  const char *name() const override { return "null"; }

  /// Vulkan guarantees 128 bytes of push constants; the null device takes
  /// as many, so that schedules meant for such devices load on it.
  size_t maxPushConstants() const override { return 32; }

  /// A real device checks the blob (a SPIR-V magic, a cubin's ELF header),
  /// creates its module and resolves every kernel here, so that dispatch
  /// cannot fail to find one, and rejects workgroup sizes and shared
  /// memory beyond its limits.
  strata_status_t loadExecutable(const artifact::ExecutableSpec &spec,
                                 const uint8_t *, size_t,
                                 std::unique_ptr<Executable> *out) override {
    if (strata_status_t status = checkFormat(spec, "null"))
      return status;
    *out = std::make_unique<NullExecutable>();
    return nullptr;
  }

  strata_status_t allocate(uint64_t size, artifact::MemoryKind,
                           std::unique_ptr<Buffer> *out) override {
    *out = std::make_unique<NullBuffer>(size);
    return nullptr;
  }

  /// A device whose kernels can read host memory in place (the cpu,
  /// mapped memory) wraps it here; leaving `*out` null makes the core
  /// allocate a buffer and upload or download instead.
  strata_status_t wrapHostMemory(void *, uint64_t,
                                 std::unique_ptr<Buffer> *) override {
    return nullptr;
  }

  /// A real device copies through a staging buffer or a DMA engine and
  /// returns once the bytes have arrived.
  strata_status_t upload(const Binding &, const void *) override {
    return nullptr;
  }

  strata_status_t download(const Binding &src, void *data) override {
    if (src.length)
      std::memset(data, 0, src.length);
    return nullptr;
  }

  strata_status_t
  createCommandBuffer(std::unique_ptr<CommandBuffer> *out) override {
    *out = std::make_unique<NullCommandBuffer>();
    return nullptr;
  }

  /// A real device submits to its queue and waits for the fence; a kernel
  /// failure is reported with the step's label that dispatch() received.
  /// While tracing, each command is recorded with the time it ran (here:
  /// none, at submission; a real device reads its timestamp queries).
  strata_status_t submit(CommandBuffer &commands) override {
    if (tracing())
      for (const auto &[label, category] :
           static_cast<NullCommandBuffer &>(commands).commands)
        record({label, category, traceClockUs(), 0});
    return nullptr;
  }
};

} // namespace

strata_status_t createNullDevice(std::unique_ptr<Device> *out) {
  *out = std::make_unique<NullDevice>();
  return nullptr;
}

} // namespace strata::runtime
