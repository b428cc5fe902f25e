//===- RuntimeTest.cpp - the runtime's C API on the cpu device ------------===//
//
// Loads artifacts around the hand-written test kernels (test/Runtime) from
// memory and from files and runs them with one and several threads; checks
// the numbers, and the message of every way a load or an invocation can go
// wrong.
//
//===----------------------------------------------------------------------===//

#include "test/Unit/RuntimeTestSupport.h"

#include "runtime/devices/cpu/CpuFeatures.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <thread>
#include <unistd.h>

using namespace strata;
using namespace strata::testing;

namespace {

/// Runs `add` of `module` on a and b; returns the message or "ok".
std::string invokeAdd(strata_module_t *module, std::vector<int64_t> shape,
                      std::vector<float> &a, std::vector<float> &b,
                      Owned<strata_buffer_view_t> *sum) {
  Owned<strata_buffer_view_t> viewA = wrap(shape, a), viewB = wrap(shape, b);
  strata_buffer_view_t *inputs[] = {viewA.get(), viewB.get()};
  strata_buffer_view_t *outputs[] = {nullptr};
  std::string result =
      message(strata_module_invoke(module, "add", inputs, 2, outputs, 1));
  sum->reset(outputs[0]);
  return result;
}

} // namespace

TEST_CASE("dtype names and sizes", "[runtime]") {
  CHECK(std::string(strata_dtype_name(STRATA_DTYPE_BF16)) == "bf16");
  CHECK(strata_dtype_size(STRATA_DTYPE_I1) == 1);
  CHECK(strata_dtype_size(STRATA_DTYPE_F64) == 8);
  CHECK(strata_dtype_name(strata_dtype_t(99)) == nullptr);
  strata_dtype_t dtype;
  REQUIRE_OK(strata_dtype_from_name("u16", &dtype));
  CHECK(dtype == STRATA_DTYPE_U16);
  CHECK(message(strata_dtype_from_name("f33", &dtype)) ==
        "unknown dtype 'f33' (known: f16, bf16, f32, f64, i1, i8, i16, i32, "
        "i64, u8, u16, u32, u64)");
  CHECK(std::string(strata_status_message(nullptr)) == "ok");
}

TEST_CASE("devices", "[runtime]") {
  strata_instance_t *rawInstance = nullptr;
  REQUIRE_OK(strata_instance_create(&rawInstance));
  Owned<strata_instance_t> instance(rawInstance);
  REQUIRE(strata_instance_device_count(instance.get()) == 5);
  CHECK(std::string(strata_instance_device_name(instance.get(), 0)) == "cpu");
  CHECK(std::string(strata_instance_device_name(instance.get(), 1)) == "cuda");
  CHECK(std::string(strata_instance_device_name(instance.get(), 2)) == "null");
  CHECK(std::string(strata_instance_device_name(instance.get(), 3)) ==
        "systolic");
  CHECK(std::string(strata_instance_device_name(instance.get(), 4)) ==
        "vulkan");
  strata_device_t *device = nullptr;
  strata_status_t status = strata_device_create(instance.get(), "xyz", &device);
  CHECK(strata_status_code(status) == STRATA_STATUS_INVALID_ARGUMENT);
  CHECK(message(status) ==
        "unknown device 'xyz' (available: cpu, cuda, null, systolic, vulkan)");

  REQUIRE_OK(strata_device_create(instance.get(), "cpu", &device));
  Owned<strata_device_t> cpu(device);
  CHECK(std::string(strata_device_name(cpu.get())) == "cpu");
  char value[16];
  REQUIRE_OK(strata_device_get_option(cpu.get(), "threads", value, 16));
  CHECK(std::atoi(value) >= 1);
  REQUIRE_OK(strata_device_set_option(cpu.get(), "threads", "3"));
  REQUIRE_OK(strata_device_get_option(cpu.get(), "threads", value, 16));
  CHECK(std::string(value) == "3");
  CHECK(message(strata_device_get_option(cpu.get(), "threads", value, 1)) ==
        "option 'threads' needs 2 bytes, the buffer has 1");
  for (const char *bad : {"5000", "-1", "two", ""})
    CHECK(message(strata_device_set_option(cpu.get(), "threads", bad)) ==
          "option 'threads': '" + std::string(bad) +
              "' is not a thread count in [0, 4096] (0: default)");
  CHECK(message(strata_device_set_option(cpu.get(), "speed", "fast")) ==
        "device 'cpu' has no option 'speed'");
  CHECK(message(strata_device_get_option(cpu.get(), "speed", value, 16)) ==
        "device 'cpu' has no option 'speed'");

  // Options at creation; a bad one fails it.
  strata_device_option_t two = {"threads", "2"}, bad = {"colour", "red"};
  strata_device_options_t options;
  strata_device_options_init(&options);
  options.options = &two;
  options.option_count = 1;
  REQUIRE_OK(strata_device_create_with_options(instance.get(), "cpu", &options,
                                               &device));
  REQUIRE_OK(strata_device_get_option(device, "threads", value, 16));
  CHECK(std::string(value) == "2");
  strata_device_release(device);
  options.options = &bad;
  CHECK(message(strata_device_create_with_options(instance.get(), "null",
                                                  &options, &device)) ==
        "device 'null': device 'null' has no option 'colour'");
  options.struct_size = 8;
  CHECK(message(strata_device_create_with_options(instance.get(), "cpu",
                                                  &options, &device)) ==
        "options->struct_size is 8, expected " +
            std::to_string(sizeof(strata_device_options_t)) +
            " (call strata_device_options_init)");

  setenv("STRATA_CPU_THREADS", "2", 1);
  REQUIRE_OK(strata_device_create(instance.get(), "cpu", &device));
  REQUIRE_OK(strata_device_get_option(device, "threads", value, 16));
  CHECK(std::string(value) == "2");
  strata_device_release(device);
  setenv("STRATA_CPU_THREADS", "many", 1);
  CHECK(message(strata_device_create(instance.get(), "cpu", &device)) ==
        "device 'cpu': STRATA_CPU_THREADS='many' is not a thread count in "
        "[1, 4096]");
  unsetenv("STRATA_CPU_THREADS");
}

TEST_CASE("add from memory with one and several threads", "[runtime]") {
  for (uint32_t threads : {1u, 2u, 4u}) {
    CAPTURE(threads);
    Runtime runtime(threads);
    const int64_t n = 10000;
    Owned<strata_module_t> module = runtime.mustLoad(testing::addModel({n}));
    std::vector<float> a(n), b(n);
    for (int64_t i = 0; i < n; ++i) {
      a[i] = float(i);
      b[i] = 0.5f * float(i);
    }
    Owned<strata_buffer_view_t> sum;
    REQUIRE(invokeAdd(module.get(), {n}, a, b, &sum) == "ok");
    REQUIRE(strata_buffer_view_byte_size(sum.get()) == n * 4);
    CHECK(strata_buffer_view_dtype(sum.get()) == STRATA_DTYPE_F32);
    CHECK(strata_buffer_view_dim(sum.get(), 0) == n);
    CHECK(reinterpret_cast<uintptr_t>(strata_buffer_view_data(sum.get())) %
              64 ==
          0);
    int wrong = 0;
    for (int64_t i = 0; i < n; ++i)
      wrong += floats(sum.get())[i] != 1.5f * float(i);
    CHECK(wrong == 0);
  }
}

TEST_CASE("observing each step's results", "[runtime]") {
  Runtime runtime;
  artifact::ArtifactSpec spec = testing::addModel({3});
  // The sum's binding says which tensor it holds; the inputs' say nothing.
  spec.functions[0].schedule[0].bindings[2].dtype = "f32";
  spec.functions[0].schedule[0].bindings[2].shape = {3};
  Owned<strata_module_t> module = runtime.mustLoad(spec);
  std::vector<float> a = {1, 2, 3}, b = {10, 20, 30};
  Owned<strata_buffer_view_t> viewA = wrap({3}, a), viewB = wrap({3}, b);
  strata_buffer_view_t *inputs[] = {viewA.get(), viewB.get()};
  strata_buffer_view_t *outputs[] = {nullptr};
  CHECK(message(strata_module_invoke_observed(module.get(), "add", inputs, 2,
                                              outputs, 1, nullptr, nullptr)) ==
        "observer is NULL");
  struct Seen {
    std::string step, kind, type;
    std::vector<float> values;
  };
  std::vector<Seen> seen;
  REQUIRE_OK(strata_module_invoke_observed(
      module.get(), "add", inputs, 2, outputs, 1,
      [](void *user, const strata_step_result_t *result) {
        const strata_buffer_view_t *view = result->view;
        const float *data =
            static_cast<const float *>(strata_buffer_view_data(view));
        static_cast<std::vector<Seen> *>(user)->push_back(
            {result->step_name, result->kind,
             strata_dtype_name(strata_buffer_view_dtype(view)),
             std::vector<float>(data, data + strata_buffer_view_dim(view, 0))});
      },
      &seen));
  Owned<strata_buffer_view_t> sum(outputs[0]);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].step == "add");
  CHECK(seen[0].kind == std::string("dispatch"));
  CHECK(seen[0].type == "f32");
  CHECK(seen[0].values == std::vector<float>{11, 22, 33});
  CHECK(floats(sum.get())[2] == 33);
}

TEST_CASE("load from a file", "[runtime]") {
  Runtime runtime;
  char path[] = "/tmp/strata-runtime-test-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::string error;
  REQUIRE(artifact::writeFileAtomically(
      path, artifact::serialize(testing::addModel()), &error));
  strata_module_t *raw = nullptr;
  REQUIRE_OK(strata_module_load_file(runtime.device.get(), path, &raw));
  Owned<strata_module_t> module(raw);
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = {10, 20, 30, 40, 50, 60};
  Owned<strata_buffer_view_t> sum;
  REQUIRE(invokeAdd(module.get(), {2, 3}, a, b, &sum) == "ok");
  CHECK(std::vector<float>(floats(sum.get()), floats(sum.get()) + 6) ==
        std::vector<float>{11, 22, 33, 44, 55, 66});

  // A corrupt file's message starts with its path.
  std::vector<uint8_t> bytes = artifact::serialize(testing::addModel());
  bytes.resize(100);
  REQUIRE(artifact::writeFileAtomically(path, bytes, &error));
  strata_status_t status =
      strata_module_load_file(runtime.device.get(), path, &raw);
  CHECK(strata_status_code(status) == STRATA_STATUS_INVALID_ARTIFACT);
  CHECK(message(status) ==
        std::string(path) + ": truncated file: header says " +
            std::to_string(artifact::serialize(testing::addModel()).size()) +
            " bytes, got 100");
  unlink(path);
  status = strata_module_load_file(runtime.device.get(), path, &raw);
  CHECK(strata_status_code(status) == STRATA_STATUS_IO_ERROR);
  CHECK(message(status) ==
        "cannot open '" + std::string(path) + "': No such file or directory");
  CHECK(message(strata_module_load_file(runtime.device.get(), "/tmp", &raw)) ==
        "'/tmp' is not a regular file");
}

TEST_CASE("module queries", "[runtime]") {
  Runtime runtime;
  artifact::ArtifactSpec spec;
  REQUIRE(testing::namedModel("two-functions", "", {}, &spec));
  Owned<strata_module_t> module = runtime.mustLoad(spec);
  REQUIRE(strata_module_function_count(module.get()) == 2);
  CHECK(std::string(strata_module_function_name(module.get(), 1)) == "negate");
  CHECK(strata_module_function_name(module.get(), 2) == nullptr);
  CHECK(strata_module_input_count(module.get(), 0) == 2);
  CHECK(strata_module_output_count(module.get(), 1) == 1);
  strata_tensor_spec_t tensor;
  REQUIRE_OK(strata_module_input_spec(module.get(), 0, 1, &tensor));
  CHECK(std::string(tensor.name) == "b");
  CHECK(tensor.dtype == STRATA_DTYPE_F32);
  REQUIRE(tensor.rank == 2);
  CHECK(tensor.dims[0] == 2);
  CHECK(tensor.dims[1] == 3);
  REQUIRE_OK(strata_module_output_spec(module.get(), 1, 0, &tensor));
  CHECK(std::string(tensor.name) == "neg");
  CHECK(tensor.dtype == STRATA_DTYPE_I64);
  CHECK(message(strata_module_input_spec(module.get(), 0, 2, &tensor)) ==
        "input index 2 is out of range (function 'add' has 2)");
  CHECK(message(strata_module_output_spec(module.get(), 5, 0, &tensor)) ==
        "function index 5 is out of range");
}

TEST_CASE("choosing a function", "[runtime]") {
  Runtime runtime;
  artifact::ArtifactSpec spec;
  REQUIRE(testing::namedModel("two-functions", "", {}, &spec));
  Owned<strata_module_t> module = runtime.mustLoad(spec);
  int64_t values[3] = {1, -2, 3};
  Owned<strata_buffer_view_t> v =
      wrap(STRATA_DTYPE_I64, {3}, values, sizeof(values));
  strata_buffer_view_t *inputs[] = {v.get()};
  strata_buffer_view_t *outputs[] = {nullptr};
  CHECK(message(strata_module_invoke(module.get(), nullptr, inputs, 1, outputs,
                                     1)) ==
        "the module has 2 functions (add, negate); name one");
  CHECK(message(strata_module_invoke(module.get(), "nope", inputs, 1, outputs,
                                     1)) ==
        "no function 'nope' in the module (functions: add, negate)");
  REQUIRE_OK(
      strata_module_invoke(module.get(), "negate", inputs, 1, outputs, 1));
  Owned<strata_buffer_view_t> neg(outputs[0]);
  const auto *result =
      static_cast<const int64_t *>(strata_buffer_view_data(neg.get()));
  CHECK(result[0] == -1);
  CHECK(result[1] == 2);
  CHECK(result[2] == -3);
}

/// Runs the pipeline model `spec` on x = {1, 10, 100, 1000}, with 1 and 3
/// threads, and checks its two outputs.
static void checkPipeline(const artifact::ArtifactSpec &spec,
                          const std::vector<float> &wantY,
                          const std::vector<float> &wantSecond) {
  for (uint32_t threads : {1u, 3u}) {
    Runtime runtime(threads);
    Owned<strata_module_t> module = runtime.mustLoad(spec);
    std::vector<float> x = {1, 10, 100, 1000};
    Owned<strata_buffer_view_t> input = wrap({4}, x);
    strata_buffer_view_t *inputs[] = {input.get()};
    strata_buffer_view_t *outputs[] = {nullptr, nullptr};
    REQUIRE_OK(
        strata_module_invoke(module.get(), nullptr, inputs, 1, outputs, 2));
    Owned<strata_buffer_view_t> y(outputs[0]), second(outputs[1]);
    CHECK(std::vector<float>(floats(y.get()), floats(y.get()) + 4) == wantY);
    CHECK(std::vector<float>(floats(second.get()), floats(second.get()) + 4) ==
          wantSecond);
  }
}

TEST_CASE("constants, transients, fill and copy", "[runtime]") {
  checkPipeline(testing::pipelineModel(), {2, 21, 301, 4001},
                {1, 20, 300, 4000});
}

TEST_CASE("a dispatch's kernels run in order on its bindings", "[runtime]") {
  // The mul step's product is overwritten by its second kernel, an add:
  // the transient holds x + c, so y = x + c + 1.
  artifact::ArtifactSpec spec = testing::pipelineModel();
  spec.functions[0].schedule[0].then = {{0, {4, 1, 1}}};
  checkPipeline(spec, {3, 13, 104, 1005}, {2, 12, 103, 1004});
}

TEST_CASE("3-D workgroup grids", "[runtime]") {
  for (uint32_t threads : {1u, 4u}) {
    Runtime runtime(threads);
    Owned<strata_module_t> module = runtime.mustLoad(testing::gridModel());
    strata_buffer_view_t *outputs[] = {nullptr};
    REQUIRE_OK(
        strata_module_invoke(module.get(), "grid", nullptr, 0, outputs, 1));
    Owned<strata_buffer_view_t> ids(outputs[0]);
    const auto *data =
        static_cast<const int32_t *>(strata_buffer_view_data(ids.get()));
    for (int z = 0; z < 2; ++z)
      for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 4; ++x)
          CHECK(data[(z * 4 + y) * 4 + x] == 1 + x + 10 * y + 100 * z);
  }
}

TEST_CASE("caller-owned and unaligned buffers", "[runtime]") {
  Runtime runtime(2);
  Owned<strata_module_t> module = runtime.mustLoad(testing::addModel({5}));
  // One float past a 64-byte boundary: the runtime stages the data.
  alignas(64) float storage[3][32] = {};
  float *a = storage[0] + 1, *b = storage[1] + 1, *sum = storage[2] + 1;
  for (int i = 0; i < 5; ++i) {
    a[i] = float(i);
    b[i] = 100;
  }
  Owned<strata_buffer_view_t> viewA = wrap(STRATA_DTYPE_F32, {5}, a, 20),
                              viewB = wrap(STRATA_DTYPE_F32, {5}, b, 20),
                              viewSum = wrap(STRATA_DTYPE_F32, {5}, sum, 20);
  strata_buffer_view_t *inputs[] = {viewA.get(), viewB.get()};
  strata_buffer_view_t *outputs[] = {viewSum.get()};
  REQUIRE_OK(strata_module_invoke(module.get(), "add", inputs, 2, outputs, 1));
  CHECK(outputs[0] == viewSum.get());
  for (int i = 0; i < 5; ++i)
    CHECK(sum[i] == 100 + float(i));
  CHECK(sum[5] == 0); // nothing written past the view
}

TEST_CASE("inputs that do not match the signature", "[runtime]") {
  Runtime runtime;
  Owned<strata_module_t> module = runtime.mustLoad(testing::addModel());
  std::vector<float> six(6), other(6), eight(8);
  int64_t ints[6] = {};
  Owned<strata_buffer_view_t> good = wrap({2, 3}, six);
  Owned<strata_buffer_view_t> out = wrap({2, 3}, other);
  Owned<strata_buffer_view_t> wrongDtype =
      wrap(STRATA_DTYPE_I64, {2, 3}, ints, sizeof(ints));
  Owned<strata_buffer_view_t> wrongRank = wrap({6}, six);
  Owned<strata_buffer_view_t> wrongDim = wrap({2, 4}, eight);
  auto invoke = [&](std::vector<strata_buffer_view_t *> inputs,
                    std::vector<strata_buffer_view_t *> outputs) {
    strata_status_t status =
        strata_module_invoke(module.get(), "add", inputs.data(), inputs.size(),
                             outputs.data(), outputs.size());
    CHECK((!status ||
           strata_status_code(status) == STRATA_STATUS_INVALID_ARGUMENT));
    return message(status);
  };
  CHECK(invoke({good.get()}, {nullptr}) ==
        "expected 2 inputs (a: 2x3xf32, b: 2x3xf32), got 1");
  CHECK(invoke({good.get(), good.get()}, {}) ==
        "expected 1 outputs (sum: 2x3xf32), got 0");
  CHECK(invoke({good.get(), wrongDtype.get()}, {nullptr}) ==
        "input 1 ('b'): expected dtype f32, got i64");
  CHECK(invoke({wrongRank.get(), good.get()}, {nullptr}) ==
        "input 0 ('a'): expected rank 2, got 1");
  CHECK(invoke({wrongDim.get(), good.get()}, {nullptr}) ==
        "input 0 ('a'): dim 1 expected 3, got 4");
  CHECK(invoke({good.get(), nullptr}, {nullptr}) ==
        "input 1 ('b'): view is NULL");
  CHECK(invoke({good.get(), good.get()}, {wrongDim.get()}) ==
        "output 0 ('sum'): dim 1 expected 3, got 4");
  CHECK(invoke({good.get(), good.get()}, {out.get()}) == "ok");
}

TEST_CASE("buffer view checks", "[runtime]") {
  float data[6];
  int64_t shape[] = {2, 3}, negative[] = {2, -3},
          huge[] = {1ll << 40, 1ll << 40};
  strata_buffer_view_t *view = nullptr;
  CHECK(message(strata_buffer_view_wrap(STRATA_DTYPE_F32, shape, 2, data, 20,
                                        &view)) ==
        "data size 20 does not match the shape, which needs 24 bytes");
  CHECK(message(strata_buffer_view_wrap(STRATA_DTYPE_F32, negative, 2, data, 24,
                                        &view)) ==
        "dim 1 is -3; dims must be >= 0");
  CHECK(
      message(strata_buffer_view_allocate(STRATA_DTYPE_F32, huge, 2, &view)) ==
      "the shape's byte size overflows");
  CHECK(message(strata_buffer_view_allocate(strata_dtype_t(0), shape, 2,
                                            &view)) == "invalid dtype 0");
  REQUIRE_OK(strata_buffer_view_allocate(STRATA_DTYPE_BF16, shape, 2, &view));
  CHECK(strata_buffer_view_byte_size(view) == 12);
  CHECK(strata_buffer_view_rank(view) == 2);
  CHECK(strata_buffer_view_dim(view, 2) == -1);
  strata_buffer_view_release(view);
}

TEST_CASE("a missing kernel symbol fails the load", "[runtime]") {
  Runtime runtime;
  artifact::ArtifactSpec spec;
  REQUIRE(testing::namedModel("missing-symbol", "", {}, &spec));
  Owned<strata_module_t> module;
  CHECK(runtime.load(spec, &module) ==
        "executable 0: kernel 'add': symbol 'strata_test_missing' not found "
        "in the shared object");
  CHECK(!module);
}

TEST_CASE("blobs the cpu device cannot load", "[runtime]") {
  Runtime runtime;
  Owned<strata_module_t> module;
  artifact::ArtifactSpec spec = testing::addModel();
  spec.blobs[0] = {'h', 'e', 'l', 'l', 'o'};
  CHECK(runtime.load(spec, &module) == "executable 0: blob is not an ELF file");
  spec = testing::addModel();
  spec.blobs[0][16] = 2; // ET_EXEC
  CHECK(runtime.load(spec, &module) ==
        "executable 0: blob is an ELF file but not a shared object");
  spec = testing::addModel();
  spec.blobs[0].resize(200); // cut off: dlopen itself refuses it
  std::string dlopenError = runtime.load(spec, &module);
  CAPTURE(dlopenError);
  CHECK(dlopenError.rfind("executable 0: dlopen failed: ", 0) == 0);
  spec = testing::addModel();
  spec.executables[0].kernels[0].pushConstants = 1;
  spec.functions[0].schedule[0].pushConstants = {1};
  CHECK(runtime.load(spec, &module) ==
        "function 'add': step 0 (dispatch 'add'): 1 push constants, but "
        "device 'cpu' takes at most 0");
  // Code for instructions the host lacks is refused before it runs.
  spec = testing::addModel();
  spec.executables[0].processor = "x86-64-v3";
  spec.executables[0].features = {"avx2"};
  ::setenv("STRATA_CPU_DISABLE_FEATURES", "fma,avx2", 1);
  std::string refused = runtime.load(spec, &module);
  ::unsetenv("STRATA_CPU_DISABLE_FEATURES");
  CHECK(refused.rfind("executable 0: compiled for cpu 'x86-64-v3', needs "
                      "'avx2', which this host (",
                      0) == 0);
  spec.executables[0].features = {"avx9000"};
  CHECK(runtime.load(spec, &module) ==
        "executable 0: needs the cpu feature 'avx9000', which this runtime "
        "cannot check");
  spec = testing::addModel();
  spec.executables[0].format = "spirv";
  CHECK(runtime.load(spec, &module) ==
        "executable 0: format 'spirv' is not supported by the cpu device "
        "(supported: elf-x86_64-so)");
  spec = testing::addModel();
  spec.executables[0].kernels[0].workgroupSize[0] = 64;
  CHECK(runtime.load(spec, &module) ==
        "executable 0: kernel 'add': workgroup size 64x1x1; a cpu workgroup "
        "is one call (1x1x1)");
  spec = testing::addModel();
  spec.devices[0].target = "vulkan";
  strata_status_t status = nullptr;
  {
    std::vector<uint8_t> bytes = artifact::serialize(spec);
    strata_module_t *raw = nullptr;
    status = strata_module_load_memory(runtime.device.get(), bytes.data(),
                                       bytes.size(), &raw);
    CHECK(raw == nullptr);
  }
  CHECK(strata_status_code(status) == STRATA_STATUS_UNSUPPORTED);
  CHECK(message(status) ==
        "the artifact is for target 'vulkan', not for device 'cpu'");
}

TEST_CASE("a kernel's error code fails the invocation", "[runtime]") {
  for (uint32_t threads : {1u, 4u}) {
    Runtime runtime(threads);
    Owned<strata_module_t> module = runtime.mustLoad(testing::failModel());
    strata_buffer_view_t *outputs[] = {nullptr};
    strata_status_t status =
        strata_module_invoke(module.get(), "fail", nullptr, 0, outputs, 1);
    CHECK(strata_status_code(status) == STRATA_STATUS_KERNEL_FAILED);
    CHECK(message(status) ==
          "function 'fail': step 0 (dispatch 'fail'): kernel 'fail' failed "
          "with code 7 in workgroup (3, 0, 0)");
    CHECK(outputs[0] == nullptr);
  }
}

TEST_CASE("handles may be released in any order", "[runtime]") {
  Runtime runtime(2);
  Owned<strata_module_t> module = runtime.mustLoad(testing::addModel());
  runtime.device.reset();
  runtime.instance.reset();
  std::vector<float> a = {1, 2, 3, 4, 5, 6}, b = a;
  Owned<strata_buffer_view_t> sum;
  REQUIRE(invokeAdd(module.get(), {2, 3}, a, b, &sum) == "ok");
  CHECK(floats(sum.get())[5] == 12);
}

TEST_CASE("many modules, loaded together and one after another", "[runtime]") {
  Runtime runtime;
  std::vector<Owned<strata_module_t>> modules;
  for (int i = 0; i < 20; ++i) {
    modules.push_back(runtime.mustLoad(testing::addModel({i + 1})));
    if (i % 2)
      modules.erase(modules.begin()); // frees fds for reuse
  }
  for (Owned<strata_module_t> &module : modules) {
    strata_tensor_spec_t spec;
    REQUIRE_OK(strata_module_input_spec(module.get(), 0, 0, &spec));
    int64_t n = spec.dims[0];
    std::vector<float> a(n, 1), b(n, 2);
    Owned<strata_buffer_view_t> sum;
    REQUIRE(invokeAdd(module.get(), {n}, a, b, &sum) == "ok");
    CHECK(floats(sum.get())[n - 1] == 3);
  }
}

TEST_CASE("concurrent invocations of one module", "[runtime]") {
  Runtime runtime(2);
  const int64_t n = 4096;
  Owned<strata_module_t> module = runtime.mustLoad(testing::addModel({n}));
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        std::vector<float> a(n, float(t)), b(n, float(round));
        strata_buffer_view_t *viewA = nullptr, *viewB = nullptr;
        int64_t shape[] = {n};
        strata_status_free(strata_buffer_view_wrap(STRATA_DTYPE_F32, shape, 1,
                                                   a.data(), n * 4, &viewA));
        strata_status_free(strata_buffer_view_wrap(STRATA_DTYPE_F32, shape, 1,
                                                   b.data(), n * 4, &viewB));
        strata_buffer_view_t *inputs[] = {viewA, viewB};
        strata_buffer_view_t *outputs[] = {nullptr};
        strata_status_t status =
            strata_module_invoke(module.get(), "add", inputs, 2, outputs, 1);
        if (status) {
          ++wrong[t];
          strata_status_free(status);
        } else {
          const float *sum = floats(outputs[0]);
          for (int64_t i = 0; i < n; ++i)
            wrong[t] += sum[i] != float(t + round);
        }
        strata_buffer_view_release(outputs[0]);
        strata_buffer_view_release(viewA);
        strata_buffer_view_release(viewB);
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  CHECK(wrong == std::vector<int>(4, 0));
}

TEST_CASE("a new library never aliases one loaded before", "[runtime]") {
  // glibc knows loaded libraries by path; the test kernels stay loaded
  // after dlclose (-z nodelete), so a reused /proc/self/fd/N path would
  // hand the variant's module the first library's add.
  Runtime runtime;
  std::vector<float> a = {5, 5, 5, 5, 5, 5}, b = {1, 2, 3, 4, 5, 6};
  Owned<strata_buffer_view_t> result;
  {
    Owned<strata_module_t> first = runtime.mustLoad(testing::addModel());
    REQUIRE(invokeAdd(first.get(), {2, 3}, a, b, &result) == "ok");
    CHECK(floats(result.get())[0] == 6);
  }
  artifact::ArtifactSpec variant = testing::addModel();
  variant.blobs[0] = testing::testKernelsVariant();
  Owned<strata_module_t> second = runtime.mustLoad(variant);
  REQUIRE(invokeAdd(second.get(), {2, 3}, a, b, &result) == "ok");
  CHECK(floats(result.get())[0] == 4);
}

TEST_CASE("the cpu features the runtime checks", "[runtime]") {
  // Every feature the compiler may record has a cpuid bit here.
  for (const char *feature : runtime::kCheckedCpuFeatures)
    CHECK(runtime::hostHasCpuFeature(feature).has_value());
  CHECK_FALSE(runtime::hostHasCpuFeature("avx9000").has_value());
  // Implied features agree with cpuid on any host.
  if (*runtime::hostHasCpuFeature("avx2"))
    CHECK(*runtime::hostHasCpuFeature("avx"));
  if (*runtime::hostHasCpuFeature("avx512f"))
    CHECK(*runtime::hostHasCpuFeature("avx2"));
  ::setenv("STRATA_CPU_DISABLE_FEATURES", "sse3,avx512f", 1);
  CHECK_FALSE(*runtime::hostHasCpuFeature("sse3"));
  CHECK_FALSE(*runtime::hostHasCpuFeature("avx512f"));
  ::unsetenv("STRATA_CPU_DISABLE_FEATURES");
#if defined(__x86_64__)
  // Every x86-64 cpu since 2006 has SSE3.
  CHECK(*runtime::hostHasCpuFeature("sse3"));
#endif
  CHECK_FALSE(runtime::hostCpuBrand().empty());
}
