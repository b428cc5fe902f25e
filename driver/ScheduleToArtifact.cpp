//===- ScheduleToArtifact.cpp - the schedule IR as an artifact manifest ---===//
//
// A walk over the compiled module: each schedule.executable is one
// executable of the artifact on its device slot, each export one kernel,
// and the entry function's steps, in order, the schedule. Every tensor a
// step produces is one buffer on the step's device: an output where the
// function returns it, else a transient; a kernel's scratch buffers are
// transients of the dispatch; a constant the steps read is a blob of the
// artifact and a constant buffer on each device that reads it. Nothing is
// decided here that the IR does not say.
//
//===----------------------------------------------------------------------===//

#include "driver/ScheduleToArtifact.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

#include <map>

namespace mlir::strata {

namespace artifact = ::strata::artifact;

std::string dtypeName(Type type) {
  if (type.isF16())
    return "f16";
  if (type.isBF16())
    return "bf16";
  if (type.isF32())
    return "f32";
  if (type.isF64())
    return "f64";
  if (auto integer = dyn_cast<IntegerType>(type)) {
    unsigned width = integer.getWidth();
    if (width == 1)
      return "i1";
    if (width != 8 && width != 16 && width != 32 && width != 64)
      return "";
    return (integer.isUnsigned() ? "u" : "i") + std::to_string(width);
  }
  return "";
}

namespace {

/// The byte size of a static tensor of a supported dtype, or failure.
FailureOr<uint64_t> byteSize(Location loc, Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  artifact::TensorSpec spec;
  if (tensor && tensor.hasStaticShape()) {
    spec.dtype = dtypeName(tensor.getElementType());
    spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  }
  uint64_t bytes = 0;
  if (!tensor || !artifact::tensorByteSize(spec, &bytes))
    return emitError(loc) << "the schedule has a buffer of type " << type
                          << ", which the artifact cannot hold";
  return bytes;
}

artifact::Access toArtifact(schedule::Access access) {
  switch (access) {
  case schedule::Access::Read:
    return artifact::Access::Read;
  case schedule::Access::Write:
    return artifact::Access::Write;
  case schedule::Access::ReadWrite:
    return artifact::Access::ReadWrite;
  }
  llvm_unreachable("unknown access");
}

/// A kernel of the artifact: where it is, the export it came from, and the
/// exports that follow it (`then`).
struct KernelRef {
  uint32_t executable = 0, kernel = 0;
  schedule::ExportOp exported;
  SmallVector<std::pair<uint32_t, schedule::ExportOp>> then;
};

/// `exported`'s workgroup count, checked to fit the artifact.
LogicalResult workgroupsOf(schedule::ExportOp exported, Operation *user,
                           uint32_t workgroups[3]) {
  if (std::optional<ArrayRef<int64_t>> count = exported.getWorkgroups())
    for (auto [d, n] : llvm::enumerate(*count)) {
      if (n > UINT32_MAX)
        return user->emitOpError("has ")
               << n << " workgroups along " << d << ", more than 2^32 - 1";
      workgroups[d] = static_cast<uint32_t>(n);
    }
  return success();
}

/// Builds one function's buffers and steps from its host ops.
class FunctionWriter {
public:
  FunctionWriter(artifact::FunctionSpec &function,
                 const llvm::DenseMap<Operation *, KernelRef> &kernels,
                 artifact::ArtifactSpec &spec)
      : function(function), kernels(kernels), spec(spec) {}

  LogicalResult write(func::FuncOp func) {
    Block &body = func.getBody().front();
    Operation *ret = body.getTerminator();
    for (OpOperand &operand : ret->getOpOperands())
      returnedAt[operand.get()].push_back(operand.getOperandNumber());
    for (BlockArgument arg : body.getArguments()) {
      if (returnedAt.count(arg))
        return emitError(func.getLoc())
               << "input " << arg.getArgNumber()
               << " is returned as it is; the schedule must copy it";
      artifact::BufferSpec buffer;
      buffer.kind = artifact::BufferSpec::Kind::Input;
      buffer.index = arg.getArgNumber();
      artifact::tensorByteSize(function.inputs[arg.getArgNumber()],
                               &buffer.size);
      // Inputs live on the first device; strata-place-dispatches copies
      // them to the others that read them.
      buffer.device = 0;
      bufferOf[arg] = function.buffers.size();
      function.buffers.push_back(buffer);
    }
    for (Operation &op : body.without_terminator())
      if (failed(writeStep(op)))
        return failure();
    for (size_t index = 0; index < function.outputs.size(); ++index) {
      bool bound = llvm::any_of(function.buffers, [&](const auto &buffer) {
        return buffer.kind == artifact::BufferSpec::Kind::Output &&
               buffer.index == index;
      });
      if (!bound)
        return emitError(ret->getLoc())
               << "output " << index << " ('" << function.outputs[index].name
               << "') is not written by any step";
    }
    return success();
  }

private:
  /// A new buffer for `value`, on `device` in `memory`: an output where it
  /// is returned.
  FailureOr<uint32_t> newBuffer(Value value, uint32_t device,
                                schedule::MemoryKind memory) {
    FailureOr<uint64_t> size = byteSize(value.getLoc(), value.getType());
    if (failed(size))
      return failure();
    artifact::BufferSpec buffer;
    buffer.size = *size;
    buffer.device = device;
    buffer.memory = memory == schedule::MemoryKind::Host
                        ? artifact::MemoryKind::Host
                        : artifact::MemoryKind::Device;
    auto returned = returnedAt.find(value);
    if (returned != returnedAt.end()) {
      if (returned->second.size() != 1)
        return emitError(value.getLoc())
               << "a buffer is returned " << returned->second.size()
               << " times; the schedule must copy it";
      buffer.kind = artifact::BufferSpec::Kind::Output;
      buffer.index = returned->second.front();
    }
    bufferOf[value] = function.buffers.size();
    function.buffers.push_back(buffer);
    return bufferOf[value];
  }

  /// The constant buffer of `constant` on `device`: its bytes are one blob
  /// however many devices read it.
  FailureOr<uint32_t> constantBuffer(arith::ConstantOp constant,
                                     uint32_t device) {
    auto [it, isNew] = constantOn.try_emplace({constant, device});
    if (!isNew)
      return it->second;
    auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!dense || dense.isSplat())
      return constant.emitOpError("internal error: not a dense constant the "
                                  "artifact can store as it is");
    auto [blob, blobIsNew] = blobOf.try_emplace(constant, spec.blobs.size());
    if (blobIsNew && getElementTypeOrSelf(dense.getType()).isInteger(1)) {
      // The attribute packs booleans in bits; buffers hold a byte each.
      std::vector<uint8_t> &bytes = spec.blobs.emplace_back();
      for (bool value : dense.getValues<bool>())
        bytes.push_back(value);
    } else if (blobIsNew) {
      ArrayRef<char> raw = dense.getRawData();
      spec.blobs.emplace_back(raw.begin(), raw.end());
    }
    artifact::BufferSpec buffer;
    buffer.kind = artifact::BufferSpec::Kind::Constant;
    buffer.blob = blob->second;
    buffer.size = spec.blobs[blob->second].size();
    buffer.device = device;
    it->second = function.buffers.size();
    function.buffers.push_back(buffer);
    return it->second;
  }

  FailureOr<uint32_t> bufferFor(Operation *op, Value value) {
    auto it = bufferOf.find(value);
    if (it == bufferOf.end())
      return op->emitOpError("reads a value that no step or input holds");
    return it->second;
  }

  artifact::BindingSpec whole(uint32_t id) {
    return {id, 0, function.buffers[id].size, {}, {}};
  }

  /// `binding`, recorded as holding `value`'s tensor.
  static artifact::BindingSpec typed(artifact::BindingSpec binding,
                                     Value value) {
    auto tensor = cast<RankedTensorType>(value.getType());
    binding.dtype = dtypeName(tensor.getElementType());
    binding.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
    return binding;
  }

  LogicalResult writeDispatch(schedule::DispatchOp dispatch,
                              artifact::StepSpec &step) {
    KernelRef ref = kernels.lookup(dispatch);
    uint32_t device = spec.executables[ref.executable].device;
    step.op = artifact::StepSpec::Op::Dispatch;
    step.executable = ref.executable;
    step.kernel = ref.kernel;
    if (failed(workgroupsOf(ref.exported, dispatch, step.workgroups)))
      return failure();
    for (auto [kernel, exported] : ref.then) {
      step.then.emplace_back();
      step.then.back().kernel = kernel;
      if (failed(workgroupsOf(exported, dispatch, step.then.back().workgroups)))
        return failure();
    }
    if (ref.exported.getPushConstants() != 0)
      return dispatch.emitOpError(
          "dispatches a kernel with push constants, which the schedule "
          "does not give yet");
    for (Value operand : dispatch.getOperands()) {
      auto constant = operand.getDefiningOp<arith::ConstantOp>();
      FailureOr<uint32_t> id = constant ? constantBuffer(constant, device)
                                        : bufferFor(dispatch, operand);
      if (failed(id))
        return failure();
      if (function.buffers[*id].device != device)
        return dispatch.emitOpError("reads a buffer of device ")
               << function.buffers[*id].device << " on device " << device
               << "; the schedule must copy it there first";
      step.bindings.push_back(typed(whole(*id), operand));
    }
    for (Value result : dispatch.getResults()) {
      FailureOr<uint32_t> id = newBuffer(result, device, dispatch.getMemory());
      if (failed(id))
        return failure();
      step.bindings.push_back(typed(whole(*id), result));
    }
    for (int64_t size : ref.exported.getScratch()) {
      artifact::BufferSpec buffer;
      buffer.size = static_cast<uint64_t>(size);
      buffer.device = device;
      function.buffers.push_back(buffer);
      step.bindings.push_back(whole(function.buffers.size() - 1));
    }
    return success();
  }

  LogicalResult writeStep(Operation &op) {
    artifact::StepSpec step;
    if (auto dispatch = dyn_cast<schedule::DispatchOp>(op)) {
      step.name = dispatch.getStep().str();
      if (failed(writeDispatch(dispatch, step)))
        return failure();
    } else if (auto copy = dyn_cast<schedule::CopyOp>(op)) {
      // A returned constant is copied from its buffer on the copy's device.
      auto constant = copy.getSource().getDefiningOp<arith::ConstantOp>();
      FailureOr<uint32_t> src =
          constant ? constantBuffer(constant, copy.getDevice())
                   : bufferFor(&op, copy.getSource());
      if (failed(src))
        return failure();
      FailureOr<uint32_t> dst =
          newBuffer(copy.getResult(), copy.getDevice(), copy.getMemory());
      if (failed(dst))
        return failure();
      step.op = artifact::StepSpec::Op::Copy;
      step.name = copy.getStep().str();
      step.src = *src;
      step.dst = *dst;
      step.size = function.buffers[*dst].size;
    } else if (auto fill = dyn_cast<schedule::FillOp>(op)) {
      FailureOr<uint32_t> dst =
          newBuffer(fill.getResult(), fill.getDevice(), fill.getMemory());
      if (failed(dst))
        return failure();
      step.op = artifact::StepSpec::Op::Fill;
      step.name = fill.getStep().str();
      step.dst = *dst;
      step.size = function.buffers[*dst].size;
      step.fillPattern = static_cast<uint32_t>(fill.getPattern());
    } else if (isa<arith::ConstantOp>(op)) {
      return success(); // a buffer of the steps that read it
    } else {
      return op.emitOpError("is not a step of the schedule; only "
                            "schedule.dispatch, copy and fill are");
    }
    function.schedule.push_back(std::move(step));
    return success();
  }

  artifact::FunctionSpec &function;
  const llvm::DenseMap<Operation *, KernelRef> &kernels;
  artifact::ArtifactSpec &spec;
  llvm::DenseMap<Value, uint32_t> bufferOf;
  llvm::DenseMap<Value, SmallVector<unsigned>> returnedAt;
  /// Constants: the blob of each, and its buffer on each device.
  llvm::DenseMap<Operation *, uint32_t> blobOf;
  llvm::DenseMap<std::pair<Operation *, uint32_t>, uint32_t> constantOn;
};

} // namespace

namespace {

/// One executable per schedule.executable, in module order, with one
/// kernel per export; records where each export went.
LogicalResult
writeExecutables(ModuleOp module, ArrayRef<SerializedExecutable> blobs,
                 artifact::ArtifactSpec &spec,
                 llvm::DenseMap<Operation *, KernelRef> &exportRefs) {
  auto executables = llvm::to_vector(module.getOps<schedule::ExecutableOp>());
  for (auto [index, executable] : llvm::enumerate(executables)) {
    uint32_t slot = executable.getDevice();
    if (spec.devices.size() <= slot)
      spec.devices.resize(slot + 1);
    std::string &target = spec.devices[slot].target;
    if (!target.empty() && target != executable.getTarget())
      return executable.emitOpError("puts target '")
             << executable.getTarget() << "' on device " << slot
             << ", which another executable gives target '" << target << "'";
    target = executable.getTarget().str();
    artifact::ExecutableSpec exe;
    exe.device = slot;
    exe.format = blobs[index].format;
    exe.processor = blobs[index].processor;
    exe.features = blobs[index].features;
    exe.blob = spec.blobs.size();
    for (auto exported : executable.getOps<schedule::ExportOp>()) {
      artifact::KernelSpec kernel;
      kernel.name = exported.getSymName().str();
      kernel.symbol =
          exported.getFunction().value_or(exported.getSymName()).str();
      for (unsigned b = 0; b < exported.getBindings().size(); ++b)
        kernel.bindings.push_back(toArtifact(exported.getAccess(b)));
      // Scratch is the kernel's own: written before it is read.
      kernel.bindings.insert(kernel.bindings.end(),
                             exported.getScratch().size(),
                             artifact::Access::ReadWrite);
      for (auto [d, size] : llvm::enumerate(exported.getWorkgroupSize()))
        kernel.workgroupSize[d] = static_cast<uint32_t>(size);
      kernel.pushConstants = exported.getPushConstants();
      kernel.sharedMemory = exported.getSharedMemory();
      if (std::optional<ArrayAttr> maps = exported.getTensorMaps())
        for (auto map : maps->getAsRange<schedule::TensorMapAttr>())
          kernel.tensorMaps.push_back(
              {static_cast<uint32_t>(map.getBinding()), map.getSymbol().str(),
               dtypeName(map.getElement()),
               std::vector<int64_t>(map.getShape().begin(),
                                    map.getShape().end()),
               std::vector<uint32_t>(map.getBox().begin(), map.getBox().end()),
               static_cast<uint32_t>(map.getSwizzle())});
      exportRefs[exported] = {static_cast<uint32_t>(spec.executables.size()),
                              static_cast<uint32_t>(exe.kernels.size()),
                              exported,
                              {}};
      exe.kernels.push_back(std::move(kernel));
    }
    // The verifier has checked that each chain ends.
    for (auto exported : executable.getOps<schedule::ExportOp>())
      for (schedule::ExportOp next = exported;
           std::optional<StringRef> name = next.getThen();) {
        next = executable.lookupSymbol<schedule::ExportOp>(*name);
        exportRefs[exported].then.emplace_back(exportRefs[next].kernel, next);
      }
    spec.executables.push_back(std::move(exe));
    spec.blobs.push_back(blobs[index].bytes);
  }
  for (auto [slot, device] : llvm::enumerate(spec.devices))
    if (device.target.empty())
      return emitError(module.getLoc())
             << "device " << slot << " has no executable";
  if (spec.devices.empty())
    return emitError(module.getLoc(), "the schedule has no executable");
  return success();
}

/// Packs the transients of each device and memory kind into one arena
/// buffer by lifetime:
/// a transient lives from the first step that touches it to the last, and
/// transients whose lifetimes do not overlap share bytes (first fit, in
/// order of first use, at 64-byte aligned offsets). The steps then bind
/// ranges of the arena, and a model's scratch memory is its peak, not its
/// sum.
void packTransients(const artifact::ArtifactSpec &spec,
                    artifact::FunctionSpec &function) {
  constexpr uint64_t kAlign = artifact::kBindingAlignment;
  size_t count = function.buffers.size();
  std::vector<int64_t> first(count, -1), last(count, -1);
  for (auto [s, step] : llvm::enumerate(function.schedule))
    for (const artifact::BufferUse &use : artifact::stepUses(spec, step)) {
      if (first[use.buffer] < 0)
        first[use.buffer] = s;
      last[use.buffer] = s;
    }
  // Per device: the arena's id, its size, and what lives where.
  struct Placed {
    uint64_t offset, size;
    int64_t last;
  };
  std::map<std::pair<uint32_t, artifact::MemoryKind>,
           std::pair<uint32_t, std::vector<Placed>>>
      arenas;
  std::vector<int64_t> arenaOf(count, -1);
  std::vector<uint64_t> offsetOf(count, 0);
  std::vector<uint32_t> order;
  for (uint32_t id = 0; id < count; ++id)
    if (function.buffers[id].kind == artifact::BufferSpec::Kind::Transient &&
        first[id] >= 0)
      order.push_back(id);
  llvm::sort(order, [&](uint32_t a, uint32_t b) {
    return std::make_pair(first[a], a) < std::make_pair(first[b], b);
  });
  std::vector<artifact::BufferSpec> added;
  for (uint32_t id : order) {
    const artifact::BufferSpec &buffer = function.buffers[id];
    auto [it, isNew] =
        arenas.try_emplace(std::make_pair(buffer.device, buffer.memory));
    if (isNew) {
      it->second.first = count + added.size();
      artifact::BufferSpec arena;
      arena.device = buffer.device;
      arena.memory = buffer.memory;
      added.push_back(arena);
    }
    std::vector<Placed> &live = it->second.second;
    // Bytes still in use when this transient is first touched.
    std::vector<Placed> busy;
    for (const Placed &p : live)
      if (p.last >= first[id])
        busy.push_back(p);
    llvm::sort(busy, [](const Placed &a, const Placed &b) {
      return a.offset < b.offset;
    });
    uint64_t size = (buffer.size + kAlign - 1) / kAlign * kAlign;
    uint64_t offset = 0;
    for (const Placed &p : busy) {
      if (offset + size <= p.offset)
        break;
      offset = std::max(offset, p.offset + p.size);
    }
    live.push_back({offset, size, last[id]});
    arenaOf[id] = it->second.first;
    offsetOf[id] = offset;
    artifact::BufferSpec &arena = added[it->second.first - count];
    arena.size = std::max(arena.size, offset + size);
  }
  if (added.empty())
    return;
  // Rebind every step, then drop the packed transients, renumbering.
  auto rebind = [&](uint32_t &id, uint64_t &offset) {
    if (arenaOf[id] >= 0) {
      offset += offsetOf[id];
      id = static_cast<uint32_t>(arenaOf[id]);
    }
  };
  for (artifact::StepSpec &step : function.schedule) {
    for (artifact::BindingSpec &binding : step.bindings)
      rebind(binding.buffer, binding.offset);
    if (step.op == artifact::StepSpec::Op::Copy)
      rebind(step.src, step.srcOffset);
    if (step.op != artifact::StepSpec::Op::Dispatch)
      rebind(step.dst, step.dstOffset);
  }
  llvm::append_range(function.buffers, added);
  std::vector<uint32_t> renumbered(function.buffers.size());
  std::vector<artifact::BufferSpec> kept;
  for (uint32_t id = 0; id < function.buffers.size(); ++id) {
    renumbered[id] = kept.size();
    if (id >= count || arenaOf[id] < 0)
      kept.push_back(function.buffers[id]);
  }
  for (artifact::StepSpec &step : function.schedule) {
    for (artifact::BindingSpec &binding : step.bindings)
      binding.buffer = renumbered[binding.buffer];
    step.src = renumbered[step.src];
    step.dst = renumbered[step.dst];
  }
  function.buffers = std::move(kept);
}

} // namespace

FailureOr<artifact::ArtifactSpec>
scheduleToArtifact(ModuleOp module, func::FuncOp entry,
                   artifact::FunctionSpec function,
                   ArrayRef<SerializedExecutable> blobs) {
  artifact::ArtifactSpec spec;
  spec.producer = "strata-compile";
  llvm::DenseMap<Operation *, KernelRef> exportRefs, kernels;
  if (failed(writeExecutables(module, blobs, spec, exportRefs)))
    return failure();
  SymbolTableCollection symbols;
  WalkResult walk = entry.walk([&](schedule::DispatchOp dispatch) {
    auto exported = symbols.lookupNearestSymbolFrom<schedule::ExportOp>(
        dispatch, dispatch.getKernelAttr());
    if (!exported) {
      dispatch.emitOpError("names no kernel");
      return WalkResult::interrupt();
    }
    kernels[dispatch] = exportRefs.lookup(exported);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted() ||
      failed(FunctionWriter(function, kernels, spec).write(entry)))
    return failure();
  packTransients(spec, function);
  spec.functions.push_back(std::move(function));
  return spec;
}

} // namespace mlir::strata
