//===- HostMemory.cpp - buffers and commands in host memory ---------------===//

#include "runtime/devices/cpu/HostMemory.h"

#include "runtime/src/Status.h"

#include <cstring>

namespace strata::runtime {

strata_status_t allocateHostBuffer(uint64_t size,
                                   std::unique_ptr<Buffer> *out) {
  auto buffer = std::make_unique<HostBuffer>(size);
  if (!buffer->storage.allocate(size, /*zero=*/true))
    return makeStatus(STRATA_STATUS_OUT_OF_MEMORY, "cannot allocate " +
                                                       std::to_string(size) +
                                                       " bytes of host memory");
  buffer->data = buffer->storage.data();
  *out = std::move(buffer);
  return nullptr;
}

void wrapHostBuffer(void *data, uint64_t size, std::unique_ptr<Buffer> *out) {
  if (reinterpret_cast<uintptr_t>(data) % kBufferAlignment != 0)
    return;
  auto buffer = std::make_unique<HostBuffer>(size);
  buffer->data = static_cast<uint8_t *>(data);
  *out = std::move(buffer);
}

strata_status_t HostCommandBuffer::copy(const Binding &src, const Binding &dst,
                                        const std::string &label) {
  const uint8_t *from = hostAddress(src);
  uint8_t *to = hostAddress(dst);
  uint64_t size = src.length;
  add(label, "copy", [=]() -> strata_status_t {
    if (size)
      std::memmove(to, from, size);
    return nullptr;
  });
  return nullptr;
}

strata_status_t HostCommandBuffer::fill(const Binding &dst, uint32_t pattern,
                                        const std::string &label) {
  uint8_t *to = hostAddress(dst);
  uint64_t size = dst.length;
  add(label, "fill", [=]() -> strata_status_t {
    for (uint64_t i = 0; i < size; ++i)
      to[i] = static_cast<uint8_t>(pattern >> (8 * (i % 4)));
    return nullptr;
  });
  return nullptr;
}

strata_status_t HostCommandBuffer::run() const {
  for (const Recorded &command : commands) {
    if (!device.tracing()) {
      if (strata_status_t status = command.run())
        return status;
      continue;
    }
    uint64_t start = traceClockUs();
    strata_status_t status = command.run();
    device.record(
        {command.label, command.category, start, traceClockUs() - start});
    if (status)
      return status;
  }
  return nullptr;
}

strata_status_t HostMemoryDevice::allocate(uint64_t size, artifact::MemoryKind,
                                           std::unique_ptr<Buffer> *out) {
  return allocateHostBuffer(size, out);
}

strata_status_t HostMemoryDevice::wrapHostMemory(void *data, uint64_t size,
                                                 std::unique_ptr<Buffer> *out) {
  wrapHostBuffer(data, size, out);
  return nullptr;
}

strata_status_t HostMemoryDevice::upload(const Binding &dst, const void *data) {
  if (dst.length)
    std::memcpy(hostAddress(dst), data, dst.length);
  return nullptr;
}

strata_status_t HostMemoryDevice::download(const Binding &src, void *data) {
  if (src.length)
    std::memcpy(data, hostAddress(src), src.length);
  return nullptr;
}

} // namespace strata::runtime
