//===- EmitObjects.h - LLVM code generation for the cpu target --*- C++ -*-===//
//
// Optimizing and emitting one large module takes most of a compile on one
// thread. The module is split into partitions that LLVM optimizes and
// emits in parallel, one object file each.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_CPU_EMITOBJECTS_H
#define STRATA_TARGETS_CPU_EMITOBJECTS_H

#include "targets/cpu/CpuModel.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mlir::strata {

struct EmittedCode {
  /// One object file per partition, in partition order.
  std::vector<std::string> objects;
  /// The partitions' assembly, concatenated, when asked for.
  std::string assembly;
};

/// Translates `module` (LLVM dialect) to LLVM IR, splits it into
/// partitions that depend on the module alone (not on the host's thread
/// count, so that artifacts are reproducible), and optimizes and emits
/// them for `model` on one thread per hardware thread. Errors are reported
/// at the module's location.
FailureOr<EmittedCode> emitObjects(ModuleOp module, const CpuModel &model,
                                   unsigned optLevel, bool wantAssembly);

} // namespace mlir::strata

#endif // STRATA_TARGETS_CPU_EMITOBJECTS_H
