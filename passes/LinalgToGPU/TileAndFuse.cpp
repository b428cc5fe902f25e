//===- TileAndFuse.cpp - one output element per GPU invocation ------------===//
//
// A dispatch region computes its roots' results; tiling each root to one
// element per iteration of an `scf.forall`, with its producers fused in,
// turns the region into one loop whose iterations are independent, which
// strata-gpu-distribute hands to workgroups and invocations.
//
//===----------------------------------------------------------------------===//

#include "passes/LinalgToGPU/Gemm.h"
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

/// The GEMM in `root`'s tile (the root, or a contraction that an
/// elementwise root reads through a permutation) and a workgroup tile:
/// up to 32 columns (n) and as many rows (m) as `workgroupSize`
/// invocations cover with 4 x 4 accumulators each, shrunk until the
/// output tile and 16 steps of k of both operands fit `memoryBytes`.
std::optional<GemmTile> chooseGemmTile(linalg::LinalgOp root,
                                       int64_t workgroupSize,
                                       int64_t memoryBytes) {
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
  // A GEMM of few rows or columns (a matrix-vector product in all but
  // name) reuses too little of its operands to stage them.
  if (llvm::any_of(ranges, ShapedType::isDynamic) ||
      iterations(ranges, loops.m) < kMinStagedExtent ||
      iterations(ranges, loops.n) < kMinStagedExtent)
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
  SmallVector<int64_t> sizes(ranges.size(), 0);
  for (unsigned loop : loops.batch)
    sizes[loop] = 1;
  int64_t columns = 1;
  for (unsigned loop : byOutput(loops.n)) {
    sizes[loop] = largestDivisorUpTo(ranges[loop], 32 / columns);
    columns *= sizes[loop];
  }
  for (int64_t budget = 16 * workgroupSize / columns; budget >= 1;
       budget /= 2) {
    int64_t rows = 1;
    for (unsigned loop : byOutput(loops.m)) {
      sizes[loop] = largestDivisorUpTo(ranges[loop], budget / rows);
      rows *= sizes[loop];
    }
    int64_t used = rows * columns * bytes(2) +
                   kMaxStagedSteps * (rows * bytes(0) + columns * bytes(1));
    if (used <= memoryBytes)
      break;
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

/// Reduced elements per output from which a reduction is shared by a
/// workgroup rather than folded by one invocation.
constexpr int64_t kMinWorkgroupReduction = 32;

/// Whether `root` is a reduction (not a GEMM) long enough to give each of
/// its output elements a workgroup.
bool isLongReduction(linalg::LinalgOp root) {
  if (root.getNumReductionLoops() == 0 || root.getNumParallelLoops() == 0 ||
      root.getNumDpsInits() != 1 || succeeded(inferGemmLoops(root)))
    return false;
  SmallVector<unsigned> reductions;
  root.getReductionDims(reductions);
  return iterations(root.getStaticLoopRanges(), reductions) >=
         kMinWorkgroupReduction;
}

int64_t parallelIterations(linalg::LinalgOp op) {
  SmallVector<unsigned> parallel;
  op.getParallelDims(parallel);
  return iterations(op.getStaticLoopRanges(), parallel);
}

struct StrataGpuTileAndFusePass
    : impl::StrataGpuTileAndFusePassBase<StrataGpuTileAndFusePass> {
  using Base::Base;

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
    FusionRoots roots = findFusionRoots(func);
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
        gemm = chooseGemmTile(root, workgroupSize, workgroupMemoryBytes);
      bool workgroupTile = gemm || (tiles && isLongReduction(root));
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
