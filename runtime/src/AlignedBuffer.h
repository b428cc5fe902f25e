//===- AlignedBuffer.h - 64-byte aligned host memory ------------*- C++ -*-===//
//
// Every buffer a kernel sees starts on a 64-byte boundary (a cache line and
// the widest vector), whatever the caller passed in; this is the memory
// that guarantees it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SRC_ALIGNEDBUFFER_H
#define STRATA_RUNTIME_SRC_ALIGNEDBUFFER_H

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace strata::runtime {

inline constexpr size_t kBufferAlignment = 64;

class AlignedBuffer {
public:
  AlignedBuffer() = default;

  /// Allocates `size` bytes (zeroed if `zero`); false if memory ran out.
  /// A zero-byte buffer still has a valid, aligned data pointer.
  bool allocate(uint64_t size, bool zero) {
    uint64_t rounded =
        (size + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
    if (rounded < size || rounded > SIZE_MAX)
      return false;
    if (rounded == 0)
      rounded = kBufferAlignment;
    memory.reset(static_cast<uint8_t *>(
        std::aligned_alloc(kBufferAlignment, static_cast<size_t>(rounded))));
    if (!memory)
      return false;
    if (zero)
      std::memset(memory.get(), 0, static_cast<size_t>(rounded));
    bytes = static_cast<size_t>(size);
    return true;
  }

  uint8_t *data() const { return memory.get(); }
  size_t size() const { return bytes; }

private:
  struct Free {
    void operator()(uint8_t *p) const { std::free(p); }
  };
  std::unique_ptr<uint8_t, Free> memory;
  size_t bytes = 0;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SRC_ALIGNEDBUFFER_H
