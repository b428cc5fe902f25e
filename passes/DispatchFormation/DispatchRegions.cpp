//===- DispatchRegions.cpp - the entry function as dispatch regions -------===//
//
// Target-neutral dispatch formation on linalg on tensors: the entry
// function's ops are grouped into regions, each one root op with the
// producers that fuse into it, and each region is outlined as a kernel of
// a schedule.executable that the host function dispatches. Every target
// then compiles the same regions, and every step keeps the name of the
// layer it came from.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "passes/Passes.h"
#include "passes/Utils/ConvMatch.h"
#include "passes/Utils/FusionRoots.h"

#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAFORMDISPATCHREGIONSPASS
#include "passes/Passes.h.inc"

namespace {

/// Ops that every region which needs them recomputes instead of reading a
/// buffer: constants, empty tensors and fills (which tiling fuses into each
/// consumer's tiles), reshapes and slices (views), and scalar arithmetic.
bool isClonable(Operation *op) {
  if (isFill(op) ||
      isa<arith::ConstantOp, tensor::EmptyOp, tensor::ExpandShapeOp,
          tensor::CollapseShapeOp, tensor::CastOp, tensor::ExtractSliceOp>(op))
    return true;
  return op->getNumRegions() == 0 && isMemoryEffectFree(op) &&
         llvm::none_of(op->getResultTypes(), llvm::IsaPred<TensorType>);
}

bool isReshape(Operation *op) {
  return isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op);
}

/// Whether `op` is a constant that steps read from a buffer: dense,
/// non-splat, of at least `minBytes` bytes (the weights: device code stays
/// small and quick to compile, and they go into the artifact as they are,
/// booleans a byte each).
bool isHostConstant(Operation *op, int64_t minBytes) {
  auto constant = dyn_cast<arith::ConstantOp>(op);
  if (!constant)
    return false;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!dense || dense.isSplat() || !type || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat())
    return false;
  int64_t bits = std::max<int64_t>(8, type.getElementTypeBitWidth());
  return bits % 8 == 0 && type.getNumElements() * (bits / 8) >= minBytes;
}

/// The one op that uses all of `op`'s results, if there is one.
Operation *soleUser(Operation *op) {
  Operation *user = nullptr;
  for (Operation *candidate : op->getUsers()) {
    if (user && candidate != user)
      return nullptr;
    user = candidate;
  }
  return user;
}

/// Whether `op` joins the region of its only user: an op with results that
/// are not tensors, a linalg op that its user reads once per tile (each
/// element is computed once in the fused tile), or data movement
/// (pads, inserts, loops) feeding more data movement, which then runs as
/// one step instead of copying its tensor from step to step. A linalg op
/// read through a broadcast or by a contraction would be recomputed per
/// tile, so it is a root.
bool joinsUser(Operation *op, Operation *user) {
  if (!user || isClonable(user) || isa<func::ReturnOp>(user) ||
      user->getBlock() != op->getBlock())
    return false;
  // An op that makes scalars for one user (a loop carrying a running
  // product) runs in its user's step.
  if (llvm::any_of(op->getResultTypes(),
                   [](Type type) { return !isa<TensorType>(type); }))
    return true;
  auto producer = dyn_cast<linalg::LinalgOp>(op);
  auto consumer = dyn_cast<linalg::LinalgOp>(user);
  if (producer && consumer)
    return op->getNumResults() == 1 &&
           llvm::all_of(op->getResult(0).getUses(), readsOncePerTile);
  return !producer && !consumer;
}

/// A multiply-accumulate over reduction loops (a matmul or convolution,
/// in floats or integers).
bool isContraction(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  return generic && generic.getNumReductionLoops() > 0 &&
         generic.getNumDpsInputs() == 2 && isMulAdd(generic);
}

/// Any other reduction (a pooling, a mean).
bool isPooling(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0 && !isContraction(op);
}

/// Whether elementwise `op` reads a contraction's result, directly or
/// through other elementwise ops (its epilogue).
bool afterContraction(Operation *op) {
  SmallVector<Operation *> pending = {op};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!pending.empty()) {
    auto linalgOp = dyn_cast<linalg::LinalgOp>(pending.pop_back_val());
    if (!linalgOp || linalgOp.getNumReductionLoops() > 0 ||
        !seen.insert(linalgOp).second)
      continue;
    for (Value v : linalgOp->getOperands())
      if (Operation *def = v.getDefiningOp()) {
        if (isContraction(def))
          return true;
        pending.push_back(def);
      }
  }
  return false;
}

/// The name of the layer `loc` comes from: its first NameLoc.
std::string layerName(Location loc) {
  if (auto named = dyn_cast<NameLoc>(loc))
    return named.getName().str();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location part : fused.getLocations())
      if (std::string name = layerName(part); !name.empty())
        return name;
  if (auto call = dyn_cast<CallSiteLoc>(loc))
    return layerName(call.getCallee());
  return "";
}

struct StrataFormDispatchRegionsPass
    : impl::StrataFormDispatchRegionsPassBase<StrataFormDispatchRegionsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && func.isPublic())
        entries.push_back(func);
    if (entries.empty())
      return;
    OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
    auto executable = schedule::ExecutableOp::create(
        b, module.getLoc(), (target + "_" + Twine(device)).str(), target,
        device);
    Block *body = b.createBlock(&executable.getBody());
    b.setInsertionPointToStart(body);
    auto kernels = ModuleOp::create(b, module.getLoc());
    for (func::FuncOp func : entries)
      if (failed(form(func, executable, kernels)))
        return signalPassFailure();
    // A reshaped empty tensor becomes an empty tensor of the new shape, so
    // that a kernel writes its result where the result is bound rather
    // than into scratch it then copies from.
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(applyPatternsGreedily(kernels, std::move(patterns))))
      return signalPassFailure();
  }

  /// Whether the regions that read `op` recompute it. A returned value
  /// must be a step's result, so a clonable op that is returned is a
  /// region of its own.
  bool recomputed(Operation *op) {
    return isClonable(op) && !returned.contains(op) &&
           !returnedViews.contains(op) && !onHost(op);
  }

  /// Whether `op` is a constant the host schedule keeps and passes to the
  /// steps that read it (returned, it is copied to the output).
  bool onHost(Operation *op) {
    return isHostConstant(op, hostConstantBytes);
  }

  /// The reshape that reads all of `op`'s results, if it is returned or
  /// leads through reshapes to one that is. It joins `op`'s region, which
  /// then writes the result where the output is bound instead of a step
  /// of its own copying it there.
  Operation *returnedView(Operation *op) {
    Operation *user = soleUser(op);
    if (!isReshape(user) || user->getBlock() != op->getBlock() ||
        !llvm::all_of(op->getResultTypes(), llvm::IsaPred<TensorType>))
      return nullptr;
    return returned.contains(user) || returnedViews.contains(user) ? user
                                                                   : nullptr;
  }

  /// The regions of `body` in the order their roots appear: every op that
  /// is not recomputed belongs to exactly one.
  SmallVector<SmallVector<Operation *>> partition(Block &body) {
    llvm::DenseMap<Operation *, Operation *> rootOf;
    SmallVector<Operation *> ops;
    for (Operation &op : body.without_terminator())
      if (!recomputed(&op) && !onHost(&op))
        ops.push_back(&op);
    // Users come after producers, so walking backwards finds each user's
    // root first.
    llvm::DenseSet<Operation *> pooling; // roots of regions with a pooling
    for (Operation *op : llvm::reverse(ops)) {
      Operation *user = soleUser(op);
      if (Operation *view = returnedView(op))
        user = view;
      else if (!joinsUser(op, user))
        user = nullptr;
      rootOf[op] = user ? rootOf.lookup(user) : op;
      if (!rootOf[op] || (separatePooling && pooling.contains(rootOf[op]) &&
                          (isContraction(op) || afterContraction(op))))
        rootOf[op] = op;
      if (isPooling(op))
        pooling.insert(rootOf[op]);
    }
    llvm::MapVector<Operation *, SmallVector<Operation *>> regions;
    for (Operation *op : ops)
      regions[rootOf[op]].push_back(op);
    // Order by root: a region's inputs come from regions whose roots are
    // earlier.
    SmallVector<Operation *> roots =
        llvm::map_to_vector(regions, [](auto &entry) { return entry.first; });
    llvm::sort(roots, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    SmallVector<SmallVector<Operation *>> result;
    for (Operation *root : roots)
      result.push_back(std::move(regions[root]));
    return result;
  }

  LogicalResult form(func::FuncOp func, schedule::ExecutableOp executable,
                     ModuleOp kernels) {
    Block &body = func.getBody().front();
    Operation *ret = body.getTerminator();
    returned.clear();
    returnedViews.clear();
    for (Value value : ret->getOperands())
      if (Operation *def = value.getDefiningOp())
        returned.insert(def);
    for (Operation *def : returned)
      for (Operation *view = def; isReshape(view);) {
        view = view->getOperand(0).getDefiningOp();
        if (!isReshape(view) || !view->hasOneUse())
          break;
        returnedViews.insert(view);
      }
    SmallVector<SmallVector<Operation *>> regions = partition(body);
    // What each region produces for the host: the values of its ops used
    // outside it.
    IRMapping host;
    OpBuilder b(ret);
    for (auto [index, ops] : llvm::enumerate(regions)) {
      llvm::SmallPtrSet<Operation *, 8> members(ops.begin(), ops.end());
      llvm::SetVector<Operation *> clones;
      llvm::SetVector<Value> inputs;
      SmallVector<Value> outputs;
      collectInputs(ops, members, clones, inputs);
      for (Operation *op : ops)
        for (Value result : op->getResults())
          if (llvm::any_of(result.getUsers(), [&](Operation *user) {
                return !members.contains(body.findAncestorOpInBlock(*user));
              }))
            outputs.push_back(result);
      if (outputs.empty())
        continue; // dead: nothing reads what it computes

      std::string kernelName =
          (func.getSymName() + "_dispatch_" + Twine(index)).str();
      // The region is the op that computes it, not a reshape after it.
      auto computes = llvm::find_if(
          llvm::reverse(ops), [](Operation *op) { return !isReshape(op); });
      Operation *root = computes == ops.rend() ? ops.back() : *computes;
      std::string step = layerName(root->getLoc());
      if (step.empty())
        step = layerName(ops.back()->getLoc());
      if (step.empty())
        step = kernelName;
      OpBuilder kb = OpBuilder::atBlockEnd(kernels.getBody());
      // Only tensors cross between steps: a scalar goes as a 0-d tensor,
      // an index as an i64.
      auto boxed = [&](Value value) -> Type {
        Type type = value.getType();
        if (isa<TensorType>(type))
          return type;
        return RankedTensorType::get({},
                                     type.isIndex() ? kb.getI64Type() : type);
      };
      SmallVector<Type> inputTypes = llvm::map_to_vector(inputs, boxed);
      SmallVector<Type> outputTypes = llvm::map_to_vector(outputs, boxed);
      auto kernel =
          func::FuncOp::create(kb, root->getLoc(), kernelName,
                               kb.getFunctionType(inputTypes, outputTypes));
      // Inputs are bound for reading: a kernel that wants to write into
      // one works on a copy (one-shot bufferization reads this attribute).
      for (unsigned i = 0; i < inputs.size(); ++i)
        kernel.setArgAttr(i, "bufferization.writable", kb.getBoolAttr(false));
      Block *entry = kernel.addEntryBlock();
      kb.setInsertionPointToStart(entry);
      IRMapping mapping;
      for (auto [input, arg] : llvm::zip(inputs, entry->getArguments())) {
        Value value = arg;
        if (!isa<TensorType>(input.getType())) {
          value =
              tensor::ExtractOp::create(kb, kernel.getLoc(), arg, ValueRange{});
          if (input.getType().isIndex())
            value = arith::IndexCastOp::create(kb, kernel.getLoc(),
                                               input.getType(), value);
        }
        mapping.map(input, value);
      }
      for (Operation &op : body.without_terminator())
        if (clones.contains(&op) || members.contains(&op))
          kb.clone(op, mapping);
      SmallVector<Value> results;
      for (auto [output, type] : llvm::zip(outputs, outputTypes)) {
        Value value = mapping.lookup(output);
        if (value.getType() != type) {
          if (value.getType().isIndex())
            value = arith::IndexCastOp::create(kb, kernel.getLoc(),
                                               kb.getI64Type(), value);
          value =
              tensor::FromElementsOp::create(kb, kernel.getLoc(), type, value);
        }
        results.push_back(value);
      }
      func::ReturnOp::create(kb, kernel.getLoc(), results);

      SmallVector<int32_t> access(inputs.size(),
                                  static_cast<int32_t>(schedule::Access::Read));
      access.append(outputs.size(),
                    static_cast<int32_t>(schedule::Access::Write));
      OpBuilder eb = OpBuilder::atBlockBegin(&executable.getBody().front());
      eb.setInsertionPoint(kernels);
      schedule::ExportOp::create(
          eb, kernel.getLoc(), eb.getStringAttr(kernelName),
          eb.getDenseI32ArrayAttr(access), FlatSymbolRefAttr(),
          DenseI64ArrayAttr(), FlatSymbolRefAttr(), DenseI64ArrayAttr(),
          DenseI64ArrayAttr(), IntegerAttr(), IntegerAttr(), ArrayAttr());

      SmallVector<Value> operands;
      for (Value input : inputs) {
        Value mapped = host.lookupOrNull(input);
        Operation *def = input.getDefiningOp();
        if (!mapped && !isa<BlockArgument>(input) && !(def && onHost(def)))
          return root->emitOpError(
              "reads a value of a later region; the regions cannot be "
              "ordered");
        operands.push_back(mapped ? mapped : input);
      }
      auto dispatch = schedule::DispatchOp::create(
          b, root->getLoc(), outputTypes,
          SymbolRefAttr::get(executable.getSymNameAttr(),
                             {FlatSymbolRefAttr::get(kernel)}),
          operands, step);
      host.map(outputs, dispatch.getResults());
    }
    if (failed(materializeReturns(func, ret, host)))
      return failure();
    // The host function keeps only its steps and the constants they read.
    SmallVector<Operation *> computed;
    for (Operation &op : body.without_terminator())
      if (!isa<schedule::DispatchOp, schedule::CopyOp>(op) &&
          !(onHost(&op) && !op.use_empty()))
        computed.push_back(&op);
    for (Operation *op : llvm::reverse(computed)) {
      if (!op->use_empty())
        return op->emitOpError("is still used by the host schedule");
      op->erase();
    }
    return success();
  }

  /// The values defined outside `ops` that they read: block arguments and
  /// other regions' results become inputs; clonable ops are recomputed in
  /// the region (their own operands followed the same way).
  void collectInputs(ArrayRef<Operation *> ops,
                     const llvm::SmallPtrSetImpl<Operation *> &members,
                     llvm::SetVector<Operation *> &clones,
                     llvm::SetVector<Value> &inputs) {
    SmallVector<Operation *> worklist(ops.begin(), ops.end());
    while (!worklist.empty()) {
      Operation *op = worklist.pop_back_val();
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands()) {
          // Values of the op's own regions stay inside it.
          if (op->isAncestor(operand.getParentBlock()->getParentOp()))
            continue;
          Operation *def = operand.getDefiningOp();
          if (def && members.contains(def))
            continue;
          if (def && recomputed(def)) {
            if (clones.insert(def))
              worklist.push_back(def);
            continue;
          }
          inputs.insert(operand);
        }
      });
    }
  }

  /// The host function returns distinct buffers that steps wrote: a
  /// returned argument or constant, or a value returned twice, becomes a
  /// copy.
  LogicalResult materializeReturns(func::FuncOp func, Operation *ret,
                                   IRMapping &host) {
    OpBuilder b(ret);
    llvm::SmallPtrSet<Value, 8> returned;
    for (OpOperand &operand : ret->getOpOperands()) {
      Value value = host.lookupOrDefault(operand.get());
      bool fromStep = value.getDefiningOp<schedule::DispatchOp>() != nullptr;
      bool constant = value.getDefiningOp() && onHost(value.getDefiningOp());
      if (!fromStep && !constant && !isa<BlockArgument>(value))
        return ret->emitOpError("returns a value that no step computes");
      if (!fromStep || !returned.insert(value).second)
        value = schedule::CopyOp::create(
            b, ret->getLoc(), value.getType(), value, device,
            (func.getSymName() + "_output_" + Twine(operand.getOperandNumber()))
                .str());
      operand.set(value);
    }
    return success();
  }

  /// The ops of the function being formed whose results it returns, and
  /// the reshapes that lead to a returned reshape and nowhere else.
  llvm::SmallPtrSet<Operation *, 4> returned;
  llvm::SmallPtrSet<Operation *, 4> returnedViews;
};

} // namespace
} // namespace mlir::strata
