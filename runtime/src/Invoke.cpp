//===- Invoke.cpp - C API: running a function's schedule ------------------===//
//
// Checks the caller's views against the function's signature, gives every
// buffer of the schedule a 64-byte aligned base address (the caller's
// memory where it is aligned, a staging copy where not, an arena slice for
// transients, the module's blob for constants) and runs the steps in order.
//
//===----------------------------------------------------------------------===//

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

bool isAligned(const void *pointer) {
  return reinterpret_cast<uintptr_t>(pointer) % kBufferAlignment == 0;
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

/// The buffers of one invocation and the memory behind them.
class Invocation {
public:
  Invocation(strata_module_s &module, size_t functionIndex)
      : module(module), function(module.spec.functions[functionIndex]),
        signature(module.signatures[functionIndex]) {}
  Invocation(const Invocation &) = delete;
  Invocation &operator=(const Invocation &) = delete;
  ~Invocation() {
    if (!arena.data())
      return;
    std::lock_guard<std::mutex> lock(module.arenaMutex);
    // A few spares cover the calls that run at the same time.
    if (module.spareArenas.size() < kMaxSpareArenas)
      module.spareArenas.push_back(std::move(arena));
  }

  strata_status_t run(strata_buffer_view_t *const *inputs, size_t inputCount,
                      strata_buffer_view_t **outputs, size_t outputCount) {
    if (inputCount != function.inputs.size())
      return invalid("expected " + std::to_string(function.inputs.size()) +
                     " inputs, got " + std::to_string(inputCount));
    if (outputCount != function.outputs.size())
      return invalid("expected " + std::to_string(function.outputs.size()) +
                     " outputs, got " + std::to_string(outputCount));
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

    if (strata_status_t status = bindBuffers(inputs, outputViews))
      return prefixStatus(status, "function '" + function.name + "': ");
    for (size_t s = 0; s < function.schedule.size(); ++s)
      if (strata_status_t status = runStep(function.schedule[s]))
        return prefixStatus(status, "function '" + function.name + "': step " +
                                        std::to_string(s) + ": ");
    for (const Staged &staged : stagedOutputs)
      std::memcpy(staged.view->data, addresses[staged.buffer],
                  staged.view->byteSize);
    for (size_t i = 0; i < outputCount; ++i)
      if (made[i])
        outputs[i] = made[i].release();
    return nullptr;
  }

private:
  /// An output whose caller memory is unaligned; it is copied out at the end.
  struct Staged {
    size_t buffer;
    strata_buffer_view_s *view;
  };

  /// Gives each buffer its base address.
  strata_status_t
  bindBuffers(strata_buffer_view_t *const *inputs,
              const std::vector<strata_buffer_view_s *> &outputs) {
    // One arena holds the transients and the staging copies.
    uint64_t arenaSize = 0;
    std::vector<uint64_t> arenaOffset(function.buffers.size(), UINT64_MAX);
    for (size_t b = 0; b < function.buffers.size(); ++b) {
      const BufferSpec &buffer = function.buffers[b];
      void *callerData = nullptr;
      if (buffer.kind == BufferSpec::Kind::Input)
        callerData = inputs[buffer.index]->data;
      else if (buffer.kind == BufferSpec::Kind::Output)
        callerData = outputs[buffer.index]->data;
      else if (buffer.kind != BufferSpec::Kind::Transient)
        continue;
      if (callerData && isAligned(callerData))
        continue;
      arenaOffset[b] = arenaSize;
      uint64_t aligned = alignUp(buffer.size);
      if (aligned < buffer.size ||
          __builtin_add_overflow(arenaSize, aligned, &arenaSize))
        return makeStatus(STRATA_STATUS_OUT_OF_MEMORY,
                          "the function's buffers need more than 2^64 bytes");
    }
    if (!(arenaSize > 0 && takeSpareArena(arenaSize)) &&
        !arena.allocate(arenaSize, /*zero=*/true))
      return outOfMemory(arenaSize, "transient buffers");

    addresses.assign(function.buffers.size(), nullptr);
    for (size_t b = 0; b < function.buffers.size(); ++b) {
      const BufferSpec &buffer = function.buffers[b];
      uint8_t *arenaSlice = arenaOffset[b] == UINT64_MAX
                                ? nullptr
                                : arena.data() + arenaOffset[b];
      switch (buffer.kind) {
      case BufferSpec::Kind::Input: {
        const strata_buffer_view_s *view = inputs[buffer.index];
        addresses[b] = arenaSlice ? arenaSlice : view->data;
        if (arenaSlice && view->byteSize)
          std::memcpy(arenaSlice, view->data, view->byteSize);
        break;
      }
      case BufferSpec::Kind::Output:
        addresses[b] = arenaSlice ? arenaSlice : outputs[buffer.index]->data;
        if (arenaSlice && buffer.size)
          stagedOutputs.push_back({b, outputs[buffer.index]});
        break;
      case BufferSpec::Kind::Transient:
        addresses[b] = arenaSlice;
        break;
      case BufferSpec::Kind::Constant:
        addresses[b] = const_cast<uint8_t *>(module.blobs[buffer.blob].data);
        break;
      }
    }
    return nullptr;
  }

  /// Takes a spare arena of at least `size` bytes, if the module has one.
  /// Its transients hold what an earlier call left there; kernels write
  /// their intermediates before reading them.
  bool takeSpareArena(uint64_t size) {
    std::lock_guard<std::mutex> lock(module.arenaMutex);
    for (auto it = module.spareArenas.begin(); it != module.spareArenas.end();
         ++it)
      if (it->size() >= size) {
        arena = std::move(*it);
        module.spareArenas.erase(it);
        return true;
      }
    return false;
  }

  strata_status_t runStep(const StepSpec &step) {
    switch (step.op) {
    case StepSpec::Op::Dispatch: {
      std::vector<void *> bindings;
      bindings.reserve(step.bindings.size());
      for (uint32_t buffer : step.bindings)
        bindings.push_back(addresses[buffer]);
      return module.device->device->dispatch(
          *module.executables[step.executable], step.kernel, step.workgroups,
          bindings.data(), step.pushConstants);
    }
    case StepSpec::Op::Copy:
      if (step.size)
        std::memmove(addresses[step.dst], addresses[step.src], step.size);
      return nullptr;
    case StepSpec::Op::Fill: {
      auto *dst = static_cast<uint8_t *>(addresses[step.dst]);
      for (uint64_t i = 0; i < step.size; ++i)
        dst[i] = static_cast<uint8_t>(step.fillPattern >> (8 * (i % 4)));
      return nullptr;
    }
    }
    return invalid("unknown step");
  }

  strata_module_s &module;
  const FunctionSpec &function;
  const FunctionSignature &signature;
  AlignedBuffer arena;
  std::vector<void *> addresses;
  std::vector<Staged> stagedOutputs;
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

} // extern "C"
