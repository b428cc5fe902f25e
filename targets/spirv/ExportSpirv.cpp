//===- ExportSpirv.cpp - one kernel's SPIR-V, for reading -----------------===//
//
// `strata-translate --export-spirv 4-vulkan.mlir --spirv-kernel=NAME -o k.spv`
// serializes the SPIR-V of one kernel of a vulkan build (the stage that
// `strata-compile --target=vulkan --dump-stages` writes), without the other
// entry points of its module and the variables only they use, for reading
// with spirv-dis or a GPU debugger.
//
//===----------------------------------------------------------------------===//

#include "targets/spirv/ExportSpirv.h"

#include "dialects/Strata/IR/StrataDialect.h"
#include "passes/Pipelines/Pipelines.h"
#include "targets/ChooseKernel.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Target/SPIRV/Serialization.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::strata {
namespace {

llvm::cl::opt<std::string>
    kernelName("spirv-kernel",
               llvm::cl::desc("With --export-spirv: the kernel to write "
                              "(needed when the input has several)"),
               llvm::cl::init(""));

/// `module` with only `kernel`'s entry point, and only what it uses.
void keepOnly(spirv::ModuleOp module, StringRef kernel) {
  for (Operation &op : llvm::make_early_inc_range(*module.getBody())) {
    if (auto entry = dyn_cast<spirv::EntryPointOp>(op);
        entry && entry.getFn() != kernel)
      op.erase();
    else if (auto mode = dyn_cast<spirv::ExecutionModeOp>(op);
             mode && mode.getFn() != kernel)
      op.erase();
  }
  // Functions, then the variables they alone used, until nothing changes.
  bool erased = true;
  while (erased) {
    erased = false;
    for (Operation &op : llvm::make_early_inc_range(*module.getBody())) {
      auto symbol = dyn_cast<SymbolOpInterface>(op);
      if (symbol && symbol.getName() != kernel &&
          isa<spirv::FuncOp, spirv::GlobalVariableOp>(op) &&
          SymbolTable::symbolKnownUseEmpty(&op, module)) {
        op.erase();
        erased = true;
      }
    }
  }
}

LogicalResult exportKernel(Operation *root, raw_ostream &os) {
  SmallVector<spirv::ModuleOp> modules;
  SmallVector<std::string> kernels;
  root->walk([&](spirv::EntryPointOp entry) {
    modules.push_back(entry->getParentOfType<spirv::ModuleOp>());
    kernels.push_back(entry.getFn().str());
  });
  if (kernels.empty())
    return emitError(root->getLoc(),
                     "no SPIR-V kernel in the input; give it the "
                     "4-vulkan.mlir that strata-compile --target=vulkan "
                     "--dump-stages writes");
  FailureOr<size_t> chosen =
      chooseKernel(root->getLoc(), kernels, kernelName, "spirv-kernel");
  if (failed(chosen))
    return failure();
  OwningOpRef<spirv::ModuleOp> module(
      cast<spirv::ModuleOp>(modules[*chosen]->clone()));
  keepOnly(*module, kernels[*chosen]);
  SmallVector<uint32_t> words;
  if (failed(spirv::serialize(*module, words)))
    return failure();
  os.write(reinterpret_cast<const char *>(words.data()),
           words.size() * sizeof(uint32_t));
  return success();
}

} // namespace

void registerSpirvExportTranslation() {
  static TranslateFromMLIRRegistration registration(
      "export-spirv",
      "Write one kernel of a vulkan build as a SPIR-V binary",
      exportKernel, [](DialectRegistry &registry) {
        registry.insert<StrataDialect>();
        registerPipelineDialects(registry);
      });
}

} // namespace mlir::strata
