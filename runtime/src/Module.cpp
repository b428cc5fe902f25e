//===- Module.cpp - C API: loading artifacts and reading signatures -------===//
//
// A module owns an aligned copy of the artifact file. Loading validates the
// whole file (StrataArtifact's parser: header, checksums, manifest), then
// checks what only the device can judge and loads every executable, so that
// invoking cannot fail for a reason that loading could have found.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Dtype.h"
#include "runtime/src/Handles.h"
#include "runtime/src/Status.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata;
using namespace strata::runtime;

namespace {

strata_status_t invalid(const std::string &message) {
  return makeStatus(STRATA_STATUS_INVALID_ARGUMENT, message);
}

strata_status_t ioError(const std::string &what, const std::string &path) {
  return makeStatus(STRATA_STATUS_IO_ERROR,
                    what + " '" + path + "': " + std::strerror(errno));
}

/// Reads the regular file at `path` into aligned memory.
strata_status_t readFile(const std::string &path, AlignedBuffer *out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return ioError("cannot open", path);
  struct stat info;
  strata_status_t status = nullptr;
  if (::fstat(fd, &info) != 0)
    status = ioError("cannot stat", path);
  else if (!S_ISREG(info.st_mode))
    status = makeStatus(STRATA_STATUS_IO_ERROR,
                        "'" + path + "' is not a regular file");
  if (status) {
    ::close(fd);
    return status;
  }
  uint64_t size = static_cast<uint64_t>(info.st_size);
  if (!out->allocate(size, /*zero=*/false)) {
    ::close(fd);
    return makeStatus(STRATA_STATUS_OUT_OF_MEMORY,
                      "cannot allocate " + std::to_string(size) +
                          " bytes to read '" + path + "'");
  }
  size_t done = 0;
  while (done < size) {
    ssize_t got = ::read(fd, out->data() + done, size - done);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0) {
      status = got < 0 ? ioError("cannot read", path)
                       : makeStatus(STRATA_STATUS_IO_ERROR,
                                    "'" + path + "' shrank while being read");
      ::close(fd);
      return status;
    }
    done += static_cast<size_t>(got);
  }
  ::close(fd);
  return nullptr;
}

/// Whether two uses conflict: overlapping bytes of one buffer, one written.
bool conflict(const artifact::BufferUse &a, const artifact::BufferUse &b) {
  return a.buffer == b.buffer && (a.written || b.written) &&
         a.offset < b.offset + b.length && b.offset < a.offset + a.length;
}

/// Which steps start a command buffer, which are transfers between
/// devices, and where barriers go: a step that reads bytes written since
/// the run's last barrier, or writes bytes read or written since then,
/// waits for what came before. Ranges count, not whole buffers, so steps
/// on disjoint slices of one arena need no barrier between them.
FunctionPlan planSchedule(const artifact::ArtifactSpec &spec,
                          const artifact::FunctionSpec &function) {
  FunctionPlan plan;
  size_t steps = function.schedule.size();
  plan.barrierBefore.assign(steps, false);
  plan.startsRun.assign(steps, false);
  plan.isTransfer.assign(steps, false);
  for (size_t s = 0; s < steps; ++s)
    plan.labels.push_back(artifact::stepLabel(s, function.schedule[s]));
  std::vector<artifact::BufferUse>
      pending; // since the last barrier or run start
  int64_t runDevice = -1;
  for (size_t s = 0; s < steps; ++s) {
    const artifact::StepSpec &step = function.schedule[s];
    std::vector<artifact::BufferUse> uses = artifact::stepUses(spec, step);
    plan.isTransfer[s] =
        step.op == artifact::StepSpec::Op::Copy &&
        function.buffers[step.src].device != function.buffers[step.dst].device;
    int64_t device = artifact::stepDevice(spec, function, step);
    // A transfer stands alone: the steps before it have finished and the
    // ones after it start afresh.
    if (plan.isTransfer[s] || device != runDevice ||
        (s > 0 && plan.isTransfer[s - 1])) {
      plan.startsRun[s] = true;
      pending.clear();
      runDevice = device;
    }
    bool hazard = false;
    for (const artifact::BufferUse &use : uses)
      for (const artifact::BufferUse &earlier : pending)
        hazard |= conflict(use, earlier);
    if (hazard) {
      plan.barrierBefore[s] = true;
      pending.clear();
    }
    pending.insert(pending.end(), uses.begin(), uses.end());
  }
  return plan;
}

/// Puts each constant of `function` where its device's kernels read it:
/// the artifact's own bytes where the device can use host memory in place,
/// else a device buffer it is uploaded to once.
strata_status_t placeConstants(strata_module_s *module,
                               const artifact::FunctionSpec &function,
                               FunctionPlan *plan) {
  plan->constants.resize(function.buffers.size());
  for (size_t b = 0; b < function.buffers.size(); ++b) {
    const artifact::BufferSpec &buffer = function.buffers[b];
    if (buffer.kind != artifact::BufferSpec::Kind::Constant)
      continue;
    Device &device = module->device(buffer.device);
    auto *data = const_cast<uint8_t *>(module->blobs[buffer.blob].data);
    std::unique_ptr<Buffer> &placed = plan->constants[b];
    if (strata_status_t status =
            device.wrapHostMemory(data, buffer.size, &placed))
      return status;
    if (placed)
      continue;
    if (strata_status_t status =
            device.allocate(buffer.size, buffer.memory, &placed))
      return status;
    if (strata_status_t status =
            device.upload({placed.get(), 0, buffer.size}, data))
      return status;
    CoreStats &stats = module->devices[buffer.device]->stats;
    stats.uploads.fetch_add(1, std::memory_order_relaxed);
    stats.uploadBytes.fetch_add(buffer.size, std::memory_order_relaxed);
  }
  return nullptr;
}

/// Validates `module->file` and loads it onto `module->devices`.
strata_status_t loadModule(strata_module_s *module) {
  std::string error;
  if (!artifact::parseView(module->file.data(), module->file.size(),
                           &module->spec, &module->blobs, &error))
    return makeStatus(STRATA_STATUS_INVALID_ARTIFACT, error);

  const artifact::ArtifactSpec &spec = module->spec;
  // One device given for a module is every slot's device.
  if (module->devices.size() == 1)
    for (size_t slot = 1; slot < spec.devices.size(); ++slot) {
      retainHandle(module->devices[0]);
      module->devices.push_back(module->devices[0]);
    }
  if (module->devices.size() != spec.devices.size())
    return makeStatus(
        STRATA_STATUS_INVALID_ARGUMENT,
        "the artifact runs on " + std::to_string(spec.devices.size()) +
            " devices, but " + std::to_string(module->devices.size()) +
            " were given");
  for (size_t slot = 0; slot < spec.devices.size(); ++slot) {
    const std::string &target = spec.devices[slot].target;
    const char *name = module->device(slot).name();
    if (target != name)
      return makeStatus(STRATA_STATUS_UNSUPPORTED,
                        spec.devices.size() == 1
                            ? "the artifact is for target '" + target +
                                  "', not for device '" + name + "'"
                            : "device " + std::to_string(slot) +
                                  " of the artifact is for target '" + target +
                                  "', not for device '" + name + "'");
  }
  for (const artifact::FunctionSpec &function : spec.functions) {
    FunctionSignature signature;
    for (const artifact::TensorSpec &tensor : function.inputs)
      dtypeFromName(tensor.dtype, &signature.inputDtypes.emplace_back());
    for (const artifact::TensorSpec &tensor : function.outputs)
      dtypeFromName(tensor.dtype, &signature.outputDtypes.emplace_back());
    module->signatures.push_back(std::move(signature));
    for (size_t s = 0; s < function.schedule.size(); ++s) {
      const artifact::StepSpec &step = function.schedule[s];
      if (step.op != artifact::StepSpec::Op::Dispatch)
        continue;
      Device &device = module->device(spec.executables[step.executable].device);
      size_t pushConstants = step.pushConstants.size();
      if (pushConstants > device.maxPushConstants())
        return makeStatus(STRATA_STATUS_UNSUPPORTED,
                          "function '" + function.name +
                              "': " + artifact::stepLabel(s, step) + ": " +
                              std::to_string(pushConstants) +
                              " push constants, but device '" + device.name() +
                              "' takes at most " +
                              std::to_string(device.maxPushConstants()));
    }
  }
  for (size_t i = 0; i < spec.executables.size(); ++i) {
    const artifact::ExecutableSpec &exe = spec.executables[i];
    const artifact::BlobView &blob = module->blobs[exe.blob];
    std::unique_ptr<Executable> executable;
    if (strata_status_t status =
            module->device(exe.device)
                .loadExecutable(exe, blob.data, blob.size, &executable))
      return prefixStatus(status, "executable " + std::to_string(i) + ": ");
    module->executables.push_back(std::move(executable));
  }
  for (const artifact::FunctionSpec &function : spec.functions) {
    FunctionPlan plan = planSchedule(spec, function);
    if (strata_status_t status = placeConstants(module, function, &plan))
      return prefixStatus(status, "function '" + function.name + "': ");
    module->plans.push_back(std::move(plan));
  }
  module->spareArenas.resize(spec.devices.size() * 2);
  return nullptr;
}

/// Makes a module on `devices` whose file `fill` provides, and loads it.
template <typename Fill>
strata_status_t createModule(strata_device_t *const *devices, size_t count,
                             strata_module_t **out,
                             const std::string &messagePrefix, Fill &&fill) {
  std::unique_ptr<strata_module_s> module(new strata_module_s);
  for (size_t i = 0; i < count; ++i) {
    retainHandle(devices[i]);
    module->devices.push_back(devices[i]);
  }
  strata_status_t status = fill(&module->file);
  if (!status)
    status = prefixStatus(loadModule(module.get()), messagePrefix);
  if (!status)
    *out = module.release();
  return status;
}

/// Checks the devices of `options`.
strata_status_t checkLoadOptions(const strata_module_load_options_t *options) {
  if (!options)
    return invalid("options is NULL");
  if (options->struct_size < sizeof(strata_module_load_options_t))
    return invalid("options->struct_size is " +
                   std::to_string(options->struct_size) + ", expected " +
                   std::to_string(sizeof(strata_module_load_options_t)) +
                   " (call strata_module_load_options_init)");
  if (options->device_count == 0 || !options->devices)
    return invalid("options name no devices");
  for (size_t i = 0; i < options->device_count; ++i)
    if (!options->devices[i])
      return invalid("device " + std::to_string(i) + " is NULL");
  return nullptr;
}

strata_status_t loadFile(strata_device_t *const *devices, size_t count,
                         const char *path, strata_module_t **out) {
  std::string name = path;
  return createModule(
      devices, count, out, name + ": ",
      [&](AlignedBuffer *file) { return readFile(name, file); });
}

strata_status_t loadMemory(strata_device_t *const *devices, size_t count,
                           const void *data, size_t size,
                           strata_module_t **out) {
  return createModule(
      devices, count, out, "", [&](AlignedBuffer *file) -> strata_status_t {
        if (!file->allocate(size, /*zero=*/false))
          return makeStatus(STRATA_STATUS_OUT_OF_MEMORY,
                            "cannot allocate " + std::to_string(size) +
                                " bytes for the artifact");
        if (size)
          std::memcpy(file->data(), data, size);
        return nullptr;
      });
}

const artifact::FunctionSpec *function(const strata_module_t *module,
                                       size_t index) {
  return module && index < module->spec.functions.size()
             ? &module->spec.functions[index]
             : nullptr;
}

strata_status_t tensorSpec(const strata_module_t *module, size_t functionIndex,
                           size_t index, bool input,
                           strata_tensor_spec_t *out) {
  const artifact::FunctionSpec *spec = function(module, functionIndex);
  if (!spec)
    return invalid("function index " + std::to_string(functionIndex) +
                   " is out of range");
  const std::vector<artifact::TensorSpec> &tensors =
      input ? spec->inputs : spec->outputs;
  if (index >= tensors.size())
    return invalid(std::string(input ? "input" : "output") + " index " +
                   std::to_string(index) + " is out of range (function '" +
                   spec->name + "' has " + std::to_string(tensors.size()) +
                   ")");
  const FunctionSignature &signature = module->signatures[functionIndex];
  const artifact::TensorSpec &tensor = tensors[index];
  out->name = tensor.name.c_str();
  out->dtype =
      input ? signature.inputDtypes[index] : signature.outputDtypes[index];
  out->rank = tensor.shape.size();
  out->dims = tensor.shape.data();
  return nullptr;
}

} // namespace

extern "C" {

strata_status_t strata_module_load_file(strata_device_t *device,
                                        const char *path,
                                        strata_module_t **out) {
  if (!device || !path || !out)
    return invalid("device, path and out must not be NULL");
  return guard([&] { return loadFile(&device, 1, path, out); });
}

strata_status_t strata_module_load_memory(strata_device_t *device,
                                          const void *data, size_t size,
                                          strata_module_t **out) {
  if (!device || (!data && size) || !out)
    return invalid("device, data and out must not be NULL");
  return guard([&] { return loadMemory(&device, 1, data, size, out); });
}

void strata_module_load_options_init(strata_module_load_options_t *options) {
  if (!options)
    return;
  *options = strata_module_load_options_t{};
  options->struct_size = sizeof(*options);
}

strata_status_t strata_module_load_file_with_options(
    const strata_module_load_options_t *options, const char *path,
    strata_module_t **out) {
  if (!path || !out)
    return invalid("path and out must not be NULL");
  return guard([&] {
    if (strata_status_t status = checkLoadOptions(options))
      return status;
    return loadFile(options->devices, options->device_count, path, out);
  });
}

strata_status_t strata_module_load_memory_with_options(
    const strata_module_load_options_t *options, const void *data, size_t size,
    strata_module_t **out) {
  if ((!data && size) || !out)
    return invalid("data and out must not be NULL");
  return guard([&] {
    if (strata_status_t status = checkLoadOptions(options))
      return status;
    return loadMemory(options->devices, options->device_count, data, size, out);
  });
}

size_t strata_module_device_count(const strata_module_t *module) {
  return module ? module->spec.devices.size() : 0;
}

const char *strata_module_device_target(const strata_module_t *module,
                                        size_t slot) {
  return module && slot < module->spec.devices.size()
             ? module->spec.devices[slot].target.c_str()
             : nullptr;
}

void strata_module_retain(strata_module_t *module) { retainHandle(module); }

void strata_module_release(strata_module_t *module) { releaseHandle(module); }

size_t strata_module_function_count(const strata_module_t *module) {
  return module ? module->spec.functions.size() : 0;
}

const char *strata_module_function_name(const strata_module_t *module,
                                        size_t index) {
  const artifact::FunctionSpec *spec = function(module, index);
  return spec ? spec->name.c_str() : nullptr;
}

size_t strata_module_input_count(const strata_module_t *module, size_t index) {
  const artifact::FunctionSpec *spec = function(module, index);
  return spec ? spec->inputs.size() : 0;
}

size_t strata_module_output_count(const strata_module_t *module, size_t index) {
  const artifact::FunctionSpec *spec = function(module, index);
  return spec ? spec->outputs.size() : 0;
}

strata_status_t strata_module_input_spec(const strata_module_t *module,
                                         size_t function, size_t index,
                                         strata_tensor_spec_t *out) {
  if (!out)
    return invalid("out is NULL");
  return guard(
      [&] { return tensorSpec(module, function, index, /*input=*/true, out); });
}

strata_status_t strata_module_output_spec(const strata_module_t *module,
                                          size_t function, size_t index,
                                          strata_tensor_spec_t *out) {
  if (!out)
    return invalid("out is NULL");
  return guard([&] {
    return tensorSpec(module, function, index, /*input=*/false, out);
  });
}

} // extern "C"
