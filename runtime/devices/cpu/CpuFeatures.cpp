//===- CpuFeatures.cpp - x86 feature detection with cpuid -----------------===//
//
// cpuid says what the processor implements; xgetbv says whether the OS
// saves the AVX and AVX-512 register state, without which those
// instructions fault even on a CPU that has them.
//
//===----------------------------------------------------------------------===//

#include "runtime/devices/cpu/CpuFeatures.h"
#include "runtime/src/EnvList.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace strata::runtime {
namespace {

enum Reg { EAX, EBX, ECX, EDX };
/// The register state a feature needs the OS to save (XCR0 bits).
enum State : uint64_t {
  kSse = 0,
  kAvx = 0x6,     // SSE and AVX (YMM) state
  kAvx512 = 0xe6, // and the opmask, ZMM_Hi256 and Hi16_ZMM state
};

struct FeatureBit {
  const char *name;
  uint32_t leaf, subleaf;
  Reg reg;
  unsigned bit;
  uint64_t state;
};

// Intel SDM vol. 2A, CPUID; AMD's lzcnt is its ABM bit.
constexpr FeatureBit kBits[] = {
    {"sse3", 1, 0, ECX, 0, kSse},
    {"ssse3", 1, 0, ECX, 9, kSse},
    {"fma", 1, 0, ECX, 12, kAvx},
    {"sse4.1", 1, 0, ECX, 19, kSse},
    {"sse4.2", 1, 0, ECX, 20, kSse},
    {"movbe", 1, 0, ECX, 22, kSse},
    {"popcnt", 1, 0, ECX, 23, kSse},
    {"avx", 1, 0, ECX, 28, kAvx},
    {"f16c", 1, 0, ECX, 29, kAvx},
    {"bmi", 7, 0, EBX, 3, kSse},
    {"avx2", 7, 0, EBX, 5, kAvx},
    {"bmi2", 7, 0, EBX, 8, kSse},
    {"avx512f", 7, 0, EBX, 16, kAvx512},
    {"avx512dq", 7, 0, EBX, 17, kAvx512},
    {"avx512ifma", 7, 0, EBX, 21, kAvx512},
    {"avx512cd", 7, 0, EBX, 28, kAvx512},
    {"avx512bw", 7, 0, EBX, 30, kAvx512},
    {"avx512vl", 7, 0, EBX, 31, kAvx512},
    {"avx512vbmi", 7, 0, ECX, 1, kAvx512},
    {"avx512vbmi2", 7, 0, ECX, 6, kAvx512},
    {"gfni", 7, 0, ECX, 8, kSse},
    {"avx512vnni", 7, 0, ECX, 11, kAvx512},
    {"avx512bitalg", 7, 0, ECX, 12, kAvx512},
    {"avx512vpopcntdq", 7, 0, ECX, 14, kAvx512},
    {"avx512fp16", 7, 0, EDX, 23, kAvx512},
    {"avxvnni", 7, 1, EAX, 4, kAvx},
    {"avx512bf16", 7, 1, EAX, 5, kAvx512},
    {"lzcnt", 0x80000001, 0, ECX, 5, kSse},
};

static_assert(std::size(kBits) == std::size(kCheckedCpuFeatures),
              "every checked feature has a cpuid bit");

#if defined(__x86_64__)
bool cpuid(uint32_t leaf, uint32_t subleaf, uint32_t out[4]) {
  uint32_t maxLeaf = __get_cpuid_max(leaf & 0x80000000u, nullptr);
  if (leaf > maxLeaf)
    return false;
  __cpuid_count(leaf, subleaf, out[0], out[1], out[2], out[3]);
  return true;
}

/// The register state the OS saves, or 0 without OSXSAVE.
uint64_t savedState() {
  uint32_t regs[4];
  if (!cpuid(1, 0, regs) || !(regs[ECX] & (1u << 27)))
    return 0;
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (uint64_t(hi) << 32) | lo;
}
#endif

} // namespace

std::optional<bool> hostHasCpuFeature(std::string_view feature) {
  for (const FeatureBit &bit : kBits) {
    if (feature != bit.name)
      continue;
    if (listedInEnv("STRATA_CPU_DISABLE_FEATURES", feature))
      return false;
#if defined(__x86_64__)
    uint32_t regs[4];
    if (!cpuid(bit.leaf, bit.subleaf, regs) ||
        !(regs[bit.reg] & (1u << bit.bit)))
      return false;
    return bit.state == kSse || (savedState() & bit.state) == bit.state;
#else
    return false;
#endif
  }
  return std::nullopt;
}

std::string hostCpuBrand() {
#if defined(__x86_64__)
  uint32_t regs[12];
  for (uint32_t i = 0; i < 3; ++i)
    if (!cpuid(0x80000002u + i, 0, regs + 4 * i))
      return "unknown x86-64 cpu";
  char text[49] = {};
  std::memcpy(text, regs, 48);
  std::string brand(text);
  size_t first = brand.find_first_not_of(' ');
  size_t last = brand.find_last_not_of(' ');
  return first == std::string::npos ? "unknown x86-64 cpu"
                                    : brand.substr(first, last - first + 1);
#else
  return "a non-x86-64 cpu";
#endif
}

} // namespace strata::runtime
