//===- MemRefCopyToLinalg.cpp - memref.copy as linalg.copy ----------------===//
//
// Kernels must not call MLIR's runtime library, which the LLVM lowering
// of a strided memref.copy would; as linalg.copy the copy lowers to loops
// (or one vector transfer when small) with the rest of the kernel. A
// copy of a buffer onto itself is dropped.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAMEMREFCOPYTOLINALGPASS
#include "passes/Passes.h.inc"

namespace {

/// Whether `copy` is small and static enough to become one vector.
bool fitsVector(memref::CopyOp copy, int64_t limit) {
  auto type = cast<MemRefType>(copy.getSource().getType());
  // Vectors of i1 are bit-packed; memrefs hold a byte per boolean.
  return type.hasStaticShape() && type.getNumElements() <= limit &&
         !type.getElementType().isInteger(1);
}

/// Whether `copy` copies a buffer onto itself: the same value, or equal
/// subviews of one buffer, which bufferization leaves where a loop's tile
/// of the result is written in place.
bool copiesOntoItself(memref::CopyOp copy) {
  if (copy.getSource() == copy.getTarget())
    return true;
  auto source = copy.getSource().getDefiningOp<memref::SubViewOp>();
  auto target = copy.getTarget().getDefiningOp<memref::SubViewOp>();
  auto same = [](ArrayRef<OpFoldResult> a, ArrayRef<OpFoldResult> b) {
    return llvm::equal(a, b, [](OpFoldResult x, OpFoldResult y) {
      return isEqualConstantIntOrValue(x, y);
    });
  };
  return source && target && source.getSource() == target.getSource() &&
         source.getType() == target.getType() &&
         same(source.getMixedOffsets(), target.getMixedOffsets()) &&
         same(source.getMixedSizes(), target.getMixedSizes()) &&
         same(source.getMixedStrides(), target.getMixedStrides());
}

struct StrataMemRefCopyToLinalgPass
    : impl::StrataMemRefCopyToLinalgPassBase<StrataMemRefCopyToLinalgPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp copy) { copies.push_back(copy); });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      if (copiesOntoItself(copy)) {
        copy.erase();
        continue;
      }
      rewriter.setInsertionPoint(copy);
      bool vectorize = fitsVector(copy, vectorizeUpTo);
      auto linalgCopy = linalg::CopyOp::create(
          rewriter, copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
      if (vectorize &&
          succeeded(linalg::vectorize(rewriter, linalgCopy.getOperation())))
        rewriter.eraseOp(linalgCopy);
    }
  }
};

} // namespace
} // namespace mlir::strata
