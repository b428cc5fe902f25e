//===- ChooseKernel.h - the kernel an exporter writes -----------*- C++ -*-===//
//
// strata-translate's --export-spirv and --export-ptx each write one kernel
// of a build's dumped stage, chosen by name the same way.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_CHOOSEKERNEL_H
#define STRATA_TARGETS_CHOOSEKERNEL_H

#include "mlir/IR/Diagnostics.h"

#include <string>

namespace mlir::strata {

/// The index in `kernels` (not empty) of the one named `requested`, or of
/// the only one when `requested` is empty; otherwise reports at `loc` the
/// kernels there are and that the flag `option` chooses one.
FailureOr<size_t> chooseKernel(Location loc, ArrayRef<std::string> kernels,
                               llvm::StringRef requested,
                               llvm::StringRef option);

} // namespace mlir::strata

#endif // STRATA_TARGETS_CHOOSEKERNEL_H
