//===- Distribute.cpp - kernels as GPU functions over invocations ---------===//
//
// Every kernel becomes a `gpu.func` of one `gpu.module` per executable.
// Its steps (top-level parallel loops, and anything else with effects)
// run in order. A kernel of one parallel loop spreads the loop's
// iterations over invocations and workgroups, grid-stride. A barrier
// orders only one workgroup, so a kernel of several steps, each of which
// may read anything the step before wrote, becomes a chain of kernels,
// one per step, each over all workgroups (the export's `then`); the
// runtime puts a barrier between them. Where a step leaves a value that a
// later one uses, the kernel stays one workgroup whose invocations share
// each loop, with a barrier between steps.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "passes/LinalgToGPU/Tiles.h"
#include "passes/Passes.h"
#include "passes/Utils/MemorySpace.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATAGPUDISTRIBUTEPASS
#include "passes/Passes.h.inc"

namespace {

/// A parallel loop's static bounds, or failure.
struct LoopSpace {
  SmallVector<int64_t> lbs, steps, counts;
  int64_t total = 1;
};

FailureOr<LoopSpace> loopSpace(Operation *loop) {
  LoopSpace space;
  SmallVector<OpFoldResult> lbs, ubs, steps;
  if (auto forall = dyn_cast<scf::ForallOp>(loop)) {
    if (forall.getNumResults())
      return failure();
    lbs = forall.getMixedLowerBound();
    ubs = forall.getMixedUpperBound();
    steps = forall.getMixedStep();
  } else {
    auto parallel = cast<scf::ParallelOp>(loop);
    if (parallel.getNumResults())
      return failure();
    lbs = getAsOpFoldResult(parallel.getLowerBound());
    ubs = getAsOpFoldResult(parallel.getUpperBound());
    steps = getAsOpFoldResult(parallel.getStep());
  }
  for (auto [lb, ub, step] : llvm::zip(lbs, ubs, steps)) {
    std::optional<int64_t> l = getConstantIntValue(lb),
                           u = getConstantIntValue(ub),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return failure();
    int64_t count = *u > *l ? (*u - *l + *s - 1) / *s : 0;
    space.lbs.push_back(*l);
    space.steps.push_back(*s);
    space.counts.push_back(count);
    space.total *= count;
  }
  return space;
}

bool isParallelLoop(Operation *op) {
  return isa<scf::ForallOp, scf::ParallelOp>(op);
}

/// A buffer the invocations of a workgroup share.
bool isWorkgroupBuffer(Operation *op) {
  auto alloc = dyn_cast<memref::AllocOp>(op);
  return alloc && isWorkgroupMemory(alloc.getType());
}

/// Whether `op`, and every op inside it, at most reads memory.
bool onlyReads(Operation *op) {
  WalkResult result = op->walk([](Operation *nested) {
    if (nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::advance();
    auto effects = dyn_cast<MemoryEffectOpInterface>(nested);
    if (!effects)
      return WalkResult::interrupt();
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &instance : instances)
      if (!isa<MemoryEffects::Read>(instance.getEffect()))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

/// Ops every invocation runs for itself: views, its own scratch, and
/// values computed without writing memory (after the barrier that ends
/// the step before them, so they read what it wrote).
bool isReplicated(Operation *op) {
  return isa<ViewLikeOpInterface, memref::AllocaOp>(op) ||
         isWorkgroupBuffer(op) || (op->getNumResults() > 0 && onlyReads(op));
}

/// The steps of `block`, in order: each parallel loop, and each run of
/// other ops with effects.
SmallVector<SmallVector<Operation *>> splitSteps(Block &block) {
  SmallVector<SmallVector<Operation *>> steps;
  bool inStep = false;
  for (Operation &op : block.without_terminator()) {
    if (isReplicated(&op)) {
      // A read ends the step before it, whose writes it may read.
      inStep = inStep && isMemoryEffectFree(&op);
      continue;
    }
    // Consecutive serial ops are one step; each parallel loop is one.
    if (isParallelLoop(&op) || !inStep)
      steps.emplace_back();
    steps.back().push_back(&op);
    inStep = !isParallelLoop(&op);
  }
  return steps;
}

/// `name` as an identifier that PTX and SPIR-V tools take: characters
/// other than letters, digits and '_' become '_' (ONNX graph names such as
/// "torch-jit-export" have them), with a suffix if that name is taken.
std::string kernelName(StringRef name, gpu::GPUModuleOp gpuModule) {
  std::string id;
  for (char c : name)
    id += llvm::isAlnum(c) || c == '_' ? c : '_';
  if (id.empty() || llvm::isDigit(id.front()))
    id = "_" + id;
  std::string unique = id;
  for (int n = 1; gpuModule.lookupSymbol(unique); ++n)
    unique = id + "_" + std::to_string(n);
  return unique;
}

struct StrataGpuDistributePass
    : impl::StrataGpuDistributePassBase<StrataGpuDistributePass> {
  using Base::Base;

  void runOnOperation() override {
    schedule::ExecutableOp executable = getOperation();
    ModuleOp module = executable.getInnerModule();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto gpuModule = gpu::GPUModuleOp::create(b, executable.getLoc(),
                                              executable.getSymName());
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    b.getUnitAttr());
    SymbolTable exports(executable);
    for (auto exported :
         llvm::to_vector(executable.getOps<schedule::ExportOp>())) {
      StringRef name = exported.getFunction().value_or(exported.getSymName());
      auto func = module.lookupSymbol<func::FuncOp>(name);
      if (!func || func.isExternal()) {
        exported.emitOpError("has no kernel function @") << name;
        return signalPassFailure();
      }
      schedule::ExportOp previous;
      SmallVector<func::FuncOp> phases = splitPhases(func);
      for (auto [i, phase] : llvm::enumerate(phases)) {
        schedule::ExportOp target = exported;
        if (i > 0) {
          OpBuilder eb(previous);
          eb.setInsertionPointAfter(previous);
          target = cast<schedule::ExportOp>(eb.clone(*exported));
          target.removeThenAttr();
          target.setSymName(
              (Twine(exported.getSymName()) + "_" + Twine(i)).str());
          exports.insert(target); // renamed if the name is taken
          previous.setThenAttr(FlatSymbolRefAttr::get(target.getSymNameAttr()));
        }
        FailureOr<int64_t> workgroups = outline(phase, gpuModule, target);
        if (failed(workgroups))
          return signalPassFailure();
        target.setWorkgroups(ArrayRef<int64_t>{*workgroups, 1, 1});
        target.setWorkgroupSize(ArrayRef<int64_t>{workgroupSize, 1, 1});
        phase.erase();
        previous = target;
      }
    }
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
      if (func.isPrivate() && func.symbolKnownUseEmpty(module))
        func.erase();
  }

  /// `func` as kernels of one step each, in order, where its steps are
  /// several, one of them would spread over more than one workgroup, and
  /// values cross between them only through memory; else `func` alone.
  SmallVector<func::FuncOp> splitPhases(func::FuncOp func) {
    SmallVector<SmallVector<Operation *>> steps =
        splitSteps(func.getBody().front());
    auto spreads = [&](ArrayRef<Operation *> step) {
      if (!isParallelLoop(step.front()))
        return false;
      FailureOr<LoopSpace> space = loopSpace(step.front());
      return succeeded(space) &&
             space->total >
                 (isWorkgroupTiles(step.front()) ? 1 : workgroupSize);
    };
    if (steps.size() < 2 || llvm::none_of(steps, spreads) ||
        !crossesOnlyInMemory(func.getBody().front(), steps))
      return {func};
    SmallVector<func::FuncOp> phases;
    SymbolTable symbols(func->getParentOp());
    for (size_t i = 0; i < steps.size(); ++i) {
      func::FuncOp phase = func.clone();
      phase.setSymName((Twine(func.getSymName()) + "_" + Twine(i)).str());
      symbols.insert(phase, func->getIterator()); // renamed if taken
      // The clone's steps are the original's; all but the i-th go, and
      // the values only they used with them.
      Block &body = phase.getBody().front();
      SmallVector<SmallVector<Operation *>> own = splitSteps(body);
      for (auto [j, step] : llvm::enumerate(own))
        if (j != i)
          for (Operation *op : llvm::reverse(step))
            op->erase();
      SmallVector<Operation *> rest = llvm::map_to_vector(
          body.without_terminator(), [](Operation &op) { return &op; });
      for (Operation *op : llvm::reverse(rest))
        if (op->use_empty() && !llvm::is_contained(own[i], op))
          op->erase();
      phases.push_back(phase);
    }
    func.erase();
    return phases;
  }

  /// Whether `block`'s `steps` pass values to one another only through
  /// memory, so that each can be a kernel of its own: no step's result is
  /// used outside it, and a value read from memory between two steps is
  /// used only by the step right after it (a later kernel would read it
  /// after the steps between had written).
  static bool crossesOnlyInMemory(Block &block,
                                  ArrayRef<SmallVector<Operation *>> steps) {
    llvm::DenseMap<Operation *, size_t> stepOf;
    for (auto [i, step] : llvm::enumerate(steps))
      for (Operation *op : step)
        stepOf[op] = i;
    // The step each replicated op precedes, in order.
    llvm::DenseMap<Operation *, size_t> before;
    size_t next = 0;
    for (Operation &op : block.without_terminator()) {
      auto it = stepOf.find(&op);
      if (it != stepOf.end())
        next = it->second + 1;
      else
        before[&op] = next;
    }
    for (Operation &op : block.without_terminator()) {
      auto own = stepOf.find(&op);
      // A replicated op that is free of effects may serve any step, and
      // so may an invocation's stack scratch, which no step hands on: each
      // kernel gets its own.
      if (own == stepOf.end() &&
          (isMemoryEffectFree(&op) || isa<memref::AllocaOp>(op)))
        continue;
      size_t allowed = own != stepOf.end() ? own->second : before[&op];
      SmallVector<Operation *> users(op.getUsers());
      while (!users.empty()) {
        Operation *user = block.findAncestorOpInBlock(*users.pop_back_val());
        if (!user || user->hasTrait<OpTrait::IsTerminator>())
          continue;
        auto in = stepOf.find(user);
        if (in == stepOf.end()) {
          llvm::append_range(users, user->getUsers());
          continue;
        }
        if (in->second != allowed)
          return false;
      }
    }
    return true;
  }

  /// Moves `func` into a kernel of `gpuModule` and distributes its steps;
  /// returns the workgroup count.
  FailureOr<int64_t> outline(func::FuncOp func, gpu::GPUModuleOp gpuModule,
                             schedule::ExportOp exported) {
    Location loc = func.getLoc();
    for (Type type : func.getArgumentTypes()) {
      auto memref = dyn_cast<MemRefType>(type);
      if (!memref || !memref.hasStaticShape())
        return func.emitError("GPU kernels take statically shaped buffers, "
                              "not ")
               << type;
    }
    if (func.getNumResults())
      return func.emitError("GPU kernels return nothing; results must be "
                            "written to bindings");
    WalkResult constants = func.walk([&](memref::GetGlobalOp global) {
      global.emitError("kernel @")
          << func.getSymName() << " reads the constant " << global.getType()
          << " from device code, which GPU kernels cannot hold (only "
             "constants the schedule keeps as buffers)";
      return WalkResult::interrupt();
    });
    if (constants.wasInterrupted())
      return failure();
    Block &body = func.getBody().front();
    // Workgroup buffers are the kernel's, allocated once, each at a
    // multiple of kWorkgroupBufferAlignment bytes.
    int64_t sharedBytes = 0;
    func.walk([&](memref::AllocOp alloc) {
      if (!isWorkgroupBuffer(alloc))
        return;
      MemRefType type = alloc.getType();
      sharedBytes += workgroupBufferBytes(type);
      for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      alloc->moveBefore(&body, body.begin());
    });
    SmallVector<SmallVector<Operation *>> steps = splitSteps(body);
    // One loop of workgroup tiles runs grid-stride over workgroups; one
    // loop of elements grid-stride over all invocations.
    bool tiles = steps.size() == 1 && isWorkgroupTiles(steps[0][0]);
    bool grid = steps.size() == 1 && isParallelLoop(steps[0][0]);
    int64_t workgroups = 1;
    if (grid) {
      FailureOr<LoopSpace> space = loopSpace(steps[0][0]);
      if (failed(space))
        return steps[0][0]->emitError("a GPU kernel's loop needs static "
                                      "bounds and no results");
      int64_t perWorkgroup = tiles ? 1 : workgroupSize;
      workgroups = std::clamp<int64_t>(
          (space->total + perWorkgroup - 1) / perWorkgroup, 1, maxWorkgroups);
    }
    exported.setSharedMemoryAttr(
        IntegerAttr::get(IntegerType::get(&getContext(), 64), sharedBytes));

    OpBuilder b(gpuModule.getBodyRegion());
    b.setInsertionPointToEnd(gpuModule.getBody());
    std::string name = kernelName(func.getSymName(), gpuModule);
    auto kernel = gpu::GPUFuncOp::create(b, loc, name, func.getFunctionType());
    if (name == exported.getSymName())
      exported.removeFunctionAttr();
    else
      exported.setFunction(name);
    kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
    kernel.setKnownBlockSizeAttr(
        b.getDenseI32ArrayAttr({static_cast<int32_t>(workgroupSize), 1, 1}));
    kernel.setKnownGridSizeAttr(
        b.getDenseI32ArrayAttr({static_cast<int32_t>(workgroups), 1, 1}));
    Block &entry = kernel.getBody().front();
    for (auto [from, to] : llvm::zip(body.getArguments(), entry.getArguments()))
      from.replaceAllUsesWith(to);
    OpBuilder atEnd = OpBuilder::atBlockEnd(&entry);
    auto returned = gpu::ReturnOp::create(atEnd, loc);
    for (Operation &op : llvm::make_early_inc_range(body.without_terminator()))
      op.moveBefore(returned);
    moveGlobals(kernel, func, gpuModule, exported);

    // Stack scratch is each invocation's own.
    auto space =
        gpu::AddressSpaceAttr::get(&getContext(), gpu::AddressSpace::Private);
    kernel.walk([&](memref::AllocaOp alloca) {
      setMemorySpace(alloca.getResult(), space);
    });
    b.setInsertionPointToStart(&entry);
    Ids ids;
    ids.invocation = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
    ids.start = ids.invocation;
    ids.stride = index(b, loc, workgroupSize);
    ids.tileStart = index(b, loc, 0);
    ids.tileStride = index(b, loc, 1);
    if (grid) {
      Value group = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
      if (tiles) {
        ids.tileStart = group;
        ids.tileStride = index(b, loc, workgroups);
      } else {
        ids.start = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, group, ids.stride),
            ids.invocation);
        ids.stride = index(b, loc, workgroupSize * workgroups);
      }
    }
    if (failed(distribute(steps, ids)))
      return failure();
    return workgroups;
  }

  /// Moves the globals `kernel` references (such as the tensor maps of
  /// strata-nvvm-mma-contractions) from the executable's module into
  /// `gpuModule`, and records the tensor maps among them, which `func`
  /// names, in the export.
  void moveGlobals(gpu::GPUFuncOp kernel, func::FuncOp func,
                   gpu::GPUModuleOp gpuModule, schedule::ExportOp exported) {
    auto module = cast<ModuleOp>(gpuModule->getParentOp());
    std::optional<SymbolTable::UseRange> uses =
        SymbolTable::getSymbolUses(kernel);
    if (!uses)
      return;
    llvm::SmallDenseSet<StringAttr> moved;
    for (const SymbolTable::SymbolUse &use : *uses) {
      StringAttr name = use.getSymbolRef().getRootReference();
      Operation *global = module.lookupSymbol(name);
      if (global && !isa<FunctionOpInterface, gpu::GPUModuleOp>(global)) {
        global->moveBefore(gpuModule.getBody(), gpuModule.getBody()->begin());
        moved.insert(name);
      }
      if (gpuModule.lookupSymbol(name))
        moved.insert(name);
    }
    auto maps = func->getAttrOfType<ArrayAttr>(schedule::kTensorMapsAttr);
    if (!maps)
      return;
    SmallVector<Attribute> used;
    for (auto map : maps.getAsRange<schedule::TensorMapAttr>())
      if (moved.contains(StringAttr::get(&getContext(), map.getSymbol())))
        used.push_back(map);
    if (!used.empty())
      exported.setTensorMapsAttr(ArrayAttr::get(&getContext(), used));
  }

  /// Where an invocation starts and strides in a loop of elements, and
  /// its workgroup in a loop of workgroup tiles.
  struct Ids {
    Value invocation, start, stride, tileStart, tileStride;
  };

  /// Runs `steps` in order, a barrier between each two.
  LogicalResult distribute(ArrayRef<SmallVector<Operation *>> steps,
                           const Ids &ids) {
    for (auto [i, step] : llvm::enumerate(steps)) {
      Operation *first = step.front();
      Location loc = first->getLoc();
      if (i + 1 < steps.size()) {
        OpBuilder b = OpBuilder::atBlockEnd(first->getBlock());
        b.setInsertionPointAfter(step.back());
        gpu::BarrierOp::create(b, loc);
      }
      if (!isParallelLoop(first)) {
        if (failed(serialize(step, ids.invocation)))
          return failure();
        continue;
      }
      if (isInvocationLoop(first)) {
        if (failed(inlineThreads(cast<scf::ForallOp>(first), ids.invocation)))
          return failure();
        continue;
      }
      if (!isWorkgroupTiles(first)) {
        if (failed(spread(first, ids.start, ids.stride)))
          return failure();
        continue;
      }
      // A workgroup's tile: its steps are shared by the workgroup's
      // invocations, and the tile after it waits until all of them are
      // done with the workgroup memory.
      FailureOr<scf::ForOp> tileLoop =
          spread(first, ids.tileStart, ids.tileStride);
      if (failed(tileLoop))
        return failure();
      Block *tile = tileLoop->getBody();
      OpBuilder b = OpBuilder::atBlockBegin(tile);
      Ids inner = ids;
      inner.start = ids.invocation;
      inner.stride = index(b, loc, workgroupSize);
      if (failed(distribute(splitSteps(*tile), inner)))
        return failure();
      b.setInsertionPoint(tile->getTerminator());
      gpu::BarrierOp::create(b, loc);
    }
    return success();
  }

  /// Runs the body of a loop of one iteration per invocation.
  LogicalResult inlineThreads(scf::ForallOp loop, Value invocation) {
    FailureOr<LoopSpace> space = loopSpace(loop);
    if (failed(space) || space->counts.size() != 1 ||
        space->total != workgroupSize || space->lbs[0] != 0 ||
        space->steps[0] != 1)
      return loop->emitError("a loop over invocations must have one "
                             "iteration per invocation (")
             << static_cast<int64_t>(workgroupSize) << ")";
    loop.getInductionVar(0).replaceAllUsesWith(invocation);
    Block *body = loop.getBody();
    for (Operation &op : llvm::make_early_inc_range(body->without_terminator()))
      op.moveBefore(loop);
    loop->erase();
    return success();
  }

  static Value index(OpBuilder &b, Location loc, int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  /// Runs `ops` on invocation 0 alone, where the last of them was, so that
  /// the values they use still dominate them.
  LogicalResult serialize(ArrayRef<Operation *> ops, Value invocation) {
    Location loc = ops.front()->getLoc();
    OpBuilder b(ops.front()->getContext());
    b.setInsertionPointAfter(ops.back());
    Value first = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                        invocation, index(b, loc, 0));
    auto guard = scf::IfOp::create(b, loc, first, /*withElseRegion=*/false);
    for (Operation *op : ops)
      op->moveBefore(guard.thenBlock()->getTerminator());
    for (Operation *op : ops)
      for (Value result : op->getResults())
        for (Operation *user : result.getUsers())
          if (!guard->isProperAncestor(user))
            return op->emitError("a GPU kernel step that writes memory and "
                                 "yields a value used later is not "
                                 "supported");
    return success();
  }

  /// Runs the iterations of parallel loop `loop`, linearized row-major (so
  /// that neighbouring invocations touch neighbouring elements), from
  /// `start` on in steps of `stride`.
  FailureOr<scf::ForOp> spread(Operation *loop, Value start, Value stride) {
    FailureOr<LoopSpace> space = loopSpace(loop);
    if (failed(space))
      return loop->emitError("a GPU kernel's loop needs static bounds and "
                             "no results");
    if (space->total > std::numeric_limits<int32_t>::max())
      return loop->emitError("a GPU kernel's loop has ")
             << space->total << " iterations, more than 32-bit indices reach";
    Location loc = loop->getLoc();
    OpBuilder b(loop);
    auto linear =
        scf::ForOp::create(b, loc, start, index(b, loc, space->total), stride);
    b.setInsertionPointToStart(linear.getBody());
    SmallVector<Value> ivs =
        delinearize(b, loc, linear.getInductionVar(), space->counts);
    for (auto [d, iv] : llvm::enumerate(ivs))
      iv = arith::AddIOp::create(
          b, loc, index(b, loc, space->lbs[d]),
          arith::MulIOp::create(b, loc, iv, index(b, loc, space->steps[d])));
    Block *body = &loop->getRegion(0).front();
    for (auto [iv, value] : llvm::zip(body->getArguments(), ivs))
      iv.replaceAllUsesWith(value);
    Operation *end = linear.getBody()->getTerminator();
    for (Operation &op : llvm::make_early_inc_range(body->without_terminator()))
      op.moveBefore(end);
    loop->erase();
    return linear;
  }
};

} // namespace
} // namespace mlir::strata
