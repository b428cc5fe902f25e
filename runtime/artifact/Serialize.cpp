//===- Serialize.cpp - write a .strata artifact ---------------------------===//
//
// Header, JSON manifest, then the blobs at 64-byte aligned offsets. The
// manifest records the blobs' absolute offsets, which depend on the
// manifest's own length, so the writer settles them by iterating until the
// blob section start no longer moves. Key order and number spelling are
// fixed, so equal specs give byte-identical files.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/ArtifactInternal.h"

#include <nlohmann/json.hpp>

#include <cstring>

namespace strata::artifact {

using Json = nlohmann::ordered_json;

uint64_t checksum(const uint8_t *data, size_t size) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

namespace {

uint64_t alignUp(uint64_t value) {
  return (value + kBlobAlignment - 1) / kBlobAlignment * kBlobAlignment;
}

void putU32(uint8_t *at, uint32_t value) {
  for (int i = 0; i < 4; ++i)
    at[i] = static_cast<uint8_t>(value >> (8 * i));
}

void putU64(uint8_t *at, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    at[i] = static_cast<uint8_t>(value >> (8 * i));
}

Json tensorJson(const TensorSpec &tensor) {
  return Json{
      {"name", tensor.name}, {"dtype", tensor.dtype}, {"shape", tensor.shape}};
}

Json bufferJson(const BufferSpec &buffer) {
  Json json{{"kind", bufferKindName(buffer.kind)}};
  if (buffer.kind == BufferSpec::Kind::Input ||
      buffer.kind == BufferSpec::Kind::Output)
    json["index"] = buffer.index;
  json["size"] = buffer.size;
  if (buffer.kind == BufferSpec::Kind::Constant)
    json["blob"] = buffer.blob;
  json["device"] = buffer.device;
  json["memory"] = memoryKindName(buffer.memory);
  return json;
}

Json stepJson(const StepSpec &step) {
  Json json{{"op", stepOpName(step.op)}, {"name", step.name}};
  switch (step.op) {
  case StepSpec::Op::Dispatch: {
    json["executable"] = step.executable;
    json["kernel"] = step.kernel;
    json["workgroups"] = {step.workgroups[0], step.workgroups[1],
                          step.workgroups[2]};
    Json bindings = Json::array();
    for (const BindingSpec &binding : step.bindings) {
      Json entry{{"buffer", binding.buffer},
                 {"offset", binding.offset},
                 {"length", binding.length}};
      if (!binding.dtype.empty()) {
        entry["dtype"] = binding.dtype;
        entry["shape"] = binding.shape;
      }
      bindings.push_back(std::move(entry));
    }
    json["bindings"] = std::move(bindings);
    json["push_constants"] = step.pushConstants;
    if (!step.then.empty()) {
      Json phases = Json::array();
      for (const StepSpec::Phase &phase : step.then)
        phases.push_back({{"kernel", phase.kernel},
                          {"workgroups",
                           {phase.workgroups[0], phase.workgroups[1],
                            phase.workgroups[2]}}});
      json["then"] = std::move(phases);
    }
    break;
  }
  case StepSpec::Op::Copy:
    json["src"] = step.src;
    json["src_offset"] = step.srcOffset;
    json["dst"] = step.dst;
    json["dst_offset"] = step.dstOffset;
    json["size"] = step.size;
    break;
  case StepSpec::Op::Fill:
    json["dst"] = step.dst;
    json["dst_offset"] = step.dstOffset;
    json["size"] = step.size;
    json["pattern"] = step.fillPattern;
    break;
  }
  return json;
}

Json kernelJson(const KernelSpec &kernel) {
  Json access = Json::array();
  for (Access binding : kernel.bindings)
    access.push_back(accessName(binding));
  Json json{{"name", kernel.name},
            {"symbol", kernel.symbol},
            {"bindings", std::move(access)},
            {"workgroup_size",
             {kernel.workgroupSize[0], kernel.workgroupSize[1],
              kernel.workgroupSize[2]}},
            {"push_constants", kernel.pushConstants},
            {"shared_memory", kernel.sharedMemory}};
  if (kernel.tensorMaps.empty())
    return json;
  Json &maps = json["tensor_maps"] = Json::array();
  for (const TensorMapSpec &map : kernel.tensorMaps)
    maps.push_back({{"binding", map.binding},
                    {"symbol", map.symbol},
                    {"dtype", map.dtype},
                    {"shape", map.shape},
                    {"box", map.box},
                    {"swizzle", map.swizzle}});
  return json;
}

/// The manifest without its "blobs" list.
Json manifestJson(const ArtifactSpec &spec) {
  Json devices = Json::array();
  for (const DeviceSpec &device : spec.devices)
    devices.push_back({{"target", device.target}});
  Json executables = Json::array();
  for (const ExecutableSpec &exe : spec.executables) {
    Json kernels = Json::array();
    for (const KernelSpec &kernel : exe.kernels)
      kernels.push_back(kernelJson(kernel));
    Json json = {{"device", exe.device},
                 {"format", exe.format},
                 {"blob", exe.blob},
                 {"kernels", kernels}};
    if (!exe.processor.empty())
      json["processor"] = exe.processor;
    if (!exe.features.empty())
      json["features"] = exe.features;
    executables.push_back(std::move(json));
  }
  Json functions = Json::array();
  for (const FunctionSpec &function : spec.functions) {
    Json inputs = Json::array(), outputs = Json::array(),
         buffers = Json::array(), schedule = Json::array();
    for (const TensorSpec &tensor : function.inputs)
      inputs.push_back(tensorJson(tensor));
    for (const TensorSpec &tensor : function.outputs)
      outputs.push_back(tensorJson(tensor));
    for (const BufferSpec &buffer : function.buffers)
      buffers.push_back(bufferJson(buffer));
    for (const StepSpec &step : function.schedule)
      schedule.push_back(stepJson(step));
    functions.push_back({{"name", function.name},
                         {"inputs", inputs},
                         {"outputs", outputs},
                         {"buffers", buffers},
                         {"schedule", schedule}});
  }
  return Json{{"format", kFormatName},      {"version", kFormatVersion},
              {"producer", spec.producer},  {"devices", devices},
              {"executables", executables}, {"functions", functions}};
}

/// The manifest text with the blobs placed from `blobStart` on.
std::string manifestText(Json manifest, const ArtifactSpec &spec,
                         uint64_t blobStart) {
  Json blobs = Json::array();
  uint64_t offset = blobStart;
  for (const std::vector<uint8_t> &blob : spec.blobs) {
    blobs.push_back({{"offset", offset},
                     {"size", blob.size()},
                     {"checksum", hex64(checksum(blob.data(), blob.size()))}});
    offset = alignUp(offset + blob.size());
  }
  manifest["blobs"] = std::move(blobs);
  // Names come from models; invalid UTF-8 in them must not abort the writer.
  return manifest.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

} // namespace

std::vector<uint8_t> serialize(const ArtifactSpec &spec) {
  Json manifest = manifestJson(spec);
  // Longer offsets can only lengthen the manifest, so the start only grows
  // and the loop ends.
  uint64_t blobStart = alignUp(kHeaderSize);
  std::string text;
  while (true) {
    text = manifestText(manifest, spec, blobStart);
    uint64_t needed = alignUp(kHeaderSize + text.size());
    if (needed <= blobStart)
      break;
    blobStart = needed;
  }

  uint64_t fileSize = kHeaderSize + text.size();
  uint64_t offset = blobStart;
  for (const std::vector<uint8_t> &blob : spec.blobs) {
    fileSize = offset + blob.size();
    offset = alignUp(fileSize);
  }

  std::vector<uint8_t> bytes(fileSize, 0);
  std::memcpy(bytes.data(), kMagic, sizeof(kMagic));
  putU32(&bytes[kVersionOffset], kFormatVersion);
  putU32(&bytes[kHeaderSizeOffset], kHeaderSize);
  putU64(&bytes[kManifestOffsetOffset], kHeaderSize);
  putU64(&bytes[kManifestSizeOffset], text.size());
  putU64(&bytes[kFileSizeOffset], fileSize);
  putU64(&bytes[kManifestChecksumOffset],
         checksum(reinterpret_cast<const uint8_t *>(text.data()), text.size()));
  std::memcpy(&bytes[kHeaderSize], text.data(), text.size());
  offset = blobStart;
  for (const std::vector<uint8_t> &blob : spec.blobs) {
    if (!blob.empty())
      std::memcpy(&bytes[offset], blob.data(), blob.size());
    offset = alignUp(offset + blob.size());
  }
  return bytes;
}

} // namespace strata::artifact
