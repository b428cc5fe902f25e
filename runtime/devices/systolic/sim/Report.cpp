//===- Report.cpp - per-layer reports of systolic runs --------------------===//

#include "runtime/devices/systolic/sim/Report.h"
#include "runtime/artifact/Artifact.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

namespace strata::systolic {

namespace {

double percent(double part, double whole) {
  return whole > 0 ? 100.0 * part / whole : 0.0;
}

/// The derived figures of one layer.
struct Figures {
  double util, computeUtil, mapping;
};

Figures figures(const RunStats &s) {
  double pes = double(s.pes);
  return {percent(double(s.macs), double(s.cycles) * pes),
          percent(double(s.macs), double(s.computeCycles) * pes),
          percent(s.mappedPEs, double(s.folds) * pes)};
}

RunStats total(const std::vector<LayerReport> &layers) {
  RunStats sum;
  for (const LayerReport &l : layers)
    if (l.host.empty())
      sum.add(l.stats);
  return sum;
}

/// The layers the array ran, as SCALE-Sim's reports know them.
std::vector<LayerReport> onArray(const std::vector<LayerReport> &layers) {
  std::vector<LayerReport> array;
  for (const LayerReport &l : layers)
    if (l.host.empty())
      array.push_back(l);
  return array;
}

/// The host's share: its layers' count and wall time.
std::pair<size_t, uint64_t> onHost(const std::vector<LayerReport> &layers) {
  size_t count = 0;
  uint64_t micros = 0;
  for (const LayerReport &l : layers)
    if (!l.host.empty()) {
      ++count;
      micros += l.hostMicros;
    }
  return {count, micros};
}

} // namespace

std::string formatSummary(const std::vector<LayerReport> &layers,
                          double clockMHz) {
  std::string out;
  char line[512];
  size_t width = 5;
  for (const LayerReport &l : layers)
    width = std::max(width, l.name.size());
  std::snprintf(line, sizeof(line),
                "%-*s %12s %12s %12s %7s %9s %9s %14s %12s %12s\n", int(width),
                "layer", "cycles", "compute", "stall", "util%", "compute%",
                "mapping%", "MACs", "DRAM read", "DRAM write");
  out += line;
  auto row = [&](const std::string &name, const RunStats &s) {
    Figures f = figures(s);
    std::snprintf(line, sizeof(line),
                  "%-*s %12llu %12llu %12llu %7.2f %9.2f %9.2f %14llu %12llu "
                  "%12llu\n",
                  int(width), name.c_str(), (unsigned long long)s.cycles,
                  (unsigned long long)s.computeCycles,
                  (unsigned long long)s.stallCycles(), f.util, f.computeUtil,
                  f.mapping, (unsigned long long)s.macs,
                  (unsigned long long)s.dramReadBytes,
                  (unsigned long long)s.dramWriteBytes);
    out += line;
  };
  for (const LayerReport &l : layers) {
    if (l.host.empty()) {
      row(l.name, l.stats);
      continue;
    }
    std::snprintf(line, sizeof(line), "%-*s %12s  on %s, %.3f ms wall time\n",
                  int(width), l.name.c_str(), "-", l.host.c_str(),
                  double(l.hostMicros) / 1000.0);
    out += line;
  }
  RunStats sum = total(layers);
  row("total", sum);
  std::snprintf(line, sizeof(line), "%.3f ms at %g MHz",
                double(sum.cycles) / clockMHz / 1000.0, clockMHz);
  out += line;
  if (auto [count, micros] = onHost(layers); count) {
    std::snprintf(line, sizeof(line),
                  ", and %.3f ms of wall time on the host (%zu layer%s)",
                  double(micros) / 1000.0, count, count == 1 ? "" : "s");
    out += line;
  }
  return out + "\n";
}

namespace {

std::string bandwidthCsv(const std::vector<LayerReport> &layers) {
  // Average SRAM words per cycle over the layer, and DRAM bytes per cycle
  // over the span of each operand's DMA.
  std::string csv = "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg "
                    "OFMAP SRAM BW, Avg IFMAP DRAM BW, Avg FILTER DRAM BW, "
                    "Avg OFMAP DRAM BW,\n";
  char line[512];
  for (size_t i = 0; i < layers.size(); ++i) {
    const RunStats &s = layers[i].stats;
    auto sram = [&](int op) {
      return s.cycles ? double(s.sram[op].count) / double(s.cycles) : 0.0;
    };
    auto dram = [&](int op) {
      const Traffic &t = s.dram[op];
      return t.count && t.last > t.first
                 ? double(t.count) / double(t.last - t.first)
                 : 0.0;
    };
    std::snprintf(line, sizeof(line),
                  "%zu, %.10g, %.10g, %.10g, %.10g, %.10g, %.10g,\n", i,
                  sram(Ifmap), sram(Filter), sram(Ofmap), dram(Ifmap),
                  dram(Filter), dram(Ofmap));
    csv += line;
  }
  return csv;
}

std::string detailedCsv(const std::vector<LayerReport> &layers) {
  std::string csv =
      "LayerID, SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP "
      "Reads, SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter "
      "Reads, SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP "
      "Writes, DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP "
      "Reads, DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter "
      "Reads, DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP "
      "Writes,\n";
  char cell[96];
  for (size_t i = 0; i < layers.size(); ++i) {
    const RunStats &s = layers[i].stats;
    csv += std::to_string(i);
    for (const Traffic *t : {&s.sram[Ifmap], &s.sram[Filter], &s.sram[Ofmap],
                             &s.dram[Ifmap], &s.dram[Filter], &s.dram[Ofmap]}) {
      // No traffic of a kind: its span is 0 to 0.
      std::snprintf(cell, sizeof(cell), ", %llu, %llu, %llu",
                    (unsigned long long)(t->count ? t->first : 0),
                    (unsigned long long)t->last, (unsigned long long)t->count);
      csv += cell;
    }
    csv += ",\n";
  }
  return csv;
}

/// Chrome's trace format (Perfetto reads it): one track per engine and one
/// for the layers, in microseconds at the clock.
std::string traceJson(const std::vector<LayerReport> &layers, double clockMHz) {
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  const char *tracks[] = {"layers", "DMA loads", "DMA stores", "array"};
  for (int t = 0; t < 4; ++t)
    events.push_back({{"name", "thread_name"},
                      {"ph", "M"},
                      {"pid", 0},
                      {"tid", t},
                      {"args", {{"name", tracks[t]}}}});
  uint64_t at = 0;
  auto us = [&](uint64_t cycles) { return double(cycles) / clockMHz; };
  for (const LayerReport &l : layers) {
    events.push_back({{"name", l.name},
                      {"ph", "X"},
                      {"pid", 0},
                      {"tid", 0},
                      {"ts", us(at)},
                      {"dur", us(l.stats.cycles)}});
    for (const TileEvent &e : l.events) {
      int tid = std::strcmp(e.kind, "load") == 0    ? 1
                : std::strcmp(e.kind, "store") == 0 ? 2
                                                    : 3;
      events.push_back({{"name", e.kind},
                        {"ph", "X"},
                        {"pid", 0},
                        {"tid", tid},
                        {"ts", us(at + e.start)},
                        {"dur", us(e.end - e.start)},
                        {"args", {{"layer", l.name}}}});
    }
    at += l.stats.cycles;
  }
  nlohmann::ordered_json trace;
  trace["traceEvents"] = std::move(events);
  trace["displayTimeUnit"] = "ns";
  return trace.dump() + "\n";
}

std::string escapeXml(const std::string &text) {
  std::string out;
  for (char c : text)
    out += c == '<'   ? "&lt;"
           : c == '>' ? "&gt;"
           : c == '&' ? "&amp;"
                      : std::string(1, c);
  return out;
}

/// One bar per layer: its cycles, computing (green) then stalled (grey),
/// and its utilization.
std::string layersSvg(const std::vector<LayerReport> &layers) {
  const int rowHeight = 18, left = 200, barWidth = 520, top = 40;
  uint64_t most = 1;
  for (const LayerReport &l : layers)
    most = std::max(most, l.stats.cycles);
  int height = top + rowHeight * int(layers.size()) + 20;
  char buf[512];
  std::snprintf(buf, sizeof(buf),
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                "height=\"%d\" font-family=\"sans-serif\" "
                "font-size=\"12\">\n"
                "<text x=\"10\" y=\"20\" font-size=\"14\">Cycles per "
                "layer: computing (green) and stalled (grey), with overall "
                "utilization</text>\n",
                left + barWidth + 200, height);
  std::string svg = buf;
  for (size_t i = 0; i < layers.size(); ++i) {
    const RunStats &s = layers[i].stats;
    Figures f = figures(s);
    int y = top + rowHeight * int(i);
    if (!layers[i].host.empty()) {
      std::snprintf(buf, sizeof(buf),
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n"
                    "<text x=\"%d\" y=\"%d\" fill=\"#777777\">on %s, %.3f "
                    "ms wall time</text>\n",
                    left - 8, y + 13, escapeXml(layers[i].name).c_str(), left,
                    y + 13, escapeXml(layers[i].host).c_str(),
                    double(layers[i].hostMicros) / 1000.0);
      svg += buf;
      continue;
    }
    double scale = double(barWidth) / double(most);
    double busy = double(s.computeCycles) * scale;
    double stall = double(s.stallCycles()) * scale;
    std::snprintf(buf, sizeof(buf),
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n"
                  "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                  "fill=\"#3a9a4a\"/>\n"
                  "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                  "fill=\"#aaaaaa\"/>\n"
                  "<text x=\"%.1f\" y=\"%d\">%llu cycles, %.1f%%</text>\n",
                  left - 8, y + 13, escapeXml(layers[i].name).c_str(), left, y,
                  busy, rowHeight - 4, left + busy, y, stall, rowHeight - 4,
                  left + busy + stall + 6, y + 13, (unsigned long long)s.cycles,
                  f.util);
    svg += buf;
  }
  svg += "</svg>\n";
  return svg;
}

} // namespace

bool writeReports(const std::string &dir,
                  const std::vector<LayerReport> &layers, double clockMHz,
                  std::string *error) {
  if (::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
    *error = "cannot create '" + dir + "': " + std::strerror(errno);
    return false;
  }
  // SCALE-Sim's COMPUTE_REPORT.csv, with its columns exactly.
  std::string csv = "LayerID, Total Cycles, Stall Cycles, Overall Util %, "
                    "Mapping Efficiency %, Compute Util %,\n";
  nlohmann::ordered_json json;
  json["clock_mhz"] = clockMHz;
  json["layers"] = nlohmann::ordered_json::array();
  auto entry = [clockMHz](const std::string &name, const RunStats &s) {
    Figures f = figures(s);
    nlohmann::ordered_json j;
    j["name"] = name;
    j["ran_on"] = "systolic";
    j["cycles"] = s.cycles;
    j["compute_cycles"] = s.computeCycles;
    j["stall_cycles"] = s.stallCycles();
    j["overall_util_percent"] = f.util;
    j["compute_util_percent"] = f.computeUtil;
    j["mapping_efficiency_percent"] = f.mapping;
    j["macs"] = s.macs;
    j["folds"] = s.folds;
    j["sram_reads"] = {{"scratchpad", s.spadReads},
                       {"accumulator", s.accReads}};
    j["sram_writes"] = {{"scratchpad", s.spadWrites},
                        {"accumulator", s.accWrites}};
    j["dram_read_bytes"] = s.dramReadBytes;
    j["dram_write_bytes"] = s.dramWriteBytes;
    // The bandwidth achieved: both directions over the layer's cycles.
    double perCycle =
        s.cycles ? double(s.dramReadBytes + s.dramWriteBytes) / double(s.cycles)
                 : 0.0;
    j["dram_bytes_per_cycle"] = perCycle;
    j["dram_gb_per_s"] = perCycle * clockMHz / 1000.0;
    return j;
  };
  char line[256];
  size_t id = 0;
  for (const LayerReport &l : layers) {
    if (!l.host.empty()) {
      json["layers"].push_back({{"name", l.name},
                                {"ran_on", l.host},
                                {"host_ms", double(l.hostMicros) / 1000.0}});
      continue;
    }
    const RunStats &s = l.stats;
    Figures f = figures(s);
    std::snprintf(line, sizeof(line), "%zu, %llu, %llu, %.10g, %.10g, %.10g,\n",
                  id++, (unsigned long long)s.cycles,
                  (unsigned long long)s.stallCycles(), f.util, f.mapping,
                  f.computeUtil);
    csv += line;
    json["layers"].push_back(entry(l.name, s));
  }
  json["total"] = entry("total", total(layers));
  json["total"].erase("ran_on");
  auto [hostLayers, hostMicros] = onHost(layers);
  json["total"]["host_layers"] = hostLayers;
  json["total"]["host_ms"] = double(hostMicros) / 1000.0;
  std::vector<LayerReport> array = onArray(layers);
  const std::pair<const char *, std::string> files[] = {
      {"COMPUTE_REPORT.csv", csv},
      {"BANDWIDTH_REPORT.csv", bandwidthCsv(array)},
      {"DETAILED_ACCESS_REPORT.csv", detailedCsv(array)},
      {"report.json", json.dump(2) + "\n"},
      {"trace.json", traceJson(array, clockMHz)},
      {"layers.svg", layersSvg(layers)},
  };
  for (const auto &[name, text] : files)
    if (!artifact::writeFileAtomically(
            dir + "/" + name, std::vector<uint8_t>(text.begin(), text.end()),
            error))
      return false;
  return true;
}

} // namespace strata::systolic
