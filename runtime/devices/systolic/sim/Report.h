//===- Report.h - per-layer reports of systolic runs ------------*- C++ -*-===//
//
// What strata-run --device=systolic prints and --report=DIR writes: one
// row per layer (a schedule step) with its cycles, stalls, utilization,
// mapping efficiency, MACs and traffic, and a total; as a table, as JSON,
// as SCALE-Sim's three CSV reports (their exact columns), as a Perfetto
// trace of each engine's work, and as an SVG chart of the layers. Layers
// the host ran instead of the array (its fallback) join the table, the
// JSON and the chart with their wall time; the CSVs and the trace hold
// the array's layers only, as SCALE-Sim's do.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_REPORT_H
#define STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_REPORT_H

#include "runtime/devices/systolic/sim/Simulator.h"

#include <string>
#include <vector>

namespace strata::systolic {

struct LayerReport {
  std::string name;
  RunStats stats;
  /// The engines' work, in the layer's own cycles.
  std::vector<TileEvent> events;
  /// Empty for a layer on the array; else the device that ran it instead
  /// (the host "cpu"), in `hostMicros` of wall time, with no cycles.
  std::string host;
  uint64_t hostMicros = 0;
};

/// The table, one line per layer and a total; times at `clockMHz`.
std::string formatSummary(const std::vector<LayerReport> &layers,
                          double clockMHz);

/// Writes report.json, COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv,
/// DETAILED_ACCESS_REPORT.csv, trace.json and layers.svg into `dir` (made
/// if missing), each file whole or not at all. Returns false with `*error`
/// set.
bool writeReports(const std::string &dir,
                  const std::vector<LayerReport> &layers, double clockMHz,
                  std::string *error);

} // namespace strata::systolic

#endif // STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_REPORT_H
