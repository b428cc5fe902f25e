//===- Config.h - the systolic array's hardware configuration ---*- C++ -*-===//
//
// What the simulator models and the compiler tiles for: an R x C grid of
// multiply-accumulate PEs with a dataflow, a scratchpad for operands, an
// accumulator for results, and a DRAM interface. Read from Strata's JSON or
// from a SCALE-Sim .cfg file, unchanged (docs/systolic-isa.md lists keys).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_CONFIG_H
#define STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_CONFIG_H

#include <cstdint>
#include <string>

namespace strata::systolic {

/// Which operand stays in the PEs while the others stream through.
enum class Dataflow : uint32_t {
  OutputStationary,
  WeightStationary,
  InputStationary
};
/// Element type of the scratchpad operands; the accumulator holds f32 for
/// f32 and bf16, i32 for i8.
enum class Dtype : uint32_t { F32, BF16, I8 };

const char *dataflowName(Dataflow dataflow); // "os", "ws", "is"
const char *dtypeName(Dtype dtype);          // "f32", "bf16", "i8"
bool parseDataflow(const std::string &text, Dataflow *out);
bool parseDtype(const std::string &text, Dtype *out);
/// Bytes of one scratchpad element of `dtype`.
unsigned dtypeBytes(Dtype dtype);

struct Config {
  uint32_t rows = 32, cols = 32;
  Dataflow dataflow = Dataflow::OutputStationary;
  Dtype dtype = Dtype::F32;
  /// Operand and result SRAMs. A SCALE-Sim file's ifmap and filter SRAMs
  /// together make the scratchpad; its ofmap SRAM is the accumulator.
  uint64_t scratchpadBytes = 128 * 1024, accumulatorBytes = 64 * 1024;
  /// Ideal memory (SCALE-Sim's InterfaceBandwidth CALC): DMA takes no
  /// cycles. Otherwise DMA moves `bandwidth` bytes per cycle after
  /// `dramLatency` cycles (USER).
  bool idealMemory = true;
  double bandwidth = 10;
  uint32_t dramLatency = 0;
  double clockMHz = 1000;
  /// Where the configuration came from, for messages.
  std::string source;

  /// Why the values cannot describe an array ("" if they can).
  std::string check() const;
  /// The configuration as Strata's JSON, the form artifacts record.
  std::string toJson() const;
};

/// Reads a configuration from Strata's JSON text or a SCALE-Sim .cfg text;
/// `name` (a file name) is used in messages and to tell the two apart (a
/// ".json" suffix, or text starting with '{'). Returns "" or the error.
std::string parseConfig(const std::string &text, const std::string &name,
                        Config *out);
/// parseConfig on the contents of file `path`.
std::string loadConfig(const std::string &path, Config *out);

} // namespace strata::systolic

#endif // STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_CONFIG_H
