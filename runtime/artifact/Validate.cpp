//===- Validate.cpp - semantic checks of an artifact's model --------------===//
//
// Everything the loader checks about a manifest once it is syntactically a
// manifest: known names, indices in range, sizes that agree, counts within
// limits. The writer side calls the same checks through validate() before it
// serializes, so the compiler cannot emit what the runtime would reject.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/ArtifactInternal.h"

#include <set>

namespace strata::artifact {

int64_t dtypeSize(std::string_view dtype) {
  static constexpr std::pair<std::string_view, int64_t> kSizes[] = {
      {"f16", 2}, {"bf16", 2}, {"f32", 4}, {"f64", 8}, {"i1", 1},
      {"i8", 1},  {"i16", 2},  {"i32", 4}, {"i64", 8}, {"u8", 1},
      {"u16", 2}, {"u32", 4},  {"u64", 8}};
  for (const auto &[name, size] : kSizes)
    if (name == dtype)
      return size;
  return -1;
}

bool tensorByteSize(const TensorSpec &tensor, uint64_t *bytes) {
  int64_t elementSize = dtypeSize(tensor.dtype);
  if (elementSize < 0)
    return false;
  uint64_t total = static_cast<uint64_t>(elementSize);
  for (int64_t dim : tensor.shape)
    if (dim < 0 ||
        __builtin_mul_overflow(total, static_cast<uint64_t>(dim), &total))
      return false;
  *bytes = total;
  return true;
}

const char *bufferKindName(BufferSpec::Kind kind) {
  switch (kind) {
  case BufferSpec::Kind::Input:
    return "input";
  case BufferSpec::Kind::Output:
    return "output";
  case BufferSpec::Kind::Transient:
    return "transient";
  case BufferSpec::Kind::Constant:
    return "constant";
  }
  return "?";
}

const char *accessName(Access access) {
  switch (access) {
  case Access::Read:
    return "read";
  case Access::Write:
    return "write";
  case Access::ReadWrite:
    return "read_write";
  }
  return "?";
}

const char *memoryKindName(MemoryKind kind) {
  return kind == MemoryKind::Host ? "host" : "device";
}

uint32_t stepDevice(const ArtifactSpec &spec, const FunctionSpec &function,
                    const StepSpec &step) {
  switch (step.op) {
  case StepSpec::Op::Dispatch:
    return spec.executables[step.executable].device;
  case StepSpec::Op::Copy:
    return function.buffers[step.src].device;
  case StepSpec::Op::Fill:
    return function.buffers[step.dst].device;
  }
  return 0;
}

std::vector<BufferUse> stepUses(const ArtifactSpec &spec,
                                const StepSpec &step) {
  std::vector<BufferUse> uses;
  switch (step.op) {
  case StepSpec::Op::Dispatch: {
    const KernelSpec &kernel =
        spec.executables[step.executable].kernels[step.kernel];
    for (size_t b = 0; b < step.bindings.size(); ++b) {
      const BindingSpec &binding = step.bindings[b];
      if (reads(kernel.bindings[b]))
        uses.push_back({binding.buffer, binding.offset, binding.length, false});
      if (writes(kernel.bindings[b]))
        uses.push_back({binding.buffer, binding.offset, binding.length, true});
    }
    break;
  }
  case StepSpec::Op::Copy:
    uses = {{step.src, step.srcOffset, step.size, false},
            {step.dst, step.dstOffset, step.size, true}};
    break;
  case StepSpec::Op::Fill:
    uses = {{step.dst, step.dstOffset, step.size, true}};
    break;
  }
  return uses;
}

std::string stepLabel(size_t index, const StepSpec &step) {
  std::string label =
      "step " + std::to_string(index) + " (" + stepOpName(step.op);
  if (!step.name.empty())
    label += " '" + step.name + "'";
  return label + ")";
}

const char *stepOpName(StepSpec::Op op) {
  switch (op) {
  case StepSpec::Op::Dispatch:
    return "dispatch";
  case StepSpec::Op::Copy:
    return "copy";
  case StepSpec::Op::Fill:
    return "fill";
  }
  return "?";
}

namespace {

std::string quoted(const std::string &name) { return "'" + name + "'"; }

/// Checks one model; `blobSizes` stands in for the blob data, which a
/// parsed file keeps outside the model.
class Validator {
public:
  Validator(const ArtifactSpec &spec, const std::vector<uint64_t> &blobSizes,
            std::string *error)
      : spec(spec), blobSizes(blobSizes), error(error) {}

  bool run() {
    if (spec.devices.empty())
      return fail("the artifact names no device");
    if (!checkCount(spec.devices.size(), kMaxDevices, "", "devices"))
      return false;
    for (size_t d = 0; d < spec.devices.size(); ++d)
      if (spec.devices[d].target.empty())
        return fail("device " + std::to_string(d) + ": empty target");
    if (blobSizes.size() > kMaxBlobs)
      return fail(std::to_string(blobSizes.size()) +
                  " blobs exceed the limit of " + std::to_string(kMaxBlobs));
    if (!checkCount(spec.executables.size(), kMaxExecutables, "",
                    "executables"))
      return false;
    for (size_t i = 0; i < spec.executables.size(); ++i)
      if (!checkExecutable(i))
        return false;
    if (spec.functions.empty())
      return fail("the artifact has no functions");
    if (!checkCount(spec.functions.size(), kMaxFunctions, "", "functions"))
      return false;
    std::set<std::string> names;
    for (const FunctionSpec &function : spec.functions) {
      if (function.name.empty())
        return fail("a function has an empty name");
      if (!names.insert(function.name).second)
        return fail("duplicate function name " + quoted(function.name));
      if (!checkFunction(function))
        return false;
    }
    return true;
  }

private:
  bool fail(const std::string &message) {
    *error = message;
    return false;
  }

  bool checkCount(size_t count, size_t limit, const std::string &where,
                  const char *what) {
    if (count <= limit)
      return true;
    return fail(where + std::to_string(count) + " " + what +
                " exceed the limit of " + std::to_string(limit));
  }

  bool checkDeviceRef(uint32_t device, const std::string &where) {
    if (device < spec.devices.size())
      return true;
    return fail(where + "device " + std::to_string(device) +
                " does not exist (the artifact has " +
                std::to_string(spec.devices.size()) + " devices)");
  }

  // Which formats a device runs is the device's to judge when it loads the
  // executable; here only the shape of the contract is checked.
  bool checkExecutable(size_t index) {
    const ExecutableSpec &exe = spec.executables[index];
    std::string where = "executable " + std::to_string(index) + ": ";
    if (!checkDeviceRef(exe.device, where))
      return false;
    if (exe.format.empty())
      return fail(where + "empty format");
    if (exe.blob >= blobSizes.size())
      return fail(where + "blob " + std::to_string(exe.blob) +
                  " does not exist (the artifact has " +
                  std::to_string(blobSizes.size()) + " blobs)");
    if (!checkCount(exe.kernels.size(), kMaxKernels, where, "kernels"))
      return false;
    for (size_t k = 0; k < exe.kernels.size(); ++k) {
      const KernelSpec &kernel = exe.kernels[k];
      std::string kernelWhere = where + "kernel " + std::to_string(k) + " (" +
                                quoted(kernel.name) + "): ";
      if (kernel.symbol.empty())
        return fail(kernelWhere + "empty symbol");
      if (!checkCount(kernel.bindings.size(), kMaxBindings, kernelWhere,
                      "bindings") ||
          !checkCount(kernel.pushConstants, kMaxPushConstants, kernelWhere,
                      "push constants"))
        return false;
      const uint32_t *size = kernel.workgroupSize;
      if (size[0] == 0 || size[1] == 0 || size[2] == 0)
        return fail(kernelWhere + "workgroup size " + std::to_string(size[0]) +
                    "x" + std::to_string(size[1]) + "x" +
                    std::to_string(size[2]) + " has a zero dim");
    }
    return true;
  }

  bool checkTensor(const TensorSpec &tensor, const std::string &where) {
    if (dtypeSize(tensor.dtype) < 0)
      return fail(where + "unknown dtype " + quoted(tensor.dtype));
    if (tensor.shape.size() > kMaxRank)
      return fail(where + "rank " + std::to_string(tensor.shape.size()) +
                  " exceeds the limit of " + std::to_string(kMaxRank));
    for (size_t d = 0; d < tensor.shape.size(); ++d)
      if (tensor.shape[d] < 0)
        return fail(where + "dim " + std::to_string(d) + " is " +
                    std::to_string(tensor.shape[d]) +
                    "; dims must be >= 0 (dynamic dims are not supported)");
    uint64_t bytes;
    if (!tensorByteSize(tensor, &bytes))
      return fail(where + "byte size overflows");
    return true;
  }

  bool checkSignature(const FunctionSpec &function, const std::string &where) {
    if (!checkCount(function.inputs.size(), kMaxTensors, where, "inputs") ||
        !checkCount(function.outputs.size(), kMaxTensors, where, "outputs"))
      return false;
    for (size_t i = 0; i < function.inputs.size(); ++i)
      if (!checkTensor(function.inputs[i],
                       where + "input " + std::to_string(i) + " (" +
                           quoted(function.inputs[i].name) + "): "))
        return false;
    for (size_t i = 0; i < function.outputs.size(); ++i)
      if (!checkTensor(function.outputs[i],
                       where + "output " + std::to_string(i) + " (" +
                           quoted(function.outputs[i].name) + "): "))
        return false;
    return true;
  }

  bool checkBuffers(const FunctionSpec &function, const std::string &where) {
    if (!checkCount(function.buffers.size(), kMaxBuffers, where, "buffers"))
      return false;
    // The buffer that holds each input and output; exactly one each.
    std::vector<int64_t> inputBuffer(function.inputs.size(), -1);
    std::vector<int64_t> outputBuffer(function.outputs.size(), -1);
    for (size_t b = 0; b < function.buffers.size(); ++b) {
      const BufferSpec &buffer = function.buffers[b];
      std::string bufferWhere = where + "buffer " + std::to_string(b) + " (" +
                                bufferKindName(buffer.kind) + "): ";
      if (!checkDeviceRef(buffer.device, bufferWhere))
        return false;
      bool isInput = buffer.kind == BufferSpec::Kind::Input;
      if (isInput || buffer.kind == BufferSpec::Kind::Output) {
        const std::vector<TensorSpec> &tensors =
            isInput ? function.inputs : function.outputs;
        std::vector<int64_t> &owner = isInput ? inputBuffer : outputBuffer;
        const char *what = isInput ? "input" : "output";
        if (buffer.index >= tensors.size())
          return fail(bufferWhere + what + " " + std::to_string(buffer.index) +
                      " does not exist (the function has " +
                      std::to_string(tensors.size()) + " " + what + "s)");
        if (owner[buffer.index] >= 0)
          return fail(bufferWhere + what + " " + std::to_string(buffer.index) +
                      " already has buffer " +
                      std::to_string(owner[buffer.index]));
        owner[buffer.index] = static_cast<int64_t>(b);
        uint64_t expected = 0;
        tensorByteSize(tensors[buffer.index], &expected);
        if (buffer.size != expected)
          return fail(bufferWhere + "size " + std::to_string(buffer.size) +
                      " does not match " + what + " " +
                      std::to_string(buffer.index) + " (" +
                      quoted(tensors[buffer.index].name) + "), which needs " +
                      std::to_string(expected) + " bytes");
      }
      if (buffer.kind == BufferSpec::Kind::Constant) {
        if (buffer.blob < 0 ||
            static_cast<uint64_t>(buffer.blob) >= blobSizes.size())
          return fail(bufferWhere + "blob " + std::to_string(buffer.blob) +
                      " does not exist (the artifact has " +
                      std::to_string(blobSizes.size()) + " blobs)");
        if (buffer.size != blobSizes[buffer.blob])
          return fail(bufferWhere + "size " + std::to_string(buffer.size) +
                      " does not match blob " + std::to_string(buffer.blob) +
                      " (" + std::to_string(blobSizes[buffer.blob]) +
                      " bytes)");
      } else if (buffer.blob != -1) {
        return fail(bufferWhere + "only constant buffers have a blob");
      }
    }
    for (size_t i = 0; i < inputBuffer.size(); ++i)
      if (inputBuffer[i] < 0)
        return fail(where + "input " + std::to_string(i) + " (" +
                    quoted(function.inputs[i].name) + ") has no buffer");
    for (size_t i = 0; i < outputBuffer.size(); ++i)
      if (outputBuffer[i] < 0)
        return fail(where + "output " + std::to_string(i) + " (" +
                    quoted(function.outputs[i].name) + ") has no buffer");
    return true;
  }

  /// Checks that buffer `id` exists, that it is writable if `written`, and
  /// that `size` bytes from `offset` on lie inside it.
  bool checkBufferRef(const FunctionSpec &function, uint32_t id,
                      const std::string &where, const std::string &role,
                      bool written, uint64_t offset, uint64_t size) {
    if (id >= function.buffers.size())
      return fail(where + role + " refers to buffer " + std::to_string(id) +
                  ", but the function has " +
                  std::to_string(function.buffers.size()) + " buffers");
    const BufferSpec &buffer = function.buffers[id];
    if (written && (buffer.kind == BufferSpec::Kind::Input ||
                    buffer.kind == BufferSpec::Kind::Constant))
      return fail(
          where + role + " buffer " + std::to_string(id) + " is " +
          (buffer.kind == BufferSpec::Kind::Input ? "an input" : "a constant") +
          " buffer, which is read-only");
    uint64_t end;
    if (__builtin_add_overflow(offset, size, &end) || end > buffer.size)
      return fail(where + "[" + std::to_string(offset) + ", +" +
                  std::to_string(size) + ") does not fit in " + role +
                  " buffer " + std::to_string(id) + " (" +
                  std::to_string(buffer.size) + " bytes)");
    return true;
  }

  bool checkDispatch(const FunctionSpec &function, const StepSpec &step,
                     const std::string &where) {
    if (step.executable >= spec.executables.size())
      return fail(where + "executable " + std::to_string(step.executable) +
                  " does not exist (the artifact has " +
                  std::to_string(spec.executables.size()) + " executables)");
    if (!checkKernelCall(function, step, step.kernel, step.workgroups, where))
      return false;
    for (size_t p = 0; p < step.then.size(); ++p)
      if (!checkKernelCall(function, step, step.then[p].kernel,
                           step.then[p].workgroups,
                           where + "then " + std::to_string(p) + ": "))
        return false;
    return true;
  }

  /// Kernel `index` of the step's executable, run over `workgroups` on the
  /// step's bindings.
  bool checkKernelCall(const FunctionSpec &function, const StepSpec &step,
                       uint32_t index, const uint32_t workgroups[3],
                       const std::string &where) {
    const ExecutableSpec &exe = spec.executables[step.executable];
    if (index >= exe.kernels.size())
      return fail(where + "kernel " + std::to_string(index) +
                  " does not exist (executable " +
                  std::to_string(step.executable) + " has " +
                  std::to_string(exe.kernels.size()) + " kernels)");
    const KernelSpec &kernel = exe.kernels[index];
    if (step.bindings.size() != kernel.bindings.size())
      return fail(where + "kernel " + quoted(kernel.name) + " takes " +
                  std::to_string(kernel.bindings.size()) +
                  " bindings, the step has " +
                  std::to_string(step.bindings.size()));
    if (step.pushConstants.size() != kernel.pushConstants)
      return fail(where + "kernel " + quoted(kernel.name) + " takes " +
                  std::to_string(kernel.pushConstants) +
                  " push constants, the step has " +
                  std::to_string(step.pushConstants.size()));
    uint64_t groups = uint64_t(workgroups[0]) * workgroups[1];
    if (__builtin_mul_overflow(groups, workgroups[2], &groups) ||
        groups > kMaxWorkgroups)
      return fail(where + std::to_string(workgroups[0]) + "x" +
                  std::to_string(workgroups[1]) + "x" +
                  std::to_string(workgroups[2]) +
                  " workgroups exceed the limit of 2^40");
    for (size_t i = 0; i < step.bindings.size(); ++i) {
      const BindingSpec &binding = step.bindings[i];
      std::string role = "binding " + std::to_string(i);
      if (!checkBufferRef(function, binding.buffer, where, role,
                          writes(kernel.bindings[i]), binding.offset,
                          binding.length))
        return false;
      uint64_t bytes = 0;
      if (!binding.dtype.empty() &&
          !tensorByteSize({"", binding.dtype, binding.shape}, &bytes))
        return fail(where + role + ": unknown dtype " +
                    quoted(binding.dtype) + " or a bad shape");
      if (!binding.dtype.empty() && bytes != binding.length)
        return fail(where + role + ": its tensor has " +
                    std::to_string(bytes) + " bytes, but it binds " +
                    std::to_string(binding.length));
      uint32_t device = function.buffers[binding.buffer].device;
      if (device != exe.device)
        return fail(where + role + ": buffer " +
                    std::to_string(binding.buffer) + " lives on device " +
                    std::to_string(device) + ", but executable " +
                    std::to_string(step.executable) + " runs on device " +
                    std::to_string(exe.device) + " (move it with a copy step)");
    }
    for (size_t m = 0; m < kernel.tensorMaps.size(); ++m) {
      const TensorMapSpec &map = kernel.tensorMaps[m];
      uint64_t bytes = 0;
      if (!tensorByteSize({"", map.dtype, map.shape}, &bytes))
        return fail(where + "tensor map " + std::to_string(m) +
                    ": its shape overflows");
      uint64_t length = step.bindings[map.binding].length;
      if (bytes > length)
        return fail(where + "tensor map " + std::to_string(m) + " reads " +
                    std::to_string(bytes) + " bytes of binding " +
                    std::to_string(map.binding) + ", which binds " +
                    std::to_string(length));
    }
    return true;
  }

  bool checkStep(const FunctionSpec &function, const StepSpec &step,
                 const std::string &where) {
    switch (step.op) {
    case StepSpec::Op::Dispatch:
      return checkDispatch(function, step, where);
    case StepSpec::Op::Copy:
      return checkBufferRef(function, step.src, where, "source", false,
                            step.srcOffset, step.size) &&
             checkBufferRef(function, step.dst, where, "destination", true,
                            step.dstOffset, step.size);
    case StepSpec::Op::Fill:
      return checkBufferRef(function, step.dst, where, "destination", true,
                            step.dstOffset, step.size);
    }
    return fail(where + "unknown op");
  }

  bool checkFunction(const FunctionSpec &function) {
    std::string where = "function " + quoted(function.name) + ": ";
    if (!checkSignature(function, where) || !checkBuffers(function, where) ||
        !checkCount(function.schedule.size(), kMaxSteps, where, "steps"))
      return false;
    for (size_t s = 0; s < function.schedule.size(); ++s) {
      const StepSpec &step = function.schedule[s];
      if (!checkStep(function, step, where + stepLabel(s, step) + ": "))
        return false;
    }
    return true;
  }

  const ArtifactSpec &spec;
  const std::vector<uint64_t> &blobSizes;
  std::string *error;
};

} // namespace

bool validateWithBlobSizes(const ArtifactSpec &spec,
                           const std::vector<uint64_t> &blobSizes,
                           std::string *error) {
  return Validator(spec, blobSizes, error).run();
}

bool validate(const ArtifactSpec &spec, std::string *error) {
  std::vector<uint64_t> blobSizes;
  blobSizes.reserve(spec.blobs.size());
  for (const std::vector<uint8_t> &blob : spec.blobs)
    blobSizes.push_back(blob.size());
  return validateWithBlobSizes(spec, blobSizes, error);
}

} // namespace strata::artifact
