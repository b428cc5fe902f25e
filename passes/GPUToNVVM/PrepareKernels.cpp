//===- PrepareKernels.cpp - kernels in the form the NVVM lowering takes ---===//
//
// Upstream's GPU->NVVM conversion takes workgroup memory as a kernel's
// workgroup attributions (static shared memory, at most 48 KiB) or views
// of its dynamic shared memory, has no lowering for subgroup reductions,
// subgroup ids or subgroup counts, and leaves math that libdevice lacks.
// This pass rewrites each into what it takes: views of dynamic shared
// memory (whose size the runtime gives each launch, past 48 KiB too), a
// 32-lane warp's butterfly of shuffles (split into 32-bit words for 64-bit
// values, which the shuffle cannot carry), and the warp's index and count
// from the known block size.
//
//===----------------------------------------------------------------------===//

#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Passes.h"
#include "passes/Utils/MemorySpace.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Utils/GPUUtils.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATANVVMPREPAREKERNELSPASS
#include "passes/Passes.h.inc"

namespace {

constexpr int64_t kWarpSize = 32;
/// Where every binding starts: buffers from cuMemAlloc at 256 bytes or
/// more, and the compiler's binding offsets at multiples of 64 (the
/// artifact's kBindingAlignment), which the cuda device checks.
constexpr int64_t kBindingAlignment = 64;

/// A 64-bit value reduced across the warp: each butterfly step exchanges
/// its two 32-bit halves.
struct WideSubgroupReduce : OpRewritePattern<gpu::SubgroupReduceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(gpu::SubgroupReduceOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!type.isIntOrFloat() || type.getIntOrFloatBitWidth() != 64 ||
        op.getClusterSize())
      return failure();
    Location loc = op.getLoc();
    Type i32 = rewriter.getI32Type(), i64 = rewriter.getI64Type();
    Value width = arith::ConstantIntOp::create(rewriter, loc, i32, kWarpSize);
    Value shift = arith::ConstantIntOp::create(rewriter, loc, i64, 32);
    vector::CombiningKind kind = gpu::convertReductionKind(op.getOp());
    Value value = op.getValue();
    for (int64_t offset = kWarpSize / 2; offset >= 1; offset /= 2) {
      Value bits = arith::BitcastOp::create(rewriter, loc, i64, value);
      Value low = arith::TruncIOp::create(rewriter, loc, i32, bits);
      Value high = arith::TruncIOp::create(
          rewriter, loc, i32,
          arith::ShRUIOp::create(rewriter, loc, bits, shift));
      Value lane = arith::ConstantIntOp::create(rewriter, loc, i32, offset);
      auto exchange = [&](Value word) -> Value {
        Value got = gpu::ShuffleOp::create(rewriter, loc, word, lane, width,
                                           gpu::ShuffleMode::XOR)
                        .getShuffleResult();
        return arith::ExtUIOp::create(rewriter, loc, i64, got);
      };
      Value other = arith::OrIOp::create(
          rewriter, loc, exchange(low),
          arith::ShLIOp::create(rewriter, loc, exchange(high), shift));
      value = vector::makeArithReduction(
          rewriter, loc, kind, value,
          arith::BitcastOp::create(rewriter, loc, type, other));
    }
    rewriter.replaceOp(op, value);
    return success();
  }
};

struct StrataNvvmPrepareKernelsPass
    : impl::StrataNvvmPrepareKernelsPassBase<StrataNvvmPrepareKernelsPass> {
  void runOnOperation() override {
    WalkResult result = getOperation()->walk([&](gpu::GPUFuncOp kernel) {
      if (!kernel.isKernel())
        return WalkResult::advance();
      if (failed(prepare(kernel)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();

    RewritePatternSet patterns(&getContext());
    patterns.add<WideSubgroupReduce>(&getContext(), /*benefit=*/2);
    populateGpuLowerSubgroupReduceToShufflePatterns(patterns, kWarpSize);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    getOperation()->walk([&](gpu::SubgroupReduceOp op) {
      op.emitError("no lowering of this subgroup reduction to NVVM");
      signalPassFailure();
    });
  }

  LogicalResult prepare(gpu::GPUFuncOp kernel) {
    std::optional<ArrayRef<int32_t>> block = kernel.getKnownBlockSize();
    if (!block)
      return kernel.emitError("kernel @")
             << kernel.getName() << " has no known block size";
    int64_t threads = int64_t{(*block)[0]} * (*block)[1] * (*block)[2];
    if ((*block)[1] != 1 || (*block)[2] != 1 || threads % kWarpSize != 0)
      return kernel.emitError("kernel @")
             << kernel.getName() << "'s block of " << (*block)[0] << "x"
             << (*block)[1] << "x" << (*block)[2]
             << " threads is not a row of whole warps";

    // LLVM then merges a thread's neighbouring accesses into vector ones.
    for (auto [i, argument] : llvm::enumerate(kernel.getArguments()))
      if (isa<MemRefType>(argument.getType()))
        kernel.setArgAttr(
            i, LLVM::LLVMDialect::getAlignAttrName(),
            IntegerAttr::get(IntegerType::get(kernel.getContext(), 64),
                             kBindingAlignment));

    SmallVector<memref::AllocOp> allocs;
    kernel.walk([&](memref::AllocOp alloc) {
      if (isWorkgroupMemory(alloc.getType()))
        allocs.push_back(alloc);
    });
    // The buffers are views of the block's dynamic shared memory, in
    // order, each at the next aligned offset: the layout that
    // strata-gpu-distribute counted as the kernel's shared_memory, which
    // the runtime gives each launch.
    OpBuilder b(kernel.getContext());
    b.setInsertionPointToStart(&kernel.getBody().front());
    Value shared;
    int64_t offset = 0;
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity())
        return alloc.emitError("workgroup buffer of dynamic shape or layout ")
               << type;
      Location loc = alloc.getLoc();
      if (!shared)
        shared = gpu::DynamicSharedMemoryOp::create(
            b, loc,
            MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                            MemRefLayoutAttrInterface(),
                            type.getMemorySpace()));
      Value view = memref::ViewOp::create(
          b, loc, type, shared, arith::ConstantIndexOp::create(b, loc, offset),
          ValueRange{});
      offset += workgroupBufferBytes(type);
      alloc.replaceAllUsesWith(view);
      alloc.erase();
    }

    kernel.walk([&](Operation *op) {
      if (!isa<gpu::SubgroupIdOp, gpu::NumSubgroupsOp>(op))
        return;
      b.setInsertionPoint(op);
      Location loc = op->getLoc();
      Value replacement;
      if (isa<gpu::SubgroupIdOp>(op))
        replacement = arith::DivUIOp::create(
            b, loc, gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x),
            arith::ConstantIndexOp::create(b, loc, kWarpSize));
      else
        replacement = arith::ConstantIndexOp::create(
            b, loc, llvm::divideCeil(threads, kWarpSize));
      op->getResult(0).replaceAllUsesWith(replacement);
      op->erase();
    });
    return success();
  }
};

} // namespace
} // namespace mlir::strata
