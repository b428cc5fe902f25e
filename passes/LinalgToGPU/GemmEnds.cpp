//===- GemmEnds.cpp - what a GEMM tile does around itself -----------------===//

#include "passes/LinalgToGPU/GemmEnds.h"
#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Utils/MemorySpace.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::strata {

/// The loop values at which an indexing map, a permutation, names the
/// element at `indices`.
static SmallVector<Value> loopsAt(AffineMap permutation,
                                  ArrayRef<Value> indices) {
  SmallVector<Value> loops(permutation.getNumDims());
  for (auto [d, value] : llvm::enumerate(indices))
    loops[permutation.getDimPosition(d)] = value;
  return loops;
}

Operation *findGemmStart(linalg::LinalgOp op) {
  if (op.getNumDpsInits() != 1)
    return nullptr;
  Operation *start = op->getPrevNode();
  Value output = op.getDpsInitOperand(0)->get();
  if (auto fill = dyn_cast_if_present<linalg::FillOp>(start)) {
    // A fill of another type converts its value; the tiles take it as is.
    if (!fill.hasPureBufferSemantics() ||
        fill.getDpsInitOperand(0)->get() != output ||
        fill.getDpsInputOperand(0)->get().getType() !=
            getElementTypeOrSelf(output.getType()))
      return nullptr;
  } else if (auto copy = dyn_cast_if_present<linalg::GenericOp>(start)) {
    Block *body = copy.getBlock();
    if (!copy.hasPureBufferSemantics() || copy.getNumDpsInputs() != 1 ||
        copy.getNumDpsInits() != 1 ||
        copy.getDpsInitOperand(0)->get() != output ||
        copy.getNumParallelLoops() != copy.getNumLoops() ||
        !copy.getMatchingIndexingMap(copy.getDpsInitOperand(0))
             .isPermutation() ||
        body->getTerminator()->getOperand(0) != body->getArgument(0) ||
        viewedBuffer(copy.getDpsInputOperand(0)->get()) == viewedBuffer(output))
      return nullptr;
  } else {
    return nullptr;
  }
  // An input that reads the output's buffer would see the start.
  for (OpOperand *input : op.getDpsInputOperands())
    if (viewedBuffer(input->get()) == viewedBuffer(output))
      return nullptr;
  return start;
}

linalg::GenericOp findGemmEpilogue(linalg::LinalgOp op) {
  Operation *start = findGemmStart(op);
  if (!start)
    return nullptr;
  Value result = op.getDpsInitOperand(0)->get();
  auto buffer = result.getDefiningOp<memref::AllocOp>();
  // The buffer is one of the tile's, whose bytes the tile counts.
  if (!buffer || buffer->getBlock() != op->getBlock() ||
      !buffer.getType().hasStaticShape() ||
      !buffer.getType().getLayout().isIdentity())
    return nullptr;
  // The epilogue runs where the tile stores its results: nothing between
  // them may read or write memory.
  Operation *next = op->getNextNode();
  while (next && isMemoryEffectFree(next))
    next = next->getNextNode();
  auto epilogue = dyn_cast_if_present<linalg::GenericOp>(next);
  if (!epilogue || !epilogue.hasPureBufferSemantics() ||
      epilogue.getNumParallelLoops() != epilogue.getNumLoops())
    return nullptr;
  // The tile maps the body's loop indices only where the body uses them.
  Block *body = epilogue.getBlock();
  if (body->walk([&](linalg::IndexOp index) {
            return index->getBlock() == body ? WalkResult::advance()
                                             : WalkResult::interrupt();
          })
          .wasInterrupted())
    return nullptr;
  OpOperand *produced = nullptr;
  for (OpOperand &operand : epilogue->getOpOperands()) {
    if (operand.get() != result)
      continue;
    if (produced || epilogue.isDpsInit(&operand))
      return nullptr;
    produced = &operand;
  }
  if (!produced || !epilogue.getMatchingIndexingMap(produced).isPermutation())
    return nullptr;
  for (Operation *user : buffer->getUsers())
    if (user != op && user != start && user != epilogue &&
        !isa<memref::DeallocOp>(user))
      return nullptr;
  // Its stores come before the last of the GEMM's reads of other tiles.
  for (OpOperand &init : epilogue.getDpsInitsMutable())
    for (OpOperand *input : op.getDpsInputOperands())
      if (viewedBuffer(init.get()) == viewedBuffer(input->get()))
        return nullptr;
  return epilogue;
}

int64_t epilogueBufferBytes(linalg::LinalgOp op, linalg::GenericOp epilogue) {
  if (!epilogue)
    return 0;
  return workgroupBufferBytes(
      cast<MemRefType>(op.getDpsInitOperand(0)->get().getType()));
}

GemmEnds::GemmEnds(linalg::LinalgOp op, linalg::GenericOp epilogue)
    : op(op), epilogue(epilogue) {
  Operation *start = findGemmStart(op);
  if (!start)
    return;
  auto copy = dyn_cast<linalg::GenericOp>(start);
  Value value = copy ? copy.getDpsInputOperand(0)->get()
                     : cast<linalg::FillOp>(start).getInputs()[0];
  // A copy of a scalar is a fill.
  if (!isa<MemRefType>(value.getType())) {
    fillValue = value;
  } else {
    source = value;
    sourceMap = copy.getMatchingIndexingMap(copy.getDpsInputOperand(0));
    outputMap = copy.getMatchingIndexingMap(copy.getDpsInitOperand(0));
  }
  start->erase();
}

Value GemmEnds::start(OpBuilder &b, Location loc, ArrayRef<Value> indices) {
  if (fillValue)
    return fillValue;
  if (!source)
    return memref::LoadOp::create(b, loc, op.getDpsInitOperand(0)->get(),
                                  indices);
  return memref::LoadOp::create(
      b, loc, source, applyMap(b, loc, sourceMap, loopsAt(outputMap, indices)));
}

SmallVector<GemmEnds::Store> GemmEnds::results(OpBuilder &b, Location loc,
                                               Value result,
                                               ArrayRef<Value> indices) {
  Value output = op.getDpsInitOperand(0)->get();
  if (!epilogue)
    return {{result, output, SmallVector<Value>(indices)}};
  OpOperand *produced = nullptr;
  for (OpOperand *input : epilogue.getDpsInputOperands())
    if (input->get() == output)
      produced = input;
  SmallVector<Value> loops =
      loopsAt(epilogue.getMatchingIndexingMap(produced), indices);
  IRMapping mapping;
  for (OpOperand &operand : epilogue->getOpOperands()) {
    BlockArgument argument = epilogue.getMatchingBlockArgument(&operand);
    if (argument.use_empty())
      continue;
    // Scalars are used as they are.
    Value value = &operand == produced ? result : operand.get();
    if (isa<MemRefType>(value.getType()))
      value = memref::LoadOp::create(
          b, loc, operand.get(),
          applyMap(b, loc, epilogue.getMatchingIndexingMap(&operand), loops));
    mapping.map(argument, value);
  }
  Block *body = epilogue.getBlock();
  for (Operation &bodyOp : body->without_terminator()) {
    if (auto loop = dyn_cast<linalg::IndexOp>(bodyOp))
      mapping.map(loop.getResult(), loops[loop.getDim()]);
    else
      b.clone(bodyOp, mapping);
  }
  SmallVector<Store> stores;
  for (auto [value, init] : llvm::zip(body->getTerminator()->getOperands(),
                                      epilogue.getDpsInitsMutable()))
    stores.push_back(
        {mapping.lookupOrDefault(value), init.get(),
         applyMap(b, loc, epilogue.getMatchingIndexingMap(&init), loops)});
  return stores;
}

void GemmEnds::store(OpBuilder &b, Location loc, ArrayRef<Store> stores) {
  for (const Store &store : stores)
    memref::StoreOp::create(b, loc, store.value, store.buffer, store.indices);
}

void GemmEnds::erase() {
  Value output = op.getDpsInitOperand(0)->get();
  op->erase();
  if (!epilogue)
    return;
  epilogue->erase();
  Operation *buffer = output.getDefiningOp();
  for (Operation *user : llvm::make_early_inc_range(buffer->getUsers()))
    user->erase();
  buffer->erase();
}

} // namespace mlir::strata
