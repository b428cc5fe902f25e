//===- Help.h - a --help that lists the tool's own options ------*- C++ -*-===//
//
// Linking MLIR and LLVM registers hundreds of global options (every backend's
// tuning flags). The tools show their own options and the few MLIR flags
// users need in --help, grouped by category, and leave the rest to
// --help-hidden, as mlir-opt does.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TOOLS_HELP_H
#define STRATA_TOOLS_HELP_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::strata::tools {

/// Moves the options named `names`, registered elsewhere, into `category`.
inline void addToCategory(llvm::cl::OptionCategory &category,
                          llvm::ArrayRef<llvm::StringRef> names) {
  auto &options = llvm::cl::getRegisteredOptions();
  for (llvm::StringRef name : names)
    if (llvm::cl::Option *option = options.lookup(name))
      option->addCategory(category);
}

/// Hides every option that is in none of `shown` and not one of LLVM's
/// generic ones (--help, --version): --help-hidden still lists them.
inline void
hideOtherOptions(llvm::ArrayRef<const llvm::cl::OptionCategory *> shown) {
  for (auto &entry : llvm::cl::getRegisteredOptions()) {
    llvm::cl::Option *option = entry.second;
    bool keep = llvm::any_of(option->Categories, [&](auto *category) {
      return llvm::is_contained(shown, category) ||
             category->getName() == "Generic Options";
    });
    if (!keep && option->getOptionHiddenFlag() == llvm::cl::NotHidden)
      option->setHiddenFlag(llvm::cl::Hidden);
  }
}

} // namespace mlir::strata::tools

#endif // STRATA_TOOLS_HELP_H
