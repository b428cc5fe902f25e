//===- TargetRegistry.cpp - targets by name -------------------------------===//
//
// The targets strata-compile knows, by name; a new target adds its
// factory here.
//
//===----------------------------------------------------------------------===//

#include "targets/TargetBackend.h"
#include "targets/cpu/CpuTarget.h"
#include "targets/null/NullTarget.h"
#include "targets/ptx/PtxTarget.h"
#include "targets/spirv/SpirvTarget.h"
#include "targets/systolic/SystolicTarget.h"

#include <memory>

namespace mlir::strata {

static const std::vector<std::unique_ptr<TargetBackend>> &targets() {
  static const auto *all = [] {
    auto *list = new std::vector<std::unique_ptr<TargetBackend>>();
    list->push_back(createCpuTarget());
    list->push_back(createPtxTarget());
    list->push_back(createNullTarget());
    list->push_back(createSpirvTarget());
    list->push_back(createSystolicTarget());
    return list;
  }();
  return *all;
}

const TargetBackend *lookupTargetBackend(llvm::StringRef name) {
  for (const auto &target : targets())
    if (target->name() == name)
      return target.get();
  return nullptr;
}

std::vector<std::string> targetBackendNames() {
  std::vector<std::string> names;
  for (const auto &target : targets())
    names.push_back(target->name().str());
  return names;
}

} // namespace mlir::strata
