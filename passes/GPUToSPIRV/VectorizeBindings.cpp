//===- VectorizeBindings.cpp - aligned vector loads as vector bindings ----===//
//
// The staged copies of GEMM tiles load 4 consecutive elements at a time
// (strata-gpu-promote-contractions' `vector-width`). SPIR-V for Vulkan
// reads a vector from a storage buffer only if the buffer holds vectors,
// so a binding that is only read that way, at indices that are multiples
// of 4, is retyped as a buffer of vectors; the bytes do not change.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATASPIRVVECTORIZEBINDINGSPASS
#include "passes/Passes.h.inc"

namespace {

constexpr int64_t kWidth = 4;

/// Whether integer `value` is a multiple of `n` on every path.
bool isMultipleOf(Value value, int64_t n, int depth = 0) {
  if (depth > 32)
    return false;
  APInt constant;
  if (matchPattern(value, m_ConstantInt(&constant)))
    return constant.getSExtValue() % n == 0;
  auto multiple = [&](Value operand) {
    return isMultipleOf(operand, n, depth + 1);
  };
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    auto loop = dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp());
    return loop && loop.getInductionVar() == value &&
           multiple(loop.getLowerBound()) && multiple(loop.getStep());
  }
  return TypeSwitch<Operation *, bool>(value.getDefiningOp())
      .Case<arith::MulIOp>([&](arith::MulIOp op) {
        return multiple(op.getLhs()) || multiple(op.getRhs());
      })
      // a % b = a - (a / b) * b.
      .Case<arith::AddIOp, arith::SubIOp, arith::RemUIOp, arith::RemSIOp,
            arith::MinUIOp, arith::MinSIOp, arith::MaxUIOp, arith::MaxSIOp>(
          [&](auto op) {
            return multiple(op.getLhs()) && multiple(op.getRhs());
          })
      .Case<arith::SelectOp>([&](arith::SelectOp op) {
        return multiple(op.getTrueValue()) && multiple(op.getFalseValue());
      })
      .Case<arith::ShLIOp>([&](arith::ShLIOp op) {
        APInt shift;
        return multiple(op.getLhs()) ||
               (matchPattern(op.getRhs(), m_ConstantInt(&shift)) &&
                shift.getZExtValue() < 62 &&
                (int64_t(1) << shift.getZExtValue()) % n == 0);
      })
      .Case<arith::IndexCastOp, arith::IndexCastUIOp>(
          [&](auto op) { return multiple(op.getIn()); })
      .Default([](Operation *) { return false; });
}

/// Retypes kernel argument `arg` of `kernel` as a buffer of 4-element
/// vectors if every use is a 4-element `vector.load` at an aligned
/// innermost index.
void vectorize(gpu::GPUFuncOp kernel, BlockArgument arg) {
  auto type = dyn_cast<MemRefType>(arg.getType());
  if (!type || type.getRank() == 0 || !type.hasStaticShape() ||
      !type.getLayout().isIdentity() || !type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() != 32 ||
      type.getShape().back() % kWidth != 0 || arg.use_empty())
    return;
  SmallVector<vector::LoadOp> loads;
  for (Operation *user : arg.getUsers()) {
    auto load = dyn_cast<vector::LoadOp>(user);
    if (!load || load.getVectorType().getShape() != ArrayRef(kWidth) ||
        !isMultipleOf(load.getIndices().back(), kWidth))
      return;
    loads.push_back(load);
  }
  SmallVector<int64_t> shape(type.getShape());
  shape.back() /= kWidth;
  auto vectors =
      MemRefType::get(shape, VectorType::get({kWidth}, type.getElementType()),
                      MemRefLayoutAttrInterface(), type.getMemorySpace());
  arg.setType(vectors);
  SmallVector<Type> inputs(kernel.getArgumentTypes());
  inputs[arg.getArgNumber()] = vectors;
  kernel.setFunctionTypeAttr(TypeAttr::get(
      FunctionType::get(kernel.getContext(), inputs, kernel.getResultTypes())));
  for (vector::LoadOp load : loads) {
    OpBuilder b(load);
    SmallVector<Value> indices(load.getIndices());
    indices.back() = arith::DivUIOp::create(
        b, load.getLoc(), indices.back(),
        arith::ConstantIndexOp::create(b, load.getLoc(), kWidth));
    load.replaceAllUsesWith(
        memref::LoadOp::create(b, load.getLoc(), arg, indices).getResult());
    load.erase();
  }
}

/// `load` (of a 1-d vector) as scalar loads: an extract of a constant
/// position reads its element directly.
void scalarize(vector::LoadOp load) {
  OpBuilder b(load);
  Location loc = load.getLoc();
  SmallVector<Value> elements;
  for (int64_t i = 0; i < load.getVectorType().getNumElements(); ++i) {
    SmallVector<Value> indices(load.getIndices());
    indices.back() = arith::AddIOp::create(
        b, loc, indices.back(), arith::ConstantIndexOp::create(b, loc, i));
    elements.push_back(memref::LoadOp::create(b, loc, load.getBase(), indices));
  }
  for (Operation *user : llvm::make_early_inc_range(load->getUsers())) {
    auto extract = dyn_cast<vector::ExtractOp>(user);
    if (!extract || extract.getStaticPosition().size() != 1 ||
        ShapedType::isDynamic(extract.getStaticPosition()[0]))
      continue;
    extract.replaceAllUsesWith(elements[extract.getStaticPosition()[0]]);
    extract.erase();
  }
  if (!load->use_empty())
    load.replaceAllUsesWith(
        vector::FromElementsOp::create(b, loc, load.getVectorType(), elements)
            .getResult());
  load.erase();
}

struct StrataSpirvVectorizeBindingsPass
    : impl::StrataSpirvVectorizeBindingsPassBase<
          StrataSpirvVectorizeBindingsPass> {
  void runOnOperation() override {
    for (auto kernel : getOperation().getOps<gpu::GPUFuncOp>()) {
      if (!kernel.isKernel())
        continue;
      for (BlockArgument arg : kernel.getArguments())
        vectorize(kernel, arg);
    }
    SmallVector<vector::LoadOp> rest;
    getOperation().walk([&](vector::LoadOp load) {
      if (load.getVectorType().getRank() == 1)
        rest.push_back(load);
    });
    for (vector::LoadOp load : rest)
      scalarize(load);
  }
};

} // namespace
} // namespace mlir::strata
