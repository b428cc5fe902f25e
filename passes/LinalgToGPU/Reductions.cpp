//===- Reductions.cpp - a reduction's payload as a fold -------------------===//

#include "passes/LinalgToGPU/Reductions.h"
#include "passes/Utils/MemorySpace.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::strata {

FailureOr<ReductionCombiner> matchCombiner(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumReductionLoops() == 0 ||
      !(op.hasPureBufferSemantics() || op.hasPureTensorSemantics()) ||
      op->getNumRegions() != 1 || !op.getBlock() ||
      !op.getBlock()->getOps<linalg::IndexOp>().empty() ||
      llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return failure();
  Block *body = op.getBlock();
  BlockArgument acc = body->getArguments().back();
  Type type = acc.getType();
  if (!type.isIntOrFloat() || type.isInteger(1))
    return failure();
  Operation *combiner = body->getTerminator()->getOperand(0).getDefiningOp();
  if (!combiner || combiner->getBlock() != body ||
      combiner->getNumOperands() != 2 || combiner->getNumResults() != 1 ||
      !combiner->getResult(0).hasOneUse() || !acc.hasOneUse() ||
      acc.use_begin()->getOwner() != combiner ||
      combiner->getOperand(0) == combiner->getOperand(1))
    return failure();
  // One output element per iteration of the parallel loops: the fold
  // loads it once and stores it once.
  OpOperand *init = op.getDpsInitOperand(0);
  AffineMap out = op.getMatchingIndexingMap(init);
  for (auto [d, range, iterator] :
       llvm::enumerate(op.getStaticLoopRanges(), op.getIteratorTypesArray()))
    if (iterator == utils::IteratorType::reduction
            ? out.isFunctionOfDim(d)
            : range != 1 && !out.isFunctionOfDim(d))
      return failure();
  // Nor may an input read the output buffer, which changes only at the
  // end.
  if (isa<MemRefType>(init->get().getType())) {
    Value output = viewedBuffer(init->get());
    for (OpOperand *input : op.getDpsInputOperands())
      if (isa<MemRefType>(input->get().getType()) &&
          viewedBuffer(input->get()) == output)
        return failure();
  }
  Value element = combiner->getOperand(combiner->getOperand(0) == acc ? 1 : 0);
  Type sumType = type;
  if (isa<arith::AddFOp>(combiner) && isa<Float16Type, BFloat16Type>(type))
    sumType = Float32Type::get(op.getContext());
  return ReductionCombiner{combiner, element, sumType};
}

std::optional<TypedAttr> neutralElement(const ReductionCombiner &combiner) {
  std::optional<TypedAttr> neutral = arith::getNeutralElement(combiner.op);
  if (!neutral || neutral->getType() == combiner.sumType)
    return neutral;
  return FloatAttr::get(combiner.sumType,
                        cast<FloatAttr>(*neutral).getValueAsDouble());
}

SmallVector<Value>
loadInputs(OpBuilder &b, Location loc, linalg::LinalgOp op,
           function_ref<SmallVector<Value>(AffineMap)> indices) {
  SmallVector<Value> inputs;
  for (OpOperand *input : op.getDpsInputOperands())
    inputs.push_back(
        isa<MemRefType>(input->get().getType())
            ? memref::LoadOp::create(b, loc, input->get(),
                                     indices(op.getMatchingIndexingMap(input)))
            : input->get());
  return inputs;
}

Value widen(OpBuilder &b, Location loc, const ReductionCombiner &combiner,
            Value value) {
  return value.getType() == combiner.sumType
             ? value
             : arith::ExtFOp::create(b, loc, combiner.sumType, value);
}

Value round(OpBuilder &b, Location loc, const ReductionCombiner &combiner,
            Value sum) {
  Type type = combiner.op->getResult(0).getType();
  return type == combiner.sumType ? sum
                                  : arith::TruncFOp::create(b, loc, type, sum);
}

/// Clears an integer combiner's nsw/nuw: its folds run in another order
/// than the payload's (partials, parts), so that a partial sum may wrap
/// where no prefix of the sequential fold did.
static void dropOverflowFlags(Operation *op) {
  if (auto flags = dyn_cast<arith::ArithIntegerOverflowFlagsInterface>(op))
    op->setAttr(flags.getIntegerOverflowAttrName(),
                arith::IntegerOverflowFlagsAttr::get(
                    op->getContext(), arith::IntegerOverflowFlags::none));
}

Value combine(OpBuilder &b, Location loc, const ReductionCombiner &combiner,
              Value x, Value y) {
  if (combiner.sumType == combiner.op->getResult(0).getType()) {
    IRMapping mapping;
    mapping.map(combiner.op->getOperand(0), x);
    mapping.map(combiner.op->getOperand(1), y);
    Operation *clone = b.clone(*combiner.op, mapping);
    dropOverflowFlags(clone);
    return clone->getResult(0);
  }
  auto add = cast<arith::AddFOp>(combiner.op);
  return arith::AddFOp::create(b, loc, x, y, add.getFastmath());
}

Value foldElement(OpBuilder &b, Location loc, linalg::LinalgOp op,
                  const ReductionCombiner &combiner, ValueRange inputs,
                  Value acc) {
  Block *body = op.getBlock();
  IRMapping mapping;
  for (auto [argument, input] : llvm::zip(body->getArguments(), inputs))
    mapping.map(argument, input);
  mapping.map(body->getArguments().back(), acc);
  if (combiner.sumType == combiner.op->getResult(0).getType()) {
    for (Operation &nested : body->without_terminator()) {
      Operation *clone = b.clone(nested, mapping);
      if (&nested == combiner.op)
        dropOverflowFlags(clone);
    }
    return mapping.lookupOrDefault(body->getTerminator()->getOperand(0));
  }
  // Everything but the combiner, then the widened fold; a product that
  // feeds the sum is taken of the widened factors.
  for (Operation &nested : body->without_terminator())
    if (&nested != combiner.op)
      b.clone(nested, mapping);
  Value element;
  auto product = combiner.element.getDefiningOp<arith::MulFOp>();
  if (product && product->getBlock() == body)
    element = arith::MulFOp::create(
        b, loc,
        widen(b, loc, combiner, mapping.lookupOrDefault(product.getLhs())),
        widen(b, loc, combiner, mapping.lookupOrDefault(product.getRhs())),
        product.getFastmath());
  else
    element =
        widen(b, loc, combiner, mapping.lookupOrDefault(combiner.element));
  return combine(b, loc, combiner, acc, element);
}

linalg::FillOp precedingFill(linalg::LinalgOp op) {
  OpOperand *init = op.getDpsInitOperand(0);
  if (!op.getMatchingIndexingMap(init).isProjectedPermutation())
    return nullptr;
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev))
      return fill.getOutputs()[0] == init->get() &&
                     fill.getInputs()[0].getType() ==
                         getElementTypeOrSelf(init->get().getType())
                 ? fill
                 : nullptr;
    if (!isMemoryEffectFree(prev))
      return nullptr;
  }
  return nullptr;
}

} // namespace mlir::strata
