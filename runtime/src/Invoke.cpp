//===- Invoke.cpp - C API: running a function's schedule ------------------===//
//
// Checks the caller's views against the function's signature, places every
// buffer of the schedule on its device (the caller's memory where the
// device can use it in place, else an arena slice with an upload or a
// download; the module's copy for constants), then records the steps into
// one command buffer per run of steps on one device, with the barriers the
// load-time plan placed, and submits them in order; copies between devices
// go through host memory between two submissions.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Dtype.h"
#include "runtime/src/Handles.h"
#include "runtime/src/Status.h"

#include <cstring>

using namespace strata;
using namespace strata::runtime;

namespace {

using artifact::BufferSpec;
using artifact::FunctionSpec;
using artifact::StepSpec;
using artifact::TensorSpec;

strata_status_t invalid(const std::string &message) {
  return makeStatus(STRATA_STATUS_INVALID_ARGUMENT, message);
}

strata_status_t outOfMemory(uint64_t bytes, const std::string &what) {
  return makeStatus(STRATA_STATUS_OUT_OF_MEMORY, "cannot allocate " +
                                                     std::to_string(bytes) +
                                                     " bytes for " + what);
}

uint64_t alignUp(uint64_t value) {
  return (value + kBufferAlignment - 1) / kBufferAlignment * kBufferAlignment;
}

/// The function called `name`, or the only one when `name` is NULL.
strata_status_t findFunction(const strata_module_s &module, const char *name,
                             size_t *index) {
  const std::vector<FunctionSpec> &functions = module.spec.functions;
  std::string names;
  for (size_t i = 0; i < functions.size(); ++i) {
    names += (i ? ", " : "") + functions[i].name;
    if (name && functions[i].name == name) {
      *index = i;
      return nullptr;
    }
  }
  if (!name && functions.size() == 1) {
    *index = 0;
    return nullptr;
  }
  if (!name)
    return invalid("the module has " + std::to_string(functions.size()) +
                   " functions (" + names + "); name one");
  return invalid("no function '" + std::string(name) +
                 "' in the module (functions: " + names + ")");
}

/// Checks `view` against the manifest's `tensor`: dtype, rank, every dim.
strata_status_t checkView(const strata_buffer_view_s *view,
                          const TensorSpec &tensor, strata_dtype_t dtype,
                          const char *role, size_t index) {
  std::string where = std::string(role) + " " + std::to_string(index) + " ('" +
                      tensor.name + "'): ";
  if (!view)
    return invalid(where + "view is NULL");
  if (view->dtype != dtype)
    return invalid(where + "expected dtype " + strata_dtype_name(dtype) +
                   ", got " + strata_dtype_name(view->dtype));
  if (view->shape.size() != tensor.shape.size())
    return invalid(where + "expected rank " +
                   std::to_string(tensor.shape.size()) + ", got " +
                   std::to_string(view->shape.size()));
  for (size_t d = 0; d < tensor.shape.size(); ++d)
    if (view->shape[d] != tensor.shape[d])
      return invalid(where + "dim " + std::to_string(d) + " expected " +
                     std::to_string(tensor.shape[d]) + ", got " +
                     std::to_string(view->shape[d]));
  return nullptr;
}

constexpr size_t kMaxSpareArenas = 4;

/// "x: 1x3xf32, mask: 1x8xi1": the tensors a function takes or returns.
std::string listTensors(const std::vector<TensorSpec> &tensors) {
  std::string list;
  for (const TensorSpec &tensor : tensors) {
    if (!list.empty())
      list += ", ";
    list += tensor.name + ": ";
    for (int64_t dim : tensor.shape)
      list += std::to_string(dim) + "x";
    list += tensor.dtype;
  }
  return list;
}

void count(std::atomic<uint64_t> &counter, uint64_t amount = 1) {
  counter.fetch_add(amount, std::memory_order_relaxed);
}

/// The buffers of one invocation and the memory behind them.
class Invocation {
public:
  Invocation(strata_module_s &module, size_t functionIndex,
             strata_step_observer_t observer = nullptr, void *user = nullptr)
      : module(module), function(module.spec.functions[functionIndex]),
        signature(module.signatures[functionIndex]),
        plan(module.plans[functionIndex]), observer(observer),
        observerUser(user) {}
  Invocation(const Invocation &) = delete;
  Invocation &operator=(const Invocation &) = delete;
  ~Invocation() {
    std::lock_guard<std::mutex> lock(module.arenaMutex);
    // A few spares per device cover the calls that run at the same time.
    for (size_t i = 0; i < arenas.size(); ++i)
      if (arenas[i] && module.spareArenas[i].size() < kMaxSpareArenas)
        module.spareArenas[i].push_back(std::move(arenas[i]));
  }

  strata_status_t run(strata_buffer_view_t *const *inputs, size_t inputCount,
                      strata_buffer_view_t **outputs, size_t outputCount) {
    if (inputCount != function.inputs.size())
      return invalid("expected " + std::to_string(function.inputs.size()) +
                     " inputs (" + listTensors(function.inputs) + "), got " +
                     std::to_string(inputCount));
    if (outputCount != function.outputs.size())
      return invalid("expected " + std::to_string(function.outputs.size()) +
                     " outputs (" + listTensors(function.outputs) + "), got " +
                     std::to_string(outputCount));
    if (inputCount && !inputs)
      return invalid("inputs is NULL");
    if (outputCount && !outputs)
      return invalid("outputs is NULL");
    for (size_t i = 0; i < inputCount; ++i)
      if (strata_status_t status =
              checkView(inputs[i], function.inputs[i], signature.inputDtypes[i],
                        "input", i))
        return status;
    // Outputs the caller left NULL are made here and handed over only on
    // success.
    std::vector<std::unique_ptr<strata_buffer_view_s>> made(outputCount);
    std::vector<strata_buffer_view_s *> outputViews(outputCount);
    for (size_t i = 0; i < outputCount; ++i) {
      if (outputs[i]) {
        if (strata_status_t status =
                checkView(outputs[i], function.outputs[i],
                          signature.outputDtypes[i], "output", i))
          return status;
        outputViews[i] = outputs[i];
        continue;
      }
      const TensorSpec &tensor = function.outputs[i];
      strata_buffer_view_t *view = nullptr;
      if (strata_status_t status = strata_buffer_view_allocate(
              signature.outputDtypes[i], tensor.shape.data(),
              tensor.shape.size(), &view))
        return prefixStatus(status, "output " + std::to_string(i) + " ('" +
                                        tensor.name + "'): ");
      made[i].reset(view);
      outputViews[i] = view;
    }

    std::string where = "function '" + function.name + "': ";
    if (strata_status_t status = placeBuffers(inputs, outputViews))
      return prefixStatus(status, where);
    if (strata_status_t status = runSchedule())
      return prefixStatus(status, where);
    for (const Staged &staged : stagedOutputs)
      if (strata_status_t status =
              download(staged.buffer, 0, function.buffers[staged.buffer].size,
                       staged.view->data))
        return prefixStatus(
            status, where + "output " +
                        std::to_string(function.buffers[staged.buffer].index) +
                        ": ");
    for (size_t i = 0; i < outputCount; ++i)
      if (made[i])
        outputs[i] = made[i].release();
    return nullptr;
  }

private:
  /// Where a buffer of the schedule lives: a device buffer and an offset.
  struct Placed {
    Buffer *buffer = nullptr;
    uint64_t offset = 0;
  };
  /// A caller view that lives in device memory for the call.
  struct Staged {
    size_t buffer;
    strata_buffer_view_s *view;
  };

  Device &deviceOf(size_t buffer) {
    return module.device(function.buffers[buffer].device);
  }
  CoreStats &statsOf(uint32_t slot) { return module.devices[slot]->stats; }

  Binding range(size_t buffer, uint64_t offset, uint64_t length) const {
    return {placed[buffer].buffer, placed[buffer].offset + offset, length};
  }

  /// Moves `size` bytes at `offset` of a buffer out of its device, or
  /// into it, counting the transfer.
  strata_status_t download(size_t buffer, uint64_t offset, uint64_t size,
                           void *data) {
    CoreStats &stats = statsOf(function.buffers[buffer].device);
    count(stats.downloads);
    count(stats.downloadBytes, size);
    return deviceOf(buffer).download(range(buffer, offset, size), data);
  }

  strata_status_t upload(size_t buffer, uint64_t offset, uint64_t size,
                         const void *data) {
    CoreStats &stats = statsOf(function.buffers[buffer].device);
    count(stats.uploads);
    count(stats.uploadBytes, size);
    return deviceOf(buffer).upload(range(buffer, offset, size), data);
  }

  /// Gives each buffer its place: the caller's memory where its device can
  /// use it in place, the module's copy of a constant, else a slice of the
  /// invocation's arena on the buffer's device.
  strata_status_t
  placeBuffers(strata_buffer_view_t *const *inputs,
               const std::vector<strata_buffer_view_s *> &outputs) {
    size_t buffers = function.buffers.size();
    placed.assign(buffers, {});
    wrapped.resize(buffers);
    arenas.resize(module.spareArenas.size());
    std::vector<uint64_t> arenaSize(arenas.size(), 0);
    std::vector<uint64_t> arenaOffset(buffers, 0);
    std::vector<strata_buffer_view_s *> views(buffers, nullptr);
    for (size_t b = 0; b < buffers; ++b) {
      const BufferSpec &buffer = function.buffers[b];
      if (buffer.kind == BufferSpec::Kind::Constant) {
        placed[b] = {plan.constants[b].get(), 0};
        continue;
      }
      if (buffer.kind == BufferSpec::Kind::Input)
        views[b] = inputs[buffer.index];
      else if (buffer.kind == BufferSpec::Kind::Output)
        views[b] = outputs[buffer.index];
      if (views[b]) {
        if (strata_status_t status = deviceOf(b).wrapHostMemory(
                views[b]->data, buffer.size, &wrapped[b]))
          return status;
        if (wrapped[b]) {
          placed[b] = {wrapped[b].get(), 0};
          continue;
        }
      }
      uint64_t &size =
          arenaSize[strata_module_s::arenaIndex(buffer.device, buffer.memory)];
      arenaOffset[b] = size;
      uint64_t aligned = alignUp(buffer.size);
      if (aligned < buffer.size || __builtin_add_overflow(size, aligned, &size))
        return makeStatus(STRATA_STATUS_OUT_OF_MEMORY,
                          "the function's buffers need more than 2^64 bytes");
    }
    for (size_t i = 0; i < arenas.size(); ++i) {
      if (arenaSize[i] == 0 || takeSpareArena(i, arenaSize[i]))
        continue;
      uint32_t slot = static_cast<uint32_t>(i / 2);
      auto memory =
          i % 2 ? artifact::MemoryKind::Host : artifact::MemoryKind::Device;
      if (strata_status_t status =
              module.device(slot).allocate(arenaSize[i], memory, &arenas[i]))
        return status;
    }
    for (size_t b = 0; b < buffers; ++b) {
      const BufferSpec &buffer = function.buffers[b];
      if (placed[b].buffer)
        continue;
      placed[b] = {
          arenas[strata_module_s::arenaIndex(buffer.device, buffer.memory)]
              .get(),
          arenaOffset[b]};
      if (buffer.kind == BufferSpec::Kind::Input && buffer.size)
        if (strata_status_t status = upload(b, 0, buffer.size, views[b]->data))
          return prefixStatus(status,
                              "input " + std::to_string(buffer.index) + ": ");
      if (buffer.kind == BufferSpec::Kind::Output && buffer.size)
        stagedOutputs.push_back({b, views[b]});
    }
    return nullptr;
  }

  /// Takes a spare arena of at least `size` bytes, if the module has one.
  /// Its transients hold what an earlier call left there; kernels write
  /// their intermediates before reading them.
  bool takeSpareArena(size_t index, uint64_t size) {
    std::lock_guard<std::mutex> lock(module.arenaMutex);
    auto &spares = module.spareArenas[index];
    for (auto it = spares.begin(); it != spares.end(); ++it)
      if ((*it)->size() >= size) {
        arenas[index] = std::move(*it);
        spares.erase(it);
        return true;
      }
    return false;
  }

  /// Records the steps run by run into command buffers and submits each.
  strata_status_t runSchedule() {
    std::unique_ptr<CommandBuffer> commands;
    uint32_t commandsDevice = 0;
    auto submit = [&]() -> strata_status_t {
      if (!commands)
        return nullptr;
      count(statsOf(commandsDevice).submissions);
      strata_status_t status = module.device(commandsDevice).submit(*commands);
      commands.reset();
      return status;
    };
    for (size_t s = 0; s < function.schedule.size(); ++s) {
      const StepSpec &step = function.schedule[s];
      // Observed, every step is a submission of its own.
      if (plan.startsRun[s] || (observer && !commands)) {
        if (strata_status_t status = submit())
          return status;
        if (plan.isTransfer[s]) {
          if (strata_status_t status = transfer(step, plan.labels[s]))
            return prefixStatus(status, plan.labels[s] + ": ");
          if (observer)
            if (strata_status_t status = observe(s, step))
              return status;
          continue;
        }
        commandsDevice = artifact::stepDevice(module.spec, function, step);
        if (strata_status_t status =
                module.device(commandsDevice).createCommandBuffer(&commands))
          return status;
      }
      CoreStats &stats = statsOf(commandsDevice);
      if (plan.barrierBefore[s]) {
        commands->barrier();
        count(stats.barriers);
      }
      if (strata_status_t status = record(*commands, stats, s, step))
        return prefixStatus(status, plan.labels[s] + ": ");
      if (observer) {
        if (strata_status_t status = submit())
          return status;
        if (strata_status_t status = observe(s, step))
          return status;
      }
    }
    return submit();
  }

  /// Hands the results of step `s`, which has finished, to the observer:
  /// the bindings a dispatch writes (not its scratch), or what a copy or
  /// fill writes.
  strata_status_t observe(size_t s, const StepSpec &step) {
    std::vector<artifact::BindingSpec> results;
    if (step.op == StepSpec::Op::Dispatch) {
      const artifact::KernelSpec &kernel =
          module.spec.executables[step.executable].kernels[step.kernel];
      for (size_t b = 0; b < step.bindings.size(); ++b)
        if (kernel.bindings[b] == artifact::Access::Write)
          results.push_back(step.bindings[b]);
    } else {
      results.push_back({step.dst, step.dstOffset, step.size, {}, {}});
    }
    for (size_t r = 0; r < results.size(); ++r) {
      // A copy or fill into an output holds the output's tensor.
      const BufferSpec &buffer = function.buffers[results[r].buffer];
      if (results[r].dtype.empty() && buffer.kind == BufferSpec::Kind::Output &&
          results[r].length == buffer.size) {
        results[r].dtype = function.outputs[buffer.index].dtype;
        results[r].shape = function.outputs[buffer.index].shape;
      }
      strata_dtype_t dtype = STRATA_DTYPE_U8;
      std::vector<int64_t> shape = {static_cast<int64_t>(results[r].length)};
      if (!results[r].dtype.empty() && dtypeFromName(results[r].dtype, &dtype))
        shape = results[r].shape;
      strata_buffer_view_t *raw = nullptr;
      if (strata_status_t status = strata_buffer_view_allocate(
              dtype, shape.data(), shape.size(), &raw))
        return status;
      std::unique_ptr<strata_buffer_view_s> view(raw);
      if (results[r].length)
        if (strata_status_t status =
                download(results[r].buffer, results[r].offset,
                         results[r].length, view->data))
          return prefixStatus(status, plan.labels[s] + ": ");
      strata_step_result_t result{s, function.schedule[s].name.c_str(),
                                  artifact::stepOpName(step.op), r,
                                  view.get()};
      observer(observerUser, &result);
    }
    return nullptr;
  }

  strata_status_t record(CommandBuffer &commands, CoreStats &stats, size_t s,
                         const StepSpec &step) {
    switch (step.op) {
    case StepSpec::Op::Dispatch: {
      std::vector<Binding> bindings;
      bindings.reserve(step.bindings.size());
      for (const artifact::BindingSpec &binding : step.bindings)
        bindings.push_back(
            range(binding.buffer, binding.offset, binding.length));
      auto dispatch = [&](uint32_t kernel, const uint32_t workgroups[3]) {
        count(stats.dispatches);
        count(stats.workgroups,
              uint64_t(workgroups[0]) * workgroups[1] * workgroups[2]);
        return commands.dispatch(*module.executables[step.executable], kernel,
                                 workgroups, bindings, step.pushConstants,
                                 plan.labels[s]);
      };
      if (strata_status_t status = dispatch(step.kernel, step.workgroups))
        return status;
      // Each kernel that follows reads what the one before wrote.
      for (const StepSpec::Phase &phase : step.then) {
        commands.barrier();
        count(stats.barriers);
        if (strata_status_t status = dispatch(phase.kernel, phase.workgroups))
          return status;
      }
      return nullptr;
    }
    case StepSpec::Op::Copy:
      count(stats.copies);
      return commands.copy(range(step.src, step.srcOffset, step.size),
                           range(step.dst, step.dstOffset, step.size),
                           plan.labels[s]);
    case StepSpec::Op::Fill:
      count(stats.fills);
      return commands.fill(range(step.dst, step.dstOffset, step.size),
                           step.fillPattern, plan.labels[s]);
    }
    return invalid("unknown step");
  }

  /// A copy between two devices, through host memory.
  strata_status_t transfer(const StepSpec &step, const std::string &label) {
    if (!step.size)
      return nullptr;
    std::vector<uint8_t> staging;
    try {
      staging.resize(step.size);
    } catch (const std::bad_alloc &) {
      return outOfMemory(step.size, "a transfer between devices");
    }
    Device &receiver = deviceOf(step.dst);
    uint64_t start = traceClockUs();
    if (strata_status_t status =
            download(step.src, step.srcOffset, step.size, staging.data()))
      return status;
    strata_status_t status =
        upload(step.dst, step.dstOffset, step.size, staging.data());
    // The receiving device's trace shows the transfer as one command.
    if (receiver.tracing())
      receiver.record({label, "transfer", start, traceClockUs() - start});
    return status;
  }

  strata_module_s &module;
  const FunctionSpec &function;
  const FunctionSignature &signature;
  const FunctionPlan &plan;
  std::vector<Placed> placed;
  std::vector<std::unique_ptr<Buffer>> wrapped;
  std::vector<std::unique_ptr<Buffer>> arenas;
  std::vector<Staged> stagedOutputs;
  strata_step_observer_t observer;
  void *observerUser;
};

} // namespace

extern "C" {

strata_status_t
strata_module_invoke(strata_module_t *module, const char *function_name,
                     strata_buffer_view_t *const *inputs, size_t input_count,
                     strata_buffer_view_t **outputs, size_t output_count) {
  if (!module)
    return invalid("module is NULL");
  return guard([&]() -> strata_status_t {
    size_t index;
    if (strata_status_t status = findFunction(*module, function_name, &index))
      return status;
    return Invocation(*module, index)
        .run(inputs, input_count, outputs, output_count);
  });
}

strata_status_t strata_module_invoke_observed(
    strata_module_t *module, const char *function_name,
    strata_buffer_view_t *const *inputs, size_t input_count,
    strata_buffer_view_t **outputs, size_t output_count,
    strata_step_observer_t observer, void *user) {
  if (!module)
    return invalid("module is NULL");
  if (!observer)
    return invalid("observer is NULL");
  return guard([&]() -> strata_status_t {
    size_t index;
    if (strata_status_t status = findFunction(*module, function_name, &index))
      return status;
    return Invocation(*module, index, observer, user)
        .run(inputs, input_count, outputs, output_count);
  });
}

} // extern "C"
