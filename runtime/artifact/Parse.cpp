//===- Parse.cpp - read and validate a .strata artifact -------------------===//
//
// Checks the header, then the manifest's checksum, then reads the manifest
// JSON into an ArtifactSpec field by field (unknown fields and values are
// errors), then checks every blob's range and checksum, and last the
// semantic rules of Validate.cpp. Every offset and size is checked with
// overflow-safe arithmetic before a byte it names is read. nlohmann/json
// reports errors by exception; they are caught here and nowhere else.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/ArtifactInternal.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <initializer_list>
#include <limits>

namespace strata::artifact {

using Json = nlohmann::ordered_json;

namespace {

uint32_t loadU32(const uint8_t *at) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i)
    value |= static_cast<uint32_t>(at[i]) << (8 * i);
  return value;
}

uint64_t loadU64(const uint8_t *at) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i)
    value |= static_cast<uint64_t>(at[i]) << (8 * i);
  return value;
}

/// A JSON value for a message, shortened so a huge value stays one line.
std::string shortDump(const Json &value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return text.size() > 40 ? text.substr(0, 37) + "..." : text;
}

/// One entry of the manifest's "blobs" list.
struct BlobRecord {
  uint64_t offset = 0, size = 0, checksum = 0;
};

/// Reads the manifest JSON into the model. Structural errors only (types,
/// fields, spellings); Validate.cpp checks the meaning afterwards.
class ManifestReader {
public:
  explicit ManifestReader(std::string *error) : error(error) {}

  bool read(const Json &root, ArtifactSpec *spec,
            std::vector<BlobRecord> *blobs) {
    const std::string where = "manifest: ";
    const Json *devices, *executables, *functions, *blobList;
    std::string format;
    uint64_t version;
    if (!checkObject(root, where,
                     {"format", "version", "producer", "devices", "executables",
                      "functions", "blobs"}) ||
        !getString(root, "format", where, &format))
      return false;
    if (format != kFormatName)
      return fail(where + "unknown format '" + format + "' (expected '" +
                  kFormatName + "')");
    if (!getUnsigned(root, "version", where,
                     std::numeric_limits<uint32_t>::max(), &version))
      return false;
    if (version != kFormatVersion)
      return fail(where + "unsupported version " + std::to_string(version) +
                  " (this runtime reads version " +
                  std::to_string(kFormatVersion) + ")");
    if (!getString(root, "producer", where, &spec->producer) ||
        !getArray(root, "devices", where, kMaxDevices, &devices) ||
        !getArray(root, "executables", where, kMaxExecutables, &executables) ||
        !getArray(root, "functions", where, kMaxFunctions, &functions) ||
        !getArray(root, "blobs", where, kMaxBlobs, &blobList))
      return false;

    spec->devices.resize(devices->size());
    for (size_t i = 0; i < devices->size(); ++i) {
      std::string deviceWhere = "device " + std::to_string(i) + ": ";
      if (!checkObject((*devices)[i], deviceWhere, {"target"}) ||
          !getString((*devices)[i], "target", deviceWhere,
                     &spec->devices[i].target))
        return false;
    }
    spec->executables.resize(executables->size());
    for (size_t i = 0; i < executables->size(); ++i)
      if (!readExecutable((*executables)[i],
                          "executable " + std::to_string(i) + ": ",
                          &spec->executables[i]))
        return false;
    spec->functions.resize(functions->size());
    for (size_t i = 0; i < functions->size(); ++i)
      if (!readFunction((*functions)[i], i, &spec->functions[i]))
        return false;
    blobs->resize(blobList->size());
    for (size_t i = 0; i < blobList->size(); ++i)
      if (!readBlob((*blobList)[i], "blob " + std::to_string(i) + ": ",
                    &(*blobs)[i]))
        return false;
    return true;
  }

private:
  bool fail(const std::string &message) {
    *error = message;
    return false;
  }

  bool checkObject(const Json &value, const std::string &where,
                   std::initializer_list<const char *> allowed) {
    if (!value.is_object())
      return fail(where + "expected an object, got " + shortDump(value));
    return checkFields(value, where, allowed);
  }

  /// Fails on a field of `value` (an object) that is not in `allowed`.
  template <typename Names>
  bool checkFields(const Json &value, const std::string &where,
                   const Names &allowed) {
    for (const auto &item : value.items()) {
      bool known = false;
      for (const char *name : allowed)
        known |= item.key() == name;
      if (!known)
        return fail(where + "unknown field '" + item.key() + "'");
    }
    return true;
  }

  const Json *field(const Json &object, const char *key,
                    const std::string &where) {
    auto it = object.find(key);
    if (it == object.end()) {
      fail(where + "missing field '" + key + "'");
      return nullptr;
    }
    return &*it;
  }

  bool getString(const Json &object, const char *key, const std::string &where,
                 std::string *out) {
    const Json *value = field(object, key, where);
    if (!value)
      return false;
    if (!value->is_string())
      return fail(where + "'" + key + "' must be a string, got " +
                  shortDump(*value));
    *out = value->get<std::string>();
    return true;
  }

  bool toUnsigned(const Json &value, const std::string &what, uint64_t max,
                  uint64_t *out) {
    if (!value.is_number_unsigned() || value.get<uint64_t>() > max)
      return fail(what + " must be an integer in [0, " + std::to_string(max) +
                  "], got " + shortDump(value));
    *out = value.get<uint64_t>();
    return true;
  }

  bool getUnsigned(const Json &object, const char *key,
                   const std::string &where, uint64_t max, uint64_t *out) {
    const Json *value = field(object, key, where);
    return value && toUnsigned(*value, where + "'" + key + "'", max, out);
  }

  bool getU32(const Json &object, const char *key, const std::string &where,
              uint32_t *out) {
    uint64_t value;
    if (!getUnsigned(object, key, where, std::numeric_limits<uint32_t>::max(),
                     &value))
      return false;
    *out = static_cast<uint32_t>(value);
    return true;
  }

  bool getArray(const Json &object, const char *key, const std::string &where,
                size_t limit, const Json **out) {
    const Json *value = field(object, key, where);
    if (!value)
      return false;
    if (!value->is_array())
      return fail(where + "'" + key + "' must be an array, got " +
                  shortDump(*value));
    if (value->size() > limit)
      return fail(where + "'" + key + "' has " + std::to_string(value->size()) +
                  " entries, more than the limit of " + std::to_string(limit));
    *out = value;
    return true;
  }

  bool getU32Array(const Json &object, const char *key,
                   const std::string &where, size_t limit,
                   std::vector<uint32_t> *out) {
    const Json *array;
    if (!getArray(object, key, where, limit, &array))
      return false;
    out->clear();
    for (size_t i = 0; i < array->size(); ++i) {
      uint64_t value;
      if (!toUnsigned((*array)[i],
                      where + "'" + key + "'[" + std::to_string(i) + "]",
                      std::numeric_limits<uint32_t>::max(), &value))
        return false;
      out->push_back(static_cast<uint32_t>(value));
    }
    return true;
  }

  /// Reads `key`, one of the spellings in `names` (indexed by the enum's
  /// values), into `*out`; `noun` names the value in messages.
  template <typename Enum, size_t N>
  bool getEnum(const Json &object, const char *key, const std::string &where,
               const char *noun, const char *const (&names)[N], Enum *out) {
    std::string text;
    if (!getString(object, key, where, &text))
      return false;
    return spelled(text, where, noun, names, out);
  }

  template <typename Enum, size_t N>
  bool spelled(const std::string &text, const std::string &where,
               const char *noun, const char *const (&names)[N], Enum *out) {
    std::string known;
    for (size_t i = 0; i < N; ++i) {
      if (text == names[i]) {
        *out = static_cast<Enum>(i);
        return true;
      }
      known += (i ? ", " : "") + std::string(names[i]);
    }
    return fail(where + "unknown " + noun + " '" + text + "' (known: " + known +
                ")");
  }

  bool getU32Triple(const Json &object, const char *key,
                    const std::string &where, uint32_t out[3]) {
    std::vector<uint32_t> values;
    if (!getU32Array(object, key, where, 3, &values))
      return false;
    if (values.size() != 3)
      return fail(where + "'" + key + "' must have 3 entries, got " +
                  std::to_string(values.size()));
    std::copy(values.begin(), values.end(), out);
    return true;
  }

  bool readKernel(const Json &value, const std::string &where,
                  KernelSpec *kernel) {
    static const char *const kAccess[] = {"read", "write", "read_write"};
    const Json *bindings;
    if (!checkObject(value, where,
                     {"name", "symbol", "bindings", "workgroup_size",
                      "push_constants", "shared_memory", "tensor_maps"}) ||
        !getString(value, "name", where, &kernel->name) ||
        !getString(value, "symbol", where, &kernel->symbol) ||
        !getArray(value, "bindings", where, kMaxBindings, &bindings) ||
        !getU32Triple(value, "workgroup_size", where, kernel->workgroupSize) ||
        !getU32(value, "push_constants", where, &kernel->pushConstants) ||
        !getUnsigned(value, "shared_memory", where,
                     std::numeric_limits<uint64_t>::max(),
                     &kernel->sharedMemory))
      return false;
    kernel->bindings.resize(bindings->size());
    for (size_t b = 0; b < bindings->size(); ++b) {
      std::string bindingWhere = where + "binding " + std::to_string(b) + ": ";
      if (!(*bindings)[b].is_string())
        return fail(bindingWhere + "expected an access string, got " +
                    shortDump((*bindings)[b]));
      if (!spelled((*bindings)[b].get<std::string>(), bindingWhere, "access",
                   kAccess, &kernel->bindings[b]))
        return false;
    }
    if (!value.contains("tensor_maps"))
      return true;
    const Json *maps;
    if (!getArray(value, "tensor_maps", where, kMaxBindings, &maps))
      return false;
    for (size_t m = 0; m < maps->size(); ++m)
      if (!readTensorMap((*maps)[m],
                         where + "tensor map " + std::to_string(m) + ": ",
                         *kernel, &kernel->tensorMaps.emplace_back()))
        return false;
    return true;
  }

  /// A tensor map of `kernel`; what the driver checks beyond this (box
  /// bytes against the swizzle, alignment) the device reports.
  bool readTensorMap(const Json &value, const std::string &where,
                     const KernelSpec &kernel, TensorMapSpec *map) {
    const Json *shape;
    if (!checkObject(
            value, where,
            {"binding", "symbol", "dtype", "shape", "box", "swizzle"}) ||
        !getU32(value, "binding", where, &map->binding) ||
        !getString(value, "symbol", where, &map->symbol) ||
        !getString(value, "dtype", where, &map->dtype) ||
        !getArray(value, "shape", where, kMaxTensorMapRank, &shape) ||
        !readDims(*shape, where, /*nonNegative=*/true, &map->shape) ||
        !getU32Array(value, "box", where, kMaxTensorMapRank, &map->box) ||
        !getU32(value, "swizzle", where, &map->swizzle))
      return false;
    if (map->binding >= kernel.bindings.size())
      return fail(where + "binding " + std::to_string(map->binding) +
                  " does not exist (the kernel has " +
                  std::to_string(kernel.bindings.size()) + ")");
    if (dtypeSize(map->dtype) < 0)
      return fail(where + "unknown dtype '" + map->dtype + "'");
    if (map->shape.empty() || map->box.size() != map->shape.size())
      return fail(where + "needs 1 to " + std::to_string(kMaxTensorMapRank) +
                  " dims and a box of as many, got " +
                  std::to_string(map->shape.size()) + " and " +
                  std::to_string(map->box.size()));
    for (size_t d = 0; d < map->shape.size(); ++d)
      if (map->shape[d] < 1 || map->box[d] < 1 || map->box[d] > 256)
        return fail(where + "dim " + std::to_string(d) + " of " +
                    std::to_string(map->shape[d]) + " in boxes of " +
                    std::to_string(map->box[d]) +
                    " (dims must be >= 1, boxes 1 to 256)");
    if (map->swizzle != 0 && map->swizzle != 32 && map->swizzle != 64 &&
        map->swizzle != 128)
      return fail(where + "swizzle " + std::to_string(map->swizzle) +
                  " is not one of 0, 32, 64, 128");
    return true;
  }

  bool readExecutable(const Json &value, const std::string &where,
                      ExecutableSpec *exe) {
    const Json *kernels;
    if (!checkObject(
            value, where,
            {"device", "format", "blob", "kernels", "processor", "features"}) ||
        !getU32(value, "device", where, &exe->device) ||
        !getString(value, "format", where, &exe->format) ||
        !getU32(value, "blob", where, &exe->blob) ||
        !getArray(value, "kernels", where, kMaxKernels, &kernels))
      return false;
    // What the code was built for: optional, absent for devices that need
    // no check.
    if (value.contains("processor") &&
        !getString(value, "processor", where, &exe->processor))
      return false;
    if (value.contains("features")) {
      const Json *features;
      if (!getArray(value, "features", where, kMaxFeatures, &features))
        return false;
      for (const Json &feature : *features) {
        if (!feature.is_string())
          return fail(where + "'features' must hold strings, got " +
                      shortDump(feature));
        exe->features.push_back(feature.get<std::string>());
      }
    }
    exe->kernels.resize(kernels->size());
    for (size_t k = 0; k < kernels->size(); ++k)
      if (!readKernel((*kernels)[k],
                      where + "kernel " + std::to_string(k) + ": ",
                      &exe->kernels[k]))
        return false;
    return true;
  }

  bool readTensors(const Json &function, const char *key,
                   const std::string &where, std::vector<TensorSpec> *out) {
    const Json *tensors;
    if (!getArray(function, key, where, kMaxTensors, &tensors))
      return false;
    out->resize(tensors->size());
    for (size_t i = 0; i < tensors->size(); ++i) {
      const Json &value = (*tensors)[i];
      TensorSpec &tensor = (*out)[i];
      std::string tensorWhere = where + key;
      tensorWhere.pop_back(); // "inputs" -> "input"
      tensorWhere += " " + std::to_string(i) + ": ";
      const Json *shape;
      if (!checkObject(value, tensorWhere, {"name", "dtype", "shape"}) ||
          !getString(value, "name", tensorWhere, &tensor.name) ||
          !getString(value, "dtype", tensorWhere, &tensor.dtype) ||
          !getArray(value, "shape", tensorWhere, kMaxRank, &shape))
        return false;
      if (!readDims(*shape, tensorWhere, /*nonNegative=*/false, &tensor.shape))
        return false;
    }
    return true;
  }

  /// The dims of a `shape` array: 64-bit integers, and >= 0 where
  /// `nonNegative` (the validator checks the signature's dims later, with a
  /// message of its own).
  bool readDims(const Json &shape, const std::string &where, bool nonNegative,
                std::vector<int64_t> *out) {
    for (const Json &dim : shape) {
      bool fits = dim.is_number_integer() &&
                  (!dim.is_number_unsigned() ||
                   dim.get<uint64_t>() <=
                       uint64_t(std::numeric_limits<int64_t>::max()));
      if (fits && nonNegative && dim.get<int64_t>() < 0)
        fits = false;
      if (!fits)
        return fail(where +
                    (nonNegative ? "dims must be integers >= 0, got "
                                 : "dims must be 64-bit integers, got ") +
                    shortDump(dim));
      out->push_back(dim.get<int64_t>());
    }
    return true;
  }

  bool readBuffer(const Json &value, const std::string &where,
                  BufferSpec *buffer) {
    static const char *const kKinds[] = {"input", "output", "transient",
                                         "constant"};
    static const char *const kMemory[] = {"device", "host"};
    if (!value.is_object())
      return fail(where + "expected an object, got " + shortDump(value));
    if (!getEnum(value, "kind", where, "buffer kind", kKinds, &buffer->kind))
      return false;
    bool indexed = buffer->kind == BufferSpec::Kind::Input ||
                   buffer->kind == BufferSpec::Kind::Output;
    bool constant = buffer->kind == BufferSpec::Kind::Constant;
    std::vector<const char *> allowed = {"kind", "size", "device", "memory"};
    if (indexed)
      allowed.push_back("index");
    if (constant)
      allowed.push_back("blob");
    if (!checkFields(value, where, allowed) ||
        (indexed && !getU32(value, "index", where, &buffer->index)) ||
        !getUnsigned(value, "size", where, std::numeric_limits<uint64_t>::max(),
                     &buffer->size) ||
        !getU32(value, "device", where, &buffer->device) ||
        !getEnum(value, "memory", where, "memory kind", kMemory,
                 &buffer->memory))
      return false;
    if (constant) {
      uint32_t blob;
      if (!getU32(value, "blob", where, &blob))
        return false;
      buffer->blob = blob;
    }
    return true;
  }

  bool readBinding(const Json &value, const std::string &where,
                   BindingSpec *binding) {
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    if (!checkObject(value, where,
                     {"buffer", "offset", "length", "dtype", "shape"}) ||
        !getU32(value, "buffer", where, &binding->buffer) ||
        !getUnsigned(value, "offset", where, kMax, &binding->offset) ||
        !getUnsigned(value, "length", where, kMax, &binding->length))
      return false;
    // The tensor it holds is optional; both fields or neither.
    if (!value.contains("dtype") && !value.contains("shape"))
      return true;
    const Json *shape;
    if (!getString(value, "dtype", where, &binding->dtype) ||
        !getArray(value, "shape", where, kMaxRank, &shape))
      return false;
    return readDims(*shape, where, /*nonNegative=*/true, &binding->shape);
  }

  bool readStep(const Json &value, const std::string &where, StepSpec *step) {
    static const char *const kOps[] = {"dispatch", "copy", "fill"};
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    if (!value.is_object())
      return fail(where + "expected an object, got " + shortDump(value));
    if (!getEnum(value, "op", where, "op", kOps, &step->op) ||
        !getString(value, "name", where, &step->name))
      return false;
    switch (step->op) {
    case StepSpec::Op::Dispatch: {
      const Json *bindings;
      if (!checkObject(value, where,
                       {"op", "name", "executable", "kernel", "workgroups",
                        "bindings", "push_constants", "then"}) ||
          !getU32(value, "executable", where, &step->executable) ||
          !getU32(value, "kernel", where, &step->kernel) ||
          !getU32Triple(value, "workgroups", where, step->workgroups) ||
          !getArray(value, "bindings", where, kMaxBindings, &bindings) ||
          !getU32Array(value, "push_constants", where, kMaxPushConstants,
                       &step->pushConstants))
        return false;
      step->bindings.resize(bindings->size());
      for (size_t b = 0; b < bindings->size(); ++b)
        if (!readBinding((*bindings)[b],
                         where + "binding " + std::to_string(b) + ": ",
                         &step->bindings[b]))
          return false;
      // The kernels that follow: optional.
      const Json *phases;
      if (!value.contains("then"))
        return true;
      if (!getArray(value, "then", where, kMaxKernels, &phases))
        return false;
      step->then.resize(phases->size());
      for (size_t p = 0; p < phases->size(); ++p) {
        std::string at = where + "then " + std::to_string(p) + ": ";
        if (!checkObject((*phases)[p], at, {"kernel", "workgroups"}) ||
            !getU32((*phases)[p], "kernel", at, &step->then[p].kernel) ||
            !getU32Triple((*phases)[p], "workgroups", at,
                          step->then[p].workgroups))
          return false;
      }
      return true;
    }
    case StepSpec::Op::Copy:
      return checkObject(value, where,
                         {"op", "name", "src", "src_offset", "dst",
                          "dst_offset", "size"}) &&
             getU32(value, "src", where, &step->src) &&
             getUnsigned(value, "src_offset", where, kMax, &step->srcOffset) &&
             getU32(value, "dst", where, &step->dst) &&
             getUnsigned(value, "dst_offset", where, kMax, &step->dstOffset) &&
             getUnsigned(value, "size", where, kMax, &step->size);
    case StepSpec::Op::Fill:
      return checkObject(
                 value, where,
                 {"op", "name", "dst", "dst_offset", "size", "pattern"}) &&
             getU32(value, "dst", where, &step->dst) &&
             getUnsigned(value, "dst_offset", where, kMax, &step->dstOffset) &&
             getUnsigned(value, "size", where, kMax, &step->size) &&
             getU32(value, "pattern", where, &step->fillPattern);
    }
    return fail(where + "unknown op");
  }

  bool readFunction(const Json &value, size_t index, FunctionSpec *function) {
    std::string where = "function " + std::to_string(index) + ": ";
    const Json *buffers, *schedule;
    if (!checkObject(value, where,
                     {"name", "inputs", "outputs", "buffers", "schedule"}) ||
        !getString(value, "name", where, &function->name))
      return false;
    where = "function '" + function->name + "': ";
    if (!readTensors(value, "inputs", where, &function->inputs) ||
        !readTensors(value, "outputs", where, &function->outputs) ||
        !getArray(value, "buffers", where, kMaxBuffers, &buffers) ||
        !getArray(value, "schedule", where, kMaxSteps, &schedule))
      return false;
    function->buffers.resize(buffers->size());
    for (size_t b = 0; b < buffers->size(); ++b)
      if (!readBuffer((*buffers)[b],
                      where + "buffer " + std::to_string(b) + ": ",
                      &function->buffers[b]))
        return false;
    function->schedule.resize(schedule->size());
    for (size_t s = 0; s < schedule->size(); ++s)
      if (!readStep((*schedule)[s], where + "step " + std::to_string(s) + ": ",
                    &function->schedule[s]))
        return false;
    return true;
  }

  bool readBlob(const Json &value, const std::string &where, BlobRecord *blob) {
    std::string text;
    if (!checkObject(value, where, {"offset", "size", "checksum"}) ||
        !getUnsigned(value, "offset", where,
                     std::numeric_limits<uint64_t>::max(), &blob->offset) ||
        !getUnsigned(value, "size", where, std::numeric_limits<uint64_t>::max(),
                     &blob->size) ||
        !getString(value, "checksum", where, &text))
      return false;
    bool hex = text.size() == 16;
    for (char c : text)
      hex &= (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex)
      return fail(where + "checksum '" + text +
                  "' is not 16 lowercase hex digits");
    blob->checksum = std::stoull(text, nullptr, 16);
    return true;
  }

  std::string *error;
};

/// The whole-file checks around the manifest reader.
class FileParser {
public:
  FileParser(const uint8_t *data, size_t size, std::string *error)
      : data(data), size(size), error(error) {}

  bool run(ArtifactSpec *out, std::vector<BlobView> *views) {
    uint64_t manifestOffset, manifestSize;
    if (!readHeader(&manifestOffset, &manifestSize))
      return false;
    const uint8_t *manifestBytes = data + manifestOffset;
    uint64_t expected = loadU64(data + kManifestChecksumOffset);
    uint64_t actual = checksum(manifestBytes, manifestSize);
    if (expected != actual)
      return fail("manifest checksum mismatch (header says " + hex64(expected) +
                  ", data has " + hex64(actual) + ")");

    Json root;
    try {
      root = Json::parse(manifestBytes, manifestBytes + manifestSize);
    } catch (const Json::exception &e) {
      // what() is "[json.exception.parse_error.101] parse error at ..." or
      // "[json.exception.out_of_range.406] number overflow ...".
      std::string message = e.what();
      size_t bracket = message.find("] ");
      return fail("manifest: invalid JSON: " +
                  (bracket == std::string::npos ? message
                                                : message.substr(bracket + 2)));
    }
    ArtifactSpec spec;
    std::vector<BlobRecord> blobs;
    if (!ManifestReader(error).read(root, &spec, &blobs) ||
        !checkBlobs(blobs, manifestOffset, manifestSize))
      return false;
    std::vector<uint64_t> blobSizes;
    for (const BlobRecord &blob : blobs)
      blobSizes.push_back(blob.size);
    if (!validateWithBlobSizes(spec, blobSizes, error))
      return false;
    views->clear();
    for (const BlobRecord &blob : blobs)
      views->push_back({data + blob.offset, blob.size});
    *out = std::move(spec);
    return true;
  }

private:
  bool fail(const std::string &message) {
    *error = message;
    return false;
  }

  bool readHeader(uint64_t *manifestOffset, uint64_t *manifestSize) {
    if (size < kHeaderSize)
      return fail("truncated file: " + std::to_string(size) +
                  " bytes, shorter than the " + std::to_string(kHeaderSize) +
                  "-byte header");
    if (std::memcmp(data, kMagic, sizeof(kMagic)) != 0)
      return fail("not a strata artifact (bad magic bytes)");
    uint32_t version = loadU32(data + kVersionOffset);
    if (version != kFormatVersion)
      return fail("unsupported format version " + std::to_string(version) +
                  " (this runtime reads version " +
                  std::to_string(kFormatVersion) + ")");
    uint32_t headerSize = loadU32(data + kHeaderSizeOffset);
    if (headerSize != kHeaderSize)
      return fail("unsupported header size " + std::to_string(headerSize) +
                  " (expected " + std::to_string(kHeaderSize) + ")");
    for (size_t i = kReservedOffset; i < kHeaderSize; ++i)
      if (data[i] != 0)
        return fail("reserved header byte " + std::to_string(i) +
                    " is not zero");
    uint64_t fileSize = loadU64(data + kFileSizeOffset);
    if (fileSize > size)
      return fail("truncated file: header says " + std::to_string(fileSize) +
                  " bytes, got " + std::to_string(size));
    if (fileSize < size)
      return fail("trailing data: header says " + std::to_string(fileSize) +
                  " bytes, got " + std::to_string(size));
    *manifestOffset = loadU64(data + kManifestOffsetOffset);
    *manifestSize = loadU64(data + kManifestSizeOffset);
    uint64_t end;
    if (*manifestOffset < kHeaderSize)
      return fail("manifest offset " + std::to_string(*manifestOffset) +
                  " overlaps the header");
    if (__builtin_add_overflow(*manifestOffset, *manifestSize, &end) ||
        end > size)
      return fail("manifest [" + std::to_string(*manifestOffset) + ", +" +
                  std::to_string(*manifestSize) +
                  ") runs past the end of the file (" + std::to_string(size) +
                  " bytes)");
    return true;
  }

  /// Blobs lie in index order after the header, inside the file, aligned,
  /// apart from each other and from the manifest, with matching checksums.
  bool checkBlobs(const std::vector<BlobRecord> &blobs, uint64_t manifestOffset,
                  uint64_t manifestSize) {
    uint64_t manifestEnd = manifestOffset + manifestSize;
    uint64_t previousEnd = kHeaderSize;
    for (size_t i = 0; i < blobs.size(); ++i) {
      const BlobRecord &blob = blobs[i];
      std::string where = "blob " + std::to_string(i) + ": ";
      uint64_t end;
      if (__builtin_add_overflow(blob.offset, blob.size, &end) || end > size)
        return fail(where + "[" + std::to_string(blob.offset) + ", +" +
                    std::to_string(blob.size) +
                    ") runs past the end of the file (" + std::to_string(size) +
                    " bytes)");
      if (blob.offset % kBlobAlignment != 0)
        return fail(where + "offset " + std::to_string(blob.offset) +
                    " is not " + std::to_string(kBlobAlignment) +
                    "-byte aligned");
      if (blob.offset < previousEnd)
        return fail(where + "offset " + std::to_string(blob.offset) +
                    (i == 0 ? std::string(" overlaps the header")
                            : " overlaps blob " + std::to_string(i - 1)));
      if (blob.size != 0 && blob.offset < manifestEnd && end > manifestOffset)
        return fail(where + "[" + std::to_string(blob.offset) + ", +" +
                    std::to_string(blob.size) + ") overlaps the manifest");
      uint64_t actual = checksum(data + blob.offset, blob.size);
      if (actual != blob.checksum)
        return fail(where + "checksum mismatch (manifest says " +
                    hex64(blob.checksum) + ", data has " + hex64(actual) + ")");
      previousEnd = end;
    }
    return true;
  }

  const uint8_t *data;
  size_t size;
  std::string *error;
};

} // namespace

bool parseView(const uint8_t *data, size_t size, ArtifactSpec *out,
               std::vector<BlobView> *blobs, std::string *error) {
  try {
    return FileParser(data, size, error).run(out, blobs);
  } catch (const std::bad_alloc &) {
    *error = "out of memory while reading the artifact";
  } catch (const std::exception &e) {
    *error = std::string("cannot read the artifact: ") + e.what();
  }
  return false;
}

bool parse(const uint8_t *data, size_t size, ArtifactSpec *out,
           std::string *error) {
  std::vector<BlobView> views;
  if (!parseView(data, size, out, &views, error))
    return false;
  try {
    out->blobs.clear();
    for (const BlobView &view : views)
      out->blobs.emplace_back(view.data, view.data + view.size);
  } catch (const std::bad_alloc &) {
    *error = "out of memory while copying the artifact's blobs";
    return false;
  }
  return true;
}

} // namespace strata::artifact
