//===- SerializePtx.cpp - PTX and cubin from an NVVM gpu.module -----------===//
//
// Upstream's NVVM target does the work (translation to LLVM IR, libdevice,
// the NVPTX backend, and for a cubin the NVPTX compiler library Debian's
// MLIR links); this file picks the toolkit and checks what comes back, so
// that an unresolved call is a compile error rather than a load failure on
// the GPU machine.
//
//===----------------------------------------------------------------------===//

#include "targets/ptx/SerializePtx.h"

#include "mlir/Dialect/GPU/IR/CompilationInterfaces.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/Support/Regex.h"

namespace mlir::strata {
namespace {

FailureOr<SmallVector<char>> serialize(gpu::GPUModuleOp module,
                                       llvm::StringRef toolkit,
                                       gpu::CompilationTarget kind) {
  ArrayAttr targets = module.getTargetsAttr();
  auto target = targets && targets.size() == 1
                    ? dyn_cast<gpu::TargetAttrInterface>(targets[0])
                    : nullptr;
  if (!target)
    return emitError(module.getLoc(),
                     "expected one #nvvm.target on the gpu.module");
  gpu::TargetOptions options(toolkit, /*librariesToLink=*/{},
                             /*cmdOptions=*/"", /*elfSection=*/"", kind);
  // Upstream reports on the module, with the whole module attached, and
  // may still return an object; its messages become the reason here.
  std::string reasons;
  std::optional<SmallVector<char>> object;
  {
    ScopedDiagnosticHandler capture(module.getContext(), [&](Diagnostic &d) {
      if (d.getSeverity() == DiagnosticSeverity::Error)
        reasons += (reasons.empty() ? "" : "; ") +
                   llvm::StringRef(d.str()).trim().str();
      return success();
    });
    object = target.serializeToObject(module, options);
  }
  if (!object || !reasons.empty())
    return emitError(module.getLoc(), "cannot serialize the kernels for ")
           << targets[0] << " with the CUDA toolkit at '" << toolkit << "'"
           << (reasons.empty() ? "" : ": " + reasons);
  return std::move(*object);
}

} // namespace

llvm::StringRef defaultCudaToolkit() { return STRATA_CUDA_TOOLKIT_DIR; }

bool isNvvmKernel(LLVM::LLVMFuncOp func) {
  return func->hasAttr(NVVM::NVVMDialect::getKernelFuncAttrName());
}

FailureOr<std::string> serializeToPtx(gpu::GPUModuleOp module,
                                      llvm::StringRef toolkit) {
  FailureOr<SmallVector<char>> object =
      serialize(module, toolkit, gpu::CompilationTarget::Assembly);
  if (failed(object))
    return failure();
  std::string ptx(object->begin(), object->end());
  while (!ptx.empty() && ptx.back() == '\0')
    ptx.pop_back();
  // A function left external would fail only at load, on the GPU machine.
  llvm::Regex external(
      R"(\.extern \.func[[:space:]]*(\([^)]*\))?[[:space:]]*([A-Za-z_$][A-Za-z0-9_$]*))");
  SmallVector<llvm::StringRef> match;
  if (external.match(ptx, &match))
    return emitError(module.getLoc(), "the kernels call '")
           << match[2] << "', which neither they nor libdevice define";
  return ptx;
}

FailureOr<std::vector<uint8_t>> serializeToCubin(gpu::GPUModuleOp module,
                                                 llvm::StringRef toolkit) {
  FailureOr<SmallVector<char>> object =
      serialize(module, toolkit, gpu::CompilationTarget::Binary);
  if (failed(object))
    return failure();
  return std::vector<uint8_t>(object->begin(), object->end());
}

void registerPtxSerialization(DialectRegistry &registry) {
  registry.insert<NVVM::NVVMDialect>();
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
}

} // namespace mlir::strata
