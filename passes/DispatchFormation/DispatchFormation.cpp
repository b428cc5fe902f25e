//===- DispatchFormation.cpp - an entry function as a dispatch sequence ---===//
//
// A model compiled as one kernel runs on one thread. Its root ops' tile
// loops are `scf.forall`s, whose iterations are independent; as dispatches
// of their own, the runtime's thread pool can run them as many workgroups.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAFORMDISPATCHESPASS
#include "passes/Passes.h.inc"

namespace {

/// Top-level ops that every dispatch may recompute: constants, globals'
/// addresses, views, and the stack scratch of tiles (each dispatch gets
/// its own).
bool isClonable(Operation &op) {
  return isa<memref::AllocaOp>(op) ||
         (op.getNumRegions() == 0 && isMemoryEffectFree(&op));
}

/// One dispatch: a parallel loop, or a run of other ops.
struct Step {
  SmallVector<Operation *> ops;
  scf::ForallOp forall;
};

/// The steps of `body`, or nothing when a value crosses from one step to
/// another (then the function stays whole).
std::optional<SmallVector<Step>> partition(Block &body) {
  SmallVector<Step> steps;
  llvm::DenseMap<Operation *, size_t> stepOf;
  for (Operation &op : body.without_terminator()) {
    if (isClonable(op))
      continue;
    auto forall = dyn_cast<scf::ForallOp>(op);
    if (forall || steps.empty() || steps.back().forall)
      steps.push_back({});
    steps.back().ops.push_back(&op);
    steps.back().forall = forall;
    stepOf[&op] = steps.size() - 1;
  }
  // Each dispatch gets its own copy of a stack buffer, so one must serve
  // a single step (through views, which are cloned too).
  for (auto alloca : body.getOps<memref::AllocaOp>()) {
    std::optional<size_t> only;
    SmallVector<Operation *> worklist = {alloca};
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      for (Operation *user : op->getUsers()) {
        Operation *top = body.findAncestorOpInBlock(*user);
        if (top && isClonable(*top) && top->getBlock() == &body &&
            top == user) {
          worklist.push_back(user);
          continue;
        }
        if (!top || !stepOf.count(top) || (only && *only != stepOf[top]))
          return std::nullopt;
        only = stepOf[top];
      }
    }
  }
  for (Operation &op : body.without_terminator()) {
    if (isClonable(op))
      continue;
    for (Operation *user : op.getUsers()) {
      Operation *top = body.findAncestorOpInBlock(*user);
      if (!top || !stepOf.count(top) || stepOf[top] != stepOf[&op])
        return std::nullopt;
    }
  }
  return steps;
}

/// Static trip count of every dimension of `forall`, or nothing.
std::optional<SmallVector<int64_t>> tripCounts(scf::ForallOp forall) {
  ArrayRef<int64_t> lbs = forall.getStaticLowerBound();
  ArrayRef<int64_t> ubs = forall.getStaticUpperBound();
  ArrayRef<int64_t> steps = forall.getStaticStep();
  SmallVector<int64_t> counts;
  for (auto [lb, ub, step] : llvm::zip(lbs, ubs, steps)) {
    if (ShapedType::isDynamic(lb) || ShapedType::isDynamic(ub) ||
        ShapedType::isDynamic(step) || step <= 0)
      return std::nullopt;
    counts.push_back(ub > lb ? (ub - lb + step - 1) / step : 0);
  }
  return counts;
}

struct StrataFormDispatchesPass
    : impl::StrataFormDispatchesPassBase<StrataFormDispatchesPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<func::FuncOp> entries;
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && func.isPublic())
        entries.push_back(func);
    for (func::FuncOp func : entries)
      if (failed(form(func)))
        return signalPassFailure();
  }

  LogicalResult form(func::FuncOp func) {
    Block &body = func.getBody().front();
    if (!isa<func::ReturnOp>(body.getTerminator()) ||
        body.getTerminator()->getNumOperands() != 0)
      return success();
    std::optional<SmallVector<Step>> steps = partition(body);
    if (!steps || llvm::none_of(*steps, [](const Step &s) { return s.forall; }))
      return success();
    for (Step &step : *steps)
      if (step.forall && !tripCounts(step.forall))
        return success();

    OpBuilder b(func);
    for (auto [index, step] : llvm::enumerate(*steps)) {
      int64_t workgroups = 1;
      if (step.forall) {
        int64_t total = ShapedType::getNumElements(*tripCounts(step.forall));
        workgroups =
            std::max<int64_t>(1, std::min<int64_t>(total, maxWorkgroups));
      }
      SmallVector<Type> argTypes(func.getArgumentTypes());
      if (step.forall)
        argTypes.push_back(b.getIndexType());
      auto dispatch = func::FuncOp::create(
          b, func.getLoc(),
          (func.getSymName() + "_dispatch_" + Twine(index)).str(),
          b.getFunctionType(argTypes, {}));
      for (NamedAttribute attr : func->getDiscardableAttrs())
        dispatch->setAttr(attr.getName(), attr.getValue());
      dispatch->setAttr("strata.dispatch",
                        b.getDenseI64ArrayAttr({static_cast<int64_t>(index),
                                                workgroups}));
      Block *entry = dispatch.addEntryBlock();
      OpBuilder db = OpBuilder::atBlockEnd(entry);
      IRMapping mapping;
      mapping.map(body.getArguments(),
                  entry->getArguments().take_front(body.getNumArguments()));
      cloneStep(db, body, step, mapping);
      if (step.forall)
        distribute(db, step.forall, mapping, entry->getArguments().back(),
                   workgroups);
      func::ReturnOp::create(db, func.getLoc());
    }
    func.erase();
    return success();
  }

  /// Clones the pure ops `step` uses (in body order) and its ops, except a
  /// forall, which distribute() rewrites.
  void cloneStep(OpBuilder &b, Block &body, const Step &step,
                 IRMapping &mapping) {
    llvm::SetVector<Operation *> needed;
    SmallVector<Operation *> worklist(step.ops.begin(), step.ops.end());
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands()) {
          Operation *def = operand.getDefiningOp();
          if (def && def->getBlock() == &body && isClonable(*def) &&
              needed.insert(def))
            worklist.push_back(def);
        }
      });
    }
    for (Operation &op : body.without_terminator()) {
      if (needed.contains(&op))
        b.clone(op, mapping);
      else if (llvm::is_contained(step.ops, &op) && &op != step.forall)
        b.clone(op, mapping);
    }
  }

  /// Runs the iterations of `forall` that workgroup `wg` of `workgroups`
  /// owns: a contiguous share of its leading dimensions, linearized, with
  /// the remaining dimensions as plain loops inside (so the index
  /// arithmetic runs once per row of tiles, not per tile).
  void distribute(OpBuilder &b, scf::ForallOp forall, IRMapping &mapping,
                  Value wg, int64_t workgroups) {
    Location loc = forall.getLoc();
    SmallVector<int64_t> counts = *tripCounts(forall);
    ArrayRef<int64_t> lbs = forall.getStaticLowerBound();
    ArrayRef<int64_t> steps = forall.getStaticStep();
    auto index = [&](OpBuilder &builder, int64_t v) {
      return arith::ConstantIndexOp::create(builder, loc, v).getResult();
    };
    // The fewest leading dims with at least one iteration per workgroup.
    int64_t outer = 0, total = 1;
    while (outer < static_cast<int64_t>(counts.size()) && total < workgroups)
      total *= counts[outer++];
    int64_t share = (total + workgroups - 1) / workgroups;
    Value begin = arith::MulIOp::create(b, loc, wg, index(b, share));
    Value end = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, begin, index(b, share)),
        index(b, total));
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
      auto inner = scf::ForOp::create(
          lb, loc, index(lb, lbs[d]),
          index(lb, lbs[d] + counts[d] * steps[d]), index(lb, steps[d]));
      ivs[d] = inner.getInductionVar();
      lb.setInsertionPointToStart(inner.getBody());
    }
    mapping.map(forall.getInductionVars(), ivs);
    for (Operation &op : forall.getBody()->without_terminator())
      lb.clone(op, mapping);
  }
};

} // namespace
} // namespace mlir::strata
