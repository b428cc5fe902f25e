//===- CpuModel.h - the x86-64 cpu the target compiles for ------*- C++ -*-===//
//
// `--target-option=cpu=native|x86-64-v3|x86-64-v4|<LLVM cpu name>` picks the
// processor: its features decide the vector width and the register file
// the kernels are blocked for, LLVM schedules for it, and the artifact
// records the features the code needs, which the runtime checks.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_CPU_CPUMODEL_H
#define STRATA_TARGETS_CPU_CPUMODEL_H

#include "targets/TargetBackend.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace mlir::strata {

struct CpuModel {
  /// The LLVM cpu name; the host's own for `native`.
  std::string cpu;
  /// LLVM feature name -> enabled.
  llvm::StringMap<bool> features;
  /// The widest vectors the kernels use, and how many registers of them.
  unsigned vectorBits = 128;
  unsigned vectorRegisters = 16;
  /// The L2 cache per core: the host's for `native`, else 1 MiB.
  int64_t l2Bytes = 1 << 20;

  /// "+avx2,-avx512f,..." for LLVM's target machine.
  std::string featureString() const;
  /// The enabled features the runtime checks before running the code.
  std::vector<std::string> requiredFeatures() const;
};

/// The model the target options ask for (`cpu`, default native, narrowed
/// by `vector-bits`), or a message for an unknown cpu or a width it lacks.
FailureOr<CpuModel> resolveCpuModel(const TargetOptions &options,
                                    std::string &error);

} // namespace mlir::strata

#endif // STRATA_TARGETS_CPU_CPUMODEL_H
