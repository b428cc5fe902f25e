//===- MmaContractions.cpp - GEMM tiles on the tensor cores ---------------===//
//
// A workgroup's GEMM tile in f16 or bf16 (and in f32 as tf32, when the
// user allows it) runs on the tensor cores. Each warp keeps 16 x 8 blocks
// of f32 accumulators in registers and updates them with `mma.sync`, its
// operands read from the staged steps of k with `ldmatrix`. Upstream's
// vector-to-nvgpu conversion turns warp-level `vector.contract`s into
// those instructions; this pass writes the tile in the form it converts.
// Where both operands are contiguous rows in device memory, cp.async
// copies the next steps into other slots while the warps compute on one.
// The conversion also claims scalar arithmetic near the contractions, so
// the staging copies are written after it has run.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleDialect.h"
#include "passes/GPUToNVVM/MmaTiles.h"
#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Passes.h"

#include "mlir/Conversion/VectorToGPU/VectorToGPU.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATANVVMMMACONTRACTIONSPASS
#include "passes/Passes.h.inc"

Value MmaTileBuilder::index(int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

Value MmaTileBuilder::apply(AffineExpr expr, Value value) {
  return affine::AffineApplyOp::create(b, loc, AffineMap::get(1, 0, expr),
                                       ValueRange{value});
}

Value MmaTileBuilder::buffer(ArrayRef<int64_t> shape, Type element) {
  auto space =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  return memref::AllocOp::create(
      b, loc,
      MemRefType::get(shape, element, MemRefLayoutAttrInterface(), space));
}

SmallVector<Value> MmaTileBuilder::outputIndices(Value row, Value column) {
  AffineMap map = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  return applyMap(b, loc, map,
                  gemmLoopValues(b, loc, plan.loops, plan.ranges, row, column));
}

Value MmaTileBuilder::toSum(Value value) {
  if (value.getType().isF32())
    return value;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
}

Value MmaTileBuilder::fromSum(Value sum) {
  Type type = getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
  if (type == sum.getType())
    return sum;
  return arith::TruncFOp::create(b, loc, type, sum);
}

void MmaTileBuilder::copyOutputTile(Value stage, Value invocation,
                                    bool toStage) {
  scf::ForOp::create(
      b, loc, invocation, index(plan.rows * plan.columns), index(workgroupSize),
      ValueRange{},
      [&](OpBuilder &nested, Location, Value element, ValueRange) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToEnd(nested.getInsertionBlock());
        Value row =
            arith::DivUIOp::create(b, loc, element, index(plan.columns));
        Value column =
            arith::RemUIOp::create(b, loc, element, index(plan.columns));
        if (toStage) {
          Value value =
              fill ? fill
                   : toSum(ends.start(b, loc, outputIndices(row, column)));
          memref::StoreOp::create(b, loc, value, stage,
                                  ValueRange{row, column});
        } else {
          GemmEnds::store(b, loc,
                          results(memref::LoadOp::create(
                                      b, loc, stage, ValueRange{row, column}),
                                  row, column));
        }
        scf::YieldOp::create(b, loc);
      });
}

SmallVector<GemmEnds::Store> MmaTileBuilder::results(Value sum, Value row,
                                                     Value column) {
  return ends.results(b, loc, fromSum(sum), outputIndices(row, column));
}

namespace {

constexpr int64_t kWarpSize = 32;
/// The mma.sync shape: 16 x 8 outputs, and 16 steps of k in 16-bit types
/// or 8 in tf32.
constexpr int64_t kMmaRows = 16, kMmaColumns = 8;
/// 16 x 8 accumulator blocks per warp, at most: 4 registers each.
constexpr int64_t kMaxWarpBlocks = 16;
/// Bytes that pad each staged row, so that the 8 rows an ldmatrix reads
/// fall in different banks.
constexpr int64_t kRowPadBytes = 16;
/// Workgroup memory an mma.sync tile takes at most in three slots: what
/// every kernel may use without opting in, which keeps several tiles on
/// an SM.
constexpr int64_t kMmaSyncMemoryBytes = 48 * 1024;
/// wgmma: a warpgroup's threads, rows per instruction, and at most the
/// columns and f32 accumulators per thread a tile may take.
constexpr int64_t kWarpgroupSize = 128, kWgmmaRows = 64, kMaxWgmmaColumns = 256,
                  kMaxWgmmaAccumulators = 128;
/// wgmma tiles that TMA loads take at most this much workgroup memory
/// unless their slots are asked for: half of an SM's 228 KiB less the 1
/// KiB each block is charged, so that two tiles share an SM and each
/// computes while the other waits.
constexpr int64_t kWgmmaPairBytes = 113 * 1024;
/// The most slots a wgmma tile that TMA loads may have.
constexpr int64_t kMaxWgmmaStages = 4;

/// How cp.async can copy input `input` of `op`, whose rows or columns in
/// the tile are the loops `group` (`extent` of them): 16 bytes at a time
/// along the input's innermost dimension, which must be that one loop or
/// k, contiguous and 16-byte aligned at every copy (the runtime places
/// buffers 64-byte aligned), each invocation copying as often as the
/// others. Returns whether k is the innermost dimension.
FailureOr<bool> asyncStaging(linalg::LinalgOp op, unsigned input,
                             const GemmLoops &loops, ArrayRef<unsigned> group,
                             int64_t extent, int64_t depth, int64_t steps,
                             int64_t workgroupSize) {
  OpOperand *operand = op.getDpsInputOperand(input);
  auto type = cast<MemRefType>(operand->get().getType());
  AffineMap map = op.getMatchingIndexingMap(operand);
  int64_t vector = kCopyBytes / elementBytes(type);
  SmallVector<int64_t> strides;
  int64_t offset;
  if (group.size() != 1 || loops.k.size() != 1 || !map.getNumResults() ||
      !map.isProjectedPermutation() ||
      failed(type.getStridesAndOffset(strides, offset)) ||
      strides.back() != 1 ||
      llvm::any_of(ArrayRef(strides).drop_back(), [&](int64_t stride) {
        return ShapedType::isDynamic(stride) || stride % vector;
      }))
    return failure();
  auto inner = dyn_cast<AffineDimExpr>(map.getResults().back());
  if (!inner)
    return failure();
  bool kInner = inner.getPosition() == loops.k.front();
  // A with m innermost would need transposed reads of A: not done.
  if (!kInner && (inner.getPosition() != group.front() || input == 0))
    return failure();
  int64_t copies = kInner ? extent * steps / vector : steps * extent / vector;
  if ((kInner ? depth : extent) % vector || copies % workgroupSize)
    return failure();
  return kInner;
}

FailureOr<MmaPlan> makePlan(linalg::LinalgOp op, int64_t workgroupSize,
                            int64_t memoryBytes, int64_t usedBytes,
                            bool allowTf32, bool wgmma, bool tma,
                            int64_t wgmmaStages) {
  FailureOr<GemmShape> shape = inferGemmShape(op);
  if (failed(shape) || !isTensorCoreGemm(op, allowTf32))
    return failure();
  Type a = op.getBlock()->getArgument(0).getType();
  MmaPlan plan;
  static_cast<GemmShape &>(plan) = *shape;
  Builder builder(op.getContext());
  if (a.isF16() || a.isBF16()) {
    plan.type = a.isF16() ? MmaType::F16 : MmaType::BF16;
    plan.stagedType = builder.getF16Type();
    plan.mmaSteps = 16;
  } else {
    plan.type = MmaType::TF32;
    plan.stagedType = builder.getF32Type();
    plan.mmaSteps = 8;
  }
  plan.paddedRows = llvm::alignTo(plan.rows, kMmaRows);
  plan.paddedColumns = llvm::alignTo(plan.columns, kMmaColumns);
  // Blocks less than half used are better left to the SIMT code.
  if (2 * plan.rows < plan.paddedRows || 2 * plan.columns < plan.paddedColumns)
    return failure();
  // wgmma: one warpgroup, m64nNk16 per 64 rows, its N / 2 accumulators
  // per thread and group in registers.
  if (wgmma && plan.type != MmaType::TF32 && workgroupSize == kWarpgroupSize &&
      plan.paddedRows % kWgmmaRows == 0 &&
      plan.paddedColumns <= kMaxWgmmaColumns &&
      plan.paddedRows / kWgmmaRows * plan.paddedColumns / 2 <=
          kMaxWgmmaAccumulators) {
    plan.wgmma = true;
    // Two slots of staged steps (the accumulators stay in registers), as
    // many as fit: 64 halve the barriers of 32 and have twice the loads in
    // flight. Steps that divide the depth come first: the others copy
    // element by element, to zero-fill past the end.
    auto bytes = [&](int64_t steps, int64_t slots = 2) {
      return slots * (plan.paddedRows + plan.paddedColumns) * steps *
             elementBytes(a);
    };
    for (bool exact : {true, false})
      for (int64_t steps : {64, 32, 16}) {
        steps = std::min<int64_t>(steps, llvm::alignTo(plan.depth, 16));
        if ((exact && plan.depth % steps) ||
            usedBytes + bytes(steps) > memoryBytes)
          continue;
        plan.steps = steps;
        plan.stages = 2;
        plan.workgroupBytes = bytes(steps);
        // TMA where it can load an input: room to align its slots, and an
        // mbarrier per slot.
        int64_t tmaBytes = 0;
        for (unsigned input : {0u, 1u})
          if (tma && (plan.tma[input] = tmaOperand(op, plan, input)))
            tmaBytes += kSwizzleAlignment;
        if (!plan.tma[0] && !plan.tma[1])
          return plan;
        auto tileBytes = [&](int64_t slots) {
          return bytes(steps, slots) + tmaBytes +
                 slots * int64_t{sizeof(int64_t)};
        };
        auto fits = [&](int64_t slots, int64_t limit) {
          return usedBytes + tileBytes(slots) <= limit;
        };
        if (!fits(2, memoryBytes)) {
          plan.tma[0] = plan.tma[1] = std::nullopt;
          return plan;
        }
        // Where TMA loads both inputs, the loads run stages - 1 slots
        // ahead: as many as asked for, or fit two tiles to an SM.
        if (plan.tma[0] && plan.tma[1]) {
          int64_t limit = wgmmaStages ? memoryBytes
                                      : std::min(memoryBytes, kWgmmaPairBytes);
          for (int64_t slots = wgmmaStages ? wgmmaStages : kMaxWgmmaStages;
               slots > 2; --slots)
            if (fits(slots, limit)) {
              plan.stages = slots;
              break;
            }
        }
        plan.workgroupBytes = tileBytes(plan.stages);
        return plan;
      }
    plan.wgmma = false;
  }
  // The most warps busy, then the squarest warp tile: it reads the fewest
  // staged elements per mma.sync.
  int64_t warps = std::max<int64_t>(1, workgroupSize / kWarpSize);
  int64_t blocksDown = plan.paddedRows / kMmaRows,
          blocksAcross = plan.paddedColumns / kMmaColumns;
  plan.gridRows = 0;
  for (int64_t gr = 1; gr <= std::min(warps, blocksDown); ++gr) {
    if (blocksDown % gr)
      continue;
    int64_t gc = 1;
    for (int64_t g = 1; g <= std::min(warps / gr, blocksAcross); ++g)
      if (blocksAcross % g == 0)
        gc = g;
    auto skew = [&](int64_t r, int64_t c) {
      return std::abs(plan.paddedRows / r - plan.paddedColumns / c);
    };
    if (!plan.gridRows || gr * gc > plan.gridRows * plan.gridColumns ||
        (gr * gc == plan.gridRows * plan.gridColumns &&
         skew(gr, gc) < skew(plan.gridRows, plan.gridColumns))) {
      plan.gridRows = gr;
      plan.gridColumns = gc;
    }
  }
  plan.blockRows = blocksDown / plan.gridRows;
  plan.blockColumns = blocksAcross / plan.gridColumns;
  if (plan.blockRows * plan.blockColumns > kMaxWarpBlocks)
    return failure();
  // Two mma.sync steps at a time, or one, in what workgroup memory the
  // tile leaves; in three slots or two by cp.async where both inputs allow
  // it: three while the tile fits the memory every kernel may use and
  // the loop has two steps to fetch ahead.
  int64_t bytes = plan.stagedType.getIntOrFloatBitWidth() / 8;
  int64_t pad = kRowPadBytes / bytes;
  int64_t accumulatorBytes = plan.paddedRows * plan.paddedColumns * 4;
  for (bool async : {true, false}) {
    for (auto [most, stages] :
         {std::pair<int64_t, int64_t>{2, 3}, {2, 2}, {1, 3}, {1, 2}}) {
      int64_t steps = std::min<int64_t>(
          most * plan.mmaSteps, llvm::alignTo(plan.depth, plan.mmaSteps));
      // Without cp.async, one slot: the stages are moot.
      if (stages == 3 && (!async || plan.depth <= steps))
        continue;
      plan.a = plan.b = MmaPlan::Staging();
      if (async) {
        FailureOr<bool> a =
            asyncStaging(op, 0, plan.loops, plan.loops.m, plan.rows, plan.depth,
                         steps, workgroupSize);
        FailureOr<bool> b =
            asyncStaging(op, 1, plan.loops, plan.loops.n, plan.columns,
                         plan.depth, steps, workgroupSize);
        if (failed(a) || failed(b))
          continue;
        plan.a.kInner = *a;
        plan.b.kInner = *b;
      }
      auto shape = [&](MmaPlan::Staging &staging, int64_t positions) {
        staging.outer = staging.kInner ? positions : steps;
        staging.stride = (staging.kInner ? steps : positions) + pad;
      };
      shape(plan.a, plan.paddedRows);
      shape(plan.b, plan.paddedColumns);
      plan.async = async;
      plan.stages = stages;
      int64_t total = accumulatorBytes + plan.slots() * bytes *
                                             (plan.a.outer * plan.a.stride +
                                              plan.b.outer * plan.b.stride);
      int64_t budget = stages == 3 ? std::min(memoryBytes, kMmaSyncMemoryBytes)
                                   : memoryBytes;
      if (usedBytes + total <= budget) {
        plan.steps = steps;
        plan.workgroupBytes = total;
        return plan;
      }
    }
  }
  return failure();
}

/// Builds the tensor-core code of one GEMM tile in place of `op`.
class TileBuilder : MmaTileBuilder {
public:
  TileBuilder(linalg::LinalgOp op, const MmaPlan &plan, int64_t workgroupSize)
      : MmaTileBuilder(op, plan, workgroupSize) {}

  LogicalResult build() {
    Value stageC = buffer({plan.paddedRows, plan.paddedColumns}, f32());
    // Plain values: the loop body's lambda captures them.
    Value copyA, readA, copyB, readB;
    std::tie(copyA, readA) = stagedBuffers(plan.a, 0);
    std::tie(copyB, readB) = stagedBuffers(plan.b, 1);
    scf::ForallOp forall = createInvocationLoop(b, loc, workgroupSize);
    b.setInsertionPoint(forall.getBody()->getTerminator());
    Value invocation = forall.getInductionVar(0);

    copyOutputTile(stageC, invocation, /*toStage=*/true);
    // cp.async fetches the first stages - 1 steps meanwhile, one group
    // each, into slots 0, 1, ...
    Value lastGroup;
    if (plan.async)
      for (int64_t s = 0; s + 1 < plan.stages; ++s)
        lastGroup = copyGroup(copyA, copyB, index(s * plan.steps), index(s),
                              invocation);
    gpu::BarrierOp::create(b, loc);
    // The conversion's root: what it claims is inside, or reached from the
    // contractions.
    auto region = scf::ExecuteRegionOp::create(b, loc, TypeRange{});
    b.setInsertionPointToStart(&region.getRegion().emplaceBlock());
    auto yield = scf::YieldOp::create(b, loc);
    b.setInsertionPoint(yield);
    // Warps past the grid repeat the first warps' blocks: the same values
    // to the same places.
    int64_t cells = plan.gridRows * plan.gridColumns;
    AffineExpr t = b.getAffineDimExpr(0);
    AffineExpr cell = t.floorDiv(kWarpSize) % cells;
    Value warpRow =
        apply(cell.floorDiv(plan.gridColumns) * (plan.blockRows * kMmaRows),
              invocation);
    Value warpColumn =
        apply((cell % plan.gridColumns) * (plan.blockColumns * kMmaColumns),
              invocation);
    SmallVector<Value> rows, columns;
    for (int64_t r = 0; r < plan.blockRows; ++r)
      rows.push_back(apply(t + r * kMmaRows, warpRow));
    for (int64_t c = 0; c < plan.blockColumns; ++c)
      columns.push_back(apply(t + c * kMmaColumns, warpColumn));

    auto accumulatorType = VectorType::get({kMmaRows, kMmaColumns}, f32());
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(f32()));
    SmallVector<Value> initial;
    for (Value row : rows)
      for (Value column : columns)
        initial.push_back(read(accumulatorType, stageC, {row, column},
                               b.getMultiDimIdentityMap(2), zero));
    Value stagedZero =
        arith::ConstantOp::create(b, loc, b.getZeroAttr(plan.stagedType));
    auto kLoop = scf::ForOp::create(
        b, loc, index(0),
        index(static_cast<int64_t>(llvm::alignTo(plan.depth, plan.steps))),
        index(plan.steps), initial,
        [&](OpBuilder &nested, Location, Value k0, ValueRange accumulators) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          stagingPoint = gpu::BarrierOp::create(b, loc);
          Value slot;
          if (plan.async)
            slot = apply(t.floorDiv(plan.steps) % plan.stages, k0);
          SmallVector<Value> next(accumulators);
          auto aType =
              VectorType::get({kMmaRows, plan.mmaSteps}, plan.stagedType);
          auto bType =
              VectorType::get({kMmaColumns, plan.mmaSteps}, plan.stagedType);
          for (int64_t k = 0; k < plan.steps; k += plan.mmaSteps) {
            SmallVector<Value> as, bs;
            for (Value row : rows)
              as.push_back(
                  readStaged(aType, readA, plan.a, slot, row, k, stagedZero));
            for (Value column : columns)
              bs.push_back(readStaged(bType, readB, plan.b, slot, column, k,
                                      stagedZero));
            for (auto [r, x] : llvm::enumerate(as))
              for (auto [c, y] : llvm::enumerate(bs)) {
                Value &accumulator = next[r * plan.blockColumns + c];
                accumulator = contract(x, y, accumulator);
              }
          }
          // The next steps overwrite what these read.
          gpu::BarrierOp::create(b, loc);
          scf::YieldOp::create(b, loc, next);
        });
    int64_t i = 0;
    for (Value row : rows)
      for (Value column : columns)
        vector::TransferWriteOp::create(b, loc, kLoop.getResult(i++), stageC,
                                        ValueRange{row, column},
                                        ArrayRef<bool>{true, true});

    if (failed(convert(region)))
      return failure();
    // Inline the root, then stage the operands at the top of each step.
    b.setInsertionPointAfter(region);
    Block *block = &region.getRegion().front();
    block->getTerminator()->erase();
    IRRewriter rewriter(b);
    rewriter.inlineBlockBefore(block, region);
    region->erase();
    auto loop = stagingPoint->getParentOfType<scf::ForOp>();
    Value k0 = loop.getInductionVar();
    b.setInsertionPoint(stagingPoint);
    if (plan.async) {
      // Fetch the steps stages - 1 on into the slot that the step before
      // this one read (past the end, zeros), then wait for this step's:
      // all groups but the stages - 1 latest have landed.
      int64_t ahead = plan.stages - 1;
      Value next = arith::AddIOp::create(b, loc, k0, index(ahead * plan.steps));
      Value nextSlot =
          apply((t.floorDiv(plan.steps) + ahead) % plan.stages, k0);
      Value group = copyGroup(copyA, copyB, next, nextSlot, invocation);
      nvgpu::DeviceAsyncWaitOp::create(b, loc, group,
                                       b.getI32IntegerAttr(ahead));
      b.setInsertionPointAfter(loop);
      // Nothing reads the last, empty fetches; let them land all the same.
      nvgpu::DeviceAsyncWaitOp::create(b, loc, lastGroup,
                                       b.getI32IntegerAttr(0));
    } else {
      Value steps = index(plan.steps);
      std::optional<int64_t> depth;
      if (plan.depth % plan.steps)
        depth = plan.depth;
      stageGemmOperand(b, loc, op, plan.loops, plan.ranges,
                       {0, plan.loops.m, plan.rows, copyA, true}, k0, steps,
                       invocation, workgroupSize, depth);
      stageGemmOperand(b, loc, op, plan.loops, plan.ranges,
                       {1, plan.loops.n, plan.columns, copyB, true}, k0, steps,
                       invocation, workgroupSize, depth);
    }

    b.setInsertionPoint(forall.getBody()->getTerminator());
    gpu::BarrierOp::create(b, loc);
    copyOutputTile(stageC, invocation, /*toStage=*/false);
    ends.erase();
    return success();
  }

private:
  Type f32() { return b.getF32Type(); }

  /// The buffer input `input` is copied into and the one it is read from:
  /// one buffer, but for bf16 copied by cp.async, which copies bf16 into
  /// the bytes that the reads see as f16.
  std::pair<Value, Value> stagedBuffers(const MmaPlan::Staging &staging,
                                        unsigned input) {
    SmallVector<int64_t> shape = {staging.outer, staging.stride};
    if (plan.async)
      shape.insert(shape.begin(), plan.slots());
    Type element =
        getElementTypeOrSelf(op.getDpsInputOperand(input)->get().getType());
    if (!plan.async || element == plan.stagedType) {
      Value staged = buffer(shape, plan.stagedType);
      return {staged, staged};
    }
    int64_t bytes = elementBytes(element);
    for (int64_t extent : shape)
      bytes *= extent;
    Value raw = buffer({bytes}, b.getI8Type());
    auto view = [&](Type type) -> Value {
      auto result =
          MemRefType::get(shape, type, MemRefLayoutAttrInterface(),
                          cast<MemRefType>(raw.getType()).getMemorySpace());
      return memref::ViewOp::create(b, loc, result, raw, index(0),
                                    ValueRange{});
    };
    return {view(element), view(plan.stagedType)};
  }

  Value read(VectorType type, Value buffer, ValueRange indices, AffineMap map,
             Value padding) {
    return vector::TransferReadOp::create(b, loc, type, buffer, indices,
                                          padding, map,
                                          ArrayRef<bool>{true, true});
  }

  /// Steps [k, k + mmaSteps) of the staged rows or columns from `position`
  /// on, as (position, step), from slot `slot` when there are several.
  Value readStaged(VectorType type, Value buffer,
                   const MmaPlan::Staging &staging, Value slot, Value position,
                   int64_t k, Value padding) {
    SmallVector<Value> indices;
    if (slot)
      indices.push_back(slot);
    if (staging.kInner)
      indices.append({position, index(k)});
    else
      indices.append({index(k), position});
    unsigned rank = indices.size();
    AffineExpr outer = b.getAffineDimExpr(rank - 2),
               inner = b.getAffineDimExpr(rank - 1);
    auto map = AffineMap::get(rank, 0,
                              staging.kInner ? ArrayRef{outer, inner}
                                             : ArrayRef{inner, outer},
                              b.getContext());
    return read(type, buffer, indices, map, padding);
  }

  /// This invocation's cp.async copies of steps [k0, k0 + steps) of both
  /// inputs into slot `slot`, as one group. Steps past the end are zeros.
  Value copyGroup(Value copyA, Value copyB, Value k0, Value slot,
                  Value invocation) {
    SmallVector<Value> tokens;
    copySteps(0, plan.a, plan.loops.m, plan.rows, copyA, k0, slot, invocation,
              tokens);
    copySteps(1, plan.b, plan.loops.n, plan.columns, copyB, k0, slot,
              invocation, tokens);
    return nvgpu::DeviceAsyncCreateGroupOp::create(
        b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), tokens);
  }

  void copySteps(unsigned input, const MmaPlan::Staging &staging,
                 ArrayRef<unsigned> group, int64_t extent, Value stage,
                 Value k0, Value slot, Value invocation,
                 SmallVector<Value> &tokens) {
    OpOperand *operand = op.getDpsInputOperand(input);
    AffineMap map = op.getMatchingIndexingMap(operand);
    int64_t vector = kCopyBytes / elementBytes(operand->get().getType());
    // A line is a row of the staged buffer: a position's steps, or a
    // step's positions.
    int64_t chunks = (staging.kInner ? plan.steps : extent) / vector;
    int64_t lines = staging.kInner ? extent : plan.steps;
    AffineExpr t = b.getAffineDimExpr(0);
    for (int64_t first = 0; first < lines * chunks; first += workgroupSize) {
      Value line = apply((t + first).floorDiv(chunks), invocation);
      Value start = apply(((t + first) % chunks) * vector, invocation);
      Value position = staging.kInner ? line : start;
      Value k =
          arith::AddIOp::create(b, loc, k0, staging.kInner ? start : line);
      Value inside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, k,
                                           index(plan.depth));
      SmallVector<Value> values(plan.ranges.size(), index(0));
      values[group.front()] = position;
      values[plan.loops.k.front()] =
          arith::SelectOp::create(b, loc, inside, k, index(0));
      Value available =
          arith::SelectOp::create(b, loc, inside, index(vector), index(0));
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
          b, loc, nvgpu::DeviceAsyncTokenType::get(b.getContext()), stage,
          ValueRange{slot, line, start}, operand->get(),
          applyMap(b, loc, map, values), b.getIndexAttr(vector), available,
          b.getUnitAttr()));
    }
  }

  /// C[m, n] += A[m, k] * B[n, k], the form mma.sync takes.
  Value contract(Value x, Value y, Value accumulator) {
    AffineExpr m, n, k;
    bindDims(b.getContext(), m, n, k);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, {m, k}, b.getContext()),
        AffineMap::get(3, 0, {n, k}, b.getContext()),
        AffineMap::get(3, 0, {m, n}, b.getContext())};
    auto parallel = vector::IteratorTypeAttr::get(
        b.getContext(), vector::IteratorType::parallel);
    auto reduction = vector::IteratorTypeAttr::get(
        b.getContext(), vector::IteratorType::reduction);
    auto contraction = vector::ContractionOp::create(
        b, loc, x, y, accumulator, b.getAffineMapArrayAttr(maps),
        b.getArrayAttr({parallel, parallel, reduction}));
    contractions.push_back(contraction);
    return contraction.getResult();
  }

  /// Runs upstream's conversion on `root`, then gives each mma.sync the
  /// type that the f16 staging hides: bf16 as an NVVM mma.sync, since
  /// nvgpu's knows no bf16, and f32 as tf32.
  LogicalResult convert(Operation *root) {
    IRRewriter rewriter(b);
    if (failed(convertVectorToNVVMCompatibleMMASync(rewriter, root)))
      return failure();
    for (vector::ContractionOp contraction : contractions) {
      // The conversion puts each mma.sync where its contraction is.
      auto mma =
          dyn_cast_if_present<nvgpu::MmaSyncOp>(contraction->getPrevNode());
      if (!mma)
        return contraction.emitError(
            "tensor-core tile: the contraction did not become an mma.sync");
      if (plan.type == MmaType::TF32)
        mma.setTf32Enabled(true);
      if (plan.type == MmaType::BF16)
        replaceWithBf16(rewriter, mma);
    }
    return success();
  }

  void replaceWithBf16(RewriterBase &rewriter, nvgpu::MmaSyncOp mma) {
    rewriter.setInsertionPoint(mma);
    Type i32 = rewriter.getI32Type();
    // Each row of a fragment is one register of two 16-bit elements.
    auto words = [&](Value fragment) {
      SmallVector<Value> result;
      int64_t registers = cast<VectorType>(fragment.getType()).getDimSize(0);
      for (int64_t r = 0; r < registers; ++r) {
        Value pair = vector::ExtractOp::create(rewriter, loc, fragment, r);
        Value word = vector::BitCastOp::create(rewriter, loc,
                                               VectorType::get({1}, i32), pair);
        result.push_back(vector::ExtractOp::create(rewriter, loc, word, 0));
      }
      return result;
    };
    auto accumulatorType = cast<VectorType>(mma.getMatrixC().getType());
    SmallVector<Value> accumulators;
    for (int64_t r = 0; r < accumulatorType.getDimSize(0); ++r)
      for (int64_t c = 0; c < accumulatorType.getDimSize(1); ++c)
        accumulators.push_back(vector::ExtractOp::create(
            rewriter, loc, mma.getMatrixC(), ArrayRef<int64_t>{r, c}));
    SmallVector<Type> fields(accumulators.size(), f32());
    auto result = NVVM::MmaOp::create(
        rewriter, loc,
        LLVM::LLVMStructType::getLiteral(rewriter.getContext(), fields),
        words(mma.getMatrixA()), words(mma.getMatrixB()), accumulators,
        {kMmaRows, kMmaColumns, 16}, std::nullopt, std::nullopt,
        std::array{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
        std::array{NVVM::MMALayout::row, NVVM::MMALayout::col});
    SmallVector<Value> elements;
    for (int64_t i = 0; i < static_cast<int64_t>(fields.size()); ++i)
      elements.push_back(
          LLVM::ExtractValueOp::create(rewriter, loc, result, i));
    rewriter.replaceOp(mma, vector::FromElementsOp::create(
                                rewriter, loc, accumulatorType, elements));
  }

  SmallVector<vector::ContractionOp> contractions;
  Operation *stagingPoint = nullptr;
};

struct StrataNvvmMmaContractionsPass
    : impl::StrataNvvmMmaContractionsPassBase<StrataNvvmMmaContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (wgmmaStages && (wgmmaStages < 2 || wgmmaStages > kMaxWgmmaStages)) {
      getOperation().emitError()
          << "strata-nvvm-mma-contractions: wgmma-stages must be 0 (chosen) "
             "or 2 to "
          << kMaxWgmmaStages << ", not " << int64_t{wgmmaStages};
      return signalPassFailure();
    }
    for (WorkgroupTile &tile : collectWorkgroupTiles(getOperation())) {
      int64_t usedBytes = tile.bufferBytes();
      DenseSet<Operation *> applied;
      for (linalg::LinalgOp op : tile.ops) {
        if (applied.contains(op))
          continue;
        // A tile that applies its epilogue frees the buffer between them.
        linalg::GenericOp epilogue = findGemmEpilogue(op);
        int64_t freedBytes = epilogueBufferBytes(op, epilogue);
        FailureOr<MmaPlan> plan = makePlan(
            op, workgroupSize, workgroupMemoryBytes, usedBytes - freedBytes,
            allowTf32, wgmma, tma, wgmmaStages);
        // Other tiles are strata-gpu-promote-contractions'.
        if (failed(plan))
          continue;
        plan->epilogue = epilogue;
        if (epilogue)
          applied.insert(epilogue);
        if (plan->wgmma)
          buildWgmmaTile(op, *plan, workgroupSize);
        else if (failed(TileBuilder(op, *plan, workgroupSize).build()))
          return signalPassFailure();
        usedBytes += plan->workgroupBytes - freedBytes;
      }
    }
  }
};

} // namespace
} // namespace mlir::strata
