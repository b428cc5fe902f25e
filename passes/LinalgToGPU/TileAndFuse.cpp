//===- TileAndFuse.cpp - one output element per GPU invocation ------------===//
//
// A dispatch region computes its roots' results; tiling each root to one
// element per iteration of an `scf.forall`, with its producers fused in,
// turns the region into one loop whose iterations are independent, which
// strata-gpu-distribute hands to workgroups and invocations.
//
//===----------------------------------------------------------------------===//

#include "passes/LinalgToGPU/Gemm.h"
#include "passes/LinalgToGPU/Reductions.h"
#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Passes.h"
#include "passes/Utils/FusionRoots.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAGPUTILEANDFUSEPASS
#include "passes/Passes.h.inc"

namespace {

/// `pad` as one elementwise op over its result: each element is the
/// input's where it falls inside the input, else the padding value.
LogicalResult padAsElementwise(RewriterBase &rewriter, tensor::PadOp pad) {
  Value padding = pad.getConstantPaddingValue();
  RankedTensorType type = pad.getResultType();
  RankedTensorType sourceType = pad.getSourceType();
  std::optional<SmallVector<int64_t>> low =
      getConstantIntValues(pad.getMixedLowPad());
  if (!padding || !low || !type.hasStaticShape() ||
      !sourceType.hasStaticShape())
    return failure();
  Location loc = pad.getLoc();
  rewriter.setInsertionPoint(pad);
  Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  int64_t rank = type.getRank();
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  Value source = pad.getSource();
  auto generic = linalg::GenericOp::create(
      rewriter, loc, type, ValueRange{}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange) {
        Value zero = arith::ConstantIndexOp::create(b, loc, 0);
        Value inside = arith::ConstantIntOp::create(b, loc, 1, 1);
        SmallVector<Value> indices;
        for (int64_t d = 0; d < rank; ++d) {
          Value index = arith::SubIOp::create(
              b, loc, linalg::IndexOp::create(b, loc, d),
              arith::ConstantIndexOp::create(b, loc, (*low)[d]));
          Value above = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::sge, index, zero);
          Value below = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::slt, index,
              arith::ConstantIndexOp::create(b, loc, sourceType.getDimSize(d)));
          Value within = arith::AndIOp::create(b, loc, above, below);
          inside = arith::AndIOp::create(b, loc, inside, within);
          indices.push_back(
              arith::SelectOp::create(b, loc, within, index, zero));
        }
        Value element = tensor::ExtractOp::create(b, loc, source, indices);
        linalg::YieldOp::create(
            b, loc,
            ValueRange{arith::SelectOp::create(b, loc, inside, element,
                                               padding)});
      });
  rewriter.replaceOp(pad, generic.getResults());
  return success();
}

int64_t largestDivisorUpTo(int64_t size, int64_t limit) {
  for (int64_t t = std::min(size, limit); t > 1; --t)
    if (size % t == 0)
      return t;
  return 1;
}

/// Where the output of `op` is read by loop `loop`, or -1.
int64_t outputPosition(linalg::LinalgOp op, unsigned loop) {
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  for (auto [r, expr] : llvm::enumerate(out.getResults()))
    if (expr == getAffineDimExpr(loop, op.getContext()))
      return r;
  return -1;
}

/// A root whose tile holds a GEMM, and the workgroup tile of each of the
/// root's loops.
struct GemmTile {
  linalg::LinalgOp gemm;
  SmallVector<int64_t> rootSizes;
};

/// Whether a GEMM of `ranges` has few rows or columns (a matrix-vector
/// product in all but name), reusing too little of its operands to stage
/// them.
bool isThin(const GemmLoops &loops, ArrayRef<int64_t> ranges) {
  return iterations(ranges, loops.m) < kMinStagedExtent ||
         iterations(ranges, loops.n) < kMinStagedExtent;
}

/// Which GEMMs run on the tensor cores, and how they are tiled there.
struct TensorCoreTiling {
  enum Kind { None, MmaSync, Wgmma } kind = None;
  bool f32 = false;
};

/// Workgroups that a grid of tiles of `sizes` (dividing `ranges`; 0 for
/// loops that are not tiled) has.
int64_t workgroupCount(ArrayRef<int64_t> ranges, ArrayRef<int64_t> sizes) {
  int64_t count = 1;
  for (auto [range, size] : llvm::zip(ranges, sizes))
    if (size)
      count *= range / size;
  return count;
}

/// A grid smaller than this leaves SMs of an sm_80 to sm_90 GPU (108 to
/// 132 of them) idle, which a larger tile does not make up for.
constexpr int64_t kMinTensorCoreWorkgroups = 128;

/// The tile of `gemm` (whose loops are `loops`, of static `ranges`) on the
/// tensor cores, or an empty vector where it runs elsewhere or no larger
/// tile keeps the grid at kMinTensorCoreWorkgroups. `sized(rows,
/// columns)` spreads at most that many rows and columns over the loops
/// as the SIMT tile does.
SmallVector<int64_t> tensorCoreTile(
    linalg::LinalgOp gemm, const GemmLoops &loops, ArrayRef<int64_t> ranges,
    TensorCoreTiling tiling,
    llvm::function_ref<SmallVector<int64_t>(int64_t, int64_t)> sized) {
  if (tiling.kind == TensorCoreTiling::None ||
      !isTensorCoreGemm(gemm, tiling.f32))
    return {};
  bool halves = !gemm.getBlock()->getArgument(0).getType().isF32();
  SmallVector<SmallVector<int64_t>> candidates;
  // wgmma: whole 64-row groups, at most 128 accumulators a thread; no tf32.
  if (tiling.kind == TensorCoreTiling::Wgmma && halves && loops.m.size() == 1 &&
      loops.n.size() == 1) {
    for (auto [rows, columns] :
         {std::pair<int64_t, int64_t>{128, 128}, {128, 64}, {64, 64}})
      if (ranges[loops.m[0]] % rows == 0 && ranges[loops.n[0]] % columns == 0) {
        SmallVector<int64_t> sizes(ranges.size(), 0);
        for (unsigned loop : loops.batch)
          sizes[loop] = 1;
        sizes[loops.m[0]] = rows;
        sizes[loops.n[0]] = columns;
        candidates.push_back(sizes);
      }
  }
  // mma.sync: 4 warps of 32 x 32 each.
  candidates.push_back(sized(64, 64));
  for (SmallVector<int64_t> &sizes : candidates)
    if (workgroupCount(ranges, sizes) >= kMinTensorCoreWorkgroups)
      return sizes;
  return {};
}

/// The GEMM in `root`'s tile (the root, or a contraction that an
/// elementwise root reads through a permutation) and a workgroup tile:
/// on the tensor cores, tensorCoreTile's; else up to 32 columns (n) and
/// as many rows (m) as `workgroupSize` invocations cover with 4 x 4
/// accumulators each, shrunk until the output tile and 16 steps of k of
/// both operands fit `memoryBytes`.
std::optional<GemmTile> chooseGemmTile(linalg::LinalgOp root,
                                       int64_t workgroupSize,
                                       int64_t memoryBytes,
                                       TensorCoreTiling tensorCores) {
  linalg::LinalgOp gemm = root;
  AffineMap rootIn;
  FailureOr<GemmLoops> inferred = inferGemmLoops(root);
  if (failed(inferred) && root.getNumReductionLoops() == 0) {
    for (OpOperand *input : root.getDpsInputOperands()) {
      auto producer = input->get().getDefiningOp<linalg::LinalgOp>();
      if (!producer || !root.getMatchingIndexingMap(input).isPermutation())
        continue;
      inferred = inferGemmLoops(producer);
      if (succeeded(inferred)) {
        gemm = producer;
        rootIn = root.getMatchingIndexingMap(input);
        break;
      }
    }
  }
  if (failed(inferred))
    return std::nullopt;
  GemmLoops loops = *inferred;
  SmallVector<int64_t> ranges = gemm.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic) || isThin(loops, ranges))
    return std::nullopt;
  auto bytes = [&](int64_t operand) {
    return elementBytes(gemm->getOperand(operand).getType());
  };
  // The innermost loops of the output first.
  auto byOutput = [&](SmallVector<unsigned> group) {
    llvm::sort(group, [&](unsigned a, unsigned b) {
      return outputPosition(gemm, a) > outputPosition(gemm, b);
    });
    return group;
  };
  // Tiles of up to `maxRows` x `maxColumns`, the innermost loops of each
  // group taking the most.
  auto sized = [&](int64_t maxRows, int64_t maxColumns) {
    SmallVector<int64_t> sizes(ranges.size(), 0);
    for (unsigned loop : loops.batch)
      sizes[loop] = 1;
    for (auto [group, limit] :
         {std::pair{&loops.m, maxRows}, std::pair{&loops.n, maxColumns}}) {
      int64_t extent = 1;
      for (unsigned loop : byOutput(*group)) {
        sizes[loop] = largestDivisorUpTo(ranges[loop], limit / extent);
        extent *= sizes[loop];
      }
    }
    return sizes;
  };
  SmallVector<int64_t> sizes =
      tensorCoreTile(gemm, loops, ranges, tensorCores, sized);
  if (sizes.empty()) {
    int64_t columns = iterations(sized(1, 32), loops.n);
    for (int64_t budget = 16 * workgroupSize / columns; budget >= 1;
         budget /= 2) {
      sizes = sized(budget, 32);
      int64_t rows = iterations(sizes, loops.m);
      int64_t used = rows * columns * bytes(2) +
                     kMaxStagedSteps * (rows * bytes(0) + columns * bytes(1));
      if (used <= memoryBytes)
        break;
    }
  }
  GemmTile tile{gemm, {}};
  if (gemm == root) {
    tile.rootSizes = sizes;
    return tile;
  }
  tile.rootSizes.assign(root.getNumLoops(), 1);
  AffineMap out = gemm.getMatchingIndexingMap(gemm.getDpsInitOperand(0));
  for (auto [r, expr] : llvm::enumerate(out.getResults()))
    tile.rootSizes[rootIn.getDimPosition(r)] =
        sizes[cast<AffineDimExpr>(expr).getPosition()];
  return tile;
}

int64_t parallelIterations(linalg::LinalgOp op) {
  SmallVector<unsigned> parallel;
  op.getParallelDims(parallel);
  return iterations(op.getStaticLoopRanges(), parallel);
}

/// The reduction in `root`'s tile: the root, or a producer fused into it
/// and read through a permutation (a sum that a cast or a bias follows).
linalg::LinalgOp reductionInTile(linalg::LinalgOp root,
                                 const FusionRoots &roots) {
  if (root.getNumReductionLoops() != 0)
    return root;
  for (OpOperand *input : root.getDpsInputOperands()) {
    auto producer = input->get().getDefiningOp<linalg::LinalgOp>();
    if (producer && producer.getNumReductionLoops() != 0 &&
        root.getMatchingIndexingMap(input).isPermutation() &&
        roots.fusesIntoConsumer(producer))
      return producer;
  }
  return {};
}

/// Whether every input of `op` that a reduction loop reads is read along
/// one innermost (past loops of extent 1 and constant indices, such as a
/// broadcast batch's), so that invocations sharing an output element read
/// the nearest elements. A constant index does not vary: behind one into
/// a longer dimension, the innermost loop still strides least.
bool readsReductionsInnermost(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  auto reduces = [&](unsigned loop) {
    return iterators[loop] == utils::IteratorType::reduction;
  };
  for (OpOperand *input : op.getDpsInputOperands()) {
    std::optional<unsigned> innermost;
    bool readsReduction = false;
    for (AffineExpr expr : op.getMatchingIndexingMap(input).getResults()) {
      if (isa<AffineConstantExpr>(expr))
        continue;
      auto dim = dyn_cast<AffineDimExpr>(expr);
      if (!dim)
        return false;
      if (ranges[dim.getPosition()] == 1)
        continue;
      innermost = dim.getPosition();
      readsReduction |= reduces(*innermost);
    }
    if (readsReduction && !reduces(*innermost))
      return false;
  }
  return true;
}

/// Whether `root`'s tile holds a reduction long enough to give each of its
/// output elements a workgroup. It does only where one invocation per
/// output would be worse: fewer invocations than a workgroup's, or each
/// reading a row of its own (a row's sum, a matrix-vector product with a
/// transposed weight) where a workgroup reads it coalesced. A column's sum
/// or a matrix-vector product with an n-major weight is read coalesced by
/// consecutive invocations instead, one output element each.
bool isLongReduction(linalg::LinalgOp root, const FusionRoots &roots,
                     int64_t workgroupSize) {
  linalg::LinalgOp op = reductionInTile(root, roots);
  if (!op || op.getNumParallelLoops() == 0 || op.getNumDpsInits() != 1)
    return false;
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  if (iterations(op.getStaticLoopRanges(), reductions) < kMinWorkgroupReduction)
    return false;
  return parallelIterations(op) < workgroupSize || readsReductionsInnermost(op);
}

/// Invocations that a split reduction's parts aim for: about a quarter
/// of the threads an sm_80 to sm_90 GPU holds at once (108 to 132 SMs of
/// 2048), enough loads in flight to keep its memory busy.
constexpr int64_t kSplitInvocations = 1 << 16;
/// Steps of k each partial sum folds, at least: for a matrix-vector
/// product, the f32 partials then add at most 1/16 to the bytes that f16
/// operands take (for a GEMM 2 or 3 rows or columns thin, that many
/// sixteenths).
constexpr int64_t kMinSplitSteps = 64;

/// A reduction whose output elements one invocation each would fold, a
/// column each (see isLongReduction): its only reduction loop k, in how
/// many parts to split it, its combiner and the combiner's neutral element.
struct SplitK {
  unsigned k;
  int64_t parts;
  ReductionCombiner combiner;
  TypedAttr neutral;
};

/// How to split `op`'s k, where one invocation per output element would
/// leave the GPU mostly idle (a 1 x 4096 by 4096 x 4096 product, or a
/// 4096 x 4096 matrix's column sums, is 4096 invocations of 4096 steps
/// each): into the most parts, a power of 2, that keeps the invocations at
/// most kSplitInvocations and the steps of each part at least
/// kMinSplitSteps. A GEMM that takes a staged tile is left to it.
std::optional<SplitK> chooseSplitK(linalg::LinalgOp op, int64_t workgroupSize) {
  // splitK reshapes each operand, so each must be a tensor of static shape.
  auto staticTensor = [](Value value) {
    auto type = dyn_cast<RankedTensorType>(value.getType());
    return type && type.hasStaticShape();
  };
  if (inLoop(op) || op.getNumReductionLoops() != 1 ||
      !llvm::all_of(op->getOperands(), staticTensor))
    return std::nullopt;
  // A combiner also means static loop ranges and one output.
  FailureOr<ReductionCombiner> combiner = matchCombiner(op);
  if (failed(combiner))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  FailureOr<GemmLoops> loops = inferGemmLoops(op);
  int64_t outputs = parallelIterations(op);
  if ((succeeded(loops) && !isThin(*loops, ranges)) ||
      outputs < workgroupSize || readsReductionsInnermost(op))
    return std::nullopt;
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  unsigned k = reductions.front();
  // Parts of k are dimensions of their own, so each input must read k only
  // as a dimension of its own: not in `m + k`.
  AffineExpr kExpr = getAffineDimExpr(k, op.getContext());
  for (OpOperand *input : op.getDpsInputOperands())
    for (AffineExpr expr : op.getMatchingIndexingMap(input).getResults())
      if (expr != kExpr && expr.isFunctionOfDim(k))
        return std::nullopt;
  std::optional<TypedAttr> neutral = neutralElement(*combiner);
  if (!neutral)
    return std::nullopt;
  int64_t depth = ranges[k], parts = 1;
  while (outputs * parts * 2 <= kSplitInvocations && depth % (parts * 2) == 0 &&
         depth / (parts * 2) >= kMinSplitSteps)
    parts *= 2;
  if (parts == 1)
    return std::nullopt;
  return SplitK{k, parts, *combiner, *neutral};
}

/// `value` converted elementwise to `type` by `convert`.
Value convertElements(
    OpBuilder &b, Location loc, Value value, Type type,
    function_ref<Value(OpBuilder &, Location, Value)> convert) {
  auto tensorType = cast<RankedTensorType>(value.getType());
  Value empty = tensor::EmptyOp::create(b, loc, tensorType.getShape(), type);
  SmallVector<AffineMap> maps(2,
                              b.getMultiDimIdentityMap(tensorType.getRank()));
  SmallVector<utils::IteratorType> iterators(tensorType.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, empty.getType(), value, empty, maps, iterators,
             [&](OpBuilder &nested, Location loc, ValueRange args) {
               linalg::YieldOp::create(nested, loc,
                                       convert(nested, loc, args[0]));
             })
      .getResult(0);
}

/// Splits `op`'s k into `split.parts`: `op` over one more parallel loop,
/// the part (outermost, also in its result), folds each part from the
/// neutral element in the sum type; a reduction over the parts folds them
/// into `op`'s initial value (widened, and rounded once after).
/// Returns the first, which must stay a root of its own: fused into the
/// second's tiles, it would fold every part in one invocation again.
linalg::GenericOp splitK(RewriterBase &rewriter, linalg::LinalgOp op,
                         const SplitK &split) {
  MLIRContext *ctx = op.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  unsigned loops = op.getNumLoops();
  int64_t steps = op.getStaticLoopRanges()[split.k] / split.parts;
  // The part is the outermost loop, so that consecutive invocations of
  // the partials still take consecutive output elements.
  AffineExpr part = getAffineDimExpr(0, ctx);
  AffineExpr k = getAffineDimExpr(split.k + 1, ctx);
  // Each input that reads k reads it as (part, k).
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value value = input->get();
    SmallVector<AffineExpr> results;
    SmallVector<ReassociationIndices> reassociation;
    SmallVector<int64_t> shape;
    auto type = cast<RankedTensorType>(value.getType());
    for (auto [i, expr] : llvm::enumerate(
             op.getMatchingIndexingMap(input).shiftDims(1).getResults())) {
      int64_t next = results.size();
      if (expr == k) {
        results.push_back(part);
        shape.push_back(split.parts);
        reassociation.push_back({next, next + 1});
      } else {
        reassociation.push_back({next});
      }
      results.push_back(expr);
      shape.push_back(expr == k ? steps : type.getDimSize(i));
    }
    if (shape.size() != static_cast<size_t>(type.getRank()))
      value = tensor::ExpandShapeOp::create(rewriter, loc, type.clone(shape),
                                            value, reassociation);
    inputs.push_back(value);
    maps.push_back(AffineMap::get(loops + 1, 0, results, ctx));
  }
  Value init = op.getDpsInitOperand(0)->get();
  auto initType = cast<RankedTensorType>(init.getType());
  SmallVector<int64_t> partialShape = {split.parts};
  llvm::append_range(partialShape, initType.getShape());
  SmallVector<AffineExpr> partialResults = {part};
  llvm::append_range(partialResults,
                     op.getMatchingIndexingMap(op.getDpsInitOperand(0))
                         .shiftDims(1)
                         .getResults());
  maps.push_back(AffineMap::get(loops + 1, 0, partialResults, ctx));
  Value neutral = arith::ConstantOp::create(rewriter, loc, split.neutral);
  Value zeros = linalg::FillOp::create(
                    rewriter, loc, neutral,
                    ValueRange{tensor::EmptyOp::create(
                        rewriter, loc, partialShape, split.combiner.sumType)})
                    .getResult(0);
  SmallVector<utils::IteratorType> iterators = {utils::IteratorType::parallel};
  llvm::append_range(iterators, op.getIteratorTypesArray());
  auto partials = linalg::GenericOp::create(
      rewriter, loc, zeros.getType(), inputs, zeros, maps, iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(b, loc,
                                foldElement(b, loc, op, split.combiner,
                                            args.drop_back(), args.back()));
      });
  // The total: the output's loops, then the parts.
  int64_t rank = initType.getRank();
  SmallVector<AffineExpr> outputs;
  for (int64_t d = 0; d < rank; ++d)
    outputs.push_back(getAffineDimExpr(d, ctx));
  SmallVector<AffineExpr> byPart = {getAffineDimExpr(rank, ctx)};
  llvm::append_range(byPart, outputs);
  SmallVector<utils::IteratorType> totalIterators(
      rank, utils::IteratorType::parallel);
  totalIterators.push_back(utils::IteratorType::reduction);
  bool widened = initType.getElementType() != split.combiner.sumType;
  if (widened)
    init = convertElements(rewriter, loc, init, split.combiner.sumType,
                           [&](OpBuilder &b, Location loc, Value x) {
                             return widen(b, loc, split.combiner, x);
                           });
  Value total =
      linalg::GenericOp::create(
          rewriter, loc, init.getType(), partials.getResult(0), init,
          {AffineMap::get(rank + 1, 0, byPart, ctx),
           AffineMap::get(rank + 1, 0, outputs, ctx)},
          totalIterators,
          [&](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(
                b, loc, combine(b, loc, split.combiner, args[1], args[0]));
          })
          .getResult(0);
  if (widened)
    total = convertElements(rewriter, loc, total, initType.getElementType(),
                            [&](OpBuilder &b, Location loc, Value x) {
                              return round(b, loc, split.combiner, x);
                            });
  rewriter.replaceOp(op, total);
  return partials;
}

struct StrataGpuTileAndFusePass
    : impl::StrataGpuTileAndFusePassBase<StrataGpuTileAndFusePass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    if (!llvm::is_contained({"", "mma-sync", "wgmma"}, tensorCores.getValue()))
      return emitError(UnknownLoc::get(context))
             << "strata-gpu-tile-and-fuse: unknown tensor-cores '"
             << tensorCores << "' (known: mma-sync, wgmma)";
    return success();
  }

  TensorCoreTiling tensorCoreTiling() const {
    TensorCoreTiling tiling;
    tiling.kind = tensorCores == "wgmma"      ? TensorCoreTiling::Wgmma
                  : tensorCores == "mma-sync" ? TensorCoreTiling::MmaSync
                                              : TensorCoreTiling::None;
    tiling.f32 = tensorCoreF32;
    return tiling;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    // A splat tensor is a fill, which fuses and needs no constant in
    // device memory.
    func.walk([&](arith::ConstantOp constant) {
      auto splat = dyn_cast<SplatElementsAttr>(constant.getValue());
      auto type = dyn_cast<RankedTensorType>(constant.getType());
      if (!splat || !type || !type.hasStaticShape())
        return;
      rewriter.setInsertionPoint(constant);
      Location loc = constant.getLoc();
      Value scalar = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(splat.getSplatValue<Attribute>()));
      Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                            type.getElementType());
      rewriter.replaceOp(constant,
                         linalg::FillOp::create(rewriter, loc, scalar, empty));
    });
    // A pad, whole, is a fill then a copy: two steps, which the GPU runs
    // on one workgroup. As one elementwise op it tiles like any root.
    SmallVector<tensor::PadOp> pads;
    func.walk([&](tensor::PadOp pad) {
      if (!inLoop(pad))
        pads.push_back(pad);
    });
    for (tensor::PadOp pad : pads)
      (void)padAsElementwise(rewriter, pad);
    // Column reductions that would leave the GPU mostly idle split their k.
    SmallVector<std::pair<linalg::LinalgOp, SplitK>> splits;
    func.walk([&](linalg::LinalgOp op) {
      if (std::optional<SplitK> split = chooseSplitK(op, workgroupSize))
        splits.emplace_back(op, *split);
    });
    llvm::DenseSet<Operation *> partials;
    for (auto &[op, split] : splits)
      partials.insert(splitK(rewriter, op, split));
    FusionRoots roots = findFusionRoots(func, partials);
    for (linalg::LinalgOp root : llvm::reverse(roots.roots)) {
      if (llvm::any_of(root.getStaticLoopRanges(), ShapedType::isDynamic))
        continue;
      // A kernel of several roots runs on one workgroup, which would take
      // its workgroup tiles one after another, with barriers; one element
      // per invocation keeps the workgroup busy without them, unless the
      // root has fewer output elements than invocations.
      bool tiles =
          roots.roots.size() == 1 || parallelIterations(root) < workgroupSize;
      std::optional<GemmTile> gemm;
      if (tiles)
        gemm = chooseGemmTile(root, workgroupSize, workgroupMemoryBytes,
                              tensorCoreTiling());
      bool workgroupTile =
          gemm || (tiles && isLongReduction(root, roots, workgroupSize));
      SmallVector<int64_t> sizes;
      if (gemm)
        sizes = gemm->rootSizes;
      else
        for (utils::IteratorType type : root.getIteratorTypesArray())
          sizes.push_back(type == utils::IteratorType::parallel ? 1 : 0);
      int64_t loops = llvm::count_if(sizes, [](int64_t s) { return s != 0; });
      if (loops == 0)
        continue;
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      // A GEMM's tile is a workgroup's, which strata-gpu-promote-
      // contractions stages in workgroup memory; so is each output element
      // of a long reduction, which strata-gpu-workgroup-reductions shares
      // among the workgroup's invocations.
      if (workgroupTile) {
        SmallVector<Attribute> mapping;
        for (int64_t i = loops; i-- > 0;)
          mapping.push_back(gpu::GPUBlockMappingAttr::get(
              &getContext(),
              static_cast<gpu::MappingId>(
                  static_cast<int64_t>(gpu::MappingId::LinearDim0) + i)));
        tiling.setMapping(mapping);
      }
      // A root that does not tile stays whole: a loop nest of its own.
      (void)tileAndFuseRoot(rewriter, root, tiling, roots);
    }
  }
};

} // namespace
} // namespace mlir::strata
