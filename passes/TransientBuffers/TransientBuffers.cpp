//===- TransientBuffers.cpp - whole-function allocations as bindings ------===//
//
// A kernel that mallocs its intermediates pays for fresh pages on every
// call; as bindings, they live in memory the runtime reuses.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATATRANSIENTBUFFERSPASS
#include "passes/Passes.h.inc"

namespace {

/// Bytes of a statically shaped, identity-layout memref, or nullopt.
std::optional<int64_t> byteSize(MemRefType type) {
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace())
    return std::nullopt;
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return std::nullopt;
  // Booleans and other sub-byte types take a byte each in memory.
  int64_t bytes =
      std::max<int64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
  return type.getNumElements() * bytes;
}

/// A tile's scratch buffer larger than this stays on the heap, as do those
/// beyond the per-function total (worker threads have small stacks).
constexpr int64_t kMaxStackBufferBytes = 64 * 1024;
constexpr int64_t kMaxStackBytesPerFunction = 256 * 1024;

/// Whether `alloc` is scratch of one loop iteration: small, static, never
/// yielded or returned, and freed (if at all) by a plain dealloc.
bool isIterationScratch(memref::AllocOp alloc) {
  std::optional<int64_t> bytes = byteSize(alloc.getType());
  if (!bytes || *bytes > kMaxStackBufferBytes ||
      alloc.getType().getMemorySpace() || !alloc.getDynamicSizes().empty() ||
      !alloc.getSymbolOperands().empty() ||
      !alloc->getParentOfType<LoopLikeOpInterface>())
    return false;
  SmallVector<Value> worklist = {alloc.getResult()};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (isa<memref::DeallocOp>(user) && value == alloc.getResult())
        continue;
      if (user->hasTrait<OpTrait::IsTerminator>() ||
          isa<memref::DeallocOp, memref::ExtractAlignedPointerAsIndexOp,
              CallOpInterface>(user) ||
          user->getName().getDialectNamespace() == "bufferization")
        return false;
      if (isa<ViewLikeOpInterface>(user)) {
        llvm::append_range(worklist, user->getResults());
        continue;
      }
      // Any other op that hands out a memref (a loop's iter_args, a
      // select) could carry the buffer out of the iteration.
      if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<MemRefType>))
        return false;
    }
  }
  return true;
}

struct StrataTransientBuffersPass
    : impl::StrataTransientBuffersPassBase<StrataTransientBuffersPass> {
  void runOnOperation() override {
    schedule::ExecutableOp executable = getOperation();
    for (auto func : executable.getInnerModule().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      hoistIterationScratch(func);
      auto exported =
          executable.lookupSymbol<schedule::ExportOp>(func.getSymName());
      if (func.isPublic() && exported)
        promote(func, exported);
    }
  }

  /// A buffer that a loop allocates in every iteration, and frees by its
  /// end, becomes one stack buffer at the function's entry, reused by every
  /// iteration (one-shot bufferization leaves such buffers in `scf.forall`
  /// tiles without a dealloc).
  void hoistIterationScratch(func::FuncOp func) {
    SmallVector<memref::AllocOp> allocs;
    int64_t stackBytes = 0;
    func.walk([&](memref::AllocOp alloc) {
      if (!isIterationScratch(alloc))
        return;
      int64_t bytes = *byteSize(alloc.getType());
      if (stackBytes + bytes > kMaxStackBytesPerFunction)
        return;
      stackBytes += bytes;
      allocs.push_back(alloc);
    });
    OpBuilder b = OpBuilder::atBlockBegin(&func.getBody().front());
    for (memref::AllocOp alloc : allocs) {
      auto alloca = memref::AllocaOp::create(b, alloc.getLoc(), alloc.getType(),
                                             alloc.getAlignmentAttr());
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc.replaceAllUsesWith(alloca.getResult());
      alloc.erase();
    }
  }

  void promote(func::FuncOp func, schedule::ExportOp exported) {
    Block &entry = func.getBody().front();
    SmallVector<int64_t> sizes;
    for (auto alloc :
         llvm::make_early_inc_range(entry.getOps<memref::AllocOp>())) {
      std::optional<int64_t> bytes = byteSize(alloc.getType());
      // A buffer in another memory space (a GPU workgroup's) is the
      // target's to place.
      if (!bytes || alloc.getType().getMemorySpace() ||
          !alloc.getDynamicSizes().empty() ||
          !alloc.getSymbolOperands().empty())
        continue;
      BlockArgument arg = entry.addArgument(alloc.getType(), alloc.getLoc());
      for (OpOperand &use : llvm::make_early_inc_range(alloc->getUses()))
        if (isa<memref::DeallocOp>(use.getOwner()))
          use.getOwner()->erase();
      alloc.replaceAllUsesWith(arg);
      alloc.erase();
      sizes.push_back(*bytes);
    }
    if (sizes.empty())
      return;
    func.setType(FunctionType::get(&getContext(), entry.getArgumentTypes(),
                                   func.getResultTypes()));
    exported.setScratch(sizes);
  }
};

} // namespace
} // namespace mlir::strata
