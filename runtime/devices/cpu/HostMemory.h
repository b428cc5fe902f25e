//===- HostMemory.h - buffers and commands in host memory -------*- C++ -*-===//
//
// The cpu device's memory is the host's: buffers are 64-byte aligned host
// memory, owned or the caller's used in place, and a command buffer runs
// its commands in order on the submitting thread (the workgroups of a
// dispatch on the thread pool), copies and fills included.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_CPU_HOSTMEMORY_H
#define STRATA_RUNTIME_DEVICES_CPU_HOSTMEMORY_H

#include "runtime/src/AlignedBuffer.h"
#include "runtime/src/Device.h"

#include <functional>

namespace strata::runtime {

/// Host memory: owned by the buffer, or the caller's, used in place.
class HostBuffer : public Buffer {
public:
  using Buffer::Buffer;
  uint8_t *data = nullptr;
  AlignedBuffer storage;
};

/// The address of `binding`'s first byte.
inline uint8_t *hostAddress(const Binding &binding) {
  return static_cast<HostBuffer *>(binding.buffer)->data + binding.offset;
}

/// A new zeroed host buffer.
strata_status_t allocateHostBuffer(uint64_t size, std::unique_ptr<Buffer> *out);
/// Host memory used in place when it is 64-byte aligned (the kernels'
/// contract); otherwise `*out` stays null.
void wrapHostBuffer(void *data, uint64_t size, std::unique_ptr<Buffer> *out);

/// A device whose memory is the host's (the cpu, the systolic simulator):
/// buffers, host memory used in place, and transfers as copies.
class HostMemoryDevice : public Device {
public:
  strata_status_t allocate(uint64_t size, artifact::MemoryKind,
                           std::unique_ptr<Buffer> *out) override;
  strata_status_t wrapHostMemory(void *data, uint64_t size,
                                 std::unique_ptr<Buffer> *out) override;
  strata_status_t upload(const Binding &dst, const void *data) override;
  strata_status_t download(const Binding &src, void *data) override;
};

/// Commands that run in order when submitted, so barriers cost nothing;
/// each is timed into `device`'s trace while it traces.
class HostCommandBuffer : public CommandBuffer {
public:
  using Command = std::function<strata_status_t()>;

  explicit HostCommandBuffer(Device &device) : device(device) {}
  strata_status_t copy(const Binding &src, const Binding &dst,
                       const std::string &label) override;
  strata_status_t fill(const Binding &dst, uint32_t pattern,
                       const std::string &label) override;
  void barrier() override {}

  /// Runs the commands in order; stops at the first failure.
  strata_status_t run() const;

protected:
  void add(std::string label, const char *category, Command command) {
    commands.push_back({std::move(label), category, std::move(command)});
  }

private:
  struct Recorded {
    std::string label;
    const char *category;
    Command run;
  };
  Device &device;
  std::vector<Recorded> commands;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_CPU_HOSTMEMORY_H
