//===- KernelABI.cpp - the cpu dispatch ABI wrapper -----------------------===//
//
// The runtime calls every cpu kernel through one C signature, whatever its
// bindings; this pass generates that entry point for each kernel.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATACPUKERNELABIPASS
#include "passes/Passes.h.inc"

namespace {

struct StrataCpuKernelABIPass
    : impl::StrataCpuKernelABIPassBase<StrataCpuKernelABIPass> {
  void runOnOperation() override {
    schedule::ExecutableOp executable = getOperation();
    for (auto exported : executable.getOps<schedule::ExportOp>()) {
      auto kernel = executable.getInnerModule().lookupSymbol<LLVM::LLVMFuncOp>(
          exported.getFunction().value_or(exported.getSymName()));
      if (!kernel || kernel.isExternal())
        continue;
      FailureOr<LLVM::LLVMFuncOp> wrapper = wrap(kernel);
      if (failed(wrapper))
        return signalPassFailure();
      exported.setFunction(wrapper->getSymName());
    }
  }

  FailureOr<LLVM::LLVMFuncOp> wrap(LLVM::LLVMFuncOp kernel) {
    MLIRContext *ctx = &getContext();
    Location loc = kernel.getLoc();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i32 = IntegerType::get(ctx, 32);
    LLVM::LLVMFunctionType kernelType = kernel.getFunctionType();
    ArrayRef<Type> params = kernelType.getParams();
    // A dispatch split over workgroups takes its workgroup id last.
    bool takesWorkgroup = !params.empty() && isa<IntegerType>(params.back());
    for (Type param : params.drop_back(takesWorkgroup ? 1 : 0))
      if (param != ptr)
        return kernel.emitError("kernel parameter of type ")
               << param << " is not a buffer pointer; the cpu ABI needs "
               << "static shapes and bare-pointer memrefs";
    if (!isa<LLVM::LLVMVoidType>(kernelType.getReturnType()))
      return kernel.emitError("kernel must not return values");

    OpBuilder b(kernel);
    b.setInsertionPointAfter(kernel);
    auto wrapperType = LLVM::LLVMFunctionType::get(i32, {ptr, i32, i32, i32});
    auto wrapper = LLVM::LLVMFuncOp::create(
        b, loc, ("strata_" + kernel.getSymName()).str(), wrapperType);
    Block *entry = wrapper.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    Value bindings = entry->getArgument(0);
    SmallVector<Value> args;
    for (unsigned i = 0; i < params.size() - (takesWorkgroup ? 1 : 0); ++i) {
      Value slot =
          LLVM::GEPOp::create(b, loc, ptr, ptr, bindings,
                              ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      args.push_back(LLVM::LoadOp::create(b, loc, ptr, slot));
    }
    if (takesWorkgroup)
      args.push_back(
          LLVM::ZExtOp::create(b, loc, params.back(), entry->getArgument(1)));
    LLVM::CallOp::create(b, loc, kernel, args);
    Value zero = LLVM::ConstantOp::create(b, loc, i32, 0);
    LLVM::ReturnOp::create(b, loc, zero);
    kernel.setLinkage(LLVM::Linkage::Internal);
    return wrapper;
  }
};

} // namespace
} // namespace mlir::strata
