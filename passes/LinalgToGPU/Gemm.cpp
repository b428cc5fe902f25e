//===- Gemm.cpp - contractions seen as a matrix multiply ------------------===//

#include "passes/LinalgToGPU/Gemm.h"
#include "passes/LinalgToGPU/Tiles.h"

namespace mlir::strata {

FailureOr<GemmLoops> inferGemmLoops(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op->getNumRegions() != 1 || !op.getBlock() ||
      op.getBlock()->getNumArguments() != 3 ||
      !op.getBlock()->getOps<linalg::IndexOp>().empty())
    return failure();
  for (Type type : op.getBlock()->getArgumentTypes())
    if (!type.isIntOrFloat() || type.isInteger(1))
      return failure();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (llvm::any_of(maps, [](AffineMap map) { return map.getNumSymbols(); }) ||
      !maps[2].isProjectedPermutation())
    return failure();
  GemmLoops loops;
  for (auto [d, iterator] : llvm::enumerate(op.getIteratorTypesArray())) {
    bool inA = maps[0].isFunctionOfDim(d), inB = maps[1].isFunctionOfDim(d),
         inC = maps[2].isFunctionOfDim(d);
    if (iterator == utils::IteratorType::reduction) {
      if (inC || (!inA && !inB))
        return failure();
      loops.k.push_back(d);
    } else if (inA && inB && inC) {
      loops.batch.push_back(d);
    } else if (inA && !inB && inC) {
      loops.m.push_back(d);
    } else if (inB && !inA && inC) {
      loops.n.push_back(d);
    } else {
      return failure();
    }
  }
  if (loops.m.empty() || loops.n.empty() || loops.k.empty())
    return failure();
  return loops;
}

FailureOr<GemmShape> inferGemmShape(linalg::LinalgOp op) {
  FailureOr<GemmLoops> loops = inferGemmLoops(op);
  if (failed(loops) || !op.hasPureBufferSemantics())
    return failure();
  GemmShape shape{*loops, op.getStaticLoopRanges()};
  if (llvm::any_of(shape.ranges, ShapedType::isDynamic) ||
      iterations(shape.ranges, loops->batch) != 1)
    return failure();
  shape.rows = iterations(shape.ranges, loops->m);
  shape.columns = iterations(shape.ranges, loops->n);
  shape.depth = iterations(shape.ranges, loops->k);
  return shape;
}

int64_t WorkgroupTile::bufferBytes() const {
  int64_t bytes = 0;
  for (memref::AllocOp buffer : buffers)
    if (buffer.getType().hasStaticShape())
      bytes +=
          buffer.getType().getNumElements() * elementBytes(buffer.getType());
  return bytes;
}

SmallVector<WorkgroupTile> collectWorkgroupTiles(Operation *root) {
  SmallVector<WorkgroupTile> tiles;
  root->walk([&](scf::ForallOp forall) {
    if (!isWorkgroupTiles(forall))
      return;
    WorkgroupTile tile{forall, {}, {}};
    for (Operation &op : *forall.getBody()) {
      if (auto alloc = dyn_cast<memref::AllocOp>(op))
        tile.buffers.push_back(alloc);
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
        tile.ops.push_back(linalgOp);
    }
    tiles.push_back(std::move(tile));
  });
  return tiles;
}

SmallVector<Value> gemmLoopValues(OpBuilder &b, Location loc,
                                  const GemmLoops &loops,
                                  ArrayRef<int64_t> ranges, Value row,
                                  Value column) {
  SmallVector<Value> values(ranges.size(),
                            arith::ConstantIndexOp::create(b, loc, 0));
  assignDigits(b, loc, values, ranges, loops.m, row);
  assignDigits(b, loc, values, ranges, loops.n, column);
  return values;
}

void stageGemmOperand(OpBuilder &b, Location loc, linalg::LinalgOp op,
                      const GemmLoops &loops, ArrayRef<int64_t> ranges,
                      const StagedOperand &operand, Value k0, Value steps,
                      Value invocation, int64_t workgroupSize,
                      std::optional<int64_t> depth) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  OpOperand *input = op.getDpsInputOperand(operand.input);
  AffineMap map = op.getMatchingIndexingMap(input);
  bool kInnermost =
      map.getNumResults() && llvm::any_of(loops.k, [&](unsigned loop) {
        return map.getResults().back().isFunctionOfDim(loop);
      });
  Value count = arith::MulIOp::create(b, loc, steps, index(operand.extent));
  scf::ForOp::create(
      b, loc, invocation, count, index(workgroupSize), ValueRange{},
      [&](OpBuilder &nested, Location, Value element, ValueRange) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToEnd(nested.getInsertionBlock());
        Value step, position;
        if (kInnermost) {
          step = arith::RemUIOp::create(b, loc, element, steps);
          position = arith::DivUIOp::create(b, loc, element, steps);
        } else {
          position =
              arith::RemUIOp::create(b, loc, element, index(operand.extent));
          step = arith::DivUIOp::create(b, loc, element, index(operand.extent));
        }
        Value k = arith::AddIOp::create(b, loc, k0, step);
        Value inside;
        if (depth) {
          // Past the end, read the last step and store zero.
          inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, k,
                                         index(*depth));
          k = arith::MinUIOp::create(b, loc, k, index(*depth - 1));
        }
        SmallVector<Value> values(ranges.size(), index(0));
        assignDigits(b, loc, values, ranges, operand.loops, position);
        assignDigits(b, loc, values, ranges, loops.k, k);
        Value value = memref::LoadOp::create(b, loc, input->get(),
                                             applyMap(b, loc, map, values));
        Type stored =
            cast<MemRefType>(operand.buffer.getType()).getElementType();
        if (value.getType() != stored)
          value = arith::BitcastOp::create(b, loc, stored, value);
        if (inside)
          value = arith::SelectOp::create(
              b, loc, inside, value,
              arith::ConstantOp::create(b, loc, b.getZeroAttr(stored)));
        SmallVector<Value> at = {step, position};
        if (operand.storeAt)
          at = operand.storeAt(step, position);
        else if (operand.positionMajor)
          std::swap(at[0], at[1]);
        memref::StoreOp::create(b, loc, value, operand.buffer, at);
        scf::YieldOp::create(b, loc);
      });
}

} // namespace mlir::strata
