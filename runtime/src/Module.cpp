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

/// Validates `module->file` and loads it onto `module->device`.
strata_status_t loadModule(strata_module_s *module) {
  std::string error;
  if (!artifact::parseView(module->file.data(), module->file.size(),
                           &module->spec, &module->blobs, &error))
    return makeStatus(STRATA_STATUS_INVALID_ARTIFACT, error);

  Device &device = *module->device->device;
  const artifact::ArtifactSpec &spec = module->spec;
  if (spec.target != device.name())
    return makeStatus(STRATA_STATUS_UNSUPPORTED,
                      "the artifact is for target '" + spec.target +
                          "', not for device '" + device.name() + "'");
  for (const artifact::FunctionSpec &function : spec.functions) {
    FunctionSignature signature;
    for (const artifact::TensorSpec &tensor : function.inputs)
      dtypeFromName(tensor.dtype, &signature.inputDtypes.emplace_back());
    for (const artifact::TensorSpec &tensor : function.outputs)
      dtypeFromName(tensor.dtype, &signature.outputDtypes.emplace_back());
    module->signatures.push_back(std::move(signature));
    for (size_t s = 0; s < function.schedule.size(); ++s) {
      size_t pushConstants = function.schedule[s].pushConstants.size();
      if (pushConstants > device.maxPushConstants())
        return makeStatus(
            STRATA_STATUS_UNSUPPORTED,
            "function '" + function.name + "': step " + std::to_string(s) +
                ": " + std::to_string(pushConstants) +
                " push constants, but device '" + device.name() +
                "' takes at most " + std::to_string(device.maxPushConstants()));
    }
  }
  for (size_t i = 0; i < spec.executables.size(); ++i) {
    const artifact::BlobView &blob = module->blobs[spec.executables[i].blob];
    std::unique_ptr<Executable> executable;
    if (strata_status_t status = device.loadExecutable(
            spec.executables[i], blob.data, blob.size, &executable))
      return prefixStatus(status, "executable " + std::to_string(i) + ": ");
    module->executables.push_back(std::move(executable));
  }
  return nullptr;
}

/// Makes a module for `device` whose file `fill` provides, and loads it.
template <typename Fill>
strata_status_t createModule(strata_device_t *device, strata_module_t **out,
                             const std::string &messagePrefix, Fill &&fill) {
  std::unique_ptr<strata_module_s> module(new strata_module_s);
  retainHandle(device);
  module->device = device;
  strata_status_t status = fill(&module->file);
  if (!status)
    status = prefixStatus(loadModule(module.get()), messagePrefix);
  if (!status)
    *out = module.release();
  return status;
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
  return guard([&] {
    std::string name = path;
    return createModule(device, out, name + ": ", [&](AlignedBuffer *file) {
      return readFile(name, file);
    });
  });
}

strata_status_t strata_module_load_memory(strata_device_t *device,
                                          const void *data, size_t size,
                                          strata_module_t **out) {
  if (!device || (!data && size) || !out)
    return invalid("device, data and out must not be NULL");
  return guard([&] {
    return createModule(
        device, out, "", [&](AlignedBuffer *file) -> strata_status_t {
          if (!file->allocate(size, /*zero=*/false))
            return makeStatus(STRATA_STATUS_OUT_OF_MEMORY,
                              "cannot allocate " + std::to_string(size) +
                                  " bytes for the artifact");
          if (size)
            std::memcpy(file->data(), data, size);
          return nullptr;
        });
  });
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
