//===- Workgroups.cpp - a cpu kernel's tile loop over workgroups ----------===//
//
// A kernel whose work is one `scf.forall` (its root's independent tiles)
// runs on the runtime's threads as many workgroups, each a contiguous
// share of the loop's iterations; the export records how many. A kernel
// with anything else to do runs as one workgroup.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "passes/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATACPUDISTRIBUTEWORKGROUPSPASS
#include "passes/Passes.h.inc"

namespace {

/// Ops beside the loop that every workgroup runs again: constants, views,
/// and the stack scratch of tiles (each workgroup has its own).
bool isPerWorkgroup(Operation &op) {
  return isa<memref::AllocaOp>(op) ||
         (op.getNumRegions() == 0 && isMemoryEffectFree(&op));
}

/// Static trip count of every dimension of `forall`, or nothing.
std::optional<SmallVector<int64_t>> tripCounts(scf::ForallOp forall) {
  SmallVector<int64_t> counts;
  for (auto [lb, ub, step] :
       llvm::zip(forall.getStaticLowerBound(), forall.getStaticUpperBound(),
                 forall.getStaticStep())) {
    if (ShapedType::isDynamic(lb) || ShapedType::isDynamic(ub) ||
        ShapedType::isDynamic(step) || step <= 0)
      return std::nullopt;
    counts.push_back(ub > lb ? (ub - lb + step - 1) / step : 0);
  }
  return counts;
}

/// The kernel's one loop, when everything else it does is per workgroup
/// and the loop leaves the kernel's `scratch` trailing arguments alone (all
/// workgroups would share them).
scf::ForallOp soleLoop(func::FuncOp kernel, size_t scratch) {
  scf::ForallOp loop;
  for (Operation &op : kernel.getBody().front().without_terminator()) {
    if (isPerWorkgroup(op))
      continue;
    auto forall = dyn_cast<scf::ForallOp>(op);
    if (!forall || loop || !tripCounts(forall))
      return {};
    loop = forall;
  }
  ArrayRef<BlockArgument> args = kernel.getArguments();
  for (BlockArgument arg : args.take_back(std::min(scratch, args.size())))
    for (Operation *user : arg.getUsers())
      if (loop && loop->isAncestor(user))
        return {};
  return loop;
}

struct StrataCpuDistributeWorkgroupsPass
    : impl::StrataCpuDistributeWorkgroupsPassBase<
          StrataCpuDistributeWorkgroupsPass> {
  using Base::Base;

  void runOnOperation() override {
    schedule::ExecutableOp executable = getOperation();
    ModuleOp kernels = executable.getInnerModule();
    for (auto exported : executable.getOps<schedule::ExportOp>()) {
      auto kernel = kernels.lookupSymbol<func::FuncOp>(
          exported.getFunction().value_or(exported.getSymName()));
      int64_t workgroups = 1;
      if (kernel && !kernel.isExternal() &&
          kernel.getBody().front().getTerminator()->getNumOperands() == 0)
        if (scf::ForallOp loop = soleLoop(kernel, exported.getScratch().size()))
          workgroups = distribute(kernel, loop);
      exported.setWorkgroups(ArrayRef<int64_t>{workgroups, 1, 1});
    }
  }

  /// Gives `kernel` a trailing workgroup id and runs, for workgroup `wg`
  /// of the returned count, a contiguous share of `forall`'s leading
  /// dimensions, linearized, with the remaining dimensions as plain loops
  /// inside (so the index arithmetic runs once per row of tiles, not per
  /// tile).
  int64_t distribute(func::FuncOp kernel, scf::ForallOp forall) {
    Location loc = forall.getLoc();
    SmallVector<int64_t> counts = *tripCounts(forall);
    int64_t total = ShapedType::getNumElements(counts);
    int64_t workgroups =
        std::max<int64_t>(1, std::min<int64_t>(total, maxWorkgroups));
    Block &body = kernel.getBody().front();
    Value wg = body.addArgument(IndexType::get(&getContext()), loc);
    kernel.setType(FunctionType::get(&getContext(), body.getArgumentTypes(),
                                     kernel.getResultTypes()));

    ArrayRef<int64_t> lbs = forall.getStaticLowerBound();
    ArrayRef<int64_t> steps = forall.getStaticStep();
    OpBuilder b(forall);
    auto index = [&](OpBuilder &builder, int64_t v) {
      return arith::ConstantIndexOp::create(builder, loc, v).getResult();
    };
    // The fewest leading dims with at least one iteration per workgroup.
    int64_t outer = 0, leading = 1;
    while (outer < static_cast<int64_t>(counts.size()) && leading < workgroups)
      leading *= counts[outer++];
    int64_t share = (leading + workgroups - 1) / workgroups;
    Value begin = arith::MulIOp::create(b, loc, wg, index(b, share));
    Value end = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, begin, index(b, share)),
        index(b, leading));
    auto loop = scf::ForOp::create(b, loc, begin, end, index(b, 1));
    OpBuilder lb = OpBuilder::atBlockBegin(loop.getBody());
    Value rest = loop.getInductionVar();
    SmallVector<Value> ivs(counts.size());
    for (int64_t d = outer - 1; d >= 0; --d) {
      Value count = index(lb, counts[d]);
      Value digit = arith::RemUIOp::create(lb, loc, rest, count);
      rest = arith::DivUIOp::create(lb, loc, rest, count);
      ivs[d] = arith::AddIOp::create(
          lb, loc, index(lb, lbs[d]),
          arith::MulIOp::create(lb, loc, digit, index(lb, steps[d])));
    }
    for (int64_t d = outer; d < static_cast<int64_t>(counts.size()); ++d) {
      auto inner = scf::ForOp::create(lb, loc, index(lb, lbs[d]),
                                      index(lb, lbs[d] + counts[d] * steps[d]),
                                      index(lb, steps[d]));
      ivs[d] = inner.getInductionVar();
      lb.setInsertionPointToStart(inner.getBody());
    }
    IRMapping mapping;
    mapping.map(forall.getInductionVars(), ivs);
    for (Operation &op : forall.getBody()->without_terminator())
      lb.clone(op, mapping);
    forall.erase();
    return workgroups;
  }
};

} // namespace
} // namespace mlir::strata
