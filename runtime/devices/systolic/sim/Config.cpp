//===- Config.cpp - reading the systolic array's configuration ------------===//

#include "runtime/devices/systolic/sim/Config.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace strata::systolic {

const char *dataflowName(Dataflow dataflow) {
  switch (dataflow) {
  case Dataflow::OutputStationary:
    return "os";
  case Dataflow::WeightStationary:
    return "ws";
  case Dataflow::InputStationary:
    return "is";
  }
  return "?";
}

const char *dtypeName(Dtype dtype) {
  switch (dtype) {
  case Dtype::F32:
    return "f32";
  case Dtype::BF16:
    return "bf16";
  case Dtype::I8:
    return "i8";
  }
  return "?";
}

bool parseDataflow(const std::string &text, Dataflow *out) {
  for (Dataflow d : {Dataflow::OutputStationary, Dataflow::WeightStationary,
                     Dataflow::InputStationary})
    if (text == dataflowName(d)) {
      *out = d;
      return true;
    }
  return false;
}

bool parseDtype(const std::string &text, Dtype *out) {
  for (Dtype d : {Dtype::F32, Dtype::BF16, Dtype::I8})
    if (text == dtypeName(d)) {
      *out = d;
      return true;
    }
  return false;
}

unsigned dtypeBytes(Dtype dtype) {
  return dtype == Dtype::F32 ? 4 : dtype == Dtype::BF16 ? 2 : 1;
}

std::string Config::check() const {
  // 4096 keeps every product of the array's dims and a tile's far from
  // overflow; real arrays are at most a few hundred PEs on a side.
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
    return "the array must be 1 to 4096 PEs on a side, not " +
           std::to_string(rows) + "x" + std::to_string(cols);
  if (scratchpadBytes == 0 || accumulatorBytes == 0)
    return "the scratchpad and the accumulator need a size";
  if (scratchpadBytes > (uint64_t(1) << 32) ||
      accumulatorBytes > (uint64_t(1) << 32))
    return "an SRAM above 4 GiB";
  if (!idealMemory && !(bandwidth > 0 && std::isfinite(bandwidth)))
    return "the DRAM bandwidth must be a positive number of bytes per cycle";
  if (!(clockMHz > 0 && std::isfinite(clockMHz)))
    return "the clock must be a positive number of MHz";
  return "";
}

std::string Config::toJson() const {
  nlohmann::ordered_json j;
  j["rows"] = rows;
  j["cols"] = cols;
  j["dataflow"] = dataflowName(dataflow);
  j["dtype"] = dtypeName(dtype);
  j["scratchpad_kib"] = scratchpadBytes / 1024.0;
  j["accumulator_kib"] = accumulatorBytes / 1024.0;
  j["memory"] = idealMemory ? "ideal" : "bandwidth";
  j["bandwidth"] = bandwidth;
  j["dram_latency"] = dramLatency;
  j["clock_mhz"] = clockMHz;
  return j.dump();
}

namespace {

bool parseUnsigned(const std::string &text, uint64_t max, uint64_t *out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno || v > max)
    return false;
  *out = v;
  return true;
}

bool parseNumber(const std::string &text, double *out) {
  if (text.empty())
    return false;
  char *end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (*end || !std::isfinite(v) || v < 0)
    return false;
  *out = v;
  return true;
}

std::string trim(const std::string &s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos)
    return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::string lower(std::string s) {
  for (char &c : s)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// SCALE-Sim's .cfg (Python configparser: keys are case-insensitive,
/// "key: value" or "key = value"). Keys SCALE-Sim has and the simulator
/// does not model (offsets, banks, request buffers, layouts) are ignored.
std::string parseCfg(const std::string &text, const std::string &name,
                     Config *out) {
  Config c;
  uint64_t ifmapKiB = 0, filterKiB = 0, ofmapKiB = 0;
  bool haveRows = false, haveCols = false, haveDataflow = false;
  std::string section;
  std::istringstream in(text);
  std::string line;
  for (unsigned lineNo = 1; std::getline(in, line); ++lineNo) {
    std::string t = trim(line);
    if (t.empty() || t[0] == '#' || t[0] == ';')
      continue;
    auto where = name + ":" + std::to_string(lineNo) + ": ";
    if (t[0] == '[') {
      if (t.back() != ']')
        return where + "a section header without ']'";
      section = lower(trim(t.substr(1, t.size() - 2)));
      continue;
    }
    size_t sep = t.find_first_of(":=");
    if (sep == std::string::npos)
      return where + "expected 'key: value', got '" + t + "'";
    std::string key = lower(trim(t.substr(0, sep)));
    std::string value = trim(t.substr(sep + 1));
    auto bad = [&](const char *what) {
      return where + trim(t.substr(0, sep)) + " '" + value + "' is not " + what;
    };
    uint64_t u = 0;
    double d = 0;
    if (section == "architecture_presets") {
      if (key == "arrayheight" || key == "arraywidth") {
        if (!parseUnsigned(value, 4096, &u) || u == 0)
          return bad("an array size from 1 to 4096");
        (key == "arrayheight" ? c.rows : c.cols) = uint32_t(u);
        (key == "arrayheight" ? haveRows : haveCols) = true;
      } else if (key == "ifmapsramszkb" || key == "filtersramszkb" ||
                 key == "ofmapsramszkb") {
        if (!parseUnsigned(value, uint64_t(1) << 22, &u) || u == 0)
          return bad("a positive size in KiB");
        (key == "ifmapsramszkb"    ? ifmapKiB
         : key == "filtersramszkb" ? filterKiB
                                   : ofmapKiB) = u;
      } else if (key == "dataflow") {
        if (!parseDataflow(lower(value), &c.dataflow))
          return bad("os, ws or is");
        haveDataflow = true;
      } else if (key == "bandwidth") {
        if (!parseNumber(value, &d) || d == 0)
          return bad("a positive number of bytes per cycle");
        c.bandwidth = d;
      } else if (key == "dramlatency") {
        if (!parseUnsigned(value, 1u << 20, &u))
          return bad("a number of cycles");
        c.dramLatency = uint32_t(u);
      } else if (key == "clockmhz") {
        if (!parseNumber(value, &d) || d == 0)
          return bad("a positive number of MHz");
        c.clockMHz = d;
      } else if (key == "dtype") {
        if (!parseDtype(lower(value), &c.dtype))
          return bad("f32, bf16 or i8");
      }
    } else if (section == "run_presets" && key == "interfacebandwidth") {
      std::string v = lower(value);
      if (v != "calc" && v != "user")
        return bad("CALC or USER");
      c.idealMemory = v == "calc";
    } else if (section == "sparsity" && key == "sparsitysupport" &&
               lower(value) == "true") {
      return where + "sparse arrays (SparsitySupport: true) are not "
                     "modelled; the simulator runs dense arrays only";
    }
  }
  if (!haveRows || !haveCols || !haveDataflow)
    return name + ": [architecture_presets] needs ArrayHeight, ArrayWidth "
                  "and Dataflow";
  if (ifmapKiB == 0 || filterKiB == 0 || ofmapKiB == 0)
    return name + ": [architecture_presets] needs IfmapSramSzkB, "
                  "FilterSramSzkB and OfmapSramSzkB";
  c.scratchpadBytes = (ifmapKiB + filterKiB) * 1024;
  c.accumulatorBytes = ofmapKiB * 1024;
  *out = c;
  return "";
}

std::string parseJson(const std::string &text, const std::string &name,
                      Config *out) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return name + ": not a JSON object";
  Config c;
  for (auto item : j.items()) {
    const std::string &key = item.key();
    const nlohmann::json &value = item.value();
    auto bad = [&](const char *what) {
      return name + ": \"" + key + "\" is " + value.dump() + ", not " + what;
    };
    auto number = [&](double lo, double hi, double *d) {
      if (!value.is_number())
        return false;
      *d = value.get<double>();
      return std::isfinite(*d) && *d >= lo && *d <= hi;
    };
    double d = 0;
    if (key == "rows" || key == "cols") {
      if (!value.is_number_unsigned() || !number(1, 4096, &d))
        return bad("an array size from 1 to 4096");
      (key == "rows" ? c.rows : c.cols) = uint32_t(d);
    } else if (key == "dataflow") {
      if (!value.is_string() ||
          !parseDataflow(value.get<std::string>(), &c.dataflow))
        return bad("\"os\", \"ws\" or \"is\"");
    } else if (key == "dtype") {
      if (!value.is_string() || !parseDtype(value.get<std::string>(), &c.dtype))
        return bad("\"f32\", \"bf16\" or \"i8\"");
    } else if (key == "scratchpad_kib" || key == "accumulator_kib") {
      if (!number(1.0 / 1024, 4.0 * 1024 * 1024, &d) ||
          std::floor(d * 1024) != d * 1024)
        return bad("a size in KiB from 1/1024 to 4194304");
      (key == "scratchpad_kib" ? c.scratchpadBytes : c.accumulatorBytes) =
          uint64_t(d * 1024);
    } else if (key == "memory") {
      if (value != "ideal" && value != "bandwidth")
        return bad("\"ideal\" or \"bandwidth\"");
      c.idealMemory = value == "ideal";
    } else if (key == "bandwidth") {
      if (!number(1e-6, 1e9, &d))
        return bad("a positive number of bytes per cycle");
      c.bandwidth = d;
    } else if (key == "dram_latency") {
      if (!value.is_number_unsigned() || !number(0, 1 << 20, &d))
        return bad("a number of cycles");
      c.dramLatency = uint32_t(d);
    } else if (key == "clock_mhz") {
      if (!number(1e-6, 1e9, &d))
        return bad("a positive number of MHz");
      c.clockMHz = d;
    } else {
      return name + ": unknown key \"" + key +
             "\" (known: rows, cols, dataflow, dtype, scratchpad_kib, "
             "accumulator_kib, memory, bandwidth, dram_latency, clock_mhz)";
    }
  }
  *out = c;
  return "";
}

} // namespace

std::string parseConfig(const std::string &text, const std::string &name,
                        Config *out) {
  size_t first = text.find_first_not_of(" \t\r\n");
  bool json =
      (name.size() >= 5 && name.compare(name.size() - 5, 5, ".json") == 0) ||
      (first != std::string::npos && text[first] == '{');
  Config c;
  std::string error =
      json ? parseJson(text, name, &c) : parseCfg(text, name, &c);
  if (error.empty() && !(error = c.check()).empty())
    error = name + ": " + error;
  if (!error.empty())
    return error;
  c.source = name;
  *out = c;
  return "";
}

std::string loadConfig(const std::string &path, Config *out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return path + ": cannot open the array configuration";
  std::ostringstream text;
  text << in.rdbuf();
  return parseConfig(text.str(), path, out);
}

} // namespace strata::systolic
