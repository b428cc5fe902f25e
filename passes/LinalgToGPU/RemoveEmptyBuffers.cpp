//===- RemoveEmptyBuffers.cpp - kernels without zero-element buffers ------===//
//
// SPIR-V has no empty arrays, and NVVM's bare-pointer kernel ABI takes no
// zero-element memref. A buffer without elements is never read or written
// where the kernel runs (every access would be out of bounds), so its
// loads become zeros, its stores go, and the argument becomes one element
// that nothing uses; the binding keeps its place in the kernel's ABI.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAGPUREMOVEEMPTYBUFFERSPASS
#include "passes/Passes.h.inc"

namespace {

bool isEmpty(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.hasStaticShape() && memref.getNumElements() == 0;
}

void removeEmptyBuffers(gpu::GPUFuncOp kernel) {
  OpBuilder b(kernel.getContext());
  kernel.walk([&](Operation *op) {
    if (auto load = dyn_cast<memref::LoadOp>(op);
        load && isEmpty(load.getMemRefType())) {
      b.setInsertionPoint(load);
      Value zero = arith::ConstantOp::create(b, load.getLoc(),
                                             b.getZeroAttr(load.getType()));
      load.replaceAllUsesWith(zero);
      load.erase();
    } else if (auto store = dyn_cast<memref::StoreOp>(op);
               store && isEmpty(store.getMemRefType())) {
      store.erase();
    }
  });
  for (BlockArgument arg : kernel.getArguments())
    if (isEmpty(arg.getType()) && arg.use_empty()) {
      auto type = cast<MemRefType>(arg.getType());
      arg.setType(MemRefType::get({1}, type.getElementType()));
    }
  SmallVector<Type> inputs(kernel.getBody().front().getArgumentTypes());
  kernel.setFunctionType(FunctionType::get(kernel.getContext(), inputs, {}));
}

struct StrataGpuRemoveEmptyBuffersPass
    : impl::StrataGpuRemoveEmptyBuffersPassBase<
          StrataGpuRemoveEmptyBuffersPass> {
  void runOnOperation() override {
    getOperation()->walk([](gpu::GPUFuncOp kernel) {
      if (kernel.isKernel())
        removeEmptyBuffers(kernel);
    });
  }
};

} // namespace
} // namespace mlir::strata
