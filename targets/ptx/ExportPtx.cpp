//===- ExportPtx.cpp - one kernel's PTX, for reading ----------------------===//
//
// `strata-translate --export-ptx 4-cuda.mlir --ptx-kernel=NAME -o k.ptx`
// writes the PTX of one kernel of a cuda build (the stage that
// `strata-compile --target=cuda --dump-stages` writes), without the other
// kernels of its module, for reading or for `ptxas --verbose`.
//
//===----------------------------------------------------------------------===//

#include "targets/ptx/ExportPtx.h"

#include "dialects/Strata/IR/StrataDialect.h"
#include "passes/Pipelines/Pipelines.h"
#include "targets/ChooseKernel.h"
#include "targets/ptx/SerializePtx.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/CommandLine.h"

namespace mlir::strata {
namespace {

llvm::cl::opt<std::string>
    kernelName("ptx-kernel",
               llvm::cl::desc("With --export-ptx: the kernel to write "
                              "(needed when the input has several)"),
               llvm::cl::init(""));

LogicalResult exportKernel(Operation *root, raw_ostream &os) {
  SmallVector<gpu::GPUModuleOp> modules;
  SmallVector<std::string> kernels;
  root->walk([&](LLVM::LLVMFuncOp func) {
    auto module = func->getParentOfType<gpu::GPUModuleOp>();
    if (module && isNvvmKernel(func)) {
      modules.push_back(module);
      kernels.push_back(func.getName().str());
    }
  });
  if (kernels.empty())
    return emitError(root->getLoc(),
                     "no NVVM kernel in the input; give it the 4-cuda.mlir "
                     "that strata-compile --target=cuda --dump-stages writes");
  FailureOr<size_t> chosen =
      chooseKernel(root->getLoc(), kernels, kernelName, "ptx-kernel");
  if (failed(chosen))
    return failure();
  OwningOpRef<gpu::GPUModuleOp> module(
      cast<gpu::GPUModuleOp>(modules[*chosen]->clone()));
  for (auto func :
       llvm::make_early_inc_range(module->getOps<LLVM::LLVMFuncOp>()))
    if (isNvvmKernel(func) && func.getName() != kernels[*chosen])
      func.erase();
  FailureOr<std::string> ptx = serializeToPtx(*module, defaultCudaToolkit());
  if (failed(ptx))
    return failure();
  os << *ptx;
  return success();
}

} // namespace

void registerPtxExportTranslation() {
  static TranslateFromMLIRRegistration registration(
      "export-ptx", "Write one kernel of a cuda build as PTX", exportKernel,
      [](DialectRegistry &registry) {
        registry.insert<StrataDialect>();
        registerPipelineDialects(registry);
        registerPtxSerialization(registry);
      });
}

} // namespace mlir::strata
