//===- MemRefCopyToLinalg.cpp - memref.copy as linalg.copy ----------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAMEMREFCOPYTOLINALGPASS
#include "passes/Passes.h.inc"

namespace {

struct StrataMemRefCopyToLinalgPass
    : impl::StrataMemRefCopyToLinalgPassBase<StrataMemRefCopyToLinalgPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    for (memref::CopyOp copy : copies) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                             copy.getTarget());
      copy.erase();
    }
  }
};

} // namespace
} // namespace mlir::strata
