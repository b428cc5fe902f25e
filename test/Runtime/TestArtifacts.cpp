//===- TestArtifacts.cpp - artifacts built around the test kernels --------===//

#include "test/Runtime/TestArtifacts.h"
#include "runtime/devices/systolic/sim/Program.h"

#include <cstdio>
#include <cstdlib>

namespace strata::testing {

using namespace artifact;

namespace {

using Kind = BufferSpec::Kind;
constexpr Access R = Access::Read, W = Access::Write;

KernelSpec kernel(const char *name, const char *symbol,
                  std::vector<Access> bindings) {
  KernelSpec spec;
  spec.name = name;
  spec.symbol = symbol;
  spec.bindings = std::move(bindings);
  return spec;
}

/// The kernels of kernels.c on device slot `device`.
ExecutableSpec testExecutable(uint32_t device = 0, uint32_t blob = 0) {
  ExecutableSpec exe;
  exe.device = device;
  exe.format = "elf-x86_64-so";
  exe.blob = blob;
  exe.kernels = {kernel("add", "strata_test_add_f32", {R, R, W}),
                 kernel("mul", "strata_test_mul_f32", {R, R, W}),
                 kernel("negate", "strata_test_negate_i64", {R, W}),
                 kernel("fail", "strata_test_fail", {}),
                 kernel("grid", "strata_test_grid_i32", {W})};
  return exe;
}
enum Kernel : uint32_t { Add, Mul, Negate, Fail, Grid };

ArtifactSpec withKernels(std::vector<FunctionSpec> functions) {
  ArtifactSpec spec;
  spec.producer = "strata-test-artifact";
  spec.devices = {{"cpu"}};
  spec.executables.push_back(testExecutable());
  spec.blobs.push_back(testKernels());
  spec.functions = std::move(functions);
  return spec;
}

BufferSpec buffer(Kind kind, uint32_t index, uint64_t size, int64_t blob = -1,
                  uint32_t device = 0) {
  BufferSpec spec;
  spec.kind = kind;
  spec.index = index;
  spec.size = size;
  spec.blob = blob;
  spec.device = device;
  return spec;
}

uint64_t byteSize(const TensorSpec &tensor) {
  uint64_t bytes = 0;
  tensorByteSize(tensor, &bytes);
  return bytes;
}

/// A dispatch of `kernel` binding the whole of each buffer of `bindings`
/// (their sizes from `function`).
StepSpec dispatch(const FunctionSpec &function, uint32_t kernel,
                  uint32_t workgroups, std::vector<uint32_t> bindings,
                  uint32_t executable = 0) {
  static const char *const kNames[] = {"add", "mul", "negate", "fail", "grid"};
  StepSpec step;
  step.op = StepSpec::Op::Dispatch;
  step.name = kNames[kernel];
  step.executable = executable;
  step.kernel = kernel;
  step.workgroups[0] = workgroups;
  for (uint32_t id : bindings)
    step.bindings.push_back({id, 0, function.buffers[id].size, {}, {}});
  return step;
}

StepSpec copy(uint32_t src, uint32_t dst, uint64_t size) {
  StepSpec step;
  step.op = StepSpec::Op::Copy;
  step.name = "copy";
  step.src = src;
  step.dst = dst;
  step.size = size;
  return step;
}

StepSpec fill(uint32_t dst, uint64_t size, uint32_t pattern) {
  StepSpec step;
  step.op = StepSpec::Op::Fill;
  step.name = "fill";
  step.dst = dst;
  step.size = size;
  step.fillPattern = pattern;
  return step;
}

FunctionSpec addFunction(const std::vector<int64_t> &shape) {
  FunctionSpec function;
  function.name = "add";
  function.inputs = {{"a", "f32", shape}, {"b", "f32", shape}};
  function.outputs = {{"sum", "f32", shape}};
  uint64_t bytes = byteSize(function.outputs[0]);
  function.buffers = {buffer(Kind::Input, 0, bytes),
                      buffer(Kind::Input, 1, bytes),
                      buffer(Kind::Output, 0, bytes)};
  function.schedule = {
      dispatch(function, Add, static_cast<uint32_t>(bytes / 4), {0, 1, 2})};
  return function;
}

FunctionSpec negateFunction() {
  FunctionSpec function;
  function.name = "negate";
  function.inputs = {{"v", "i64", {3}}};
  function.outputs = {{"neg", "i64", {3}}};
  function.buffers = {buffer(Kind::Input, 0, 24), buffer(Kind::Output, 0, 24)};
  function.schedule = {dispatch(function, Negate, 3, {0, 1})};
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

namespace {
std::vector<uint8_t> constantBlob() {
  const float constant[4] = {1, 2, 3, 4};
  const auto *bytes = reinterpret_cast<const uint8_t *>(constant);
  return std::vector<uint8_t>(bytes, bytes + sizeof(constant));
}
} // namespace

ArtifactSpec addModel(const std::vector<int64_t> &shape) {
  return withKernels({addFunction(shape)});
}

ArtifactSpec pipelineModel() {
  FunctionSpec function;
  function.name = "pipeline";
  function.inputs = {{"x", "f32", {4}}};
  function.outputs = {{"y", "f32", {4}}, {"prod", "f32", {4}}};
  function.buffers = {buffer(Kind::Input, 0, 16),
                      buffer(Kind::Constant, 0, 16, 1),
                      buffer(Kind::Transient, 0, 16),
                      buffer(Kind::Output, 0, 16), buffer(Kind::Output, 1, 16)};
  function.schedule = {dispatch(function, Mul, 4, {0, 1, 2}),
                       fill(3, 16, 0x3f800000 /* 1.0f */),
                       dispatch(function, Add, 4, {2, 3, 3}), copy(2, 4, 16)};
  ArtifactSpec spec = withKernels({function});
  spec.blobs.push_back(constantBlob());
  return spec;
}

ArtifactSpec twoDevicesModel(const std::string &second) {
  FunctionSpec function;
  function.name = "pipeline";
  function.inputs = {{"x", "f32", {4}}};
  function.outputs = {{"y", "f32", {4}}, {"prod", "f32", {4}}};
  function.buffers = {buffer(Kind::Input, 0, 16),
                      buffer(Kind::Constant, 0, 16, 1),
                      buffer(Kind::Transient, 0, 16),
                      buffer(Kind::Output, 1, 16),
                      buffer(Kind::Transient, 0, 16, -1, 1),
                      buffer(Kind::Output, 0, 16, -1, 1)};
  function.schedule = {dispatch(function, Mul, 4, {0, 1, 2}), copy(2, 3, 16),
                       copy(2, 4, 16), fill(5, 16, 0x3f800000 /* 1.0f */),
                       dispatch(function, Add, 4, {4, 5, 5}, 1)};
  function.schedule[4].name = "add-on-device-1";
  function.schedule[2].name = "to-device-1";
  ArtifactSpec spec = withKernels({function});
  spec.devices.push_back({second});
  if (second == "null") {
    ExecutableSpec exe;
    exe.device = 1;
    exe.format = "null";
    exe.blob = 2;
    exe.kernels = testExecutable().kernels;
    spec.executables.push_back(exe);
  } else {
    spec.executables.push_back(testExecutable(1, 0));
  }
  spec.blobs.push_back(constantBlob());
  spec.blobs.emplace_back();
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
  function.buffers = {buffer(Kind::Input, 0, bytes),
                      buffer(Kind::Output, 0, bytes)};
  function.schedule = {copy(0, 1, bytes)};
  ArtifactSpec spec;
  spec.producer = "strata-test-artifact";
  spec.devices = {{"cpu"}};
  spec.functions = {function};
  return spec;
}

ArtifactSpec gridModel() {
  FunctionSpec function;
  function.name = "grid";
  function.outputs = {{"ids", "i32", {32}}};
  function.buffers = {buffer(Kind::Output, 0, 128)};
  StepSpec step = dispatch(function, Grid, 4, {0});
  step.workgroups[1] = 4;
  step.workgroups[2] = 2;
  function.schedule = {step};
  return withKernels({function});
}

ArtifactSpec failModel() {
  FunctionSpec function;
  function.name = "fail";
  function.outputs = {{"out", "f32", {8}}};
  function.buffers = {buffer(Kind::Output, 0, 32)};
  function.schedule = {dispatch(function, Fail, 8, {})};
  return withKernels({function});
}

ArtifactSpec oddFillModel(const std::string &device) {
  FunctionSpec function;
  function.name = "fill";
  function.outputs = {{"y", "f16", {3}}};
  function.buffers = {buffer(Kind::Output, 0, 6)};
  function.schedule = {fill(0, 6, 0x3c003c00 /* two f16 1.0s */)};
  ArtifactSpec spec;
  spec.producer = "strata-test-artifact";
  spec.devices = {{device}};
  spec.functions = {function};
  return spec;
}

ArtifactSpec cudaModel(const std::string &variant) {
  FunctionSpec function;
  function.name = "cuda";
  ArtifactSpec spec;
  spec.producer = "strata-test-artifact";
  spec.devices = {{"cuda"}};
  ExecutableSpec exe;
  exe.format = "ptx";
  exe.processor = variant == "no-arch" ? "" : "sm_80";
  KernelSpec k = kernel("write", "write", {W});
  k.workgroupSize[0] = variant == "big-block" ? 2048 : 256;
  k.sharedMemory = variant == "big-shared" ? 65536 : 0;
  function.outputs = {{"y", "f32", {4}}};
  function.buffers = {buffer(Kind::Output, 0, 16)};
  std::vector<uint32_t> bindings = {0};
  // A kernel that reads a 32 x 64 (or 32 x 128) bf16 input through a
  // tensor map in boxes of 16 rows, swizzled by 128 bytes: too wide a row
  // for that swizzle in the second case.
  if (variant == "tensor-map" || variant == "tensor-map-wide") {
    uint32_t columns = variant == "tensor-map" ? 64 : 128;
    k.bindings = {R, W};
    k.tensorMaps = {
        {0, "write_map_0", "bf16", {32, columns}, {16, columns}, 128}};
    function.inputs = {{"a", "bf16", {32, columns}}};
    function.buffers.insert(function.buffers.begin(),
                            buffer(Kind::Input, 0, 32 * columns * 2));
    function.buffers[1].index = 0;
    bindings = {0, 1};
  }
  exe.kernels = {k};
  spec.executables = {exe};
  const char ptx[] = "// the stand-in driver loads any image";
  spec.blobs = {std::vector<uint8_t>(ptx, ptx + sizeof(ptx) - 1)};
  StepSpec step = dispatch(function, 0, 1, bindings);
  step.name = "write";
  // The output's last 12 bytes: not where the compiler starts a binding.
  if (variant == "unaligned") {
    step.bindings[0].offset = 4;
    step.bindings[0].length = 12;
  }
  function.schedule = {step};
  spec.functions = {function};
  return spec;
}

ArtifactSpec systolicModel(const std::string &variant) {
  using namespace systolic;
  // y[5 x 7] = a[5 x 6] * b[6 x 7] in f32 on an 8x8 output-stationary
  // array: both operands in, one compute, the result out.
  Program program;
  program.rows = program.cols = 8;
  program.scratchpadBytes = 1024;
  program.accumulatorBytes = 1024;
  program.config.rows = program.config.cols = 8;
  program.config.scratchpadBytes = 1024;
  program.config.accumulatorBytes = 1024;
  std::vector<Instr> p(5);
  p[0].op = Opcode::Config;
  p[1].op = p[2].op = Opcode::Mvin;
  p[1].binding = 0, p[1].dramStride = 24, p[1].rows = 5, p[1].cols = 6;
  p[1].sramStride = 6;
  p[2].binding = 1, p[2].dramStride = 28, p[2].rows = 6, p[2].cols = 7;
  p[2].sramAddr = 64, p[2].sramStride = 7;
  p[3].op = Opcode::Compute;
  p[3].aStride = 6, p[3].bAddr = 64, p[3].bStride = 7, p[3].cStride = 7;
  p[3].m = 5, p[3].k = 6, p[3].n = 7;
  p[4].op = Opcode::Mvout;
  p[4].flags = kFromAccumulator;
  p[4].binding = 2, p[4].dramStride = 28, p[4].rows = 5, p[4].cols = 7;
  p[4].sramStride = 7;
  program.kernels.push_back({"matmul", p});

  FunctionSpec function;
  function.name = "matmul";
  function.inputs = {{"a", "f32", {5, 6}}, {"b", "f32", {6, 7}}};
  function.outputs = {{"y", "f32", {5, 7}}};
  function.buffers = {buffer(Kind::Input, 0, 120), buffer(Kind::Input, 1, 168),
                      buffer(Kind::Output, 0, 140)};
  StepSpec step;
  step.op = StepSpec::Op::Dispatch;
  step.name = "matmul";
  for (uint32_t id : {0, 1, 2})
    step.bindings.push_back({id, 0, function.buffers[id].size, {}, {}});
  function.schedule = {step};

  ExecutableSpec exe;
  exe.format = "systolic-program";
  exe.kernels = {kernel("matmul", "matmul", {R, R, W})};
  ArtifactSpec spec;
  spec.producer = "strata-test-artifact";
  spec.devices = {{"systolic"}};
  spec.executables = {exe};
  spec.functions = {function};
  spec.blobs = {encodeProgram(program)};
  if (variant == "corrupt")
    spec.blobs[0][0] = 'X';
  return spec;
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
  else if (name == "cpu-cpu")
    *out = twoDevicesModel("cpu");
  else if (name == "cpu-null")
    *out = twoDevicesModel("null");
  else if (name == "cuda-odd-fill" || name == "vulkan-odd-fill")
    *out = oddFillModel(name.substr(0, name.find('-')));
  else if (name == "systolic-matmul")
    *out = systolicModel("");
  else if (name.rfind("cuda-", 0) == 0)
    *out = cudaModel(name.substr(5));
  else
    return false;
  return true;
}

} // namespace strata::testing
