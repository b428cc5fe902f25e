//===- SystolicDevice.cpp - the systolic-array simulator as a device ------===//

#include "runtime/devices/systolic/SystolicDevice.h"
#include "runtime/devices/cpu/HostMemory.h"
#include "runtime/devices/systolic/sim/Report.h"
#include "runtime/devices/systolic/sim/Simulator.h"
#include "runtime/src/Status.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>

namespace strata::runtime {

namespace {

using systolic::formatSummary;
using systolic::RunStats;
using systolic::writeReports;

strata_status_t unsupported(const std::string &message) {
  return makeStatus(STRATA_STATUS_UNSUPPORTED, message);
}

struct SystolicExecutable : Executable {
  systolic::Program program;
  /// program.kernels' index for each of the spec's kernels.
  std::vector<size_t> kernels;
  std::unique_ptr<systolic::Simulator> simulator;
};

class SystolicDevice;

class SystolicCommandBuffer : public HostCommandBuffer {
public:
  explicit SystolicCommandBuffer(SystolicDevice &device);
  strata_status_t dispatch(Executable &executable, uint32_t kernel,
                           const uint32_t workgroups[3],
                           const std::vector<Binding> &bindings,
                           const std::vector<uint32_t> &pushConstants,
                           const std::string &label) override;

private:
  SystolicDevice &device;
};

class SystolicDevice : public HostMemoryDevice {
public:
  const char *name() const override { return "systolic"; }

  strata_status_t setOption(const std::string &key,
                            const std::string &value) override {
    if (key == "report") {
      reportDir = value;
      return nullptr;
    }
    if (key == "host-layers")
      return setHostLayers(value);
    if (key != "config")
      return Device::setOption(key, value);
    systolic::Config parsed;
    if (std::string error = systolic::loadConfig(value, &parsed);
        !error.empty())
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                        "option 'config': " + error);
    config = parsed;
    configPath = value;
    return nullptr;
  }

  strata_status_t getOption(const std::string &key,
                            std::string *value) const override {
    if (key == "summary") {
      *value = formatSummary(layerReports(), clockMHz);
      return nullptr;
    }
    if (key == "report") {
      *value = reportDir;
      return nullptr;
    }
    if (key != "config")
      return Device::getOption(key, value);
    *value = configPath;
    return nullptr;
  }

  Stats stats() const override {
    return {{"systolic_cycles", totals.cycles},
            {"systolic_compute_cycles", totals.computeCycles},
            {"systolic_stall_cycles", totals.cycles - totals.computeCycles},
            {"systolic_macs", totals.macs},
            {"systolic_dram_read_bytes", totals.dramReadBytes},
            {"systolic_dram_write_bytes", totals.dramWriteBytes}};
  }
  void resetStats() override {
    totals = RunStats();
    runs.clear();
    hostRuns.clear();
  }

  size_t maxPushConstants() const override { return 0; }

  strata_status_t loadExecutable(const artifact::ExecutableSpec &spec,
                                 const uint8_t *blob, size_t size,
                                 std::unique_ptr<Executable> *out) override {
    if (strata_status_t status = checkFormat(spec, "systolic-program"))
      return status;
    auto exe = std::make_unique<SystolicExecutable>();
    if (std::string error = systolic::decodeProgram(blob, size, &exe->program);
        !error.empty())
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT, error);
    const systolic::Config &use = config ? *config : exe->program.config;
    if (std::string error = systolic::checkProgramFits(exe->program, use);
        !error.empty())
      return unsupported(error + " (" + use.source + ")");
    for (const artifact::KernelSpec &kernel : spec.kernels) {
      const uint32_t *wg = kernel.workgroupSize;
      if (wg[0] != 1 || wg[1] != 1 || wg[2] != 1)
        return unsupported("kernel '" + kernel.name +
                           "': a systolic program runs as one 1x1x1 workgroup");
      size_t index = 0;
      while (index < exe->program.kernels.size() &&
             exe->program.kernels[index].name != kernel.symbol)
        ++index;
      if (index == exe->program.kernels.size())
        return unsupported("kernel '" + kernel.name + "': program '" +
                           kernel.symbol + "' is not in the blob");
      if (std::string error =
              systolic::checkKernel(exe->program, exe->program.kernels[index],
                                    uint32_t(kernel.bindings.size()));
          !error.empty())
        return makeStatus(STRATA_STATUS_INVALID_ARGUMENT, error);
      exe->kernels.push_back(index);
    }
    exe->simulator = std::make_unique<systolic::Simulator>(use);
    *out = std::move(exe);
    return nullptr;
  }

  strata_status_t
  createCommandBuffer(std::unique_ptr<CommandBuffer> *out) override {
    *out = std::make_unique<SystolicCommandBuffer>(*this);
    return nullptr;
  }

  /// The dispatches since the counters were reset are the layers of the
  /// summary and of the report files, which each submission rewrites.
  strata_status_t submit(CommandBuffer &commands) override {
    if (strata_status_t status =
            static_cast<SystolicCommandBuffer &>(commands).run())
      return status;
    return rewriteReports();
  }

  /// The dispatches since the counters were reset, by layer: the step name
  /// in a label "step 3 (dispatch 'conv1')"; the dispatches of one name (a
  /// layer's padding, kernel and reshape, and the same layer in later runs)
  /// added up. The host's layers likewise, apart from the array's; all in
  /// the order of their first step.
  std::vector<systolic::LayerReport> layerReports() const {
    std::vector<systolic::LayerReport> layers;
    std::vector<size_t> firstStep;
    auto layerOf = [&](const std::string &label, const std::string &host) {
      size_t open = label.find('\''), close = label.rfind('\'');
      std::string name =
          open < close ? label.substr(open + 1, close - open - 1) : label;
      for (size_t i = 0; i < layers.size(); ++i)
        if (layers[i].name == name && layers[i].host == host)
          return &layers[i];
      unsigned long step = ~0ul;
      std::sscanf(label.c_str(), "step %lu", &step);
      firstStep.push_back(step);
      layers.push_back({name, {}, {}, host, 0});
      return &layers.back();
    };
    for (const Run &run : runs) {
      systolic::LayerReport &layer = *layerOf(run.label, "");
      for (systolic::TileEvent e : run.events) {
        e.start += layer.stats.cycles;
        e.end += layer.stats.cycles;
        layer.events.push_back(e);
      }
      layer.stats.add(run.stats);
    }
    for (const HostRun &run : hostRuns)
      layerOf(run.label, run.device)->hostMicros += run.micros;
    std::vector<size_t> order(layers.size());
    for (size_t i = 0; i < order.size(); ++i)
      order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return firstStep[a] < firstStep[b];
    });
    std::vector<systolic::LayerReport> sorted;
    for (size_t i : order)
      sorted.push_back(std::move(layers[i]));
    return sorted;
  }

  /// Runs one kernel's program (the command buffer traces it in wall time).
  strata_status_t run(SystolicExecutable &exe, uint32_t kernel,
                      const std::vector<Binding> &bindings,
                      const std::string &label) {
    std::vector<systolic::DramRegion> dram;
    for (const Binding &b : bindings)
      dram.push_back({hostAddress(b), b.length});
    Run run{label, {}, {}};
    const systolic::Kernel &program = exe.program.kernels[exe.kernels[kernel]];
    if (std::string error =
            exe.simulator->run(program, dram, &run.stats,
                               reportDir.empty() ? nullptr : &run.events);
        !error.empty())
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT, label + ": " + error);
    totals.add(run.stats);
    runs.push_back(std::move(run));
    clockMHz = exe.simulator->config().clockMHz;
    return nullptr;
  }

private:
  strata_status_t rewriteReports() const {
    std::string error;
    if (!reportDir.empty() &&
        !writeReports(reportDir, layerReports(), clockMHz, &error))
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                        "option 'report': " + error);
    return nullptr;
  }

  /// The host's part of the model (the layers it ran instead of the
  /// array), which only the caller sees: a JSON array of the host devices'
  /// dispatches, {"label": "step 4 (dispatch 'pool')", "device": "cpu",
  /// "us": 812}. They replace any given before and join the summary and the
  /// reports.
  strata_status_t setHostLayers(const std::string &value) {
    nlohmann::json list = nlohmann::json::parse(value, nullptr, false);
    std::vector<HostRun> parsed;
    bool ok = list.is_array();
    for (size_t i = 0; ok && i < list.size(); ++i) {
      const nlohmann::json &e = list[i];
      ok = e.is_object() && e.contains("label") && e["label"].is_string() &&
           e.contains("device") && e["device"].is_string() &&
           !e["device"].get<std::string>().empty() && e.contains("us") &&
           e["us"].is_number_unsigned();
      if (ok)
        parsed.push_back({e["label"].get<std::string>(),
                          e["device"].get<std::string>(),
                          e["us"].get<uint64_t>()});
    }
    if (!ok)
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                        "option 'host-layers': expected a JSON array of "
                        "{\"label\": string, \"device\": name, \"us\": "
                        "unsigned}, not '" +
                            value.substr(0, 60) + "'");
    hostRuns = std::move(parsed);
    return rewriteReports();
  }

  std::optional<systolic::Config> config;
  std::string configPath;
  RunStats totals;
  /// The last submission's dispatches.
  struct Run {
    std::string label;
    RunStats stats;
    std::vector<systolic::TileEvent> events;
  };
  std::vector<Run> runs;
  struct HostRun {
    std::string label, device;
    uint64_t micros;
  };
  std::vector<HostRun> hostRuns;
  double clockMHz = 1000;
  std::string reportDir;
};

SystolicCommandBuffer::SystolicCommandBuffer(SystolicDevice &device)
    : HostCommandBuffer(device), device(device) {}

strata_status_t SystolicCommandBuffer::dispatch(
    Executable &executable, uint32_t kernel, const uint32_t workgroups[3],
    const std::vector<Binding> &bindings, const std::vector<uint32_t> &,
    const std::string &label) {
  if (workgroups[0] != 1 || workgroups[1] != 1 || workgroups[2] != 1)
    return unsupported(label + ": a systolic program runs once (1x1x1 "
                               "workgroups)");
  auto *exe = static_cast<SystolicExecutable *>(&executable);
  add(label, "dispatch", [this, exe, kernel, bindings, label] {
    return device.run(*exe, kernel, bindings, label);
  });
  return nullptr;
}

} // namespace

strata_status_t createSystolicDevice(std::unique_ptr<Device> *out) {
  *out = std::make_unique<SystolicDevice>();
  return nullptr;
}

} // namespace strata::runtime
