//===- PackContractions.cpp - register-block panels for contractions ------===//
//
// Matmul-like contractions on row-major operands stride through B by a
// whole row per step of the reduction; at 1024 columns every step lands in
// the same L1 set. Packing both operands into panels shaped like the
// register block makes every inner-loop load contiguous.
//
//===----------------------------------------------------------------------===//

#include "passes/Cpu/TileAndVectorize/RegisterBlock.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cstring>
#include <numeric>

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAPACKCONTRACTIONSPASS
#include "passes/Passes.h.inc"

namespace {

/// The value `v` reshapes, through any number of reshapes.
Value skipReshapes(Value v) {
  while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
      v.getDefiningOp()))
    v = v.getDefiningOp()->getOperand(0);
  return v;
}

/// Whether `op`'s B operand (the one read along n) is a constant, maybe
/// reshaped.
bool hasConstantB(linalg::LinalgOp op,
                  const linalg::ContractionDimensions &dims) {
  for (OpOperand *input : op.getDpsInputOperands())
    if (op.getMatchingIndexingMap(input).isFunctionOfDim(dims.n.back()))
      return skipReshapes(input->get()).getDefiningOp<arith::ConstantOp>();
  return false;
}

/// The rows of the register block `op` packs into, if it is an f32
/// contraction worth packing.
std::optional<int64_t> packedRows(linalg::LinalgOp op, RegisterFile file) {
  if (!op.hasPureTensorSemantics() || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  auto isF32 = [](Type t) { return getElementTypeOrSelf(t).isF32(); };
  if (!llvm::all_of(op->getOperandTypes(), isF32))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  // Matrix-vector and dot products have no m or no n dimension.
  if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.empty())
    return std::nullopt;
  int64_t m = ranges[dims->m.back()], n = ranges[dims->n.back()];
  int64_t macs = ShapedType::getNumElements(ranges);
  // Too few rows for a register block (a batch-1 classifier): with its
  // weights constant, their panels cost nothing at run time, and a block
  // of `m` rows streams each panel once, two vectors of independent sums
  // wide, where the unpacked product ran one vector's sum down a strided
  // column.
  if (m < blockRows(file, m) && n >= blockColumns(file) &&
      macs >= kMinPackedMacs && hasConstantB(op, *dims))
    return m;
  if (!worthPacking(m, n, macs, file))
    return std::nullopt;
  return blockRows(file, m);
}

/// A contraction too narrow to pack (a matrix-vector product, a batch-1
/// classifier) vectorizes along n; when its B is a constant laid out with
/// a reduction dimension innermost (ONNX Gemm's transposed weights), each
/// lane would read another row. Transposing the constant at compile time,
/// n innermost, makes those reads contiguous; the transpose, a generic of
/// a constant, folds away below.
void transposeConstantB(RewriterBase &rewriter, linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || !linalg::isaContractionOpInterface(op))
    return;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->n.empty() || dims->k.empty())
    return;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!input->get().getDefiningOp<arith::ConstantOp>() || !type ||
        !type.hasStaticShape() || !map.isProjectedPermutation() ||
        !map.isFunctionOfDim(dims->n.back()) ||
        llvm::any_of(dims->m,
                     [&](unsigned m) { return map.isFunctionOfDim(m); }))
      continue;
    // The dims of B in their new order: every non-n dim first, the n dims
    // last, each group in its old order.
    SmallVector<int64_t> permutation;
    for (bool nDims : {false, true})
      for (auto [r, expr] : llvm::enumerate(map.getResults()))
        if (llvm::is_contained(
                dims->n, cast<AffineDimExpr>(expr).getPosition()) == nDims)
          permutation.push_back(r);
    if (llvm::equal(permutation, llvm::seq<int64_t>(0, map.getNumResults())))
      return;
    Location loc = op.getLoc();
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> exprs;
    for (int64_t r : permutation) {
      shape.push_back(type.getDimSize(r));
      exprs.push_back(map.getResult(r));
    }
    rewriter.setInsertionPoint(op);
    Value init =
        tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
    auto transpose = linalg::TransposeOp::create(rewriter, loc, input->get(),
                                                 init, permutation);
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    maps[input->getOperandNumber()] =
        AffineMap::get(map.getNumDims(), 0, exprs, op.getContext());
    rewriter.modifyOpInPlace(op, [&] {
      input->set(transpose.getResult()[0]);
      op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
    (void)linalg::generalizeNamedOp(rewriter, transpose);
    return;
  }
}

/// Whether the contraction should read `pack`'s source in place: a pack of
/// B (the register block's columns) whose tiles divide the source, so that
/// each step of the reduction reads a row of the source with unit stride,
/// as from a panel. Skipping the copy pays if a panel's rows stay in L2
/// (`l2Bytes`, 16-way) although they are a row apart: a stride of a
/// multiple of 4 KiB (a 1024-wide matmul's) reaches only a few of its sets,
/// the reason for panels. Constants stay packed, at compile time.
bool readInPlace(linalg::PackOp pack, int64_t l2Bytes) {
  RankedTensorType source = pack.getSourceType();
  Value base = skipReshapes(pack.getSource());
  if (!source.hasStaticShape() || base.getDefiningOp<arith::ConstantOp>())
    return false;
  // The columns must be the source's rows: B laid out n-major, k inner,
  // would be read a column at a time.
  for (auto [pos, tile] :
       llvm::zip(pack.getInnerDimsPos(), pack.getStaticInnerTiles()))
    if (ShapedType::isDynamic(tile) || source.getDimSize(pos) % tile ||
        (tile > 1 && pos != source.getRank() - 1))
      return false;
  int64_t rowBytes = source.getShape().back() *
                     source.getElementType().getIntOrFloatBitWidth() / 8;
  // A panel's rows, up to two cache lines each, land in the sets that a
  // stride of `rowBytes` reaches; they must fit there twice over.
  constexpr int64_t kLine = 64, kWays = 16;
  int64_t sets = std::max<int64_t>(1, l2Bytes / (kLine * kWays));
  int64_t stride = std::max<int64_t>(1, rowBytes / kLine);
  int64_t reached = rowBytes % kLine ? sets : sets / std::gcd(stride, sets);
  int64_t rows = source.getDimSize(source.getRank() - 2);
  return 2 * 2 * rows <= reached * kWays;
}

/// Replaces `op`'s operand `pack` by its source, reshaped so that each
/// tiled dimension splits into its outer and inner parts, read through the
/// map that composes the pack with the operand's map.
void bypassPack(RewriterBase &rewriter, linalg::GenericOp op,
                OpOperand &operand, linalg::PackOp pack) {
  RankedTensorType source = pack.getSourceType();
  int64_t rank = source.getRank();
  AffineMap map = op.getMatchingIndexingMap(&operand);
  ArrayRef<int64_t> perm = pack.getOuterDimsPerm();
  SmallVector<ReassociationIndices> groups;
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> exprs;
  for (int64_t dim = 0; dim < rank; ++dim) {
    // The packed position of the dim's outer part.
    int64_t outer = perm.empty() ? dim : llvm::find(perm, dim) - perm.begin();
    ReassociationIndices group = {static_cast<int64_t>(shape.size())};
    exprs.push_back(map.getResult(outer));
    auto it = llvm::find(pack.getInnerDimsPos(), dim);
    if (it == pack.getInnerDimsPos().end()) {
      shape.push_back(source.getDimSize(dim));
    } else {
      int64_t p = it - pack.getInnerDimsPos().begin();
      int64_t tile = pack.getStaticInnerTiles()[p];
      shape.push_back(source.getDimSize(dim) / tile);
      shape.push_back(tile);
      group.push_back(group.front() + 1);
      exprs.push_back(map.getResult(rank + p));
    }
    groups.push_back(group);
  }
  rewriter.setInsertionPoint(op);
  Value expanded = tensor::ExpandShapeOp::create(
      rewriter, op.getLoc(),
      RankedTensorType::get(shape, source.getElementType()), pack.getSource(),
      groups);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  maps[operand.getOperandNumber()] =
      AffineMap::get(map.getNumDims(), 0, exprs, op.getContext());
  rewriter.modifyOpInPlace(op, [&] {
    operand.set(expanded);
    op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  });
}

/// Makes the packed contraction that `transpose` unpacks write its result
/// in the transposed order, so that the transpose, a copy of the whole
/// result, goes and each register block is stored straight into rows of
/// the result. Returns the new contraction.
linalg::GenericOp foldUnpackTranspose(RewriterBase &rewriter,
                                      linalg::TransposeOp transpose) {
  auto op = transpose.getInput().getDefiningOp<linalg::GenericOp>();
  if (!op || !op->hasOneUse() || op.getNumDpsInits() != 1)
    return {};
  Location loc = op.getLoc();
  ArrayRef<int64_t> permutation = transpose.getPermutation();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  SmallVector<AffineExpr> exprs;
  for (int64_t dim : permutation)
    exprs.push_back(maps.back().getResult(dim));
  maps.back() =
      AffineMap::get(maps.back().getNumDims(), 0, exprs, op.getContext());
  rewriter.setInsertionPoint(op);
  // The accumulator in the new order; the transpose of a fill folds.
  auto type = cast<RankedTensorType>(transpose.getResult()[0].getType());
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  Value init = linalg::TransposeOp::create(rewriter, loc, op.getDpsInits()[0],
                                           empty, permutation)
                   .getResult()[0];
  auto folded = linalg::GenericOp::create(rewriter, loc, TypeRange{type},
                                          op.getDpsInputs(), ValueRange{init},
                                          maps, op.getIteratorTypesArray());
  rewriter.inlineRegionBefore(op.getRegion(), folded.getRegion(),
                              folded.getRegion().begin());
  rewriter.replaceOp(transpose, folded.getResults());
  rewriter.eraseOp(op);
  return folded;
}

/// Folds the pad of a constant by a constant (a classifier's weights padded
/// to whole panels), which would otherwise run as a step of its own.
struct FoldConstantPad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp pad,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr source;
    Attribute padding;
    RankedTensorType type = pad.getResultType();
    Type element = type.getElementType();
    Value paddingValue = pad.getConstantPaddingValue();
    auto nonNegative = [](ArrayRef<int64_t> v) {
      return llvm::all_of(v, [](int64_t x) { return x >= 0; });
    };
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 ||
        !matchPattern(pad.getSource(), m_Constant(&source)) || !paddingValue ||
        !matchPattern(paddingValue, m_Constant(&padding)) ||
        !type.hasStaticShape() || type.getRank() == 0 ||
        !pad.getLow().empty() || !pad.getHigh().empty() ||
        !nonNegative(pad.getStaticLow()) || !nonNegative(pad.getStaticHigh()))
      return failure();
    if (source.isSplat() && source.getSplatValue<Attribute>() == padding) {
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          pad, DenseElementsAttr::get(type, padding));
      return success();
    }
    // The padding value's bytes as the attribute stores elements.
    auto one =
        DenseElementsAttr::get(RankedTensorType::get({1}, element), padding);
    ArrayRef<char> fill = one.getRawData();
    int64_t bytes = element.getIntOrFloatBitWidth() / 8;
    SmallVector<char> data(type.getNumElements() * bytes);
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
      std::memcpy(data.data() + i * bytes, fill.data(), bytes);
    // Each innermost row of the source, to its place in the result.
    ArrayRef<int64_t> shape = source.getType().getShape();
    ArrayRef<int64_t> low = pad.getStaticLow();
    ArrayRef<char> raw = source.getRawData();
    SmallVector<int64_t> strides = computeStrides(type.getShape());
    int64_t rowElements = shape.back(),
            rows = source.getNumElements() / std::max<int64_t>(1, rowElements);
    SmallVector<int64_t> outer = computeStrides(shape.drop_back());
    for (int64_t row = 0; row < rows; ++row) {
      SmallVector<int64_t> index = delinearize(row, outer);
      index.push_back(0);
      int64_t at = 0;
      for (auto [i, l, stride] : llvm::zip(index, low, strides))
        at += (i + l) * stride;
      for (int64_t j = 0; j < rowElements; ++j) {
        int64_t from = source.isSplat() ? 0 : (row * rowElements + j) * bytes;
        std::memcpy(data.data() + (at + j) * bytes, raw.data() + from, bytes);
      }
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        pad, DenseElementsAttr::getFromRawBuffer(type, data));
    return success();
  }
};

/// Whether `v` is all zeros: a zero fill, or a generic that yields zero,
/// maybe reshaped or transposed (a packed contraction's unpacked fill).
bool isZeroTensor(Value v) {
  while (Operation *op = v.getDefiningOp()) {
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op) &&
        !isa<linalg::TransposeOp>(op))
      break;
    v = op->getOperand(0);
  }
  Value zero;
  if (auto fill = v.getDefiningOp<linalg::FillOp>())
    zero = fill.value();
  else if (auto generic = v.getDefiningOp<linalg::GenericOp>();
           generic && generic.getNumDpsInputs() == 0)
    zero = generic.getBody()->getTerminator()->getOperand(0);
  return zero && matchPattern(zero, m_AnyZeroFloat());
}

/// Makes a contraction whose only use adds it to another operand `y` of an
/// elementwise consumer accumulate onto `y` too (onto `y` itself if it
/// started from zero, else onto its init plus `y`), and the consumer read
/// its result in place of the sum. A residual block's convolution and
/// shortcut then share one block of accumulators, where the sum of two
/// separately accumulated blocks keeps both live in registers, more than
/// the register file holds.
bool accumulateAddend(RewriterBase &rewriter, linalg::GenericOp consumer) {
  if (consumer.getNumReductionLoops() > 0 ||
      !consumer.getMatchingIndexingMap(consumer.getDpsInitOperand(0))
           .isIdentity())
    return false;
  Block *body = consumer.getBody();
  for (OpOperand *x : consumer.getDpsInputOperands()) {
    auto contraction = x->get().getDefiningOp<linalg::GenericOp>();
    BlockArgument xArg = consumer.getMatchingBlockArgument(x);
    if (!contraction || !contraction->hasOneUse() ||
        !linalg::isaContractionOpInterface(contraction) ||
        contraction.getNumDpsInits() != 1 ||
        !consumer.getMatchingIndexingMap(x).isIdentity() || !xArg.hasOneUse())
      continue;
    auto add = dyn_cast<arith::AddFOp>(*xArg.getUsers().begin());
    if (!add)
      continue;
    Value other = add.getLhs() == xArg ? add.getRhs() : add.getLhs();
    auto yArg = dyn_cast<BlockArgument>(other);
    if (!yArg || yArg.getOwner() != body ||
        yArg.getArgNumber() >= consumer.getNumDpsInputs())
      continue;
    OpOperand *y = consumer.getDpsInputOperand(yArg.getArgNumber());
    if (y == x || y->get().getType() != x->get().getType() ||
        !consumer.getMatchingIndexingMap(y).isIdentity())
      continue;
    // `y` may come after the contraction, which has no other use.
    rewriter.moveOpBefore(contraction, consumer);
    rewriter.setInsertionPoint(contraction);
    Value init = contraction.getDpsInits()[0], sum = y->get();
    if (!isZeroTensor(init)) {
      auto type = cast<RankedTensorType>(init.getType());
      AffineMap id = rewriter.getMultiDimIdentityMap(type.getRank());
      sum = linalg::GenericOp::create(
                rewriter, consumer.getLoc(), type, ValueRange{init, sum},
                tensor::EmptyOp::create(rewriter, consumer.getLoc(),
                                        type.getShape(), type.getElementType())
                    .getResult(),
                {id, id, id},
                SmallVector<utils::IteratorType>(type.getRank(),
                                                 utils::IteratorType::parallel),
                [](OpBuilder &b, Location loc, ValueRange args) {
                  linalg::YieldOp::create(
                      b, loc,
                      arith::AddFOp::create(b, loc, args[0], args[1])
                          .getResult());
                })
                .getResult(0);
    }
    rewriter.modifyOpInPlace(
        contraction, [&] { contraction.getDpsInitsMutable()[0].set(sum); });
    rewriter.replaceAllUsesWith(add.getResult(), xArg);
    rewriter.eraseOp(add);
    // A consumer that was only the sum now copies the contraction's result.
    if (consumer.getNumResults() == 1 &&
        body->getTerminator()->getOperand(0) == xArg &&
        consumer.getResult(0).getType() == x->get().getType())
      rewriter.replaceOp(consumer, x->get());
    return true;
  }
  return false;
}

struct StrataPackContractionsPass
    : impl::StrataPackContractionsPassBase<StrataPackContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    RegisterFile file{vectorBits, vectorRegisters};
    int64_t cols = blockColumns(file);
    IRRewriter rewriter(&getContext());

    SmallVector<std::pair<linalg::LinalgOp, int64_t>> candidates;
    SmallVector<linalg::GenericOp> narrow;
    func.walk([&](linalg::LinalgOp op) {
      if (std::optional<int64_t> rows = packedRows(op, file))
        candidates.emplace_back(op, *rows);
      else if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()))
        narrow.push_back(generic);
    });
    for (linalg::GenericOp op : narrow)
      transposeConstantB(rewriter, op);
    // The packed contractions and their relayouts, whose unit dims (the
    // reduction block of 1) are dropped below.
    llvm::DenseSet<Operation *> created;
    SmallVector<Operation *> relayouts;
    for (const auto &candidate : candidates) {
      linalg::LinalgOp op = candidate.first;
      int64_t rows = candidate.second;
      rewriter.setInsertionPoint(op);
      linalg::ControlBlockPackMatmulFn control = [&](linalg::LinalgOp) {
        linalg::BlockPackMatmulOptions options;
        options.blockFactors = {rows, cols, 1};
        return std::optional(options);
      };
      FailureOr<linalg::PackResult> packed =
          linalg::blockPackMatmul(rewriter, op, control);
      if (failed(packed))
        continue;
      created.insert(packed->packedLinalgOp);
      auto contraction =
          dyn_cast<linalg::GenericOp>(packed->packedLinalgOp.getOperation());
      OpOperand *b = contraction ? contraction.getDpsInputOperand(1) : nullptr;
      for (linalg::PackOp pack : packed->packOps) {
        if (b && b->get() == pack.getResult() && readInPlace(pack, l2Bytes)) {
          bypassPack(rewriter, contraction, *b, pack);
          rewriter.eraseOp(pack);
          continue;
        }
        relayouts.push_back(pack);
      }
      llvm::append_range(relayouts, packed->unPackOps);
    }
    // The packs and unpacks become pad, reshape and transpose; the packs'
    // transposes become generics, which the patterns below shed of unit
    // dims and fold when they copy constant weights.
    for (Operation *op : relayouts) {
      rewriter.setInsertionPoint(op);
      if (auto pack = dyn_cast<linalg::PackOp>(op)) {
        // The result's zero fill: its transpose folds into a fill.
        bool packsFill = pack.getSource().getDefiningOp<linalg::FillOp>();
        FailureOr<linalg::LowerPackResult> lowered =
            linalg::lowerPack(rewriter, pack);
        if (failed(lowered))
          return signalPassFailure();
        // A pack whose outer dims are all 1 lowers to an insert_slice,
        // with no transpose.
        if (packsFill || !lowered->transposeOp)
          continue;
        rewriter.setInsertionPoint(lowered->transposeOp);
        FailureOr<linalg::GenericOp> generic =
            linalg::generalizeNamedOp(rewriter, lowered->transposeOp);
        if (failed(generic))
          return signalPassFailure();
        created.insert(*generic);
        continue;
      }
      FailureOr<linalg::LowerUnPackOpResult> lowered =
          linalg::lowerUnPack(rewriter, cast<linalg::UnPackOp>(op));
      if (failed(lowered))
        return signalPassFailure();
      Operation *contraction = lowered->transposeOp.getInput().getDefiningOp();
      linalg::GenericOp folded;
      if (created.contains(contraction))
        folded = foldUnpackTranspose(rewriter, lowered->transposeOp);
      if (folded) {
        created.erase(contraction);
        created.insert(folded);
      } else {
        created.insert(lowered->transposeOp);
      }
      // The unpack's copy into its destination: on tensors, the value.
      for (Operation *user :
           llvm::make_early_inc_range(lowered->extractSliceOp->getUsers()))
        if (auto copy = dyn_cast<linalg::CopyOp>(user);
            copy && copy.hasPureTensorSemantics())
          rewriter.replaceOp(copy, copy.getInputs()[0]);
    }

    RewritePatternSet patterns(&getContext());
    linalg::ControlDropUnitDims dropUnitDims;
    dropUnitDims.controlFn = [&](Operation *op) -> SmallVector<unsigned> {
      if (!created.contains(op))
        return {};
      return llvm::to_vector(
          llvm::seq<unsigned>(0, cast<linalg::LinalgOp>(op).getNumLoops()));
    };
    linalg::populateFoldUnitExtentDimsPatterns(patterns, dropUnitDims);
    linalg::populateConstantFoldLinalgOperations(
        patterns, [](OpOperand *) { return true; });
    patterns.add<FoldConstantPad>(&getContext());
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, &getContext());
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();
    sinkReshapes(func);
    for (bool changed = true; changed;) {
      changed = false;
      func.walk([&](linalg::GenericOp op) {
        changed |= accumulateAddend(rewriter, op);
      });
    }
    // The consumers' inputs that only their sums read.
    RewritePatternSet unused(&getContext());
    linalg::populateEraseUnusedOperandsAndResultsPatterns(unused);
    if (failed(applyPatternsGreedily(func, std::move(unused))))
      return signalPassFailure();
  }

  /// An elementwise op of constants (a bias broadcast to a convolution's
  /// output shape, a fill).
  static bool isConstantBroadcast(linalg::GenericOp op) {
    return op.getNumReductionLoops() == 0 &&
           llvm::all_of(op.getDpsInputs(), [](Value input) {
             return input.getDefiningOp<arith::ConstantOp>();
           });
  }

  /// Whether `v` is a contraction's or a convolution's result (a direct
  /// depthwise convolution's, say), or that of an elementwise op that reads
  /// one (a bias add, whose activation comes next), up to `depth` ops back.
  static bool fedByContraction(Value v, int depth) {
    auto op = v.getDefiningOp<linalg::LinalgOp>();
    if (!op || depth == 0)
      return false;
    if (linalg::isaContractionOpInterface(op) ||
        linalg::isaConvolutionOpInterface(op))
      return true;
    return op.getNumReductionLoops() == 0 &&
           llvm::any_of(op.getDpsInputs(), [&](Value input) {
             return fedByContraction(input, depth - 1);
           });
  }

  /// Moves the reshapes between a contraction and its elementwise consumers
  /// (a bias add or an activation after a convolution) past the consumers,
  /// which then take the contraction's shape and fuse into its dispatch and
  /// tiles. Upstream's reshape fusion by collapsing and by expansion, each
  /// alone in one greedy run (together they undo each other), alternated
  /// while one of them changes something.
  void sinkReshapes(func::FuncOp func) {
    linalg::ControlFusionFn fromContraction = [](OpOperand *operand) {
      // A reshaped broadcast or fill moves with the consumers it feeds.
      if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(
              operand->getOwner())) {
        auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
        return producer && isConstantBroadcast(producer);
      }
      auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
      Value v = skipReshapes(operand->get());
      return consumer && consumer.getNumReductionLoops() == 0 &&
             v != operand->get() && fedByContraction(v, 3);
    };
    // A moved broadcast keeps the convolution's unit batch dims, which its
    // consumers lose: drop them, so that the reshapes between fold away.
    linalg::ControlDropUnitDims dropUnitDims;
    dropUnitDims.controlFn = [](Operation *op) -> SmallVector<unsigned> {
      auto generic = dyn_cast<linalg::GenericOp>(op);
      if (!generic || !isConstantBroadcast(generic) ||
          !llvm::all_of(generic->getUsers(),
                        llvm::IsaPred<tensor::CollapseShapeOp>))
        return {};
      return llvm::to_vector(llvm::seq<unsigned>(0, generic.getNumLoops()));
    };
    GreedyRewriteConfig config;
    config.setMaxNumRewrites(10000);
    bool changed = true;
    for (int round = 0; changed && round < 8; ++round) {
      changed = false;
      for (int step = 0; step < 3; ++step) {
        RewritePatternSet patterns(&getContext());
        if (step == 0)
          linalg::populateFoldReshapeOpsByCollapsingPatterns(patterns,
                                                             fromContraction);
        if (step == 1)
          linalg::populateFoldUnitExtentDimsPatterns(patterns, dropUnitDims);
        if (step == 2)
          linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                            fromContraction);
        tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns,
                                                           &getContext());
        tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns,
                                                             &getContext());
        bool stepChanged = false;
        (void)applyPatternsGreedily(func, std::move(patterns), config,
                                    &stepChanged);
        changed |= stepChanged;
      }
    }
  }
};

} // namespace
} // namespace mlir::strata
