//===- RuntimeDevicesTest.cpp - the null device and multi-device modules --===//
//
// The null device runs schedules without computing, so its counters show
// what the core records, transfers and synchronizes. Modules that span two
// devices (two cpu devices; cpu and null) check the numbers, and the
// transfers the runtime makes between the devices.
//
//===----------------------------------------------------------------------===//

#include "test/Unit/RuntimeTestSupport.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <unistd.h>

using namespace strata;
using namespace strata::testing;

namespace {

/// The device's counters by name.
std::map<std::string, uint64_t> stats(strata_device_t *device) {
  size_t count = 0;
  REQUIRE_OK(strata_device_query_stats(device, nullptr, 0, &count));
  std::vector<strata_device_stat_t> entries(count);
  REQUIRE_OK(strata_device_query_stats(device, entries.data(), count, &count));
  std::map<std::string, uint64_t> byName;
  for (const strata_device_stat_t &entry : entries)
    byName[entry.name] = entry.value;
  return byName;
}

/// The pipeline model for the null device.
artifact::ArtifactSpec nullPipeline() {
  artifact::ArtifactSpec spec = testing::pipelineModel();
  spec.devices[0].target = "null";
  spec.executables[0].format = "null";
  return spec;
}

/// Loads `spec` onto `devices` (slot i on devices[i]).
std::string loadOn(std::vector<strata_device_t *> devices,
                   const artifact::ArtifactSpec &spec,
                   Owned<strata_module_t> *out) {
  std::vector<uint8_t> bytes = artifact::serialize(spec);
  strata_module_load_options_t options;
  strata_module_load_options_init(&options);
  options.devices = devices.data();
  options.device_count = devices.size();
  strata_module_t *module = nullptr;
  std::string result = message(strata_module_load_memory_with_options(
      &options, bytes.data(), bytes.size(), &module));
  out->reset(module);
  return result;
}

/// Runs the pipeline function: x = [1, 10, 100, 1000] -> (y, prod). The
/// input is runtime-allocated, so aligned: a cpu device uses it in place.
void runPipeline(strata_module_t *module, std::vector<float> *y,
                 std::vector<float> *prod) {
  const float x[4] = {1, 10, 100, 1000};
  int64_t shape[] = {4};
  strata_buffer_view_t *raw = nullptr;
  REQUIRE_OK(strata_buffer_view_allocate(STRATA_DTYPE_F32, shape, 1, &raw));
  Owned<strata_buffer_view_t> input(raw);
  std::memcpy(strata_buffer_view_data(raw), x, sizeof(x));
  strata_buffer_view_t *inputs[] = {input.get()};
  strata_buffer_view_t *outputs[] = {nullptr, nullptr};
  REQUIRE_OK(strata_module_invoke(module, "pipeline", inputs, 1, outputs, 2));
  Owned<strata_buffer_view_t> yView(outputs[0]), prodView(outputs[1]);
  y->assign(floats(yView.get()), floats(yView.get()) + 4);
  prod->assign(floats(prodView.get()), floats(prodView.get()) + 4);
}

} // namespace

TEST_CASE("the null device runs a schedule without computing", "[runtime]") {
  Runtime runtime("null");
  Owned<strata_module_t> module = runtime.mustLoad(nullPipeline());
  // The constant went to the device at load.
  CHECK(stats(runtime.device.get())["uploads"] == 1);
  strata_device_reset_stats(runtime.device.get());
  std::vector<float> y, prod;
  runPipeline(module.get(), &y, &prod);
  CHECK(y == std::vector<float>(4, 0.0f));
  CHECK(prod == std::vector<float>(4, 0.0f));
  std::map<std::string, uint64_t> counted = stats(runtime.device.get());
  CHECK(counted["submissions"] == 1);
  CHECK(counted["dispatches"] == 2);
  CHECK(counted["workgroups"] == 8);
  CHECK(counted["fills"] == 1);
  CHECK(counted["copies"] == 1);
  // mul -> fill share a run; add reads mul's product (barrier); the copy
  // reads it again, which needs none.
  CHECK(counted["barriers"] == 1);
  CHECK(counted["uploads"] == 1); // x
  CHECK(counted["upload_bytes"] == 16);
  CHECK(counted["downloads"] == 2); // y, prod
  CHECK(counted["download_bytes"] == 32);
  strata_device_reset_stats(runtime.device.get());
  CHECK(stats(runtime.device.get())["dispatches"] == 0);
}

TEST_CASE("barriers follow byte ranges, not whole buffers", "[runtime]") {
  // Two products into the two halves of one transient need no barrier
  // between them; the copy of the first half waits for them.
  artifact::ArtifactSpec spec = nullPipeline();
  artifact::FunctionSpec &function = spec.functions[0];
  function.buffers[2].size = 32;
  artifact::StepSpec second = function.schedule[0];
  second.bindings[2].offset = 16;
  artifact::StepSpec copy = function.schedule[3];
  function.schedule = {function.schedule[0], second, copy};
  Runtime runtime("null");
  Owned<strata_module_t> module = runtime.mustLoad(spec);
  strata_device_reset_stats(runtime.device.get());
  std::vector<float> y, prod;
  strata_buffer_view_t *outputs[] = {nullptr, nullptr};
  const float x[4] = {1, 2, 3, 4};
  Owned<strata_buffer_view_t> input =
      wrap(STRATA_DTYPE_F32, {4}, const_cast<float *>(x), sizeof(x));
  strata_buffer_view_t *inputs[] = {input.get()};
  REQUIRE_OK(
      strata_module_invoke(module.get(), "pipeline", inputs, 1, outputs, 2));
  strata_buffer_view_release(outputs[0]);
  strata_buffer_view_release(outputs[1]);
  std::map<std::string, uint64_t> counted = stats(runtime.device.get());
  CHECK(counted["dispatches"] == 2);
  CHECK(counted["barriers"] == 1);
}

/// The device's trace as text.
std::string traceText(strata_device_t *device) {
  size_t size = 0;
  REQUIRE_OK(strata_device_query_trace(device, nullptr, 0, &size));
  std::string text(size + 1, '\0');
  REQUIRE_OK(
      strata_device_query_trace(device, text.data(), text.size(), &size));
  text.resize(size);
  return text;
}

TEST_CASE("traces name every command and transfer", "[runtime]") {
  Runtime runtime(1);
  Owned<strata_device_t> second = runtime.create("cpu");
  for (strata_device_t *device : {runtime.device.get(), second.get()})
    REQUIRE_OK(strata_device_set_option(device, "trace", "1"));
  char value[4];
  REQUIRE_OK(strata_device_get_option(second.get(), "trace", value, 4));
  CHECK(std::string(value) == "1");
  Owned<strata_module_t> module;
  REQUIRE(loadOn({runtime.device.get(), second.get()},
                 testing::twoDevicesModel("cpu"), &module) == "ok");
  std::vector<float> y, prod;
  runPipeline(module.get(), &y, &prod);
  std::string first = traceText(runtime.device.get());
  CHECK(first.find("{\"name\": \"step 0 (dispatch 'mul')\", \"cat\": "
                   "\"dispatch\", \"ph\": \"X\", \"ts\": ") == 1);
  CHECK(first.find("\"step 1 (copy 'copy')\", \"cat\": \"copy\"") !=
        std::string::npos);
  std::string other = traceText(second.get());
  CHECK(other.find("\"step 2 (copy 'to-device-1')\", \"cat\": \"transfer\"") !=
        std::string::npos);
  CHECK(other.find("\"step 3 (fill 'fill')\", \"cat\": \"fill\"") !=
        std::string::npos);
  CHECK(other.find("\"step 4 (dispatch 'add-on-device-1')\"") !=
        std::string::npos);
  // Too small a buffer gets the size and nothing written.
  char small[8] = "x";
  size_t size = 0;
  REQUIRE_OK(strata_device_query_trace(second.get(), small, 8, &size));
  CHECK(size == other.size());
  CHECK(std::string(small) == "x");
  strata_device_reset_stats(second.get());
  CHECK(traceText(second.get()) == "[]");
  // The null device traces at submission, without durations.
  Runtime null("null");
  REQUIRE_OK(strata_device_set_option(null.device.get(), "trace", "1"));
  Owned<strata_module_t> nothing = null.mustLoad(nullPipeline());
  runPipeline(nothing.get(), &y, &prod);
  CHECK(traceText(null.device.get()).find("\"dur\": 0") != std::string::npos);
  CHECK(message(strata_device_set_option(null.device.get(), "trace", "yes")) ==
        "option 'trace': 'yes' is not 0 or 1");
}

TEST_CASE("the null device's errors", "[runtime]") {
  Runtime runtime("null");
  Owned<strata_module_t> module;
  CHECK(runtime.load(testing::pipelineModel(), &module) ==
        "the artifact is for target 'cpu', not for device 'null'");
  artifact::ArtifactSpec spec = nullPipeline();
  spec.executables[0].format = "elf-x86_64-so";
  CHECK(runtime.load(spec, &module) ==
        "executable 0: format 'elf-x86_64-so' is not supported by the null "
        "device (supported: null)");
  spec = nullPipeline();
  spec.executables[0].kernels[1].pushConstants = 33;
  spec.functions[0].schedule[0].pushConstants.assign(33, 0);
  CHECK(runtime.load(spec, &module) ==
        "function 'pipeline': step 0 (dispatch 'mul'): 33 push constants, but "
        "device 'null' takes at most 32");
  spec.executables[0].kernels[1].pushConstants = 32;
  spec.functions[0].schedule[0].pushConstants.assign(32, 0);
  CHECK(runtime.load(spec, &module) == "ok");
}

TEST_CASE("a module on two cpu devices", "[runtime]") {
  Runtime runtime(1);
  Owned<strata_device_t> second = runtime.create("cpu");
  Owned<strata_module_t> module;
  REQUIRE(loadOn({runtime.device.get(), second.get()},
                 testing::twoDevicesModel("cpu"), &module) == "ok");
  REQUIRE(strata_module_device_count(module.get()) == 2);
  CHECK(std::string(strata_module_device_target(module.get(), 1)) == "cpu");
  CHECK(strata_module_device_target(module.get(), 2) == nullptr);
  std::vector<float> y, prod;
  runPipeline(module.get(), &y, &prod);
  CHECK(y == std::vector<float>{2, 21, 301, 4001});
  CHECK(prod == std::vector<float>{1, 20, 300, 4000});
  // Device 0 computed the product and sent it; device 1 received it,
  // filled y and added. The caller's aligned memory is used in place.
  std::map<std::string, uint64_t> first = stats(runtime.device.get()),
                                  other = stats(second.get());
  CHECK(first["dispatches"] == 1);
  CHECK(first["copies"] == 1);
  CHECK(first["barriers"] == 1);
  CHECK(first["downloads"] == 1);
  CHECK(first["download_bytes"] == 16);
  CHECK(first["uploads"] == 0);
  CHECK(other["dispatches"] == 1);
  CHECK(other["fills"] == 1);
  CHECK(other["uploads"] == 1);
  CHECK(other["upload_bytes"] == 16);
  CHECK(other["downloads"] == 0);
  CHECK(first["submissions"] == 1);
  CHECK(other["submissions"] == 1);

  // One device may serve both slots.
  Owned<strata_module_t> shared =
      runtime.mustLoad(testing::twoDevicesModel("cpu"));
  runPipeline(shared.get(), &y, &prod);
  CHECK(y == std::vector<float>{2, 21, 301, 4001});
}

TEST_CASE("buffers in host memory", "[runtime]") {
  // The transient and an output in host memory: their own arena, and the
  // same numbers.
  artifact::ArtifactSpec spec = testing::twoDevicesModel("cpu");
  spec.functions[0].buffers[2].memory = artifact::MemoryKind::Host;
  spec.functions[0].buffers[5].memory = artifact::MemoryKind::Host;
  Runtime runtime(1);
  Owned<strata_module_t> module = runtime.mustLoad(spec);
  std::vector<float> y, prod;
  runPipeline(module.get(), &y, &prod);
  CHECK(y == std::vector<float>{2, 21, 301, 4001});
  CHECK(prod == std::vector<float>{1, 20, 300, 4000});
}

TEST_CASE("a module on the cpu and the null device", "[runtime]") {
  Runtime runtime(2);
  Owned<strata_device_t> null = runtime.create("null");
  Owned<strata_module_t> module;
  REQUIRE(loadOn({runtime.device.get(), null.get()},
                 testing::twoDevicesModel("null"), &module) == "ok");
  std::vector<float> y, prod;
  runPipeline(module.get(), &y, &prod);
  CHECK(prod == std::vector<float>{1, 20, 300, 4000});
  CHECK(y == std::vector<float>(4, 0.0f)); // computed by nobody
  std::map<std::string, uint64_t> counted = stats(null.get());
  CHECK(counted["uploads"] == 1);   // the product
  CHECK(counted["downloads"] == 1); // y
  CHECK(counted["dispatches"] == 1);
}

TEST_CASE("loading on several devices: errors", "[runtime]") {
  Runtime runtime(1);
  Owned<strata_device_t> null = runtime.create("null");
  Owned<strata_module_t> module;
  artifact::ArtifactSpec spec = testing::twoDevicesModel("null");
  CHECK(loadOn({runtime.device.get(), null.get(), null.get()}, spec, &module) ==
        "the artifact runs on 2 devices, but 3 were given");
  CHECK(loadOn({null.get(), runtime.device.get()}, spec, &module) ==
        "device 0 of the artifact is for target 'cpu', not for device 'null'");
  CHECK(runtime.load(spec, &module) ==
        "device 1 of the artifact is for target 'null', not for device 'cpu'");
  CHECK(loadOn({runtime.device.get(), nullptr}, spec, &module) ==
        "device 1 is NULL");
  strata_module_load_options_t options;
  strata_module_load_options_init(&options);
  strata_module_t *raw = nullptr;
  CHECK(message(strata_module_load_file_with_options(
            &options, "x.strata", &raw)) == "options name no devices");
  options.struct_size = 4;
  CHECK(message(
            strata_module_load_file_with_options(&options, "x.strata", &raw)) ==
        "options->struct_size is 4, expected " +
            std::to_string(sizeof(strata_module_load_options_t)) +
            " (call strata_module_load_options_init)");
}

TEST_CASE("the vulkan device's load-time checks", "[runtime]") {
  // lavapipe (mesa-vulkan-drivers, installed by scripts/setup.sh) is
  // always there; a GPU's driver may come first.
  Runtime runtime("vulkan");
  char name[256];
  REQUIRE_OK(strata_device_get_option(runtime.device.get(), "name", name,
                                      sizeof(name)));
  CHECK(std::strlen(name) > 0);
  Owned<strata_module_t> module;
  artifact::ArtifactSpec spec = testing::addModel();
  spec.devices[0].target = "vulkan";
  CHECK(runtime.load(spec, &module) ==
        "executable 0: format 'elf-x86_64-so' is not supported by the vulkan "
        "device (supported: spirv)");
  spec.executables[0].format = "spirv";
  CHECK(runtime.load(spec, &module).rfind(
            "executable 0: blob is not a SPIR-V module", 0) == 0);
  // A SPIR-V 1.3 header, then a capability this runtime does not know.
  spec.blobs[0] = {0x03, 0x02, 0x23, 0x07, 0x00, 0x03, 0x01, 0x00, 0, 0,
                   0,    0,    1,    0,    0,    0,    0,    0,    0, 0};
  spec.executables[0].processor = "desktop";
  spec.executables[0].features = {"RayTracingKHR"};
  CHECK(runtime.load(spec, &module) ==
        "executable 0: the artifact (built for "
        "--target-option=vulkan-target=desktop) needs the SPIR-V capability "
        "'RayTracingKHR', which this runtime cannot check");
  spec.executables[0].features = {"Shader"};
  spec.executables[0].kernels[0].workgroupSize[0] = 1u << 20;
  CHECK(runtime.load(spec, &module).rfind(
            "executable 0: kernel 'add': workgroup size 1048576 in dimension "
            "0 exceeds the device's limit of ",
            0) == 0);
  // Every Vulkan device's limit is below 2^16 invocations per workgroup.
  spec.executables[0].kernels[0].workgroupSize[0] = 256;
  spec.executables[0].kernels[0].workgroupSize[1] = 256;
  CHECK(runtime.load(spec, &module).rfind(
            "executable 0: kernel 'add': 65536 invocations per workgroup "
            "exceed the device's limit of ",
            0) == 0);
  spec.executables[0].kernels[0].workgroupSize[1] = 1;
  spec.executables[0].kernels[0].sharedMemory = 1u << 30;
  CHECK(runtime.load(spec, &module).rfind(
            "executable 0: kernel 'add': 1073741824 bytes of workgroup memory "
            "exceed the device's ",
            0) == 0);
}

TEST_CASE("the systolic device runs a program and counts its cycles",
          "[runtime]") {
  Runtime runtime("systolic");
  Owned<strata_module_t> module = runtime.mustLoad(systolicModel(""));
  std::vector<float> a(30), b(42);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = float(i % 7) - 3;
  for (size_t i = 0; i < b.size(); ++i)
    b[i] = float(i % 5) * 0.5f;
  Owned<strata_buffer_view_t> av = wrap(STRATA_DTYPE_F32, {5, 6}, a.data(),
                                        a.size() * 4),
                              bv = wrap(STRATA_DTYPE_F32, {6, 7}, b.data(),
                                        b.size() * 4);
  strata_buffer_view_t *inputs[] = {av.get(), bv.get()};
  strata_buffer_view_t *outputs[] = {nullptr};
  REQUIRE_OK(
      strata_module_invoke(module.get(), "matmul", inputs, 2, outputs, 1));
  Owned<strata_buffer_view_t> y(outputs[0]);
  const float *got = floats(y.get());
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 7; ++j) {
      float want = 0;
      for (int p = 0; p < 6; ++p)
        want += a[i * 6 + p] * b[p * 7 + j];
      CHECK(got[i * 7 + j] == want);
    }
  std::map<std::string, uint64_t> counted = stats(runtime.device.get());
  // One chain: 6 operands streamed, then 8 + 8 - 2 cycles of drain; the
  // ideal memory of the recorded configuration moves data in no time.
  CHECK(counted["systolic_cycles"] == 6 + 14);
  CHECK(counted["systolic_compute_cycles"] == 6 + 14);
  CHECK(counted["systolic_macs"] == 5 * 6 * 7);
  CHECK(counted["systolic_dram_read_bytes"] == 120 + 168);
  CHECK(counted["systolic_dram_write_bytes"] == 140);

  // The host's layers join the summary in step order, apart from the
  // array's layer of the same name.
  const char *hostLayers =
      "[{\"label\": \"step 0 (dispatch 'matmul')\", \"device\": \"cpu\", "
      "\"us\": 1500}, {\"label\": \"step 7 (dispatch 'pool')\", "
      "\"device\": \"cpu\", \"us\": 250}, {\"label\": \"step 7 (dispatch "
      "'pool')\", \"device\": \"cpu\", \"us\": 250}]";
  REQUIRE_OK(strata_device_set_option(runtime.device.get(), "host-layers",
                                      hostLayers));
  std::vector<char> summary(1 << 14);
  REQUIRE_OK(strata_device_get_option(runtime.device.get(), "summary",
                                      summary.data(), summary.size()));
  std::string table = summary.data();
  INFO(table);
  size_t host = table.find("\nmatmul            -  on cpu, 1.500 ms wall "
                           "time\n"),
         pool = table.find("\npool              -  on cpu, 0.500 ms wall "
                           "time\n");
  CHECK(host != std::string::npos);
  CHECK(pool != std::string::npos);
  CHECK(host < pool);
  CHECK(table.find(", and 2.000 ms of wall time on the host (2 layers)\n") !=
        std::string::npos);
  for (const char *bad :
       {"{}", "[{\"label\": \"x\", \"device\": \"\", \"us\": 1}]",
        "[{\"label\": \"x\", \"device\": \"cpu\", \"us\": -1}]", "[1"})
    CHECK(message(strata_device_set_option(runtime.device.get(), "host-layers",
                                           bad)) ==
          std::string("option 'host-layers': expected a JSON array of "
                      "{\"label\": string, \"device\": name, \"us\": "
                      "unsigned}, not '") +
              bad + "'");
}

TEST_CASE("the systolic device refuses programs it cannot run", "[runtime]") {
  Runtime runtime("systolic");
  Owned<strata_module_t> module;
  CHECK(runtime.load(systolicModel("corrupt"), &module) ==
        "executable 0: not a systolic program (bad magic or truncated "
        "header)");

  char path[] = "/tmp/strata-systolic-test-XXXXXX";
  int fd = mkstemp(path);
  REQUIRE(fd >= 0);
  close(fd);
  std::string cfg = path;
  {
    FILE *f = std::fopen(cfg.c_str(), "w");
    std::fputs("[architecture_presets]\nArrayHeight: 16\nArrayWidth: 16\n"
               "IfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\n"
               "Dataflow: os\n",
               f);
    std::fclose(f);
  }
  REQUIRE_OK(
      strata_device_set_option(runtime.device.get(), "config", cfg.c_str()));
  CHECK(runtime.load(systolicModel(""), &module) ==
        "executable 0: the program was compiled for a 8x8 array, not the "
        "16x16 one configured (" +
            cfg + ")");
  CHECK(message(strata_device_set_option(runtime.device.get(), "config",
                                         "/nonexistent.cfg")) ==
        "option 'config': /nonexistent.cfg: cannot open the array "
        "configuration");
  std::remove(cfg.c_str());
}
