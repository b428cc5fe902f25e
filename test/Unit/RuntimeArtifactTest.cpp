//===- RuntimeArtifactTest.cpp - the .strata writer and reader ------------===//
//
// Round trips and determinism of runtime/artifact, and one test per class of
// corrupt file, each checking the loader's message: truncation, flipped
// bytes in every section, bad header fields, bad offsets and sizes, and
// manifests that are invalid JSON or say what the loader does not know.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/Artifact.h"
#include "test/Runtime/TestArtifacts.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>

using namespace strata;
using namespace strata::artifact;
using Json = nlohmann::ordered_json;
using Bytes = std::vector<uint8_t>;

namespace {

uint64_t readU64(const Bytes &file, size_t at) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i)
    value |= uint64_t(file[at + i]) << (8 * i);
  return value;
}

void writeU64(Bytes &file, size_t at, uint64_t value) {
  for (int i = 0; i < 8; ++i)
    file[at + i] = uint8_t(value >> (8 * i));
}

/// The parse error for `file`, failing the test if it parses.
std::string parseError(const Bytes &file) {
  ArtifactSpec spec;
  std::string error;
  if (parse(file.data(), file.size(), &spec, &error))
    FAIL("the file parsed");
  return error;
}

std::string manifestText(const Bytes &file) {
  uint64_t offset = readU64(file, 16), size = readU64(file, 24);
  return std::string(file.begin() + offset, file.begin() + offset + size);
}

/// `file` with its manifest replaced by `text`, appended at the end of the
/// file with the header updated, so the blobs keep their offsets.
Bytes withManifestText(Bytes file, const std::string &text) {
  size_t offset = (file.size() + 63) / 64 * 64;
  file.resize(offset, 0);
  file.insert(file.end(), text.begin(), text.end());
  writeU64(file, 16, offset);
  writeU64(file, 24, text.size());
  writeU64(file, 32, file.size());
  writeU64(
      file, 40,
      checksum(reinterpret_cast<const uint8_t *>(text.data()), text.size()));
  return file;
}

/// `file` with its manifest edited as JSON by `edit`.
Bytes withManifest(const Bytes &file, const std::function<void(Json &)> &edit) {
  Json manifest = Json::parse(manifestText(file));
  edit(manifest);
  return withManifestText(file, manifest.dump());
}

Bytes pipelineFile() { return serialize(testing::pipelineModel()); }
Bytes addFile() { return serialize(testing::addModel()); }

} // namespace

TEST_CASE("dtype sizes", "[artifact]") {
  CHECK(dtypeSize("f32") == 4);
  CHECK(dtypeSize("bf16") == 2);
  CHECK(dtypeSize("i1") == 1);
  CHECK(dtypeSize("u64") == 8);
  CHECK(dtypeSize("f33") == -1);
  uint64_t bytes = 0;
  CHECK(tensorByteSize({"x", "f32", {2, 3}}, &bytes));
  CHECK(bytes == 24);
  CHECK_FALSE(tensorByteSize({"x", "f32", {-1}}, &bytes));
  CHECK_FALSE(tensorByteSize({"x", "i64", {1ll << 32, 1ll << 30}}, &bytes));
}

TEST_CASE("round trip keeps every field", "[artifact]") {
  ArtifactSpec spec = testing::pipelineModel();
  spec.executables[0].kernels[1].pushConstants = 2;
  spec.functions[0].schedule[0].pushConstants = {5, 6};
  spec.functions[0].schedule[0].workgroups[1] = 2;
  spec.functions[0].schedule[0].then = {{1, {4, 1, 3}}};
  spec.executables[0].processor = "x86-64-v3";
  spec.executables[0].features = {"avx", "avx2", "fma"};
  spec.executables[0].kernels[1].tensorMaps = {
      {1, "map_b", "f32", {2, 2}, {1, 2}, 0}};
  Bytes file = serialize(spec);
  ArtifactSpec parsed;
  std::string error;
  REQUIRE(parse(file.data(), file.size(), &parsed, &error));
  REQUIRE(parsed.devices.size() == 1);
  CHECK(parsed.devices[0].target == "cpu");
  CHECK(parsed.producer == "strata-test-artifact");
  CHECK(parsed.blobs == spec.blobs);
  REQUIRE(parsed.executables.size() == 1);
  CHECK(parsed.executables[0].format == "elf-x86_64-so");
  CHECK(parsed.executables[0].processor == "x86-64-v3");
  CHECK(parsed.executables[0].features ==
        std::vector<std::string>{"avx", "avx2", "fma"});
  CHECK(parsed.executables[0].kernels.size() == 5);
  CHECK(parsed.executables[0].kernels[1].symbol == "strata_test_mul_f32");
  const KernelSpec &mul = parsed.executables[0].kernels[1];
  CHECK(mul.bindings ==
        std::vector<Access>{Access::Read, Access::Read, Access::Write});
  CHECK(mul.workgroupSize[0] == 1);
  CHECK(mul.pushConstants == 2);
  CHECK(mul.sharedMemory == 0);
  REQUIRE(mul.tensorMaps.size() == 1);
  CHECK(mul.tensorMaps[0].binding == 1);
  CHECK(mul.tensorMaps[0].symbol == "map_b");
  CHECK(mul.tensorMaps[0].dtype == "f32");
  CHECK(mul.tensorMaps[0].shape == std::vector<int64_t>{2, 2});
  CHECK(mul.tensorMaps[0].box == std::vector<uint32_t>{1, 2});
  CHECK(parsed.executables[0].kernels[0].tensorMaps.empty());
  const FunctionSpec &function = parsed.functions.at(0);
  CHECK(function.name == "pipeline");
  CHECK(function.outputs.at(1).name == "prod");
  CHECK(function.inputs.at(0).shape == std::vector<int64_t>{4});
  REQUIRE(function.buffers.size() == 5);
  CHECK(function.buffers[1].kind == BufferSpec::Kind::Constant);
  CHECK(function.buffers[1].blob == 1);
  CHECK(function.buffers[4].kind == BufferSpec::Kind::Output);
  CHECK(function.buffers[4].index == 1);
  REQUIRE(function.schedule.size() == 4);
  CHECK(function.schedule[0].pushConstants == std::vector<uint32_t>{5, 6});
  CHECK(function.schedule[0].workgroups[1] == 2);
  REQUIRE(function.schedule[0].then.size() == 1);
  CHECK(function.schedule[0].then[0].kernel == 1);
  CHECK(function.schedule[0].then[0].workgroups[2] == 3);
  CHECK(function.schedule[2].then.empty());
  CHECK(function.schedule[0].name == "mul");
  REQUIRE(function.schedule[0].bindings.size() == 3);
  CHECK(function.schedule[0].bindings[2].buffer == 2);
  CHECK(function.schedule[0].bindings[2].length == 16);
  CHECK(function.schedule[1].op == StepSpec::Op::Fill);
  CHECK(function.schedule[1].fillPattern == 0x3f800000u);
  CHECK(function.schedule[3].op == StepSpec::Op::Copy);
  CHECK(function.schedule[3].src == 2);
  CHECK(function.schedule[3].dst == 4);
  // What was read serializes to the same bytes.
  CHECK(serialize(parsed) == file);
}

TEST_CASE("serialization is deterministic", "[artifact]") {
  CHECK(serialize(testing::pipelineModel()) ==
        serialize(testing::pipelineModel()));
  CHECK(serialize(testing::addModel({7})) != serialize(testing::addModel({8})));
}

TEST_CASE("file layout", "[artifact]") {
  Bytes file = pipelineFile();
  CHECK(std::memcmp(file.data(), "\x89STRATA\n", 8) == 0);
  CHECK(file[8] == 4);   // version
  CHECK(file[12] == 64); // header size
  CHECK(readU64(file, 16) == 64);
  CHECK(readU64(file, 32) == file.size());
  for (size_t i = 48; i < 64; ++i)
    CHECK(file[i] == 0);
  Json manifest = Json::parse(manifestText(file));
  CHECK(manifest["format"] == "strata-artifact");
  CHECK(manifest["version"] == 4);
  uint64_t manifestEnd = 64 + readU64(file, 24);
  for (const Json &blob : manifest["blobs"]) {
    CHECK(blob["offset"].get<uint64_t>() % 64 == 0);
    CHECK(blob["offset"].get<uint64_t>() >= manifestEnd);
  }
  // An artifact without blobs ends with its manifest.
  Bytes identity = serialize(testing::identityModel("f32", {2}));
  CHECK(identity.size() == 64 + readU64(identity, 24));
  ArtifactSpec parsed;
  std::string error;
  CHECK(parse(identity.data(), identity.size(), &parsed, &error));
}

TEST_CASE("truncated files", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  CHECK(parseError(Bytes()) ==
        "truncated file: 0 bytes, shorter than the 64-byte header");
  CHECK(parseError(Bytes(file.begin(), file.begin() + 63)) ==
        "truncated file: 63 bytes, shorter than the 64-byte header");
  for (size_t size :
       {size_t(64), size_t(100), file.size() / 2, file.size() - 1}) {
    CAPTURE(size);
    CHECK(parseError(Bytes(file.begin(), file.begin() + size)) ==
          "truncated file: header says " + std::to_string(file.size()) +
              " bytes, got " + std::to_string(size));
  }
  Bytes longer = file;
  longer.push_back(0);
  CHECK(parseError(longer) == "trailing data: header says " +
                                  std::to_string(file.size()) + " bytes, got " +
                                  std::to_string(longer.size()));
}

TEST_CASE("bad header fields", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  Bytes bad = file;
  bad[1] = 'X';
  CHECK(parseError(bad) == "not a strata artifact (bad magic bytes)");
  bad = file;
  bad[8] = 3; // older files are read no more
  CHECK(parseError(bad) ==
        "unsupported format version 3 (this runtime reads version 4)");
  bad[8] = 5;
  CHECK(parseError(bad) ==
        "unsupported format version 5 (this runtime reads version 4)");
  bad = file;
  bad[12] = 32;
  CHECK(parseError(bad) == "unsupported header size 32 (expected 64)");
  for (size_t i = 48; i < 64; ++i) {
    bad = file;
    bad[i] = 1;
    CHECK(parseError(bad) ==
          "reserved header byte " + std::to_string(i) + " is not zero");
  }
  bad = file;
  writeU64(bad, 16, 8);
  CHECK(parseError(bad) == "manifest offset 8 overlaps the header");
  bad = file;
  writeU64(bad, 24, ~0ull - 10);
  CHECK(parseError(bad) == "manifest [64, +18446744073709551605) runs past "
                           "the end of the file (" +
                               std::to_string(file.size()) + " bytes)");
  bad = file;
  writeU64(bad, 32, ~0ull);
  CHECK(parseError(bad) == "truncated file: header says 18446744073709551615 "
                           "bytes, got " +
                               std::to_string(file.size()));
}

TEST_CASE("every flipped header byte is rejected", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  for (size_t i = 0; i < 64; ++i) {
    CAPTURE(i);
    Bytes bad = file;
    bad[i] ^= 0x40;
    CHECK_FALSE(parseError(bad).empty());
  }
  Bytes bad = file;
  bad[40] ^= 1;
  CHECK(parseError(bad).rfind("manifest checksum mismatch (header says ", 0) ==
        0);
}

TEST_CASE("flipped manifest bytes fail the checksum", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  uint64_t size = readU64(file, 24);
  for (uint64_t at : {uint64_t(0), size / 3, size / 2, size - 1}) {
    CAPTURE(at);
    Bytes bad = file;
    bad[64 + at] ^= 0x01;
    std::string error = parseError(bad);
    CHECK(error.rfind("manifest checksum mismatch (header says ", 0) == 0);
    CHECK(error.find(", data has ") != std::string::npos);
  }
}

TEST_CASE("flipped blob bytes fail the blob's checksum",
          "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  Json manifest = Json::parse(manifestText(file));
  REQUIRE(manifest["blobs"].size() == 2);
  for (size_t b = 0; b < 2; ++b) {
    const Json &blob = manifest["blobs"][b];
    uint64_t offset = blob["offset"], size = blob["size"];
    for (uint64_t at : {offset, offset + size / 2, offset + size - 1}) {
      CAPTURE(b, at);
      Bytes bad = file;
      bad[at] ^= 0x80;
      std::string error = parseError(bad);
      std::string expected =
          "blob " + std::to_string(b) + ": checksum mismatch (manifest says " +
          blob["checksum"].get<std::string>() + ", data has ";
      CHECK(error.rfind(expected, 0) == 0);
    }
  }
}

TEST_CASE("bad blob offsets and sizes", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  std::string size = std::to_string(file.size());
  auto blobs = [&](const std::function<void(Json &)> &edit) {
    return parseError(withManifest(file, [&](Json &m) { edit(m["blobs"]); }));
  };
  CHECK(blobs([](Json &b) { b[1]["offset"] = 1u << 30; })
            .rfind("blob 1: [1073741824, +16) runs past the end of the file (",
                   0) == 0);
  // offset + size wraps around 2^64.
  std::string wrapped = blobs([](Json &b) {
    b[0]["offset"] = ~0ull - 63;
    b[0]["size"] = 128;
  });
  CHECK(wrapped.rfind("blob 0: [18446744073709551552, +128) runs past the "
                      "end of the file",
                      0) == 0);
  CHECK(blobs([](Json &b) {
          b[0]["size"] = ~0ull;
        }).find("runs past the end of the file") != std::string::npos);
  uint64_t offset1 =
      Json::parse(manifestText(file))["blobs"][1]["offset"].get<uint64_t>();
  CHECK(blobs([&](Json &b) { b[1]["offset"] = offset1 + 1; }) ==
        "blob 1: offset " + std::to_string(offset1 + 1) +
            " is not 64-byte aligned");
  uint64_t offset0 =
      Json::parse(manifestText(file))["blobs"][0]["offset"].get<uint64_t>();
  CHECK(blobs([&](Json &b) { b[1]["offset"] = offset0; }) ==
        "blob 1: offset " + std::to_string(offset0) + " overlaps blob 0");
  CHECK(blobs([](Json &b) { b[0]["offset"] = 0; }) ==
        "blob 0: offset 0 overlaps the header");
  // The original manifest starts at 64 and stays in place; put the
  // constant blob's 16 bytes on top of the new one instead.
  Bytes moved = withManifest(file, [](Json &) {});
  uint64_t manifestOffset = readU64(moved, 16);
  std::string overlap =
      blobs([&](Json &b) { b[1]["offset"] = manifestOffset; });
  CHECK(overlap == "blob 1: [" + std::to_string(manifestOffset) +
                       ", +16) overlaps the manifest");
  CHECK(blobs([](Json &b) { b[0]["checksum"] = "XYZ"; }) ==
        "blob 0: checksum 'XYZ' is not 16 lowercase hex digits");
  CHECK(blobs([](Json &b) { b[0]["size"] = 1e30; }) ==
        "blob 0: 'size' must be an integer in [0, 18446744073709551615], got "
        "1e+30");
  CHECK(blobs([](Json &b) {
          b[0]["offset"] = -64;
        }).rfind("blob 0: 'offset' must be an integer", 0) == 0);
}

TEST_CASE("manifest JSON errors", "[artifact][corrupt]") {
  Bytes file = addFile();
  std::string text = manifestText(file);
  std::string error = parseError(withManifestText(file, text.substr(0, 40)));
  CHECK(error.rfind("manifest: invalid JSON: parse error at line ", 0) == 0);
  CHECK(parseError(withManifestText(file, "[1, 2]")) ==
        "manifest: expected an object, got [1,2]");
  CHECK(parseError(withManifest(file, [](Json &m) { m["extra"] = 1; })) ==
        "manifest: unknown field 'extra'");
  CHECK(parseError(withManifest(file, [](Json &m) { m.erase("devices"); })) ==
        "manifest: missing field 'devices'");
  CHECK(parseError(withManifest(file, [](Json &m) { m["format"] = "onnx"; })) ==
        "manifest: unknown format 'onnx' (expected 'strata-artifact')");
  CHECK(parseError(withManifest(file, [](Json &m) { m["version"] = 3; })) ==
        "manifest: unsupported version 3 (this runtime reads version 4)");
  CHECK(parseError(withManifest(file, [](Json &m) { m["target"] = "cpu"; })) ==
        "manifest: unknown field 'target'");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["devices"] = Json::array();
        })) == "the artifact names no device");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["devices"][0]["target"] = "";
        })) == "device 0: empty target");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["devices"][0]["name"] = "gpu0";
        })) == "device 0: unknown field 'name'");
  CHECK(parseError(withManifest(file, [](Json &m) { m["producer"] = 3; })) ==
        "manifest: 'producer' must be a string, got 3");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["functions"] = nullptr;
        })) == "manifest: 'functions' must be an array, got null");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["functions"] = Json::array();
        })) == "the artifact has no functions");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["functions"].push_back(m["functions"][0]);
        })) == "duplicate function name 'add'");
}

TEST_CASE("unknown values in the manifest", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  auto function = [&](const std::function<void(Json &)> &edit) {
    return parseError(
        withManifest(file, [&](Json &m) { edit(m["functions"][0]); }));
  };
  CHECK(function([](Json &f) { f["schedule"][1]["op"] = "scatter"; }) ==
        "function 'pipeline': step 1: unknown op 'scatter' (known: dispatch, "
        "copy, fill)");
  CHECK(function([](Json &f) { f["buffers"][2]["memory"] = "shared"; }) ==
        "function 'pipeline': buffer 2: unknown memory kind 'shared' (known: "
        "device, host)");
  CHECK(function([](Json &f) { f["schedule"][0].erase("name"); }) ==
        "function 'pipeline': step 0: missing field 'name'");
  CHECK(function([](Json &f) { f["inputs"][0]["dtype"] = "f33"; }) ==
        "function 'pipeline': input 0 ('x'): unknown dtype 'f33'");
  CHECK(function([](Json &f) { f["buffers"][2]["kind"] = "scratch"; }) ==
        "function 'pipeline': buffer 2: unknown buffer kind 'scratch' (known: "
        "input, output, transient, constant)");
  CHECK(function([](Json &f) { f["schedule"][3]["bindings"] = {1}; }) ==
        "function 'pipeline': step 3: unknown field 'bindings'");
  CHECK(function([](Json &f) { f["buffers"][2]["blob"] = 1; }) ==
        "function 'pipeline': buffer 2: unknown field 'blob'");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["executables"][0]["format"] = "";
        })) == "executable 0: empty format");
  CHECK(parseError(withManifest(
            file,
            [](Json &m) {
              m["executables"][0]["kernels"][1]["bindings"][0] = "rw";
            })) ==
        "executable 0: kernel 1: binding 0: unknown access 'rw' (known: "
        "read, write, read_write)");
  CHECK(parseError(
            withManifest(file,
                         [](Json &m) {
                           m["executables"][0]["kernels"][1]["bindings"][0] = 3;
                         })) ==
        "executable 0: kernel 1: binding 0: expected an access string, "
        "got 3");
  CHECK(parseError(withManifest(
            file,
            [](Json &m) {
              m["executables"][0]["kernels"][1]["workgroup_size"] = {8, 0, 1};
            })) == "executable 0: kernel 1 ('mul'): workgroup size 8x0x1 has a "
                   "zero dim");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["executables"][0]["kernels"][0].erase("symbol");
        })) == "executable 0: kernel 0: missing field 'symbol'");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["executables"][0]["processor"] = 86;
        })) == "executable 0: 'processor' must be a string, got 86");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["executables"][0]["features"] = "avx2";
        })) == "executable 0: 'features' must be an array, got \"avx2\"");
  CHECK(parseError(withManifest(file, [](Json &m) {
          m["executables"][0]["features"] = {"avx2", 2};
        })) == "executable 0: 'features' must hold strings, got 2");
}

TEST_CASE("bad tensor maps", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  auto withMap = [&](const std::function<void(Json &)> &edit) {
    return parseError(withManifest(file, [&](Json &m) {
      Json map = {{"binding", 0}, {"symbol", "map_a"}, {"dtype", "f32"},
                  {"shape", {4}}, {"box", {4}},        {"swizzle", 0}};
      edit(map);
      m["executables"][0]["kernels"][1]["tensor_maps"] = {map};
    }));
  };
  const std::string where = "executable 0: kernel 1: tensor map 0: ";
  CHECK(withMap([](Json &map) { map["binding"] = 3; }) ==
        where + "binding 3 does not exist (the kernel has 3)");
  CHECK(withMap([](Json &map) { map["dtype"] = "f8"; }) ==
        where + "unknown dtype 'f8'");
  CHECK(withMap([](Json &map) {
          map["box"] = {4, 1};
        }) == where + "needs 1 to 5 dims and a box of as many, got 1 and 2");
  CHECK(withMap([](Json &map) { map["shape"] = Json::array(); }) ==
        where + "needs 1 to 5 dims and a box of as many, got 0 and 1");
  CHECK(withMap([](Json &map) { map["box"] = {300}; }) ==
        where + "dim 0 of 4 in boxes of 300 (dims must be >= 1, boxes 1 to "
                "256)");
  CHECK(withMap([](Json &map) { map["shape"] = {0}; }) ==
        where + "dim 0 of 0 in boxes of 4 (dims must be >= 1, boxes 1 to "
                "256)");
  CHECK(withMap([](Json &map) { map["swizzle"] = 48; }) ==
        where + "swizzle 48 is not one of 0, 32, 64, 128");
  CHECK(withMap([](Json &map) { map.erase("symbol"); }) ==
        where + "missing field 'symbol'");
  CHECK(withMap([](Json &map) { map["im2col"] = true; }) ==
        where + "unknown field 'im2col'");
  CHECK(withMap([](Json &map) {
          map["shape"] = {1ll << 40, 1ll << 40};
          map["box"] = {1, 1};
        }) == "function 'pipeline': step 0 (dispatch 'mul'): tensor map 0: "
              "its shape overflows");
  // Step 0 binds 16 bytes (4 floats) of buffer 0 as binding 0.
  CHECK(withMap([](Json &map) { map["shape"] = {8}; }) ==
        "function 'pipeline': step 0 (dispatch 'mul'): tensor map 0 reads "
        "32 bytes of "
        "binding 0, which binds 16");
}

TEST_CASE("references that do not resolve", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  auto function = [&](const std::function<void(Json &)> &edit) {
    return parseError(
        withManifest(file, [&](Json &m) { edit(m["functions"][0]); }));
  };
  CHECK(function([](Json &f) {
          f["schedule"][0]["bindings"][2]["buffer"] = 9;
        }) == "function 'pipeline': step 0 (dispatch 'mul'): binding 2 refers "
              "to buffer 9, but the function has 5 buffers");
  CHECK(function([](Json &f) { f["schedule"][0]["kernel"] = 5; }) ==
        "function 'pipeline': step 0 (dispatch 'mul'): kernel 5 does not "
        "exist (executable 0 has 5 kernels)");
  CHECK(function([](Json &f) { f["schedule"][0]["executable"] = 1; }) ==
        "function 'pipeline': step 0 (dispatch 'mul'): executable 1 does not "
        "exist (the artifact has 1 executables)");
  CHECK(function([](Json &f) {
          f["schedule"][0]["bindings"][2]["dtype"] = "f32";
          f["schedule"][0]["bindings"][2]["shape"] = {5};
        }) == "function 'pipeline': step 0 (dispatch 'mul'): binding 2: its "
              "tensor has 20 bytes, but it binds 16");
  CHECK(function([](Json &f) {
          f["schedule"][0]["bindings"][2]["dtype"] = "f33";
          f["schedule"][0]["bindings"][2]["shape"] = {4};
        }) == "function 'pipeline': step 0 (dispatch 'mul'): binding 2: "
              "unknown dtype 'f33' or a bad shape");
  CHECK(function([](Json &f) {
          f["schedule"][0]["bindings"][2]["dtype"] = "f32";
          f["schedule"][0]["bindings"][2]["shape"] = {-4};
        }) == "function 'pipeline': step 0: binding 2: dims must be integers "
              ">= 0, got -4");
  CHECK(function([](Json &f) {
          f["schedule"][0]["bindings"][2]["dtype"] = "f32";
        }) == "function 'pipeline': step 0: binding 2: missing field 'shape'");
  CHECK(function([](Json &f) { f["schedule"][0]["bindings"].erase(2); }) ==
        "function 'pipeline': step 0 (dispatch 'mul'): kernel 'mul' takes 3 "
        "bindings, the step has 2");
  // The kernels that follow a step's first.
  CHECK(
      function([](Json &f) {
        f["schedule"][0]["then"] = {{{"kernel", 9}, {"workgroups", {1, 1, 1}}}};
      }) == "function 'pipeline': step 0 (dispatch 'mul'): then 0: kernel 9 "
            "does not exist (executable 0 has 5 kernels)");
  CHECK(
      function([](Json &f) {
        f["schedule"][0]["then"] = {{{"kernel", 2}, {"workgroups", {1, 1, 1}}}};
      }) == "function 'pipeline': step 0 (dispatch 'mul'): then 0: kernel "
            "'negate' takes 2 bindings, the step has 3");
  CHECK(function([](Json &f) {
          f["schedule"][0]["then"] = {{{"kernel", 0}, {"workgroups", {1, 1}}}};
        }) == "function 'pipeline': step 0: then 0: 'workgroups' must have 3 "
              "entries, got 2");
  CHECK(function([](Json &f) {
          f["schedule"][0]["then"] = {{{"kernel", 0}, {"groups", 1}}};
        }) == "function 'pipeline': step 0: then 0: unknown field 'groups'");
  CHECK(function([](Json &f) { f["schedule"][0]["then"] = 1; }) ==
        "function 'pipeline': step 0: 'then' must be an array, got 1");
  CHECK(function([](Json &f) { f["schedule"][0]["push_constants"] = {7}; }) ==
        "function 'pipeline': step 0 (dispatch 'mul'): kernel 'mul' takes 0 "
        "push constants, the step has 1");
  CHECK(function([](Json &f) {
          f["schedule"][0]["bindings"][2]["offset"] = 8;
        }) == "function 'pipeline': step 0 (dispatch 'mul'): [8, +16) does "
              "not fit in binding 2 buffer 2 (16 bytes)");
  CHECK(function([](Json &f) {
          f["schedule"][0]["bindings"][2]["buffer"] = 0;
        }) == "function 'pipeline': step 0 (dispatch 'mul'): binding 2 buffer "
              "0 is an input buffer, which is read-only");
  CHECK(function([](Json &f) { f["schedule"][3]["src"] = 5; }) ==
        "function 'pipeline': step 3 (copy 'copy'): source refers to buffer "
        "5, but the function has 5 buffers");
  CHECK(function([](Json &f) { f["schedule"][3]["dst"] = 1; }) ==
        "function 'pipeline': step 3 (copy 'copy'): destination buffer 1 is a "
        "constant buffer, which is read-only");
  CHECK(function([](Json &f) { f["schedule"][3]["src_offset"] = ~0ull; }) ==
        "function 'pipeline': step 3 (copy 'copy'): [18446744073709551615, "
        "+16) does not fit in source buffer 2 (16 bytes)");
  CHECK(function([](Json &f) { f["schedule"][1]["dst"] = 0; }) ==
        "function 'pipeline': step 1 (fill 'fill'): destination buffer 0 is an "
        "input buffer, which is read-only");
  CHECK(function([](Json &f) { f["schedule"][1]["size"] = 20; }) ==
        "function 'pipeline': step 1 (fill 'fill'): [0, +20) does not fit in "
        "destination buffer 3 (16 bytes)");
  CHECK(function([](Json &f) { f["buffers"][2]["device"] = 1; }) ==
        "function 'pipeline': buffer 2 (transient): device 1 does not exist "
        "(the artifact has 1 devices)");
  CHECK(parseError(withManifest(
            file, [](Json &m) { m["executables"][0]["device"] = 3; })) ==
        "executable 0: device 3 does not exist (the artifact has 1 devices)");
  // A kernel binds only buffers of its own device.
  CHECK(parseError(withManifest(file,
                                [](Json &m) {
                                  m["devices"].push_back({{"target", "cpu"}});
                                  m["functions"][0]["buffers"][2]["device"] = 1;
                                })) ==
        "function 'pipeline': step 0 (dispatch 'mul'): binding 2: "
        "buffer 2 lives on device 1, but executable 0 runs on device 0 "
        "(move it with a copy step)");
  CHECK(function([](Json &f) { f["buffers"][1]["blob"] = 2; }) ==
        "function 'pipeline': buffer 1 (constant): blob 2 does not exist "
        "(the artifact has 2 blobs)");
  CHECK(function([](Json &f) { f["buffers"][1]["size"] = 12; }) ==
        "function 'pipeline': buffer 1 (constant): size 12 does not match "
        "blob 1 (16 bytes)");
  CHECK(function([](Json &f) { f["buffers"][0]["size"] = 12; }) ==
        "function 'pipeline': buffer 0 (input): size 12 does not match input "
        "0 ('x'), which needs 16 bytes");
  CHECK(function([](Json &f) { f["buffers"][4]["index"] = 0; }) ==
        "function 'pipeline': buffer 4 (output): output 0 already has buffer "
        "3");
  CHECK(function([](Json &f) { f["buffers"][0]["index"] = 3; }) ==
        "function 'pipeline': buffer 0 (input): input 3 does not exist (the "
        "function has 1 inputs)");
  CHECK(function([](Json &f) {
          f["buffers"][0]["kind"] = "transient";
          f["buffers"][0].erase("index");
        }) == "function 'pipeline': input 0 ('x') has no buffer");
  CHECK(parseError(withManifest(
            file, [](Json &m) { m["executables"][0]["blob"] = 7; })) ==
        "executable 0: blob 7 does not exist (the artifact has 2 "
        "blobs)");
}

TEST_CASE("shapes and counts out of range", "[artifact][corrupt]") {
  Bytes file = pipelineFile();
  auto function = [&](const std::function<void(Json &)> &edit) {
    return parseError(
        withManifest(file, [&](Json &m) { edit(m["functions"][0]); }));
  };
  CHECK(function([](Json &f) { f["inputs"][0]["shape"] = {-4}; }) ==
        "function 'pipeline': input 0 ('x'): dim 0 is -4; dims must be >= 0 "
        "(dynamic dims are not supported)");
  CHECK(function([](Json &f) {
          f["inputs"][0]["shape"] = {1ll << 40, 1ll << 40};
        }) == "function 'pipeline': input 0 ('x'): byte size overflows");
  CHECK(function([](Json &f) { f["inputs"][0]["shape"] = {1.5}; }) ==
        "function 'pipeline': input 0: dims must be 64-bit integers, got 1.5");
  CHECK(function([](Json &f) {
          f["inputs"][0]["shape"] = Json(std::vector<int>(65, 1));
        }) == "function 'pipeline': input 0: 'shape' has 65 entries, more "
              "than the limit of 64");
  CHECK(function([](Json &f) {
          f["schedule"][0]["workgroups"] = {1u << 31, 1u << 31, 4};
        }) == "function 'pipeline': step 0 (dispatch 'mul'): "
              "2147483648x2147483648x4 workgroups exceed the limit of 2^40");
  CHECK(function([](Json &f) {
          f["schedule"][0]["workgroups"] = {1, 2};
        }) ==
        "function 'pipeline': step 0: 'workgroups' must have 3 entries, got 2");
  CHECK(function([](Json &f) { f["schedule"][0]["kernel"] = 1ull << 32; }) ==
        "function 'pipeline': step 0: 'kernel' must be an integer in [0, "
        "4294967295], got 4294967296");
  CHECK(parseError(withManifest(
            file,
            [](Json &m) {
              m["executables"][0]["kernels"][0]["bindings"] =
                  Json(std::vector<std::string>(70000, "read"));
            })) == "executable 0: kernel 0: 'bindings' has 70000 entries, more "
                   "than the limit of 65536");
  CHECK(parseError(withManifest(
            file,
            [](Json &m) {
              m["executables"][0]["kernels"][0]["push_constants"] = 2000;
            })) == "executable 0: kernel 0 ('add'): 2000 push constants exceed "
                   "the limit of 1024");
  CHECK(function([](Json &f) {
          f["schedule"][0]["push_constants"] = Json(std::vector<int>(1025, 0));
        }) == "function 'pipeline': step 0: 'push_constants' has 1025 "
              "entries, more than the limit of 1024");
}

TEST_CASE("validate checks a spec before it is written", "[artifact]") {
  ArtifactSpec spec = testing::addModel();
  std::string error;
  CHECK(validate(spec, &error));
  spec.functions[0].schedule[0].bindings[1].buffer = 4;
  CHECK_FALSE(validate(spec, &error));
  CHECK(error == "function 'add': step 0 (dispatch 'add'): binding 1 refers "
                 "to buffer 4, but the function has 3 buffers");
  // A copy may cross devices; a multi-device model validates.
  CHECK(validate(testing::twoDevicesModel("null"), &error));
}

TEST_CASE("writeFileAtomically", "[artifact]") {
  char dir[] = "/tmp/strata-artifact-test-XXXXXX";
  REQUIRE(mkdtemp(dir));
  std::string path = std::string(dir) + "/a.strata";
  Bytes bytes = addFile();
  std::string error;
  REQUIRE(writeFileAtomically(path, bytes, &error));
  std::ifstream in(path, std::ios::binary);
  Bytes read((std::istreambuf_iterator<char>(in)),
             std::istreambuf_iterator<char>());
  CHECK(read == bytes);
  std::remove(path.c_str());
  CHECK(rmdir(dir) == 0); // no temporary file left behind
  CHECK_FALSE(
      writeFileAtomically(std::string(dir) + "/a.strata", bytes, &error));
  CHECK(error == "cannot create a temporary file beside '" + std::string(dir) +
                     "/a.strata': No such file or directory");
  // A device is written in place, never replaced by a renamed file.
  REQUIRE(writeFileAtomically("/dev/null", bytes, &error));
  struct stat status;
  REQUIRE(stat("/dev/null", &status) == 0);
  CHECK(S_ISCHR(status.st_mode));
}
