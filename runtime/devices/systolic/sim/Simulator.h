//===- Simulator.h - runs systolic programs: numbers and cycles -*- C++ -*-===//
//
// Functional and timed. Each compute does its tile's math at once with
// vectorizable host loops; time advances per instruction in closed form on
// three engines (DMA loads, DMA stores, the array), with a scoreboard over
// 64-byte SRAM lines that makes an engine wait for the data it reads and
// for readers of the lines it overwrites. A program that double-buffers
// its SRAMs therefore overlaps DMA with compute, and one that does not
// stalls. The cycle model is in docs/systolic-isa.md.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_SIMULATOR_H
#define STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_SIMULATOR_H

#include "runtime/devices/systolic/sim/Program.h"

#include <cstdint>
#include <string>
#include <vector>

namespace strata::systolic {

/// A DRAM range a kernel binding names.
struct DramRegion {
  uint8_t *data = nullptr;
  uint64_t size = 0;
};

/// Traffic of one kind: how much, and the cycles it spans.
struct Traffic {
  uint64_t count = 0, first = UINT64_MAX, last = 0;
  void add(uint64_t n, uint64_t start, uint64_t end);
  /// Adds `other`, whose cycles start `offset` cycles later.
  void merge(const Traffic &other, uint64_t offset);
};

/// SCALE-Sim's operands: the streamed input, the weights, the results.
enum Operand { Ifmap, Filter, Ofmap };

/// What one kernel run did. SRAM traffic counts elements, DRAM bytes.
struct RunStats {
  uint64_t pes = 0;           // the array's PEs, rows x cols
  uint64_t cycles = 0;        // first instruction to the last write landing
  uint64_t computeCycles = 0; // the array busy: preloads, streams, drains
  uint64_t macs = 0;
  uint64_t folds = 0;   // stationary tiles (ws, is) or output tiles (os)
  double mappedPEs = 0; // sum over folds of the PEs each one uses
  uint64_t spadReads = 0, spadWrites = 0, accReads = 0, accWrites = 0;
  uint64_t dramReadBytes = 0, dramWriteBytes = 0;
  /// By operand (where the program names its bindings' roles): SRAM reads
  /// of the ifmap and the filter and writes of the ofmap, in elements, and
  /// DRAM reads and writes of each, in bytes.
  Traffic sram[3], dram[3];

  uint64_t stallCycles() const { return cycles - computeCycles; }
  /// Adds a run that followed this one.
  void add(const RunStats &other);
};

/// One engine's activity, for the trace: kind is "load", "store",
/// "preload" or "compute".
struct TileEvent {
  const char *kind;
  uint64_t start, end;
};

class Simulator {
public:
  explicit Simulator(const Config &config);

  /// Runs `kernel` (already checked with checkKernel) over `dram`, one
  /// region per binding. Returns "" or why a DMA left its binding; DRAM
  /// may then hold part of the results. `events`, if given, receives each
  /// engine's activity.
  std::string run(const Kernel &kernel, const std::vector<DramRegion> &dram,
                  RunStats *stats, std::vector<TileEvent> *events = nullptr);

  const Config &config() const { return cfg; }

private:
  struct Region {
    bool acc;
    uint64_t addr, stride, rows, cols;
  };
  struct Line {
    uint64_t readyAt = 0; // written data lands
    uint64_t freeAt = 0;  // the last reader is done
  };
  static constexpr uint64_t kPending = UINT64_MAX;

  unsigned elemBytes(bool acc) const;
  template <typename Fn> void forLines(const Region &r, Fn fn);
  uint64_t readyTime(const Region &r, bool closeOpen);
  uint64_t freeTime(const Region &r);
  void setReady(const Region &r, uint64_t t);
  void setFree(const Region &r, uint64_t t);
  void closeChain();
  uint64_t dmaCycles(uint64_t bytes) const;
  void event(const char *kind, uint64_t start, uint64_t end);

  std::string mvin(const Instr &in, const std::vector<DramRegion> &dram);
  std::string mvout(const Instr &in, const std::vector<DramRegion> &dram);
  std::string im2col(const Instr &in, const std::vector<DramRegion> &dram);
  /// The load engine's timing of `bytes` moved into `dst`.
  void load(const Region &dst, uint64_t bytes, Role role);
  void preload(const Instr &in);
  void compute(const Instr &in);

  Config cfg;
  std::vector<uint8_t> spad, acc;
  std::vector<Line> spadLines, accLines;

  // Per run.
  Dtype dtype = Dtype::F32;
  Activation activation = Activation::None;
  float scale = 1;
  OutType outType = OutType::F32;
  uint64_t tLoad = 0, tStore = 0, tArray = 0, tEnd = 0;
  bool chainOpen = false;
  std::vector<Region> chainOutputs;
  std::vector<float> stationaryF;
  std::vector<int32_t> stationaryI;
  RunStats *stats = nullptr;
  std::vector<TileEvent> *events = nullptr;
  const std::vector<Role> *roles = nullptr;
};

} // namespace strata::systolic

#endif // STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_SIMULATOR_H
