//===- TileAndVectorize.cpp - cpu tiling, fusion and vectorization --------===//
//
// Upstream TilingInterface tile-and-fuse and linalg::vectorize, driven by a
// cost model that only needs the vector width: static tiles whose innermost
// dimension fills vector registers and whose contraction tiles keep a block
// of accumulators in registers.
//
//===----------------------------------------------------------------------===//

#include "passes/Cpu/TileAndVectorize/RegisterBlock.h"
#include "passes/Passes.h"
#include "passes/Utils/FusionRoots.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATATILEANDVECTORIZEPASS
#define GEN_PASS_DEF_STRATAHOISTVECTORTRANSFERSPASS
#include "passes/Passes.h.inc"

namespace {

/// The largest divisor of `size` that is at most `limit`, preferring
/// multiples of `quantum`, then, if `powerOfTwo`, powers of two of at
/// least 8.
int64_t divisorUpTo(int64_t size, int64_t limit, int64_t quantum = 1,
                    bool powerOfTwo = false) {
  int64_t best = 1, power = 0;
  for (int64_t t = std::min(size, limit); t >= 1; --t) {
    if (size % t)
      continue;
    if (t % quantum == 0)
      return t;
    best = std::max(best, t);
    if (powerOfTwo && t >= 8 && llvm::isPowerOf2_64(t))
      power = std::max(power, t);
  }
  return power ? power : best;
}

/// The loop a result expression of `map` reads, or -1.
int64_t loopOf(AffineMap map, int64_t result) {
  if (result < 0 || result >= map.getNumResults())
    return -1;
  if (auto dim = dyn_cast<AffineDimExpr>(map.getResult(result)))
    return dim.getPosition();
  return -1;
}

struct TileSizes {
  SmallVector<int64_t> parallel;    // first level: parallel loops, 0 = untiled
  SmallVector<int64_t> interchange; // order of the first level's loops
  SmallVector<int64_t> reduction;   // second level: row blocks, reductions
  SmallVector<int64_t> reductionOrder; // order of the second level's loops
};

/// What the cost model knows of the cpu: its vector registers, and the L2
/// cache a contraction's panels should stay in.
struct CostModel {
  RegisterFile file;
  int64_t l2Bytes = 1 << 20;
};

/// The order of a contraction's tile loops given its tile sizes (0:
/// untiled): batch loops, then the loops that only one operand reads, the
/// operand whose panels stay in cache inside. Each tile reads a K x rows
/// panel of A and a K x columns panel of B. The outer operand's panels are
/// read once; the inner operand's are read once per outer tile, from L2 if
/// all of them fit in three quarters of it (the outer panels pass through
/// too), else from memory. The order that reads fewer bytes from memory
/// wins: B outside for a square matmul (the wider B panel stays in cache
/// while A's stream past), A outside for a convolution with large weights
/// and a few columns (the weights stream once).
SmallVector<int64_t> contractionOrder(linalg::LinalgOp op,
                                      ArrayRef<int64_t> tiles,
                                      const CostModel &model) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.empty() || dims->n.empty())
    return {};
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto extent = [&](ArrayRef<unsigned> loops) {
    int64_t product = 1;
    for (unsigned loop : loops)
      product *= ranges[loop];
    return product;
  };
  auto tileCount = [&](ArrayRef<unsigned> loops) {
    int64_t product = 1;
    for (unsigned loop : loops)
      product *= tiles[loop] ? ranges[loop] / tiles[loop] : 1;
    return product;
  };
  int64_t bytes = std::max<int64_t>(
      1, getElementTypeOrSelf(op.getDpsInputOperand(0)->get().getType())
                 .getIntOrFloatBitWidth() /
             8);
  int64_t k = extent(dims->k) * bytes;
  int64_t aBytes = extent(dims->m) * k, bBytes = extent(dims->n) * k;
  auto traffic = [&](int64_t outer, int64_t inner, int64_t outerTiles) {
    return outer + (4 * inner > 3 * model.l2Bytes ? outerTiles * inner : inner);
  };
  bool bOutside = traffic(bBytes, aBytes, tileCount(dims->n)) <=
                  traffic(aBytes, bBytes, tileCount(dims->m));
  SmallVector<int64_t> order;
  llvm::append_range(order, dims->batch);
  llvm::append_range(order, bOutside ? dims->n : dims->m);
  llvm::append_range(order, bOutside ? dims->m : dims->n);
  for (int64_t i = 0, e = op.getNumLoops(); i < e; ++i)
    if (!llvm::is_contained(order, i))
      order.push_back(i);
  return order;
}

/// Parallel tiles a contraction keeps at least, for the threads.
constexpr int64_t kMinParallelTiles = 8;

/// Where a contraction's tile takes several register blocks of rows: in a
/// parallel tile of the op itself, in an op that is such a tile already, or
/// nowhere (a contraction fused into its consumer's tile, whose result
/// would then need a buffer per tile).
enum class RowBlocks { PerTile, InTile, None };

/// Rows of a packed contraction's parallel tile.
constexpr int64_t kRowsPerTile = 64;

/// The loop over register blocks of rows in a packed contraction: the
/// other m (or n) loop than the block's rows `rows`, or -1.
int64_t rowBlockLoop(linalg::LinalgOp op, int64_t rows) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims))
    return -1;
  for (ArrayRef<unsigned> set : {ArrayRef(dims->m), ArrayRef(dims->n)})
    if (set.size() == 2 && llvm::is_contained(set, rows))
      return set[0] == rows ? set[1] : set[0];
  return -1;
}

/// A packed contraction's parallel tile takes several row blocks (64 rows)
/// of one column panel, and runs them one after the other against that
/// panel, which stays in cache while each row block's K-deep panel streams
/// past once (as Goto's GEMM blocks M). On the 2026-12-02 AMD EPYC host
/// this took a 512x8192x512 matmul from 110 to 175 GFLOP/s and resnet18's
/// 4608-deep convolutions from 3.1 to 2.2 ms; blocking K as well, for a
/// panel chunk in L1 or L2, was slower at every depth tried (up to 32768),
/// so K is not blocked.
void tileRowBlocks(linalg::LinalgOp op, int64_t rows, int64_t vectors,
                   RowBlocks where, TileSizes &sizes) {
  // A packed matrix-vector product's rows are panels of B, whose other n
  // loop is the one the vectors run along.
  int64_t loop = rowBlockLoop(op, rows);
  if (loop < 0 || loop == vectors)
    return;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t perTile = divisorUpTo(
      ranges[loop], std::max<int64_t>(1, kRowsPerTile / sizes.parallel[rows]));
  int64_t others = 1;
  for (int64_t i = 0, e = ranges.size(); i < e; ++i)
    if (i != loop && sizes.parallel[i] > 0)
      others *= ranges[i] / sizes.parallel[i];
  while (perTile > 1 && where == RowBlocks::PerTile &&
         others * (ranges[loop] / perTile) < kMinParallelTiles)
    perTile = divisorUpTo(ranges[loop], perTile / 2);
  sizes.parallel[loop] = perTile;
  if (perTile == 1)
    return;
  sizes.reduction[loop] = 1;
  sizes.reductionOrder.push_back(loop);
}

/// The loop the vectors run along: a contraction's innermost n loop when
/// B reads it innermost (its result may be stored transposed, pixels
/// innermost, from a block whose columns are channels), else the output's
/// innermost loop.
int64_t vectorLoop(linalg::LinalgOp op) {
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  int64_t innermost = loopOf(out, out.getNumResults() - 1);
  if (op.getNumDpsInputs() != 2 || !linalg::isaContractionOpInterface(op))
    return innermost;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  AffineMap b = op.getMatchingIndexingMap(op.getDpsInputOperand(1));
  if (failed(dims) || dims->n.empty() ||
      loopOf(b, b.getNumResults() - 1) != dims->n.back())
    return innermost;
  return dims->n.back();
}

/// The cost model. Tiles are static and divide the loop ranges.
TileSizes chooseTileSizes(linalg::LinalgOp op, const CostModel &model,
                          RowBlocks rowBlocks = RowBlocks::PerTile) {
  RegisterFile file = model.file;
  int64_t lanes = std::max<int64_t>(1, file.vectorBits / 32);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t loops = ranges.size();
  TileSizes sizes;
  sizes.parallel.assign(loops, 0);
  sizes.reduction.assign(loops, 0);
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  int64_t rank = out.getNumResults();
  int64_t inner = vectorLoop(op), outer = -1;
  bool reduces = op.getNumReductionLoops() > 0;
  // The register block's rows: the innermost output loop that some input
  // read along `inner` does not use (matmul's m, a convolution's output
  // channel), so each loaded vector meets every row.
  for (int64_t r = rank - 1; r >= 0 && reduces && outer < 0; --r) {
    int64_t loop = loopOf(out, r);
    if (loop < 0 || loop == inner || ranges[loop] == 1)
      continue;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (map.isFunctionOfDim(inner) && !map.isFunctionOfDim(loop))
        outer = loop;
    }
  }
  // Without such a loop (a depthwise convolution reads its input along
  // every output loop), the next output loop still gives independent
  // accumulators: rows of outputs that share the broadcast weights.
  if (reduces && outer < 0 && rank >= 2) {
    int64_t loop = loopOf(out, rank - 2);
    if (loop >= 0 && ranges[loop] > 1)
      outer = loop;
  }
  for (int64_t i = 0; i < loops; ++i) {
    if (op.getIteratorTypesArray()[i] == utils::IteratorType::reduction) {
      sizes.reduction[i] = 1;
      continue;
    }
    if (i == inner)
      // A few vectors wide: enough independent accumulators for the FMA
      // pipes, few enough to stay in registers. A reduction's tile that
      // is not whole vectors takes a power of two: its accumulators, and
      // the wide reads of a strided window, would split into pieces
      // (28 lanes into 16 + 8 + 4) that LLVM shuffles and spills.
      sizes.parallel[i] = divisorUpTo(ranges[i], (reduces ? 2 : 4) * lanes,
                                      lanes, /*powerOfTwo=*/reduces);
    else if (i == outer && reduces)
      sizes.parallel[i] = divisorUpTo(ranges[i], blockRows(file, ranges[i]));
    else
      sizes.parallel[i] = 1;
  }
  if (!reduces)
    return sizes;
  if (outer >= 0 && rowBlocks != RowBlocks::None)
    tileRowBlocks(op, outer, inner, rowBlocks, sizes);
  // The row blocks outside the reductions, then the untiled loops.
  for (bool tiledLoops : {true, false})
    for (int64_t i = 0; i < loops; ++i)
      if ((sizes.reduction[i] > 0) == tiledLoops &&
          !llvm::is_contained(sizes.reductionOrder, i))
        sizes.reductionOrder.push_back(i);
  sizes.interchange = contractionOrder(op, sizes.parallel, model);
  return sizes;
}

/// Tiling computes a slice's extent through the indexing maps, which is
/// wrong for maps that run backwards (a flipped kernel reads `k - 1 - d`).
bool hasReversedAccess(linalg::LinalgOp op) {
  bool reversed = false;
  for (AffineMap map : op.getIndexingMapsArray())
    for (AffineExpr expr : map.getResults())
      expr.walk([&](AffineExpr e) {
        auto mul = dyn_cast<AffineBinaryOpExpr>(e);
        if (!mul || mul.getKind() != AffineExprKind::Mul)
          return;
        if (auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
            c && c.getValue() < 0)
          reversed = true;
      });
  return reversed;
}

/// Vectors of i1 are bit-packed in LLVM while memrefs of i1 hold a byte per
/// element, so ops touching booleans stay scalar.
bool touchesBooleans(linalg::LinalgOp op) {
  auto isBool = [](Type type) {
    return getElementTypeOrSelf(type).isInteger(1);
  };
  return llvm::any_of(op->getOperandTypes(), isBool) ||
         llvm::any_of(op->getResultTypes(), isBool) ||
         llvm::any_of(op.getBlock()->getArgumentTypes(), isBool);
}

/// An elementwise root whose operand comes from a contraction (a bias add
/// or activation after a matmul or convolution, or the transpose that
/// unpacks a packed matmul) takes the contraction's tiles, so that the
/// fused tile is shaped for the expensive op.
std::optional<TileSizes> producerTiles(linalg::LinalgOp root,
                                       const CostModel &model, int depth = 3) {
  if (root.getNumReductionLoops() > 0)
    return std::nullopt;
  for (OpOperand *input : root.getDpsInputOperands()) {
    auto producer = input->get().getDefiningOp<linalg::LinalgOp>();
    AffineMap rootIn = root.getMatchingIndexingMap(input);
    if (!producer || !rootIn.isPermutation())
      continue;
    // An elementwise producer whose loops are its result's dims (a bias add
    // before the activation, an activation before the next layer's packing
    // transpose) passes on the tiles of the contraction it reads.
    if (producer.getNumReductionLoops() == 0) {
      std::optional<TileSizes> inner;
      if (depth > 0 &&
          producer.getMatchingIndexingMap(producer.getDpsInitOperand(0))
              .isIdentity())
        inner = producerTiles(producer, model, depth - 1);
      if (!inner)
        continue;
      TileSizes tiles;
      tiles.parallel.assign(root.getNumLoops(), 1);
      for (int64_t dim = 0, e = rootIn.getNumResults(); dim < e; ++dim)
        tiles.parallel[rootIn.getDimPosition(dim)] = inner->parallel[dim];
      for (int64_t dim : inner->interchange)
        tiles.interchange.push_back(rootIn.getDimPosition(dim));
      return tiles;
    }
    AffineMap out =
        producer.getMatchingIndexingMap(producer.getDpsInitOperand(0));
    TileSizes sizes = chooseTileSizes(producer, model, RowBlocks::None);
    TileSizes tiles;
    tiles.parallel.assign(root.getNumLoops(), 1);
    // The root loop of each producer loop that the output reads.
    SmallVector<int64_t> rootLoop(producer.getNumLoops(), -1);
    for (int64_t r = 0; r < out.getNumResults(); ++r) {
      int64_t loop = loopOf(out, r);
      if (loop < 0)
        return std::nullopt;
      rootLoop[loop] = rootIn.getDimPosition(r);
      tiles.parallel[rootLoop[loop]] = sizes.parallel[loop];
    }
    for (int64_t loop : sizes.interchange)
      if (rootLoop[loop] >= 0)
        tiles.interchange.push_back(rootLoop[loop]);
    return tiles;
  }
  return std::nullopt;
}

SmallVector<OpFoldResult> asFoldResults(OpBuilder &b, ArrayRef<int64_t> v) {
  SmallVector<OpFoldResult> result;
  for (int64_t x : v)
    result.push_back(b.getIndexAttr(x));
  return result;
}

/// Rewrites a tile's strided reads `x[s * i]` as unit-stride reads of the
/// slice `x[0 : n : s]`: the vectorizer takes only projected permutations,
/// and a pooling or im2col tile of a strided window reads that way.
void sliceStridedInputs(RewriterBase &rewriter, linalg::GenericOp op) {
  MLIRContext *ctx = op.getContext();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  bool changed = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    auto type = dyn_cast<RankedTensorType>(input->get().getType());
    if (!type || !type.hasStaticShape())
      continue;
    SmallVector<int64_t> sizes, strides;
    SmallVector<AffineExpr> exprs;
    bool strided = false, sliceable = true;
    for (auto [r, expr] : llvm::enumerate(map.getResults())) {
      if (isa<AffineDimExpr>(expr)) {
        sizes.push_back(type.getDimSize(r));
        strides.push_back(1);
        exprs.push_back(expr);
        continue;
      }
      auto mul = dyn_cast<AffineBinaryOpExpr>(expr);
      if (!mul || mul.getKind() != AffineExprKind::Mul ||
          !isa<AffineDimExpr>(mul.getLHS()) ||
          !isa<AffineConstantExpr>(mul.getRHS()) ||
          cast<AffineConstantExpr>(mul.getRHS()).getValue() < 1) {
        sliceable = false;
        break;
      }
      auto dim = cast<AffineDimExpr>(mul.getLHS());
      auto stride = cast<AffineConstantExpr>(mul.getRHS());
      sizes.push_back(ranges[dim.getPosition()]);
      strides.push_back(stride.getValue());
      exprs.push_back(dim);
      strided = true;
    }
    if (!sliceable || !strided)
      continue;
    rewriter.setInsertionPoint(op);
    SmallVector<OpFoldResult> offsets(sizes.size(), rewriter.getIndexAttr(0));
    Value slice = tensor::ExtractSliceOp::create(
        rewriter, op.getLoc(), input->get(), offsets,
        asFoldResults(rewriter, sizes), asFoldResults(rewriter, strides));
    rewriter.modifyOpInPlace(op, [&] { input->set(slice); });
    maps[input->getOperandNumber()] =
        AffineMap::get(map.getNumDims(), 0, exprs, ctx);
    changed = true;
  }
  if (changed)
    rewriter.modifyOpInPlace(op, [&] {
      op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
    });
}

/// A vector read of a slice with a stride along its innermost dimension
/// (a stride-2 convolution's or pooling window's columns) loads one
/// element per lane. Reading the contiguous span instead and keeping every
/// s-th lane with a shuffle takes a few wide loads and permutes.
struct ContiguousStridedRead : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  /// Rows (leading positions) the shuffle unrolls over, at most.
  static constexpr int64_t kMaxRows = 64;

  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto slice = read.getBase().getDefiningOp<tensor::ExtractSliceOp>();
    VectorType type = read.getVectorType();
    int64_t rank = type.getRank();
    if (!slice || read.getMask() || rank == 0 ||
        slice.getResultType().getRank() != rank ||
        !read.getPermutationMap().isMinorIdentity() ||
        llvm::any_of(read.getInBoundsValues(), [](bool b) { return !b; }) ||
        llvm::any_of(read.getIndices(),
                     [](Value v) { return !isZeroInteger(v); }) ||
        type.isScalable())
      return failure();
    SmallVector<OpFoldResult> strides = slice.getMixedStrides();
    std::optional<int64_t> stride = getConstantIntValue(strides.back());
    int64_t lanes = type.getShape().back();
    int64_t rows = type.getNumElements() / lanes;
    if (!stride || *stride <= 1 || rows > kMaxRows ||
        slice.getResultType().getShape().back() != lanes ||
        slice.getSourceType().getRank() != rank)
      return failure();
    int64_t span = (lanes - 1) * *stride + 1;
    Location loc = read.getLoc();
    SmallVector<OpFoldResult> sizes = slice.getMixedSizes();
    sizes.back() = rewriter.getIndexAttr(span);
    strides.back() = rewriter.getIndexAttr(1);
    Value wide =
        tensor::ExtractSliceOp::create(rewriter, loc, slice.getSource(),
                                       slice.getMixedOffsets(), sizes, strides);
    // A power-of-two read, masked past the span, so that each row's
    // shuffle is one permute of whole registers; an odd width (15 lanes)
    // was split into pieces that LLVM reassembled an element at a time.
    SmallVector<int64_t> wideShape(type.getShape());
    wideShape.back() = llvm::PowerOf2Ceil(span);
    SmallVector<bool> inBounds(rank, true);
    inBounds.back() = wideShape.back() == span;
    auto wideType = VectorType::get(wideShape, type.getElementType());
    Value all = vector::TransferReadOp::create(rewriter, loc, wideType, wide,
                                               read.getIndices(),
                                               read.getPadding(), inBounds);
    SmallVector<int64_t> keep;
    for (int64_t lane = 0; lane < lanes; ++lane)
      keep.push_back(lane * *stride);
    if (rank == 1) {
      rewriter.replaceOpWithNewOp<vector::ShuffleOp>(read, all, all, keep);
      return success();
    }
    Value result = ub::PoisonOp::create(rewriter, loc, type);
    ArrayRef<int64_t> leading = type.getShape().drop_back();
    for (int64_t row = 0; row < rows; ++row) {
      SmallVector<int64_t> position = delinearize(row, computeStrides(leading));
      Value wideRow = vector::ExtractOp::create(rewriter, loc, all, position);
      Value kept =
          vector::ShuffleOp::create(rewriter, loc, wideRow, wideRow, keep);
      result = vector::InsertOp::create(rewriter, loc, kept, result, position);
    }
    rewriter.replaceOp(read, result);
    return success();
  }
};

/// An op that accumulates onto a kernel argument (a residual block's
/// contraction onto its shortcut) would have bufferization copy the whole
/// argument into the result before the tile loop: a serial pass that
/// leaves the kernel one workgroup. Reading the argument through a copy
/// into an empty tensor lets tile-and-fuse copy each tile's slice as the
/// tile's destination, as it fuses a zero fill.
void copyArgumentInits(RewriterBase &rewriter, func::FuncOp func) {
  Block &entry = func.getBody().front();
  func.walk([&](linalg::LinalgOp op) {
    if (!op.hasPureTensorSemantics() || inLoop(op))
      return;
    for (OpOperand &init : op.getDpsInitsMutable()) {
      auto arg = dyn_cast<BlockArgument>(init.get());
      auto type = dyn_cast<RankedTensorType>(init.get().getType());
      if (!arg || arg.getOwner() != &entry || !type || !type.hasStaticShape() ||
          !op.payloadUsesValueFromOperand(&init))
        continue;
      Location loc = op.getLoc();
      rewriter.setInsertionPoint(op);
      Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                            type.getElementType());
      AffineMap id = rewriter.getMultiDimIdentityMap(type.getRank());
      auto copy = linalg::GenericOp::create(
          rewriter, loc, type, ValueRange{arg}, ValueRange{empty}, {id, id},
          SmallVector<utils::IteratorType>(type.getRank(),
                                           utils::IteratorType::parallel),
          [](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, args[0]);
          });
      rewriter.modifyOpInPlace(op, [&] { init.set(copy.getResult(0)); });
    }
  });
}

/// Elements a tile of a pad keeps at least: a pad of only the last dim (a
/// row padded to whole vectors) takes several rows a tile.
constexpr int64_t kMinPadTileElements = 512;

/// A kernel that pads (a convolution's input, in a step of its own) would
/// fill and then copy its whole result on one thread. Tiled along the
/// leading dims it does not pad (the channels), each tile fills and copies
/// one slice while it is in cache, and the workgroups share the tiles.
void tilePads(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<tensor::PadOp> pads;
  func.walk([&](tensor::PadOp pad) {
    if (!inLoop(pad))
      pads.push_back(pad);
  });
  SmallVector<Operation *> tiled;
  for (tensor::PadOp pad : pads) {
    RankedTensorType type = pad.getResultType();
    auto zero = [](int64_t x) { return x == 0; };
    if (!type.hasStaticShape() || !pad.getLow().empty() ||
        !pad.getHigh().empty() ||
        (llvm::all_of(pad.getStaticLow(), zero) &&
         llvm::all_of(pad.getStaticHigh(), zero)))
      continue;
    ArrayRef<int64_t> shape = type.getShape();
    SmallVector<int64_t> sizes(shape.size(), 0);
    int64_t tiles = 1;
    for (int64_t d = 0, e = shape.size(); d + 1 < e; ++d) {
      if (pad.getStaticLow()[d] || pad.getStaticHigh()[d])
        break;
      // Whole slices of the dims inside, as many as make a tile.
      int64_t inner = ShapedType::getNumElements(shape.drop_front(d + 1));
      int64_t size = 1;
      while (size < shape[d] &&
             (size * inner < kMinPadTileElements || shape[d] % size))
        ++size;
      if (size == shape[d] && size > 1)
        break;
      sizes[d] = size;
      tiles *= shape[d] / size;
      if (size > 1)
        break;
    }
    if (tiles < 2)
      continue;
    scf::SCFTilingOptions tiling;
    tiling.setTileSizes(asFoldResults(rewriter, sizes));
    tiling.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
    rewriter.setInsertionPoint(pad);
    FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(pad.getOperation()), tiling);
    if (failed(result))
      continue;
    rewriter.replaceOp(pad, result->replacements);
    llvm::append_range(tiled, result->tiledOps);
  }
  // Each tile's pad as a fill of its slice of the result and a copy into
  // it, with no buffer of its own.
  RewritePatternSet patterns(func.getContext());
  patterns.add<linalg::DecomposePadOpPattern>(func.getContext());
  (void)applyOpPatternsGreedily(tiled, std::move(patterns));
}

struct StrataTileAndVectorizePass
    : impl::StrataTileAndVectorizePassBase<StrataTileAndVectorizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    CostModel model{{vectorBits, vectorRegisters}, l2Bytes};
    IRRewriter rewriter(&getContext());
    copyArgumentInits(rewriter, func);
    tilePads(rewriter, func);

    // Roots: linalg ops whose results are not consumed by another linalg op
    // (those get fused into their consumer's tiles), last first.
    FusionRoots roots = findFusionRoots(func);

    SmallVector<linalg::LinalgOp> tiled;
    for (linalg::LinalgOp root : llvm::reverse(roots.roots)) {
      if (llvm::any_of(root.getStaticLoopRanges(), ShapedType::isDynamic) ||
          hasReversedAccess(root))
        continue;
      TileSizes sizes = chooseTileSizes(root, model);
      if (std::optional<TileSizes> inherited = producerTiles(root, model))
        sizes = *inherited;
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(asFoldResults(rewriter, sizes.parallel));
      tiling.setInterchange(sizes.interchange);
      // The tiles are independent: the cpu target hands out the
      // iterations of the loop to workgroups.
      FailureOr<scf::SCFTileAndFuseResult> result = tileAndFuseRoot(
          rewriter, root, tiling, roots, [](Operation *producer) {
            auto linalgOp = dyn_cast<linalg::LinalgOp>(producer);
            return !linalgOp || !hasReversedAccess(linalgOp);
          });
      if (failed(result))
        continue;
      for (Operation *op : result->tiledAndFusedOps)
        if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
          tiled.push_back(linalgOp);
    }

    // Inside the tile: a packed contraction's row blocks one by one, and
    // the reductions to 1.
    for (linalg::LinalgOp op : tiled) {
      if (!op->getBlock() || op.getNumReductionLoops() == 0)
        continue;
      TileSizes sizes = chooseTileSizes(op, model, RowBlocks::InTile);
      rewriter.setInsertionPoint(op);
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(asFoldResults(rewriter, sizes.reduction));
      tiling.setInterchange(sizes.reductionOrder);
      FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), tiling);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }

    // Drop the unit loops of the tiles, so that a window read such as
    // `ow + kw` with kw of extent 1 becomes a plain `ow` the vectorizer takes.
    linalg::ControlDropUnitDims dropUnitDims;
    dropUnitDims.rankReductionStrategy =
        linalg::ControlDropUnitDims::RankReductionStrategy::ExtractInsertSlice;
    dropUnitDims.controlFn = [](Operation *op) -> SmallVector<unsigned> {
      auto generic = dyn_cast<linalg::GenericOp>(op);
      if (!generic || !inLoop(op))
        return {};
      return llvm::to_vector(llvm::seq<unsigned>(0, generic.getNumLoops()));
    };
    RewritePatternSet patterns(&getContext());
    linalg::populateFoldUnitExtentDimsPatterns(patterns, dropUnitDims);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();

    // Vectorize the static tiles.
    SmallVector<linalg::LinalgOp> candidates;
    func.walk([&](linalg::LinalgOp op) {
      if (!inLoop(op) || !op.hasPureTensorSemantics() || touchesBooleans(op))
        return;
      // Only register-sized tiles: an op whose tiling failed keeps its full
      // extent, and vectorizing that unrolls into enormous vectors.
      int64_t elements = 1;
      for (int64_t range : op.getStaticLoopRanges()) {
        if (ShapedType::isDynamic(range))
          return;
        elements *= range;
      }
      if (elements <= kMaxVectorElements)
        candidates.push_back(op);
    });
    for (linalg::LinalgOp op : candidates) {
      if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()))
        sliceStridedInputs(rewriter, generic);
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, op);
      if (succeeded(vectorized))
        rewriter.replaceOp(op, vectorized->replacements);
    }
    RewritePatternSet reads(&getContext());
    reads.add<ContiguousStridedRead>(&getContext());
    if (failed(applyPatternsGreedily(func, std::move(reads))))
      return signalPassFailure();
  }
};

struct StrataHoistVectorTransfersPass
    : impl::StrataHoistVectorTransfersPassBase<StrataHoistVectorTransfersPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // Post-order: inner loops first, so that an accumulator hoisted out of
    // the reduction loop can leave the loops around it too.
    getOperation().walk([&](scf::ForOp loop) {
      (void)hoistLoopInvariantSubsets(rewriter,
                                      cast<LoopLikeOpInterface>(*loop));
    });
  }
};

} // namespace
} // namespace mlir::strata
