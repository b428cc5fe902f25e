//===- Gemm.cpp - contractions seen as a matrix multiply ------------------===//

#include "passes/LinalgToGPU/Gemm.h"
#include "passes/LinalgToGPU/Tiles.h"

#include "mlir/Dialect/Affine/ViewLikeInterfaceUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"

namespace mlir::strata {

bool isMultiplyAdd(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  int64_t adds = 0, multiplies = 0;
  for (Operation &nested : body->without_terminator()) {
    if (isa<arith::AddFOp>(nested))
      ++adds;
    else if (isa<arith::MulFOp>(nested))
      ++multiplies;
    else if (!isa<arith::ExtFOp>(nested))
      return false;
  }
  auto add =
      body->getTerminator()->getOperand(0).getDefiningOp<arith::AddFOp>();
  if (adds != 1 || multiplies != 1 || !add)
    return false;
  Value accumulator = body->getArgument(2);
  Value product = add.getLhs() == accumulator   ? add.getRhs()
                  : add.getRhs() == accumulator ? add.getLhs()
                                                : Value();
  auto multiply = product ? product.getDefiningOp<arith::MulFOp>() : nullptr;
  if (!multiply)
    return false;
  auto source = [](Value value) {
    if (auto extend = value.getDefiningOp<arith::ExtFOp>())
      return extend.getIn();
    return value;
  };
  Value x = source(multiply.getLhs()), y = source(multiply.getRhs());
  Value a = body->getArgument(0), b = body->getArgument(1);
  return (x == a && y == b) || (x == b && y == a);
}

bool isTensorCoreGemm(linalg::LinalgOp op, bool tf32) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || !op.getBlock() ||
      op.getBlock()->getNumArguments() != 3 || !isMultiplyAdd(op))
    return false;
  Block *body = op.getBlock();
  Type a = body->getArgument(0).getType(), b = body->getArgument(1).getType(),
       c = body->getArgument(2).getType();
  return a == b && (a.isF16() || a.isBF16() || (tf32 && a.isF32())) &&
         (c.isF32() || c.isF16() || c.isBF16());
}

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
      bytes += workgroupBufferBytes(buffer.getType());
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

/// The loop of `op` whose consecutive values read consecutive elements of
/// input `input`: the one loop its innermost dimension reads, once loops
/// of one iteration (a 1x1 convolution's window) are taken as 0, and that
/// no other dimension reads.
static std::optional<unsigned>
contiguousLoop(linalg::LinalgOp op, unsigned input, ArrayRef<int64_t> ranges) {
  AffineMap map = op.getMatchingIndexingMap(op.getDpsInputOperand(input));
  if (map.getNumResults() == 0)
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineExpr> dims;
  for (auto [d, range] : llvm::enumerate(ranges))
    dims.push_back(range == 1 ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(d, ctx));
  map = simplifyAffineMap(
      map.replaceDimsAndSymbols(dims, {}, map.getNumDims(), 0));
  auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!last || llvm::any_of(map.getResults().drop_back(), [&](AffineExpr e) {
        return e.isFunctionOfDim(last.getPosition());
      }))
    return std::nullopt;
  return last.getPosition();
}

int64_t stagedVectorWidth(linalg::LinalgOp op, const GemmLoops &loops,
                          ArrayRef<int64_t> ranges, unsigned input,
                          ArrayRef<unsigned> positions, int64_t extent,
                          int64_t steps, bool exact, int64_t maxWidth,
                          bool narrow) {
  auto type =
      dyn_cast<MemRefType>(op.getDpsInputOperand(input)->get().getType());
  if (maxWidth < 2 || !type || type.getRank() == 0 ||
      !type.getElementType().isIntOrFloat())
    return 1;
  unsigned bits = type.getElementTypeBitWidth();
  if (bits != 32 && !(narrow && (bits == 8 || bits == 16)))
    return 1;
  int64_t width = maxWidth;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 || type.getShape().back() % width != 0 ||
      llvm::any_of(ArrayRef(strides).drop_back(), [&](int64_t stride) {
        return ShapedType::isDynamic(stride) || stride % width != 0;
      }))
    return 1;
  std::optional<unsigned> loop = contiguousLoop(op, input, ranges);
  if (!loop)
    return 1;
  auto varying = [&](ArrayRef<unsigned> group) {
    SmallVector<unsigned> result;
    for (unsigned l : group)
      if (ranges[l] != 1)
        result.push_back(l);
    return result;
  };
  // A copy's elements are consecutive steps of k, or consecutive positions
  // along their innermost loop, and never straddle the end of either.
  SmallVector<unsigned> k = varying(loops.k), rows = varying(positions);
  if (k.size() == 1 && k[0] == *loop)
    return steps % width == 0 && (exact || ranges[*loop] % width == 0) ? width
                                                                       : 1;
  return !rows.empty() && rows.back() == *loop && ranges[*loop] % width == 0 &&
                 extent % width == 0
             ? width
             : 1;
}

/// Whether `value` is known to be a multiple of `factor`: a constant, or
/// the induction variable of a loop whose bounds and step are.
static bool knownMultipleOf(OpFoldResult value, int64_t factor) {
  auto multiple = [&](OpFoldResult v) {
    std::optional<int64_t> constant = getConstantIntValue(v);
    return constant && *constant % factor == 0;
  };
  if (multiple(value))
    return true;
  auto argument = dyn_cast_if_present<BlockArgument>(dyn_cast<Value>(value));
  if (!argument)
    return false;
  auto loop = dyn_cast<LoopLikeOpInterface>(argument.getOwner()->getParentOp());
  if (!loop)
    return false;
  std::optional<SmallVector<Value>> ivs = loop.getLoopInductionVars();
  std::optional<SmallVector<OpFoldResult>> lower = loop.getLoopLowerBounds(),
                                           steps = loop.getLoopSteps();
  if (!ivs || !lower || !steps)
    return false;
  for (auto [iv, from, step] : llvm::zip(*ivs, *lower, *steps))
    if (iv == argument)
      return multiple(from) && multiple(step);
  return false;
}

/// Whether each element `view` starts at is as aligned as its source's,
/// to `width` elements: its offsets along dimensions whose stride is not
/// a multiple of `width` are.
static bool alignedView(memref::SubViewOp view, int64_t width) {
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(view.getSourceType().getStridesAndOffset(strides, offset)))
    return false;
  for (auto [start, stride] : llvm::zip(view.getMixedOffsets(), strides))
    if ((ShapedType::isDynamic(stride) || stride % width != 0) &&
        !knownMultipleOf(start, width))
      return false;
  return true;
}

namespace {

/// The copies of one staged operand: each loads `width` consecutive
/// elements along the input's innermost dimension (steps of k, or
/// positions) and stores them where the operand's buffer keeps them.
class OperandCopies {
public:
  OperandCopies(OpBuilder &b, Location loc, linalg::LinalgOp op,
                const GemmLoops &loops, ArrayRef<int64_t> ranges,
                const StagedOperand &operand, Value k0, Value steps,
                std::optional<int64_t> depth)
      : b(b), loc(loc), loops(loops), ranges(ranges), operand(operand), k0(k0),
        depth(depth), input(op.getDpsInputOperand(operand.input)),
        map(op.getMatchingIndexingMap(input)), width(operand.vectorWidth) {
    assert((width == 1 || !depth) && "vector copies do not zero-fill");
    kInnermost =
        map.getNumResults() && llvm::any_of(loops.k, [&](unsigned loop) {
          return map.getResults().back().isFunctionOfDim(loop);
        });
    if (width > 1)
      kInnermost = llvm::is_contained(
          loops.k, *contiguousLoop(op, operand.input, ranges));
    count = arith::MulIOp::create(b, loc, steps, index(operand.extent));
    if (width > 1)
      count = arith::DivUIOp::create(b, loc, count, index(width));
    chunks = kInnermost ? steps : index(operand.extent);
    if (width > 1)
      chunks = arith::DivUIOp::create(b, loc, chunks, index(width));
    if (std::optional<int64_t> staticSteps = getConstantIntValue(steps))
      staticCount = *staticSteps * operand.extent / width;
    elementType = getElementTypeOrSelf(input->get().getType());
    stored = cast<MemRefType>(operand.buffer.getType()).getElementType();
  }

  /// One copy's loaded elements, the step and position of the first, and
  /// whether it lies inside the depth (null: no depth).
  struct Copy {
    SmallVector<Value> values;
    Value step, position, inside;
  };

  /// Whether the copies are straight-line code, `workgroupSize` at a
  /// time: each invocation makes as many.
  bool unrolled(int64_t workgroupSize) const {
    return operand.unrolled && staticCount && *staticCount % workgroupSize == 0;
  }
  int64_t copies() const { return *staticCount; }
  Value dynamicCount() const { return count; }

  /// Loads copy `element`.
  Copy load(Value element) {
    Value inner = arith::RemUIOp::create(b, loc, element, chunks);
    Value outer = arith::DivUIOp::create(b, loc, element, chunks);
    if (width > 1)
      inner = arith::MulIOp::create(b, loc, inner, index(width));
    Copy copy;
    copy.step = kInnermost ? inner : outer;
    copy.position = kInnermost ? outer : inner;
    Value k = arith::AddIOp::create(b, loc, k0, copy.step);
    if (depth) {
      // Past the end, read the last step and store zero.
      copy.inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, k,
                                          index(*depth));
      k = arith::MinUIOp::create(b, loc, k, index(*depth - 1));
    }
    SmallVector<Value> values(ranges.size(), index(0));
    assignDigits(b, loc, values, ranges, operand.loops, copy.position);
    assignDigits(b, loc, values, ranges, loops.k, k);
    SmallVector<Value> indices = applyMap(b, loc, map, values);
    if (width == 1) {
      copy.values.push_back(
          memref::LoadOp::create(b, loc, input->get(), indices));
      return copy;
    }
    Value source = input->get();
    llvm::MaybeAlign alignment;
    if (operand.alignedVectors)
      alignment = readThroughViews(source, indices);
    Value vector = vector::LoadOp::create(
        b, loc, VectorType::get({width}, elementType), source, indices,
        /*nontemporal=*/false, alignment);
    for (int64_t i = 0; i < width; ++i)
      copy.values.push_back(vector::ExtractOp::create(b, loc, vector, i));
    return copy;
  }

  /// Stores what `copy` loaded.
  void store(const Copy &copy) {
    for (auto [i, loaded] : llvm::enumerate(copy.values)) {
      Value value = loaded;
      if (value.getType() != stored)
        value = arith::BitcastOp::create(b, loc, stored, value);
      if (copy.inside)
        value = arith::SelectOp::create(
            b, loc, copy.inside, value,
            arith::ConstantOp::create(b, loc, b.getZeroAttr(stored)));
      // The i-th element is i steps or positions on.
      SmallVector<Value> at = {copy.step, copy.position};
      Value &along = at[kInnermost ? 0 : 1];
      if (i > 0)
        along = arith::AddIOp::create(b, loc, along,
                                      index(static_cast<int64_t>(i)));
      if (operand.storeAt)
        at = operand.storeAt(at[0], at[1]);
      else if (operand.positionMajor)
        std::swap(at[0], at[1]);
      memref::StoreOp::create(b, loc, value, operand.buffer, at);
    }
  }

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  /// Makes `source` and `indices` address the same element through no
  /// views (folding them into the load later would drop its alignment),
  /// and returns the vectors' alignment where it is known.
  llvm::MaybeAlign readThroughViews(Value &source,
                                    SmallVector<Value> &indices) {
    bool aligned = true;
    while (auto view = source.getDefiningOp<memref::SubViewOp>()) {
      if (view.getDroppedDims().any())
        break;
      aligned &= alignedView(view, width);
      IRRewriter rewriter(b);
      SmallVector<Value> resolved;
      affine::resolveIndicesIntoOpWithOffsetsAndStrides(
          rewriter, loc, view.getMixedOffsets(), view.getMixedStrides(),
          view.getDroppedDims(), getAsOpFoldResult(indices), resolved);
      source = view.getSource();
      indices = resolved;
    }
    // A binding starts 64-byte aligned.
    SmallVector<int64_t> strides;
    int64_t offset;
    auto binding = dyn_cast<BlockArgument>(source);
    if (aligned && binding &&
        isa<FunctionOpInterface>(binding.getOwner()->getParentOp()) &&
        succeeded(cast<MemRefType>(source.getType())
                      .getStridesAndOffset(strides, offset)) &&
        !ShapedType::isDynamic(offset) && offset % width == 0)
      return llvm::Align(width * elementBytes(elementType));
    return {};
  }

  OpBuilder &b;
  Location loc;
  const GemmLoops &loops;
  ArrayRef<int64_t> ranges;
  const StagedOperand &operand;
  Value k0;
  std::optional<int64_t> depth;
  OpOperand *input;
  AffineMap map;
  int64_t width;
  bool kInnermost;
  Value count, chunks;
  std::optional<int64_t> staticCount;
  Type elementType, stored;
};

} // namespace

void stageGemmOperands(OpBuilder &b, Location loc, linalg::LinalgOp op,
                       const GemmLoops &loops, ArrayRef<int64_t> ranges,
                       ArrayRef<StagedOperand> operands, Value k0, Value steps,
                       Value invocation, int64_t workgroupSize,
                       std::optional<int64_t> depth) {
  auto index = [&](int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  };
  SmallVector<OperandCopies> all;
  all.reserve(operands.size());
  for (const StagedOperand &operand : operands)
    all.emplace_back(b, loc, op, loops, ranges, operand, k0, steps, depth);
  // Straight-line copies load first, all operands' together, then store.
  SmallVector<std::pair<OperandCopies *, OperandCopies::Copy>> pending;
  for (OperandCopies &copies : all) {
    if (!copies.unrolled(workgroupSize))
      continue;
    for (int64_t first = 0; first < copies.copies(); first += workgroupSize)
      pending.emplace_back(&copies, copies.load(arith::AddIOp::create(
                                        b, loc, invocation, index(first))));
  }
  for (auto &[copies, copy] : pending)
    copies->store(copy);
  for (OperandCopies &copies : all) {
    if (copies.unrolled(workgroupSize))
      continue;
    scf::ForOp::create(
        b, loc, invocation, copies.dynamicCount(), index(workgroupSize),
        ValueRange{},
        [&](OpBuilder &nested, Location, Value element, ValueRange) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          copies.store(copies.load(element));
          scf::YieldOp::create(b, loc);
        });
  }
}

void stageGemmOperand(OpBuilder &b, Location loc, linalg::LinalgOp op,
                      const GemmLoops &loops, ArrayRef<int64_t> ranges,
                      const StagedOperand &operand, Value k0, Value steps,
                      Value invocation, int64_t workgroupSize,
                      std::optional<int64_t> depth) {
  stageGemmOperands(b, loc, op, loops, ranges, ArrayRef(operand), k0, steps,
                    invocation, workgroupSize, depth);
}

} // namespace mlir::strata
