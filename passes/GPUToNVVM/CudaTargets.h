//===- CudaTargets.h - NVIDIA architectures for kernels ---------*- C++ -*-===//
//
// `--target-option=cuda-arch=NAME` picks one: the PTX target, the PTX
// version it needs, and the block size and shared memory kernels use.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_GPUTONVVM_CUDATARGETS_H
#define STRATA_PASSES_GPUTONVVM_CUDATARGETS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>

namespace mlir::strata {

struct CudaArch {
  /// The PTX target, e.g. "sm_90a".
  const char *name;
  /// The LLVM NVPTX feature of the oldest PTX ISA that has the target.
  const char *ptxFeature;
  /// Threads per block of every kernel; a multiple of the warp.
  int64_t workgroupSize;
  /// Shared memory a block may use without opting in, in bytes: what
  /// tiles are sized for.
  int64_t workgroupMemoryBytes;
  /// Shared memory a block may use once its kernel opts in (the runtime
  /// does, for kernels that need more): the least of the GPUs that run
  /// the code, since PTX for sm_80 also runs on sm_86 and sm_89.
  int64_t maxWorkgroupMemoryBytes;
};

/// The architecture called `name`, or null.
const CudaArch *lookupCudaArch(llvm::StringRef name);

/// "sm_80, sm_86, ...", for messages.
std::string cudaArchNames();

/// The architecture used when none is named: the oldest with tensor cores
/// that Strata supports, so that its code runs on every later GPU.
inline constexpr llvm::StringLiteral kDefaultCudaArch = "sm_80";

} // namespace mlir::strata

#endif // STRATA_PASSES_GPUTONVVM_CUDATARGETS_H
