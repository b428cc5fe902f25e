//===- strata-run.cpp - run a function of a .strata artifact --------------===//
//
//   strata-run MODEL.strata [--device=cpu[,null...]] [--function=NAME]
//              [--input=2x3xf32=1,2,3,4,5,6 | --input=@x.npy | @x.pb]...
//              [--output=@y.npy | @y.pb | --output=-]...
//              [--expected-output=@ref.npy | @ref.pb | LITERAL]...
//              [--rtol=R] [--atol=A] [--benchmark=N] [--threads=N]
//              [--device-option=KEY=VALUE]... [--stats] [--trace=FILE.json]
//              [--quiet]
//   strata-run --compare-devices=cpu,vulkan A.strata B.strata [--input=...]...
//
// Runs models through the runtime's C API (runtime/include/strata/runtime.h)
// alone, which checks inputs against the manifest and says expected vs.
// got; StrataArtifact only writes output files atomically.
// Errors go to stderr as "strata-run: error: ..." with exit status 1.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/Artifact.h"
#include "runtime/tensors/HostTensor.h"

#include "strata/runtime.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <unistd.h>

using namespace strata;
using namespace strata::host;

namespace {

const char kUsage[] =
    "usage: strata-run MODEL.strata [options]\n"
    "\n"
    "Runs a function of a .strata artifact.\n"
    "\n"
    "  --device=NAME[,NAME...]  device to run on (default: the target the\n"
    "                           artifact was compiled for); one name per\n"
    "                           device of a multi-device artifact, in its\n"
    "                           order, or one for all of them\n"
    "  --device-option=KEY=VAL  set an option on every device\n"
    "  --function=NAME          function to run (default: the only one)\n"
    "  --input=VALUE            one per input, in order: a literal such as\n"
    "                           2x3xf32=1,2,3,4,5,6 or f32=1, @FILE.npy or\n"
    "                           @FILE.pb (ONNX TensorProto)\n"
    "  --output=@FILE.npy|@FILE.pb|-\n"
    "                           one per output, in order: write a .npy file,\n"
    "                           an ONNX TensorProto (bf16 too), or print to\n"
    "                           stdout (default: print all)\n"
    "  --expected-output=VALUE  one per output: compare with a reference\n"
    "                           (same forms as --input)\n"
    "  --rtol=R, --atol=A       tolerances for float outputs: |got - exp| <=\n"
    "                           atol + rtol * |exp| (default 1e-5, 1e-6)\n"
    "  --benchmark=N            time N runs after a warm-up run\n"
    "  --threads=N              cpu threads (default: STRATA_CPU_THREADS or\n"
    "                           all hardware threads)\n"
    "  --random-inputs[=SEED]   fill every input with seeded random data\n"
    "                           (floats in [-1, 1), integers in [-8, 8))\n"
    "  --report=DIR             systolic: write report.json and SCALE-Sim's\n"
    "                           COMPUTE_REPORT.csv of the run into DIR\n"
    "  --systolic-config=FILE   the systolic device's array (SCALE-Sim .cfg\n"
    "                           or JSON; default: the one the artifact\n"
    "                           recorded)\n"
    "  --stats                  print each device's counters after the runs\n"
    "  --trace=FILE.json        write every command the devices ran as a\n"
    "                           Chrome trace (chrome://tracing, Perfetto)\n"
    "  --quiet                  print only what was asked for\n"
    "  --compare-devices=A,B    run MODEL on device A and a second model\n"
    "                           (the same one compiled for B) on device B\n"
    "                           from the same inputs, compare every step's\n"
    "                           results and name the first that differs\n"
    "                           beyond its dtype's tolerance\n";

struct Options {
  std::string model;
  /// --compare-devices: the two devices, and the second model.
  std::vector<std::string> compareDevices;
  std::string otherModel;
  bool tolerancesGiven = false;
  /// Empty: the targets the artifact names, one per slot.
  std::vector<std::string> devices;
  std::vector<std::pair<std::string, std::string>> deviceOptions;
  std::string function;
  std::vector<std::string> inputs, outputs, expected;
  double rtol = 1e-5, atol = 1e-6;
  uint64_t benchmark = 0;
  uint32_t threads = 0;
  std::string systolicConfig, reportDir;
  bool randomInputs = false;
  uint64_t randomSeed = 0;
  bool quiet = false;
  bool stats = false;
  std::string trace;
};

/// The comma-separated names in `text`.
std::vector<std::string> splitNames(const std::string &text) {
  std::vector<std::string> names;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    names.push_back(text.substr(start, comma - start));
    if (comma == std::string::npos)
      return names;
    start = comma + 1;
  }
}

/// A message for stderr, with extra lines kept as they are.
int fail(const std::string &message) {
  std::fprintf(stderr, "strata-run: error: %s\n", message.c_str());
  return 1;
}

/// Takes the message out of `status`; true if there was one.
bool failed(strata_status_t status, std::string *message) {
  if (!status)
    return false;
  *message = strata_status_message(status);
  strata_status_free(status);
  return true;
}

bool parseNumber(const std::string &flag, const std::string &text, double *out,
                 std::string *error) {
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(value >= 0)) {
    *error = flag + "='" + text + "' is not a non-negative number";
    return false;
  }
  *out = value;
  return true;
}

bool parseCount(const std::string &flag, const std::string &text, uint64_t max,
                uint64_t *out, std::string *error) {
  char *end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || text[0] == '-' || errno == ERANGE ||
      value == 0 || value > max) {
    *error = flag + "='" + text + "' is not an integer in [1, " +
             std::to_string(max) + "]";
    return false;
  }
  *out = value;
  return true;
}

bool parseOptions(int argc, char **argv, Options *options, std::string *error) {
  std::vector<std::string> models;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    size_t equals = arg.find('=');
    std::string flag = arg.substr(0, equals);
    std::string value =
        equals == std::string::npos ? "" : arg.substr(equals + 1);
    bool hasValue = equals != std::string::npos;
    uint64_t count;
    if (arg == "--quiet") {
      options->quiet = true;
    } else if (arg == "--stats") {
      options->stats = true;
    } else if (arg == "--random-inputs") {
      options->randomInputs = true;
    } else if (arg.empty() || arg[0] != '-' || arg == "-") {
      models.push_back(arg);
    } else if (!hasValue) {
      *error = "unknown option '" + arg + "'";
      return false;
    } else if (flag == "--device") {
      options->devices = splitNames(value);
    } else if (flag == "--compare-devices") {
      options->compareDevices = splitNames(value);
      if (options->compareDevices.size() != 2) {
        *error = "--compare-devices='" + value + "' does not name two devices";
        return false;
      }
    } else if (flag == "--trace") {
      options->trace = value;
    } else if (flag == "--device-option") {
      size_t split = value.find('=');
      if (split == std::string::npos || split == 0) {
        *error = "--device-option='" + value + "' is not KEY=VALUE";
        return false;
      }
      options->deviceOptions.push_back(
          {value.substr(0, split), value.substr(split + 1)});
    } else if (flag == "--function") {
      options->function = value;
    } else if (flag == "--input") {
      options->inputs.push_back(value);
    } else if (flag == "--output") {
      options->outputs.push_back(value);
    } else if (flag == "--expected-output") {
      options->expected.push_back(value);
    } else if (flag == "--rtol") {
      if (!parseNumber(flag, value, &options->rtol, error))
        return false;
      options->tolerancesGiven = true;
    } else if (flag == "--atol") {
      if (!parseNumber(flag, value, &options->atol, error))
        return false;
      options->tolerancesGiven = true;
    } else if (flag == "--benchmark") {
      if (!parseCount(flag, value, 1000000, &options->benchmark, error))
        return false;
    } else if (flag == "--random-inputs") {
      options->randomInputs = true;
      if (hasValue &&
          !parseCount(flag, value, UINT32_MAX, &options->randomSeed, error))
        return false;
    } else if (flag == "--report") {
      options->reportDir = value;
    } else if (flag == "--systolic-config") {
      options->systolicConfig = value;
    } else if (flag == "--threads") {
      if (!parseCount(flag, value, 4096, &count, error))
        return false;
      options->threads = static_cast<uint32_t>(count);
    } else {
      *error = "unknown option '" + flag + "'";
      return false;
    }
  }
  size_t wanted = options->compareDevices.empty() ? 1 : 2;
  if (models.empty()) {
    *error = "no model given (see --help)";
    return false;
  }
  if (models.size() != wanted) {
    *error = wanted == 1 ? "more than one model given ('" + models[0] +
                               "', '" + models[1] + "')"
                         : "--compare-devices needs two models, one per "
                           "device, got " +
                               std::to_string(models.size());
    return false;
  }
  options->model = models[0];
  if (wanted == 2)
    options->otherModel = models[1];
  return true;
}

/// The function to run: --function, or the module's only one.
bool chooseFunction(const strata_module_t *module, const std::string &name,
                    size_t *index, std::string *error) {
  size_t count = strata_module_function_count(module);
  std::string names;
  for (size_t i = 0; i < count; ++i) {
    std::string functionName = strata_module_function_name(module, i);
    names += (i ? ", " : "") + functionName;
    if (functionName == name || (name.empty() && count == 1)) {
      *index = i;
      return true;
    }
  }
  *error = name.empty()
               ? "the model has " + std::to_string(count) + " functions (" +
                     names + "); choose one with --function"
               : "no function '" + name + "' in the model (" + names + ")";
  return false;
}

/// The name of output `index` for messages: "output 0 ('y')".
std::string outputName(const strata_module_t *module, size_t function,
                       size_t index) {
  strata_tensor_spec_t spec;
  std::string name;
  if (!failed(strata_module_output_spec(module, function, index, &spec), &name))
    name = spec.name;
  return "output " + std::to_string(index) + " ('" + name + "')";
}

HostTensor toHost(const strata_buffer_view_t *view) {
  HostTensor tensor;
  tensor.dtype = strata_buffer_view_dtype(view);
  for (size_t d = 0; d < strata_buffer_view_rank(view); ++d)
    tensor.shape.push_back(strata_buffer_view_dim(view, d));
  const auto *data =
      static_cast<const uint8_t *>(strata_buffer_view_data(view));
  tensor.bytes.assign(data, data + strata_buffer_view_byte_size(view));
  return tensor;
}

double milliseconds(std::chrono::steady_clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

/// Four significant digits, so microsecond kernels still show.
std::string formatMilliseconds(double ms) {
  char text[32];
  std::snprintf(text, sizeof(text), ms >= 1000 ? "%.0f" : "%.4g", ms);
  return text;
}

/// "device 0 (cpu): submissions=1 dispatches=2 ..." on stdout.
bool printStats(strata_device_t *device, size_t index, std::string *error) {
  size_t count = 0;
  if (failed(strata_device_query_stats(device, nullptr, 0, &count), error))
    return false;
  std::vector<strata_device_stat_t> stats(count);
  if (failed(strata_device_query_stats(device, stats.data(), count, &count),
             error))
    return false;
  std::printf("device %zu (%s):", index, strata_device_name(device));
  for (const strata_device_stat_t &stat : stats)
    std::printf(" %s=%llu", stat.name,
                static_cast<unsigned long long>(stat.value));
  std::printf("\n");
  return true;
}

/// Every device's trace as one Chrome trace file, a process per device.
bool writeTrace(const std::vector<strata_device_t *> &devices,
                const std::string &path, std::string *error) {
  std::string json = "{\"traceEvents\": [\n";
  for (size_t d = 0; d < devices.size(); ++d) {
    size_t size = 0;
    if (failed(strata_device_query_trace(devices[d], nullptr, 0, &size), error))
      return false;
    std::string events(size + 1, '\0');
    if (failed(strata_device_query_trace(devices[d], events.data(),
                                         events.size(), &size),
               error))
      return false;
    events.resize(size);
    // The runtime gives each event `"pid": 0, "tid": 0}` last; a quote in
    // a step's name is escaped, so the pattern occurs nowhere else.
    const std::string mark = ", \"pid\": 0, \"tid\": 0}";
    const std::string pid = ", \"pid\": " + std::to_string(d) + ", \"tid\": 0}";
    for (size_t at = events.find(mark); at != std::string::npos;
         at = events.find(mark, at + pid.size()))
      events.replace(at, mark.size(), pid);
    json += std::string(d ? ",\n" : "") + "{\"name\": \"process_name\", " +
            "\"ph\": \"M\", \"pid\": " + std::to_string(d) +
            ", \"args\": {\"name\": \"device " + std::to_string(d) + " (" +
            strata_device_name(devices[d]) + ")\"}}";
    // Drop the array's brackets; an empty trace adds nothing.
    if (events.size() > 2)
      json += ",\n" + events.substr(1, events.size() - 2);
  }
  json += "\n]}\n";
  return artifact::writeFileAtomically(
      path, std::vector<uint8_t>(json.begin(), json.end()), error);
}

/// Beside a systolic device, the steps the other devices ran (an
/// accelerator's host fallback), from their traces, go to the systolic
/// device: its summary and report then say where each layer ran and the
/// host's wall time.
bool reportHostSteps(const std::vector<strata_device_t *> &devices,
                     std::string *error) {
  auto isSystolic = [](strata_device_t *d) {
    return std::strcmp(strata_device_name(d), "systolic") == 0;
  };
  auto systolic = std::find_if(devices.begin(), devices.end(), isSystolic);
  if (systolic == devices.end())
    return true;
  nlohmann::json steps = nlohmann::json::array();
  for (strata_device_t *device : devices) {
    if (isSystolic(device))
      continue;
    size_t size = 0;
    strata_status_t status =
        strata_device_query_trace(device, nullptr, 0, &size);
    std::string text(size + 1, '\0');
    if (!status)
      status =
          strata_device_query_trace(device, text.data(), text.size(), &size);
    if (status) {
      strata_status_free(status);
      continue;
    }
    text.resize(size);
    nlohmann::json events = nlohmann::json::parse(text, nullptr, false);
    if (!events.is_array())
      continue;
    for (const nlohmann::json &e : events)
      if (e.value("cat", "") == "dispatch")
        steps.push_back({{"label", e.value("name", "")},
                         {"device", strata_device_name(device)},
                         {"us", e.value("dur", uint64_t(0))}});
  }
  return !failed(
      strata_device_set_option(*systolic, "host-layers", steps.dump().c_str()),
      error);
}

/// A model loaded on its devices, which it keeps.
struct LoadedModel {
  std::vector<Owned<strata_device_t>> devices;
  std::vector<strata_device_t *> devicePointers;
  Owned<strata_module_t> module;
};

/// The target of each device slot of the artifact at `path`; "cpu" where
/// it cannot be read (loading it then says why).
std::vector<std::string> artifactTargets(const std::string &path) {
  std::vector<uint8_t> bytes;
  if (FILE *file = std::fopen(path.c_str(), "rb")) {
    uint8_t chunk[65536];
    size_t got;
    while ((got = std::fread(chunk, 1, sizeof(chunk), file)) > 0)
      bytes.insert(bytes.end(), chunk, chunk + got);
    std::fclose(file);
  }
  artifact::ArtifactSpec spec;
  std::vector<artifact::BlobView> blobs;
  std::string error;
  std::vector<std::string> names;
  if (artifact::parseView(bytes.data(), bytes.size(), &spec, &blobs, &error))
    for (const artifact::DeviceSpec &device : spec.devices)
      names.push_back(device.target);
  if (names.empty())
    names.push_back("cpu");
  return names;
}

/// Creates the devices called `names` with the options' settings and loads
/// the model at `path` on them.
bool loadModel(strata_instance_t *instance,
               const std::vector<std::string> &names, const std::string &path,
               const Options &options, LoadedModel *out, std::string *error) {
  for (const std::string &name : names) {
    std::vector<std::pair<std::string, std::string>> settings =
        options.deviceOptions;
    if (options.threads && name == "cpu")
      settings.push_back({"threads", std::to_string(options.threads)});
    if (!options.systolicConfig.empty() && name == "systolic")
      settings.push_back({"config", options.systolicConfig});
    if (!options.reportDir.empty() && name == "systolic")
      settings.push_back({"report", options.reportDir});
    // Beside the array, the host's steps are traced for their times.
    bool beside = name != "systolic" && std::find(names.begin(), names.end(),
                                                  "systolic") != names.end();
    if (!options.trace.empty() || beside)
      settings.push_back({"trace", "1"});
    std::vector<strata_device_option_t> list;
    for (const auto &[key, value] : settings)
      list.push_back({key.c_str(), value.c_str()});
    strata_device_options_t deviceOptions;
    strata_device_options_init(&deviceOptions);
    deviceOptions.options = list.data();
    deviceOptions.option_count = list.size();
    strata_device_t *rawDevice = nullptr;
    if (failed(strata_device_create_with_options(instance, name.c_str(),
                                                 &deviceOptions, &rawDevice),
               error))
      return false;
    out->devices.emplace_back(rawDevice);
    out->devicePointers.push_back(rawDevice);
  }
  strata_module_load_options_t loadOptions;
  strata_module_load_options_init(&loadOptions);
  loadOptions.devices = out->devicePointers.data();
  loadOptions.device_count = out->devicePointers.size();
  strata_module_t *rawModule = nullptr;
  if (failed(strata_module_load_file_with_options(&loadOptions, path.c_str(),
                                                  &rawModule),
             error))
    return false;
  out->module.reset(rawModule);
  return true;
}

/// Fills every input of `function` with data from a generator seeded with
/// `seed`, so that runs repeat.
bool randomInputs(strata_module_t *module, size_t function, uint64_t seed,
                  std::vector<Owned<strata_buffer_view_t>> *views,
                  std::vector<strata_buffer_view_t *> *pointers,
                  std::string *error) {
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < strata_module_input_count(module, function); ++i) {
    strata_tensor_spec_t spec;
    strata_buffer_view_t *view = nullptr;
    if (failed(strata_module_input_spec(module, function, i, &spec), error) ||
        failed(strata_buffer_view_allocate(spec.dtype, spec.dims, spec.rank,
                                           &view),
               error))
      return false;
    views->emplace_back(view);
    pointers->push_back(view);
    size_t count = 1;
    for (size_t d = 0; d < spec.rank; ++d)
      count *= size_t(spec.dims[d]);
    void *data = strata_buffer_view_data(view);
    std::uniform_real_distribution<double> real(-1, 1);
    std::uniform_int_distribution<int> small(-8, 7);
    for (size_t e = 0; e < count; ++e) {
      switch (spec.dtype) {
      case STRATA_DTYPE_F32:
        static_cast<float *>(data)[e] = float(real(rng));
        break;
      case STRATA_DTYPE_F64:
        static_cast<double *>(data)[e] = real(rng);
        break;
      case STRATA_DTYPE_BF16:
        static_cast<uint16_t *>(data)[e] = floatToBf16(float(real(rng)));
        break;
      case STRATA_DTYPE_F16:
        static_cast<uint16_t *>(data)[e] = floatToHalf(float(real(rng)));
        break;
      case STRATA_DTYPE_I8:
        static_cast<int8_t *>(data)[e] = int8_t(small(rng));
        break;
      case STRATA_DTYPE_I32:
        static_cast<int32_t *>(data)[e] = small(rng);
        break;
      case STRATA_DTYPE_I64:
        static_cast<int64_t *>(data)[e] = small(rng);
        break;
      default:
        *error = std::string("--random-inputs: input ") + std::to_string(i) +
                 " ('" + spec.name + "') is " + strata_dtype_name(spec.dtype) +
                 "; random data comes in f32, f64, bf16, f16, i8, i32 and "
                 "i64";
        return false;
      }
    }
  }
  return true;
}

/// Reads --input values into runtime-allocated views (aligned, so runs
/// need no staging copy).
bool readInputs(const Options &options,
                std::vector<Owned<strata_buffer_view_t>> *views,
                std::vector<strata_buffer_view_t *> *pointers,
                std::string *error) {
  for (size_t i = 0; i < options.inputs.size(); ++i) {
    HostTensor input;
    std::string message;
    strata_buffer_view_t *view = nullptr;
    if (!readTensorArgument(options.inputs[i], &input, &message) ||
        failed(strata_buffer_view_allocate(input.dtype, input.shape.data(),
                                           input.shape.size(), &view),
               &message)) {
      *error = "--input " + std::to_string(i) + ": " + message;
      return false;
    }
    views->emplace_back(view);
    pointers->push_back(view);
    if (!input.bytes.empty())
      std::memcpy(strata_buffer_view_data(view), input.bytes.data(),
                  input.bytes.size());
  }
  return true;
}

/// The inputs of `function`: random with --random-inputs, else --input's.
bool makeInputs(strata_module_t *module, size_t function,
                const Options &options,
                std::vector<Owned<strata_buffer_view_t>> *views,
                std::vector<strata_buffer_view_t *> *pointers,
                std::string *error) {
  if (!options.randomInputs)
    return readInputs(options, views, pointers, error);
  if (!options.inputs.empty()) {
    *error = "--random-inputs and --input both give the inputs";
    return false;
  }
  return randomInputs(module, function, options.randomSeed, views, pointers,
                      error);
}

int runModel(const Options &options) {
  std::string error;
  strata_instance_t *rawInstance = nullptr;
  if (failed(strata_instance_create(&rawInstance), &error))
    return fail(error);
  Owned<strata_instance_t> instance(rawInstance);
  LoadedModel loaded;
  std::vector<std::string> names = options.devices;
  if (names.empty())
    names = artifactTargets(options.model);
  if (!loadModel(instance.get(), names, options.model, options, &loaded,
                 &error))
    return fail(error);
  std::vector<Owned<strata_device_t>> &devices = loaded.devices;
  std::vector<strata_device_t *> &devicePointers = loaded.devicePointers;
  Owned<strata_module_t> &module = loaded.module;
  size_t function;
  if (!chooseFunction(module.get(), options.function, &function, &error))
    return fail(error);
  const char *functionName =
      strata_module_function_name(module.get(), function);
  size_t outputCount = strata_module_output_count(module.get(), function);
  if (!options.outputs.empty() && options.outputs.size() != outputCount)
    return fail("expected " + std::to_string(outputCount) +
                " --output flags (one per output), got " +
                std::to_string(options.outputs.size()));
  if (!options.expected.empty() && options.expected.size() != outputCount)
    return fail("expected " + std::to_string(outputCount) +
                " --expected-output flags (one per output), got " +
                std::to_string(options.expected.size()));
  for (size_t i = 0; i < options.outputs.size(); ++i) {
    const std::string &output = options.outputs[i];
    auto endsWith = [&](const char *suffix) {
      size_t n = std::strlen(suffix);
      return output.size() > n &&
             output.compare(output.size() - n, n, suffix) == 0;
    };
    if (output != "-" &&
        (output[0] != '@' || !(endsWith(".npy") || endsWith(".pb"))))
      return fail("--output " + std::to_string(i) + ": '" + output +
                  "' is neither @FILE.npy, @FILE.pb nor -");
  }

  // Read every file before running, so a bad one fails fast.
  std::vector<Owned<strata_buffer_view_t>> inputViews;
  std::vector<strata_buffer_view_t *> inputPointers;
  if (!makeInputs(module.get(), function, options, &inputViews, &inputPointers,
                  &error))
    return fail(error);
  std::vector<HostTensor> expected(options.expected.size());
  for (size_t i = 0; i < expected.size(); ++i)
    if (!readTensorArgument(options.expected[i], &expected[i], &error))
      return fail("--expected-output " + std::to_string(i) + ": " + error);

  // The first run makes the output views; later runs write into them.
  std::vector<strata_buffer_view_t *> outputPointers(outputCount, nullptr);
  auto invoke = [&] {
    return strata_module_invoke(module.get(), functionName,
                                inputPointers.data(), inputPointers.size(),
                                outputPointers.data(), outputPointers.size());
  };
  strata_status_t status = invoke();
  std::vector<Owned<strata_buffer_view_t>> outputViews;
  for (strata_buffer_view_t *view : outputPointers)
    outputViews.emplace_back(view);
  if (failed(status, &error))
    return fail(error);

  if (options.benchmark) {
    bool progress = !options.quiet && ::isatty(STDERR_FILENO);
    std::vector<double> times;
    for (uint64_t i = 0; i < options.benchmark; ++i) {
      auto start = std::chrono::steady_clock::now();
      if (failed(invoke(), &error))
        return fail(error);
      times.push_back(milliseconds(std::chrono::steady_clock::now() - start));
      if (progress)
        std::fprintf(stderr, "\rbenchmark: run %llu/%llu",
                     static_cast<unsigned long long>(i + 1),
                     static_cast<unsigned long long>(options.benchmark));
    }
    if (progress)
      std::fprintf(stderr, "\r\033[K");
    std::sort(times.begin(), times.end());
    size_t n = times.size();
    double median =
        n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    std::printf("median latency: %s ms over %zu runs (min %s ms, max %s "
                "ms)\n",
                formatMilliseconds(median).c_str(), n,
                formatMilliseconds(times.front()).c_str(),
                formatMilliseconds(times.back()).c_str());
  }

  for (size_t i = 0; i < options.outputs.size(); ++i) {
    HostTensor output = toHost(outputPointers[i]);
    if (options.outputs[i] == "-") {
      std::printf("%s\n", formatLiteral(output).c_str());
      continue;
    }
    std::vector<uint8_t> bytes;
    std::string path = options.outputs[i].substr(1);
    bool npy = path.size() > 4 && path.compare(path.size() - 4, 4, ".npy") == 0;
    if (!(npy ? encodeNpy(output, &bytes, &error)
              : encodeTensorProto(output, &bytes, &error)) ||
        !artifact::writeFileAtomically(path, bytes, &error))
      return fail(outputName(module.get(), function, i) + ": " + error);
  }
  // Outputs of random inputs are rarely worth a screenful.
  bool printAll = options.outputs.empty() && options.expected.empty() &&
                  !options.benchmark && !options.quiet && !options.randomInputs;
  for (size_t i = 0; printAll && i < outputCount; ++i)
    std::printf("%s: %s\n", outputName(module.get(), function, i).c_str(),
                formatLiteral(toHost(outputPointers[i])).c_str());

  if (options.stats)
    for (size_t d = 0; d < devices.size(); ++d)
      if (!printStats(devices[d].get(), d, &error))
        return fail(error);
  // A simulated device's per-layer table, with the steps its host ran.
  if (!reportHostSteps(devicePointers, &error))
    return fail(error);
  for (size_t d = 0; d < devices.size() && !options.quiet; ++d) {
    std::vector<char> summary(1 << 16);
    strata_status_t status;
    while ((status = strata_device_get_option(
                devices[d].get(), "summary", summary.data(), summary.size())) &&
           summary.size() < (size_t(1) << 26)) {
      strata_status_free(status);
      summary.resize(summary.size() * 4);
    }
    if (!status)
      std::printf("%s", summary.data());
    strata_status_free(status);
  }
  if (!options.trace.empty() &&
      !writeTrace(devicePointers, options.trace, &error))
    return fail("--trace: " + error);

  bool allMatch = true;
  for (size_t i = 0; i < expected.size(); ++i) {
    Comparison result = compare(toHost(outputPointers[i]), expected[i],
                                options.rtol, options.atol);
    std::string name = outputName(module.get(), function, i);
    if (!result.ok) {
      fail(name + ": " + result.report);
      allMatch = false;
    } else if (!options.quiet) {
      std::printf("%s: ok (max abs err %g)\n", name.c_str(),
                  result.maxAbsError);
    }
  }
  std::fflush(stdout);
  return allMatch ? 0 : 1;
}

/// What one step of an observed run computed.
struct StepResults {
  size_t step;
  std::string name, kind;
  std::vector<HostTensor> results;
};

void collectStep(void *user, const strata_step_result_t *result) {
  auto *steps = static_cast<std::vector<StepResults> *>(user);
  if (steps->empty() || steps->back().step != result->step)
    steps->push_back({result->step, result->step_name, result->kind, {}});
  steps->back().results.push_back(toHost(result->view));
}

/// Runs `path` on `device` with the inputs, step by step.
bool runObserved(strata_instance_t *instance, const std::string &device,
                 const std::string &path, const Options &options,
                 std::vector<StepResults> *steps, std::string *error) {
  LoadedModel loaded;
  size_t function;
  std::vector<Owned<strata_buffer_view_t>> inputViews;
  std::vector<strata_buffer_view_t *> inputPointers;
  if (!loadModel(instance, {device}, path, options, &loaded, error) ||
      !chooseFunction(loaded.module.get(), options.function, &function,
                      error) ||
      !makeInputs(loaded.module.get(), function, options, &inputViews,
                  &inputPointers, error))
    return false;
  size_t outputCount = strata_module_output_count(loaded.module.get(), function);
  std::vector<strata_buffer_view_t *> outputs(outputCount, nullptr);
  strata_status_t status = strata_module_invoke_observed(
      loaded.module.get(),
      strata_module_function_name(loaded.module.get(), function),
      inputPointers.data(), inputPointers.size(), outputs.data(),
      outputs.size(), collectStep, steps);
  for (strata_buffer_view_t *view : outputs)
    strata_buffer_view_release(view);
  return !failed(status, error);
}

/// The tolerance results of `dtype` are compared with across devices
/// (docs/runtime.md): sums in another order, fused or not, differ in the
/// last bits of each element and more where values cancel.
void deviceTolerance(strata_dtype_t dtype, double *rtol, double *atol) {
  switch (dtype) {
  case STRATA_DTYPE_F16:
  case STRATA_DTYPE_BF16:
    *rtol = 1e-2, *atol = 1e-3;
    return;
  case STRATA_DTYPE_F32:
    *rtol = 1e-4, *atol = 1e-5;
    return;
  case STRATA_DTYPE_F64:
    *rtol = 1e-9, *atol = 1e-12;
    return;
  default:
    *rtol = 0, *atol = 0;
  }
}

/// Whether two steps' results are alike in number, dtypes and element
/// counts: the same values, maybe in another shape.
bool sameResultTypes(const std::vector<HostTensor> &a,
                     const std::vector<HostTensor> &b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const HostTensor &x, const HostTensor &y) {
                      uint64_t xCount = 0, yCount = 0;
                      return x.dtype == y.dtype &&
                             elementCount(x.shape, &xCount) &&
                             elementCount(y.shape, &yCount) && xCount == yCount;
                    });
}

/// --compare-devices: both models step by step, compared in the order of
/// the first one's steps; the first step whose results differ beyond their
/// dtype's tolerance is named, with its errors.
int compareDevices(const Options &options) {
  std::string error;
  strata_instance_t *rawInstance = nullptr;
  if (failed(strata_instance_create(&rawInstance), &error))
    return fail(error);
  Owned<strata_instance_t> instance(rawInstance);
  const std::string &a = options.compareDevices[0];
  const std::string &b = options.compareDevices[1];
  std::vector<StepResults> first, second;
  if (!runObserved(instance.get(), a, options.model, options, &first, &error))
    return fail(a + ": " + error);
  if (!runObserved(instance.get(), b, options.otherModel, options, &second,
                   &error))
    return fail(b + ": " + error);
  if (first.empty())
    return fail("the model on " + a + " has no steps; nothing to compare");
  // Steps pair up by name. A target's own global optimizations may split
  // a layer into several steps of its name, each before the step that
  // computes the layer (the cpu widens f16 operands, packs a matmul's
  // operands, gathers a convolution's im2col), so the steps of a name
  // pair from the last: each with the latest step of its name on the
  // other side, before its successor's twin, whose results have the same
  // types (dtypes and element counts).
  std::map<std::string, std::vector<size_t>> firstByName, secondByName;
  for (size_t i = 0; i < first.size(); ++i)
    firstByName[first[i].name].push_back(i);
  for (size_t i = 0; i < second.size(); ++i)
    secondByName[second[i].name].push_back(i);
  std::vector<const StepResults *> twinOf(first.size(), nullptr);
  for (const auto &[name, steps] : firstByName) {
    const std::vector<size_t> &others = secondByName[name];
    size_t candidates = others.size();
    for (auto s = steps.rbegin(); s != steps.rend(); ++s)
      for (size_t j = candidates; j-- > 0;)
        if (sameResultTypes(first[*s].results, second[others[j]].results)) {
          twinOf[*s] = &second[others[j]];
          candidates = j;
          break;
        }
  }
  size_t compared = 0;
  for (size_t i = 0; i < first.size(); ++i) {
    const StepResults &step = first[i];
    std::string label = "step " + std::to_string(step.step) + " '" +
                        step.name + "' (" + step.kind + ")";
    if (!twinOf[i]) {
      if (!options.quiet)
        std::printf("%s: no step of its name on %s%s; skipped\n", label.c_str(),
                    b.c_str(),
                    secondByName[step.name].empty()
                        ? ""
                        : " with results of its types is left to pair");
      continue;
    }
    const StepResults &other = *twinOf[i];
    ++compared;
    double maxAbs = 0, maxRel = 0;
    for (size_t r = 0; r < step.results.size(); ++r) {
      const HostTensor &want = step.results[r];
      double rtol = options.rtol, atol = options.atol;
      if (!options.tolerancesGiven)
        deviceTolerance(want.dtype, &rtol, &atol);
      // A target may keep a step's result in another shape of the same
      // elements in the same order (the cpu writes a packed contraction's
      // M x N result as [M/8][8][N/32][32]); compare it in `want`'s shape.
      const HostTensor *got = &other.results[r];
      HostTensor reshaped;
      if (got->shape != want.shape) {
        reshaped = *got;
        reshaped.shape = want.shape;
        got = &reshaped;
      }
      Comparison result = compare(*got, want, rtol, atol);
      maxAbs = std::max(maxAbs, result.maxAbsError);
      maxRel = std::max(maxRel, result.maxRelError);
      if (!result.ok) {
        std::printf("%s: result %zu (%s) differs between %s and %s "
                    "(rtol %g, atol %g): %s\n",
                    label.c_str(), r,
                    typeString(want.dtype, want.shape).c_str(), a.c_str(),
                    b.c_str(), rtol, atol, result.report.c_str());
        std::fflush(stdout);
        char errors[96];
        std::snprintf(errors, sizeof(errors), "max abs err %g, max rel err %g",
                      result.maxAbsError, result.maxRelError);
        return fail("first divergence at " + label + ", result " +
                    std::to_string(r) + " (" +
                    typeString(want.dtype, want.shape) + "): " + errors);
      }
    }
    if (!options.quiet)
      std::printf("%s: ok (max abs err %g, max rel err %g)\n", label.c_str(),
                  maxAbs, maxRel);
  }
  std::fflush(stdout);
  if (compared == 0)
    return fail("no step of the model on " + a + " has a twin on " + b +
                " (a step of the same name with results of the same types); "
                "nothing was compared");
  std::printf("%zu steps agree between %s and %s\n", compared, a.c_str(),
              b.c_str());
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--help") == 0 ||
        std::strcmp(argv[i], "-h") == 0) {
      std::fputs(kUsage, stdout);
      return 0;
    }
  Options options;
  std::string error;
  if (!parseOptions(argc, argv, &options, &error))
    return fail(error);
  return options.compareDevices.empty() ? runModel(options)
                                        : compareDevices(options);
}
