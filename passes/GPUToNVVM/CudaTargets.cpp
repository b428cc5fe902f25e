//===- CudaTargets.cpp - the NVIDIA architectures kernels are built for ---===//
//
// PTX versions are the first that name each target (PTX ISA 7.0 for
// sm_80, 7.1 for sm_86, 7.8 for sm_89 and sm_90, 8.0 for sm_90a), so that
// the oldest driver able to run a GPU can also JIT the code for it. Every
// target has 48 KiB of shared memory per block, and more for a kernel that
// opts in: 99 KiB on sm_86, sm_89 and sm_120 (so also for sm_80 and
// sm_90 code, which runs there), 227 KiB on sm_90 (for sm_90a code, which
// runs only there).
//
//===----------------------------------------------------------------------===//

#include "passes/GPUToNVVM/CudaTargets.h"

namespace mlir::strata {

static const CudaArch kArchs[] = {
    {"sm_80", "+ptx70", 128, 49152, 101376},
    {"sm_86", "+ptx71", 128, 49152, 101376},
    {"sm_89", "+ptx78", 128, 49152, 101376},
    {"sm_90", "+ptx78", 128, 49152, 101376},
    {"sm_90a", "+ptx80", 128, 49152, 232448},
};

const CudaArch *lookupCudaArch(llvm::StringRef name) {
  for (const CudaArch &arch : kArchs)
    if (name == arch.name)
      return &arch;
  return nullptr;
}

std::string cudaArchNames() {
  std::string names;
  for (const CudaArch &arch : kArchs)
    names += (names.empty() ? "" : ", ") + std::string(arch.name);
  return names;
}

} // namespace mlir::strata
