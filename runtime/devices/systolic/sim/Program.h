//===- Program.h - the systolic array's programs and their binary form -*- C++
//-*-===//
//
// The instruction set the compiler emits and the simulator runs, and the
// "systolic-program" blob an artifact carries (docs/systolic-isa.md). The
// blob records the array it was compiled for and one instruction list per
// kernel; decodeProgram checks every field before the simulator sees it,
// so a corrupt or hostile blob is refused at load, never run.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_PROGRAM_H
#define STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_PROGRAM_H

#include "runtime/devices/systolic/sim/Config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace strata::systolic {

enum class Opcode : uint8_t {
  Config = 1,
  Mvin = 2,
  Mvout = 3,
  Preload = 4,
  Compute = 5,
  Fence = 6,
  Im2col = 7,
};

/// How mvout turns accumulator values into output elements.
enum class Activation : uint32_t { None, Relu, Relu6 };
/// Element type mvout writes from the accumulator.
enum class OutType : uint32_t { F32, BF16, I8, I32 };

/// Flags.
constexpr uint8_t kToAccumulator = 1;     // mvin: the destination
constexpr uint8_t kZeroFill = 2;          // mvin: zeros, no DRAM read
constexpr uint8_t kAccumulateIn = 4;      // mvin: add to the accumulator
constexpr uint8_t kFromAccumulator = 1;   // mvout: the source
constexpr uint8_t kTransposeOut = 2;      // mvout: tile rows -> DRAM columns
constexpr uint8_t kPreloadTransposed = 1; // preload: the tile is stored
                                          // transposed
constexpr uint8_t kAccumulate = 1;        // compute: add to C, else overwrite
constexpr uint8_t kContinue = 2;          // compute: keep the stationary data
constexpr uint8_t kTransposeA = 4;        // compute: A stored as k x m
constexpr uint8_t kTransposeB = 8;        // compute: B stored as n x k

/// One instruction. Addresses in the SRAMs count elements; DRAM is a
/// kernel binding and a byte offset in it. Fields an opcode does not use
/// are zero.
struct Instr {
  Opcode op = Opcode::Fence;
  uint8_t flags = 0;
  // config
  Dataflow dataflow = Dataflow::OutputStationary;
  Dtype dtype = Dtype::F32;
  Activation activation = Activation::None;
  float scale = 1.0f;
  OutType outType = OutType::F32;
  // mvin / mvout: DRAM side
  uint32_t binding = 0;
  uint64_t dramOffset = 0;
  uint32_t dramStride = 0; // bytes between rows; 0 repeats one row
  // mvin / mvout / preload: SRAM side, and the tile
  uint32_t sramAddr = 0, sramStride = 0, rows = 0, cols = 0;
  // im2col: the DMA of a convolution's window taps [k0, k0 + rows) by
  // output pixels [m0, m0 + cols) of an image (channels x height x width
  // at dramOffset) into the scratchpad tile at sramAddr: element (r, c) is
  // image[ch][oh * strideH + kh * dilationH][ow * strideW + kw * dilationW]
  // for tap k0 + r = (ch, kh, kw) and pixel m0 + c = (oh, ow), ow < outW.
  uint32_t height = 0, width = 0, kernelH = 0, kernelW = 0, strideH = 0,
           strideW = 0, dilationH = 0, dilationW = 0, outW = 0, k0 = 0, m0 = 0;
  // compute: C[m x n] (+)= A[m x k] * B[k x n]; the stationary operand
  // (B for ws, A for is) comes from the preload, its fields here are 0.
  uint32_t aAddr = 0, aStride = 0, bAddr = 0, bStride = 0, cAddr = 0,
           cStride = 0, m = 0, k = 0, n = 0;
};

/// What a binding holds, for the reports' per-operand figures (SCALE-Sim's
/// ifmap, filter and ofmap).
enum class Role : uint8_t { None, Ifmap, Filter, Ofmap };

struct Kernel {
  std::string name;
  std::vector<Instr> instrs;
  /// One per binding, or none at all.
  std::vector<Role> roles = {};
};

/// A decoded blob: the array it targets and its kernels.
struct Program {
  uint32_t rows = 0, cols = 0;
  Dataflow dataflow = Dataflow::OutputStationary;
  uint64_t scratchpadBytes = 0, accumulatorBytes = 0;
  /// The whole configuration the compiler used (timing included), which
  /// the device runs with unless it is given another.
  Config config;
  std::vector<Kernel> kernels;
};

/// Bytes of one element that mvout writes from the accumulator.
unsigned outTypeBytes(OutType type);

/// The blob's bytes; deterministic for the same program.
std::vector<uint8_t> encodeProgram(const Program &program);

/// Decodes a blob and checks its encoding: header, kernel table, every
/// instruction's opcode, flags, enums and unused fields. Returns "" or what
/// is wrong, naming the kernel and the instruction.
std::string decodeProgram(const uint8_t *data, size_t size, Program *out);

/// Checks the rules the simulator relies on for one kernel that has
/// `bindings` bindings: config first; SRAM ranges within the recorded
/// capacities; tiles that fit the array for its dataflow; a compute that
/// does not continue follows a preload (ws, is), one that continues
/// follows a compute with the same stationary tile or output tile (os).
/// `failedAt`, if given, receives the index of the instruction at fault.
std::string checkKernel(const Program &program, const Kernel &kernel,
                        uint32_t bindings, size_t *failedAt = nullptr);

/// Why `program` cannot run on an array configured as `config` ("" if it
/// can): a different shape or dataflow, or smaller SRAMs.
std::string checkProgramFits(const Program &program, const Config &config);

} // namespace strata::systolic

#endif // STRATA_RUNTIME_DEVICES_SYSTOLIC_SIM_PROGRAM_H
