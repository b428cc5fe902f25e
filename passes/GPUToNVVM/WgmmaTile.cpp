//===- WgmmaTile.cpp - a GEMM tile on Hopper's warpgroup MMA --------------===//
//
// On sm_90a the workgroup's 128 threads, one warpgroup, multiply a tile
// with wgmma: m64nNk16 for each group of 64 rows, both operands read by
// the tensor cores from shared memory through matrix descriptors. Both
// are staged K-major in 8 x 8 core matrices without swizzling: a core
// matrix is 8 rows of 16 contiguous bytes, and a descriptor names the
// distance between core matrices along k (LBO) and along rows (SBO).
// The accumulators live in registers from the output's load to its
// store, so a tile of 128 x 128 needs shared memory only for its staged
// steps; wgmma is asynchronous, so the threads stage the next steps into
// a second slot while it multiplies.
//
//===----------------------------------------------------------------------===//

#include "passes/GPUToNVVM/MmaTiles.h"
#include "passes/LinalgToGPU/Tiles.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace mlir::strata {
namespace {

/// Rows and elements of a core matrix, and its bytes.
constexpr int64_t kCore = 8, kCoreBytes = 128;
constexpr int64_t kGroupRows = 64, kWgmmaSteps = 16;
/// Slots of staged steps: the threads fill one while wgmma reads the other.
constexpr int64_t kSlots = 2;

class WgmmaTile : MmaTileBuilder {
public:
  WgmmaTile(linalg::LinalgOp op, const MmaPlan &plan, int64_t workgroupSize)
      : MmaTileBuilder(op, plan, workgroupSize) {}

  void build() {
    MLIRContext *ctx = b.getContext();
    fill = takeFill();
    Type element = getElementTypeOrSelf(op.getDpsInputOperand(0)->get());
    int64_t columns = plan.paddedColumns;
    Value stageA = buffer(
        {kSlots, plan.paddedRows / kCore, plan.steps / kCore, kCore, kCore},
        element);
    Value stageB = buffer(
        {kSlots, columns / kCore, plan.steps / kCore, kCore, kCore}, element);
    scf::ForallOp forall = createInvocationLoop(b, loc, workgroupSize);
    b.setInsertionPoint(forall.getBody()->getTerminator());
    Value invocation = forall.getInductionVar(0);

    // The accumulators start at the fill of the output, or from the output
    // tile, read straight into the registers that wgmma accumulates in.
    int64_t groups = plan.paddedRows / kGroupRows;
    auto fragment = LLVM::LLVMStructType::getLiteral(
        ctx, SmallVector<Type>(columns / 2, b.getF32Type()));
    SmallVector<Value> initial;
    for (int64_t g = 0; g < groups; ++g) {
      Value accumulators = LLVM::PoisonOp::create(b, loc, fragment);
      for (int64_t i = 0; i < columns / 2; ++i) {
        auto [row, column] = fragmentPosition(invocation, g, i);
        accumulators = LLVM::InsertValueOp::create(b, loc, accumulators,
                                                   loadOutput(row, column), i);
      }
      initial.push_back(accumulators);
    }
    int64_t end = llvm::alignTo(plan.depth, plan.steps);
    stage(stageA, stageB, index(0), index(0), invocation);
    fenceStores();
    gpu::BarrierOp::create(b, loc);
    Value baseA = address(stageA), baseB = address(stageB);
    auto kLoop = scf::ForOp::create(
        b, loc, index(0), index(end), index(plan.steps), initial,
        [&](OpBuilder &nested, Location, Value k0, ValueRange accumulators) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          AffineExpr t = b.getAffineDimExpr(0);
          Value slot = apply(t.floorDiv(plan.steps) % kSlots, k0);
          Value slotA = slotAddress(baseA, stageA, slot),
                slotB = slotAddress(baseB, stageB, slot);
          NVVM::WgmmaFenceAlignedOp::create(b, loc);
          SmallVector<Value> next(accumulators);
          for (int64_t k = 0; k < plan.steps; k += kWgmmaSteps) {
            Value descriptorB = descriptor(slotB, k, 0);
            for (int64_t g = 0; g < groups; ++g)
              next[g] = multiply(next[g], descriptor(slotA, k, g * kGroupRows),
                                 descriptorB, element);
          }
          NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
          // The threads copy the next steps into the other slot while the
          // tensor cores multiply this one.
          Value following =
              arith::AddIOp::create(b, loc, k0, index(plan.steps));
          Value more = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                             following, index(end));
          auto copy = scf::IfOp::create(b, loc, more, /*withElse=*/false);
          b.setInsertionPointToStart(&copy.getThenRegion().front());
          stage(stageA, stageB,
                apply((t.floorDiv(plan.steps) + 1) % kSlots, k0), following,
                invocation);
          fenceStores();
          b.setInsertionPointAfter(copy);
          NVVM::WgmmaWaitGroupSyncOp::create(b, loc, b.getI64IntegerAttr(0));
          // The next steps overwrite what these read.
          gpu::BarrierOp::create(b, loc);
          scf::YieldOp::create(b, loc, next);
        });
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t i = 0; i < columns / 2; ++i) {
        auto [row, column] = fragmentPosition(invocation, g, i);
        storeOutput(LLVM::ExtractValueOp::create(b, loc, kLoop.getResult(g), i),
                    row, column);
      }
    op->erase();
  }

private:
  Value i64(int64_t value) {
    return arith::ConstantIntOp::create(b, loc, value, 64);
  }

  /// Where the accumulator `i` of group `g` that `invocation` holds lies
  /// in the tile: warp w's threads hold rows 16w to 16w + 15 of the
  /// group, four threads to a row, two columns each per 8 columns, and
  /// rows r and r + 8 in alternate pairs of registers.
  std::pair<Value, Value> fragmentPosition(Value invocation, int64_t g,
                                           int64_t i) {
    AffineExpr t = b.getAffineDimExpr(0);
    AffineExpr row = g * kGroupRows + t.floorDiv(32) * 16 +
                     (t % 32).floorDiv(4) + 8 * ((i / 2) % 2);
    AffineExpr column = 8 * (i / 4) + (t % 4) * 2 + i % 2;
    return {apply(row, invocation), apply(column, invocation)};
  }

  /// Copies steps [k0, k0 + steps) of both inputs into slot `slot` of
  /// their core matrices: element (position p, step s) at
  /// [slot][p / 8][s / 8][p % 8][s % 8]; steps past the depth as zeros.
  void stage(Value stageA, Value stageB, Value slot, Value k0,
             Value invocation) {
    auto at = [&](Value step, Value position) -> SmallVector<Value> {
      Value core = index(kCore);
      return {slot, arith::DivUIOp::create(b, loc, position, core),
              arith::DivUIOp::create(b, loc, step, core),
              arith::RemUIOp::create(b, loc, position, core),
              arith::RemUIOp::create(b, loc, step, core)};
    };
    std::optional<int64_t> depth;
    if (plan.depth % plan.steps)
      depth = plan.depth;
    SmallVector<StagedOperand> operands;
    for (auto [input, group, extent, buffer] :
         {std::tuple{0u, ArrayRef<unsigned>(plan.loops.m), plan.rows, stageA},
          std::tuple{1u, ArrayRef<unsigned>(plan.loops.n), plan.columns,
                     stageB}}) {
      StagedOperand &operand =
          operands.emplace_back(StagedOperand{input, group, extent, buffer});
      operand.storeAt = at;
      // 16 bytes a load where the rows allow, every load of a step in
      // flight at once. (Vector copies do not zero-fill past the depth.)
      if (!depth)
        operand.vectorWidth = stagedVectorWidth(
            op, plan.loops, plan.ranges, input, group, extent, plan.steps,
            /*exact=*/true, kCopyBytes / elementBytes(buffer.getType()),
            /*narrow=*/true);
      operand.alignedVectors = true;
      operand.unrolled = true;
    }
    stageGemmOperands(b, loc, op, plan.loops, plan.ranges, operands, k0,
                      index(plan.steps), invocation, workgroupSize, depth);
  }

  /// The tensor cores read shared memory through the async proxy, which
  /// must see the threads' stores.
  void fenceStores() {
    MLIRContext *ctx = b.getContext();
    NVVM::FenceProxyOp::create(
        b, loc, NVVM::ProxyKindAttr::get(ctx, NVVM::ProxyKind::async_shared),
        NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
  }

  /// The output's element at (`row`, `column`) of the tile, as f32; zero
  /// in the rows and columns that round the tile up.
  Value loadOutput(Value row, Value column) {
    if (fill)
      return fill;
    Value output = op.getDpsInitOperand(0)->get();
    Value inside = insideTile(row, column);
    if (inside) {
      row = arith::MinUIOp::create(b, loc, row, index(plan.rows - 1));
      column = arith::MinUIOp::create(b, loc, column, index(plan.columns - 1));
    }
    Value value = toSum(
        memref::LoadOp::create(b, loc, output, outputIndices(row, column)));
    if (!inside)
      return value;
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
    return arith::SelectOp::create(b, loc, inside, value, zero);
  }

  /// Stores `value` (f32, rounded to the output's type) at (`row`,
  /// `column`) of the tile, unless that is past its rows or columns.
  void storeOutput(Value value, Value row, Value column) {
    Value output = op.getDpsInitOperand(0)->get();
    OpBuilder::InsertionGuard guard(b);
    if (Value inside = insideTile(row, column)) {
      auto store = scf::IfOp::create(b, loc, inside, /*withElse=*/false);
      b.setInsertionPointToStart(&store.getThenRegion().front());
    }
    Value rounded = fromSum(value);
    memref::StoreOp::create(b, loc, rounded, output,
                            outputIndices(row, column));
  }

  /// Whether (`row`, `column`) lies in the tile; null where the tile is
  /// not rounded up, so every position does.
  Value insideTile(Value row, Value column) {
    Value inside;
    for (auto [position, extent, padded] :
         {std::tuple{row, plan.rows, plan.paddedRows},
          std::tuple{column, plan.columns, plan.paddedColumns}}) {
      if (extent == padded)
        continue;
      Value within = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                           position, index(extent));
      inside = inside ? arith::AndIOp::create(b, loc, inside, within) : within;
    }
    return inside;
  }

  /// The address of slot `slot` of `buffer`, whose address is `base`.
  Value slotAddress(Value base, Value buffer, Value slot) {
    auto type = cast<MemRefType>(buffer.getType());
    int64_t bytes = type.getNumElements() / kSlots * elementBytes(type);
    Value offset = arith::MulIOp::create(
        b, loc, arith::IndexCastOp::create(b, loc, b.getI64Type(), slot),
        i64(bytes));
    return arith::AddIOp::create(b, loc, base, offset);
  }

  /// The shared-memory address of `buffer`, as an i64.
  Value address(Value buffer) {
    Value pointer =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), pointer);
  }

  /// The matrix descriptor of the 64 rows (or all columns) of a staged
  /// input from `row` on, steps [k, k + 16): no swizzling, LBO between
  /// core matrices along k, SBO between core matrices along rows.
  Value descriptor(Value base, int64_t k, int64_t row) {
    int64_t lbo = kCoreBytes, sbo = plan.steps / kCore * kCoreBytes;
    Value start = arith::AddIOp::create(
        b, loc, base, i64(row / kCore * sbo + k / kCore * lbo));
    // Bits 0-13: the address / 16 within the 256 KiB shared window.
    Value field = arith::ShRUIOp::create(
        b, loc, arith::AndIOp::create(b, loc, start, i64(0x3FFFF)), i64(4));
    int64_t strides = (lbo >> 4) << 16 | (sbo >> 4) << 32;
    return arith::OrIOp::create(b, loc, field, i64(strides));
  }

  Value multiply(Value accumulators, Value descriptorA, Value descriptorB,
                 Type element) {
    MLIRContext *ctx = b.getContext();
    auto type = NVVM::WGMMATypesAttr::get(
        ctx, element.isBF16() ? NVVM::WGMMATypes::bf16 : NVVM::WGMMATypes::f16);
    return NVVM::WgmmaMmaAsyncOp::create(
        b, loc, accumulators.getType(), accumulators, descriptorA, descriptorB,
        NVVM::MMAShapeAttr::get(ctx, kGroupRows, plan.paddedColumns,
                                kWgmmaSteps),
        type, type, NVVM::WGMMATypesAttr::get(ctx, NVVM::WGMMATypes::f32),
        NVVM::WGMMAScaleOutAttr::get(ctx, NVVM::WGMMAScaleOut::one),
        NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
        NVVM::WGMMAScaleInAttr::get(ctx, NVVM::WGMMAScaleIn::one),
        // K-major A and B.
        NVVM::MMALayoutAttr::get(ctx, NVVM::MMALayout::row),
        NVVM::MMALayoutAttr::get(ctx, NVVM::MMALayout::col),
        NVVM::MMAIntOverflowAttr());
  }

  /// What the output is filled with before the tile, if anything.
  Value fill;
};

} // namespace

void buildWgmmaTile(linalg::LinalgOp op, const MmaPlan &plan,
                    int64_t workgroupSize) {
  WgmmaTile(op, plan, workgroupSize).build();
}

} // namespace mlir::strata
