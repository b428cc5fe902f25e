//===- TestArtifacts.cpp - artifacts built around the test kernels --------===//

#include "test/Runtime/TestArtifacts.h"

#include <cstdio>
#include <cstdlib>

namespace strata::testing {

using namespace artifact;

namespace {

using Kind = BufferSpec::Kind;

/// The kernels of kernels.c: name, symbol, bindings.
ExecutableSpec testExecutable() {
  return ExecutableSpec{"elf-x86_64-so",
                        0,
                        {{"add", "strata_test_add_f32", 3},
                         {"mul", "strata_test_mul_f32", 3},
                         {"negate", "strata_test_negate_i64", 2},
                         {"fail", "strata_test_fail", 0},
                         {"grid", "strata_test_grid_i32", 1}}};
}
enum Kernel : uint32_t { Add, Mul, Negate, Fail, Grid };

ArtifactSpec withKernels(std::vector<FunctionSpec> functions) {
  ArtifactSpec spec;
  spec.target = "cpu";
  spec.producer = "strata-test-artifact";
  spec.executables.push_back(testExecutable());
  spec.blobs.push_back(testKernels());
  spec.functions = std::move(functions);
  return spec;
}

uint64_t byteSize(const TensorSpec &tensor) {
  uint64_t bytes = 0;
  tensorByteSize(tensor, &bytes);
  return bytes;
}

StepSpec dispatch(uint32_t kernel, uint32_t workgroups,
                  std::vector<uint32_t> bindings) {
  StepSpec step;
  step.op = StepSpec::Op::Dispatch;
  step.kernel = kernel;
  step.workgroups[0] = workgroups;
  step.bindings = std::move(bindings);
  return step;
}

FunctionSpec addFunction(const std::vector<int64_t> &shape) {
  FunctionSpec function;
  function.name = "add";
  function.inputs = {{"a", "f32", shape}, {"b", "f32", shape}};
  function.outputs = {{"sum", "f32", shape}};
  uint64_t bytes = byteSize(function.outputs[0]);
  function.buffers = {{Kind::Input, 0, bytes, -1},
                      {Kind::Input, 1, bytes, -1},
                      {Kind::Output, 0, bytes, -1}};
  function.schedule = {
      dispatch(Add, static_cast<uint32_t>(bytes / 4), {0, 1, 2})};
  return function;
}

FunctionSpec negateFunction() {
  FunctionSpec function;
  function.name = "negate";
  function.inputs = {{"v", "i64", {3}}};
  function.outputs = {{"neg", "i64", {3}}};
  function.buffers = {{Kind::Input, 0, 24, -1}, {Kind::Output, 0, 24, -1}};
  function.schedule = {dispatch(Negate, 3, {0, 1})};
  return function;
}

} // namespace

namespace {
std::vector<uint8_t> readFile(const char *path) {
  std::vector<uint8_t> data;
  FILE *file = std::fopen(path, "rb");
  if (!file) {
    std::fprintf(stderr, "cannot open %s\n", path);
    std::abort();
  }
  uint8_t chunk[65536];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof(chunk), file)) > 0)
    data.insert(data.end(), chunk, chunk + got);
  std::fclose(file);
  return data;
}
} // namespace

const std::vector<uint8_t> &testKernels() {
  static const std::vector<uint8_t> bytes = readFile(STRATA_TEST_KERNELS_PATH);
  return bytes;
}

const std::vector<uint8_t> &testKernelsVariant() {
  static const std::vector<uint8_t> bytes =
      readFile(STRATA_TEST_KERNELS_VARIANT_PATH);
  return bytes;
}

ArtifactSpec addModel(const std::vector<int64_t> &shape) {
  return withKernels({addFunction(shape)});
}

ArtifactSpec pipelineModel() {
  FunctionSpec function;
  function.name = "pipeline";
  function.inputs = {{"x", "f32", {4}}};
  function.outputs = {{"y", "f32", {4}}, {"prod", "f32", {4}}};
  function.buffers = {{Kind::Input, 0, 16, -1},
                      {Kind::Constant, 0, 16, 1},
                      {Kind::Transient, 0, 16, -1},
                      {Kind::Output, 0, 16, -1},
                      {Kind::Output, 1, 16, -1}};
  StepSpec fill;
  fill.op = StepSpec::Op::Fill;
  fill.dst = 3;
  fill.size = 16;
  fill.fillPattern = 0x3f800000; // 1.0f
  StepSpec copy;
  copy.op = StepSpec::Op::Copy;
  copy.src = 2;
  copy.dst = 4;
  copy.size = 16;
  function.schedule = {dispatch(Mul, 4, {0, 1, 2}), fill,
                       dispatch(Add, 4, {2, 3, 3}), copy};
  ArtifactSpec spec = withKernels({function});
  const float constant[4] = {1, 2, 3, 4};
  const auto *bytes = reinterpret_cast<const uint8_t *>(constant);
  spec.blobs.emplace_back(bytes, bytes + sizeof(constant));
  return spec;
}

ArtifactSpec negateModel() { return withKernels({negateFunction()}); }

ArtifactSpec identityModel(const std::string &dtype,
                           const std::vector<int64_t> &shape) {
  FunctionSpec function;
  function.name = "identity";
  function.inputs = {{"x", dtype, shape}};
  function.outputs = {{"y", dtype, shape}};
  uint64_t bytes = byteSize(function.inputs[0]);
  function.buffers = {{Kind::Input, 0, bytes, -1},
                      {Kind::Output, 0, bytes, -1}};
  StepSpec copy;
  copy.op = StepSpec::Op::Copy;
  copy.src = 0;
  copy.dst = 1;
  copy.size = bytes;
  function.schedule = {copy};
  ArtifactSpec spec;
  spec.target = "cpu";
  spec.producer = "strata-test-artifact";
  spec.functions = {function};
  return spec;
}

ArtifactSpec gridModel() {
  FunctionSpec function;
  function.name = "grid";
  function.outputs = {{"ids", "i32", {32}}};
  function.buffers = {{Kind::Output, 0, 128, -1}};
  StepSpec step = dispatch(Grid, 4, {0});
  step.workgroups[1] = 4;
  step.workgroups[2] = 2;
  function.schedule = {step};
  return withKernels({function});
}

ArtifactSpec failModel() {
  FunctionSpec function;
  function.name = "fail";
  function.outputs = {{"out", "f32", {8}}};
  function.buffers = {{Kind::Output, 0, 32, -1}};
  function.schedule = {dispatch(Fail, 8, {})};
  return withKernels({function});
}

bool namedModel(const std::string &name, const std::string &dtype,
                const std::vector<int64_t> &shape, ArtifactSpec *out) {
  if (name == "add")
    *out = addModel();
  else if (name == "pipeline")
    *out = pipelineModel();
  else if (name == "negate")
    *out = negateModel();
  else if (name == "grid")
    *out = gridModel();
  else if (name == "fail")
    *out = failModel();
  else if (name == "two-functions")
    *out = withKernels({addFunction({2, 3}), negateFunction()});
  else if (name == "missing-symbol") {
    *out = addModel();
    out->executables[0].kernels[Add].symbol = "strata_test_missing";
  } else if (name == "identity")
    *out = identityModel(dtype, shape);
  else
    return false;
  return true;
}

} // namespace strata::testing
