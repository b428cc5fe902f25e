//===- WgmmaTile.cpp - a GEMM tile on Hopper's warpgroup MMA --------------===//
//
// On sm_90a the workgroup's 128 threads, one warpgroup, multiply a tile
// with wgmma: m64nNk16 for each group of 64 rows, both operands read by
// the tensor cores from shared memory through matrix descriptors. Both
// are staged K-major in 8 x 8 core matrices without swizzling: a core
// matrix is 8 rows of 16 contiguous bytes, and a descriptor names the
// distance between core matrices along k (LBO) and along rows (SBO).
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

class WgmmaTile : MmaTileBuilder {
public:
  WgmmaTile(linalg::LinalgOp op, const MmaPlan &plan, int64_t workgroupSize)
      : MmaTileBuilder(op, plan, workgroupSize) {}

  void build() {
    MLIRContext *ctx = b.getContext();
    Type element = getElementTypeOrSelf(op.getDpsInputOperand(0)->get());
    int64_t columns = plan.paddedColumns;
    Value stageC = buffer({plan.paddedRows, columns}, b.getF32Type());
    Value stageA = buffer(
        {plan.paddedRows / kCore, plan.steps / kCore, kCore, kCore}, element);
    Value stageB =
        buffer({columns / kCore, plan.steps / kCore, kCore, kCore}, element);
    scf::ForallOp forall = createInvocationLoop(b, loc, workgroupSize);
    b.setInsertionPoint(forall.getBody()->getTerminator());
    Value invocation = forall.getInductionVar(0);
    copyOutputTile(stageC, invocation, /*toStage=*/true);
    gpu::BarrierOp::create(b, loc);

    int64_t groups = plan.paddedRows / kGroupRows;
    auto fragment = LLVM::LLVMStructType::getLiteral(
        ctx, SmallVector<Type>(columns / 2, b.getF32Type()));
    SmallVector<Value> initial;
    for (int64_t g = 0; g < groups; ++g) {
      Value accumulators = LLVM::PoisonOp::create(b, loc, fragment);
      for (int64_t i = 0; i < columns / 2; ++i) {
        auto [row, column] = fragmentPosition(invocation, g, i);
        Value value =
            memref::LoadOp::create(b, loc, stageC, ValueRange{row, column});
        accumulators =
            LLVM::InsertValueOp::create(b, loc, accumulators, value, i);
      }
      initial.push_back(accumulators);
    }
    Value baseA = address(stageA), baseB = address(stageB);
    auto kLoop = scf::ForOp::create(
        b, loc, index(0),
        index(static_cast<int64_t>(llvm::alignTo(plan.depth, plan.steps))),
        index(plan.steps), initial,
        [&](OpBuilder &nested, Location, Value k0, ValueRange accumulators) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToEnd(nested.getInsertionBlock());
          stage(0, plan.loops.m, plan.rows, stageA, k0, invocation);
          stage(1, plan.loops.n, plan.columns, stageB, k0, invocation);
          // The tensor cores read shared memory through the async proxy,
          // which must see the threads' stores.
          NVVM::FenceProxyOp::create(
              b, loc,
              NVVM::ProxyKindAttr::get(ctx, NVVM::ProxyKind::async_shared),
              NVVM::SharedSpaceAttr::get(ctx, NVVM::SharedSpace::shared_cta));
          gpu::BarrierOp::create(b, loc);
          NVVM::WgmmaFenceAlignedOp::create(b, loc);
          SmallVector<Value> next(accumulators);
          for (int64_t k = 0; k < plan.steps; k += kWgmmaSteps) {
            Value descriptorB = descriptor(baseB, k, 0);
            for (int64_t g = 0; g < groups; ++g)
              next[g] = multiply(next[g], descriptor(baseA, k, g * kGroupRows),
                                 descriptorB, element);
          }
          NVVM::WgmmaGroupSyncAlignedOp::create(b, loc);
          NVVM::WgmmaWaitGroupSyncOp::create(b, loc, b.getI64IntegerAttr(0));
          // The next steps overwrite what these read.
          gpu::BarrierOp::create(b, loc);
          scf::YieldOp::create(b, loc, next);
        });
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t i = 0; i < columns / 2; ++i) {
        auto [row, column] = fragmentPosition(invocation, g, i);
        Value value =
            LLVM::ExtractValueOp::create(b, loc, kLoop.getResult(g), i);
        memref::StoreOp::create(b, loc, value, stageC, ValueRange{row, column});
      }
    gpu::BarrierOp::create(b, loc);
    copyOutputTile(stageC, invocation, /*toStage=*/false);
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

  /// Copies steps [k0, k0 + steps) of input `input` into its core
  /// matrices: element (position p, step s) at [p / 8][s / 8][p % 8][s % 8].
  void stage(unsigned input, ArrayRef<unsigned> group, int64_t extent,
             Value buffer, Value k0, Value invocation) {
    auto at = [&](Value step, Value position) -> SmallVector<Value> {
      Value core = index(kCore);
      return {arith::DivUIOp::create(b, loc, position, core),
              arith::DivUIOp::create(b, loc, step, core),
              arith::RemUIOp::create(b, loc, position, core),
              arith::RemUIOp::create(b, loc, step, core)};
    };
    std::optional<int64_t> depth;
    if (plan.depth % plan.steps)
      depth = plan.depth;
    StagedOperand operand{input, group, extent, buffer};
    operand.storeAt = at;
    stageGemmOperand(b, loc, op, plan.loops, plan.ranges, operand, k0,
                     index(plan.steps), invocation, workgroupSize, depth);
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
};

} // namespace

void buildWgmmaTile(linalg::LinalgOp op, const MmaPlan &plan,
                    int64_t workgroupSize) {
  WgmmaTile(op, plan, workgroupSize).build();
}

} // namespace mlir::strata
