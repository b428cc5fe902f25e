//===- ChooseKernel.cpp - the kernel an exporter writes -------------------===//

#include "targets/ChooseKernel.h"

#include "mlir/IR/Location.h"

namespace mlir::strata {

FailureOr<size_t> chooseKernel(Location loc, ArrayRef<std::string> kernels,
                               llvm::StringRef requested,
                               llvm::StringRef option) {
  for (auto [index, kernel] : llvm::enumerate(kernels))
    if (kernel == requested || (requested.empty() && kernels.size() == 1))
      return index;
  std::string names;
  for (const std::string &kernel : kernels)
    names += (names.empty() ? "" : ", ") + kernel;
  if (requested.empty())
    return emitError(loc) << "the input has " << kernels.size() << " kernels ("
                          << names << "); choose one with --" << option;
  return emitError(loc) << "no kernel '" << requested << "' in the input ("
                        << names << ")";
}

} // namespace mlir::strata
