//===- CpuFeatures.h - the x86 features an executable may need --*- C++ -*-===//
//
// The cpu target records which of these features an executable's code
// uses, and the cpu device checks them against the host at load, so that
// an artifact built on an AVX-512 machine is refused on an AVX2 one with a
// message instead of dying of SIGILL. MLIR-free: the target includes it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_CPU_CPUFEATURES_H
#define STRATA_RUNTIME_DEVICES_CPU_CPUFEATURES_H

#include <optional>
#include <string>
#include <string_view>

namespace strata::runtime {

/// The x86-64 extensions, by LLVM's names, whose instructions LLVM's code
/// generator emits without intrinsics (vector arithmetic, conversions,
/// shuffles, bit manipulation). Baseline x86-64 (SSE2) needs no check.
inline constexpr const char *kCheckedCpuFeatures[] = {
    "sse3",        "ssse3",      "sse4.1",       "sse4.2",
    "popcnt",      "avx",        "avx2",         "fma",
    "f16c",        "bmi",        "bmi2",         "lzcnt",
    "movbe",       "avxvnni",    "gfni",         "avx512f",
    "avx512cd",    "avx512bw",   "avx512dq",     "avx512vl",
    "avx512vnni",  "avx512bf16", "avx512fp16",   "avx512vbmi",
    "avx512vbmi2", "avx512ifma", "avx512bitalg", "avx512vpopcntdq"};

/// Whether this host can run instructions of `feature`, one of
/// kCheckedCpuFeatures: the CPU has it and the OS saves its registers.
/// Names listed in the environment variable STRATA_CPU_DISABLE_FEATURES
/// (comma-separated) count as absent, to try an artifact's refusal on a
/// host that has everything. Unknown names give nullopt.
std::optional<bool> hostHasCpuFeature(std::string_view feature);

/// The host CPU's brand string, e.g. "Intel(R) Xeon(R) Processor".
std::string hostCpuBrand();

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DEVICES_CPU_CPUFEATURES_H
