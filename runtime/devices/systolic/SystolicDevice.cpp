//===- SystolicDevice.cpp - the systolic-array simulator as a device ------===//

#include "runtime/devices/systolic/SystolicDevice.h"
#include "runtime/devices/cpu/HostMemory.h"
#include "runtime/devices/systolic/sim/Simulator.h"
#include "runtime/src/Status.h"

#include <cstring>
#include <optional>

namespace strata::runtime {

namespace {

using systolic::RunStats;

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

class SystolicDevice : public Device {
public:
  const char *name() const override { return "systolic"; }

  strata_status_t setOption(const std::string &key,
                            const std::string &value) override {
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
  void resetStats() override { totals = RunStats(); }

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

  strata_status_t allocate(uint64_t size, artifact::MemoryKind,
                           std::unique_ptr<Buffer> *out) override {
    return allocateHostBuffer(size, out);
  }

  strata_status_t wrapHostMemory(void *data, uint64_t size,
                                 std::unique_ptr<Buffer> *out) override {
    wrapHostBuffer(data, size, out);
    return nullptr;
  }

  strata_status_t upload(const Binding &dst, const void *data) override {
    if (dst.length)
      std::memcpy(hostAddress(dst), data, dst.length);
    return nullptr;
  }

  strata_status_t download(const Binding &src, void *data) override {
    if (src.length)
      std::memcpy(data, hostAddress(src), src.length);
    return nullptr;
  }

  strata_status_t
  createCommandBuffer(std::unique_ptr<CommandBuffer> *out) override {
    *out = std::make_unique<SystolicCommandBuffer>(*this);
    return nullptr;
  }

  strata_status_t submit(CommandBuffer &commands) override {
    return static_cast<SystolicCommandBuffer &>(commands).run();
  }

  /// Runs one kernel's program (the command buffer traces it in wall time).
  strata_status_t run(SystolicExecutable &exe, uint32_t kernel,
                      const std::vector<Binding> &bindings,
                      const std::string &label) {
    std::vector<systolic::DramRegion> dram;
    for (const Binding &b : bindings)
      dram.push_back({hostAddress(b), b.length});
    RunStats stats;
    const systolic::Kernel &program = exe.program.kernels[exe.kernels[kernel]];
    if (std::string error = exe.simulator->run(program, dram, &stats);
        !error.empty())
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT, label + ": " + error);
    totals.add(stats);
    return nullptr;
  }

private:
  std::optional<systolic::Config> config;
  std::string configPath;
  RunStats totals;
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
