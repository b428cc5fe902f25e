//===- Program.cpp - encoding and checking systolic programs --------------===//

#include "runtime/devices/systolic/sim/Program.h"

#include <cmath>
#include <cstring>

namespace strata::systolic {

namespace {

constexpr char kMagic[8] = {'S', 'T', 'S', 'Y', 'P', 'R', 'O', 'G'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 48, kEntryBytes = 24, kInstrBytes = 64;

void put32(std::vector<uint8_t> &out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out[at + i] = uint8_t(v >> (8 * i));
}
uint32_t get32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
}
uint64_t get64(const uint8_t *p) {
  return uint64_t(get32(p)) | uint64_t(get32(p + 4)) << 32;
}
uint32_t floatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

/// The 15 words after an instruction's opcode and flags.
void instrWords(const Instr &in, uint32_t w[15]) {
  std::memset(w, 0, 15 * sizeof(uint32_t));
  switch (in.op) {
  case Opcode::Config:
    w[0] = uint32_t(in.dataflow);
    w[1] = uint32_t(in.dtype);
    w[2] = uint32_t(in.activation);
    w[3] = floatBits(in.scale);
    w[4] = uint32_t(in.outType);
    break;
  case Opcode::Mvin:
  case Opcode::Mvout:
    w[0] = in.binding;
    w[1] = uint32_t(in.dramOffset);
    w[2] = uint32_t(in.dramOffset >> 32);
    w[3] = in.dramStride;
    [[fallthrough]];
  case Opcode::Preload:
    w[4] = in.sramAddr;
    w[5] = in.sramStride;
    w[6] = in.rows;
    w[7] = in.cols;
    break;
  case Opcode::Compute:
    w[0] = in.aAddr;
    w[1] = in.aStride;
    w[2] = in.bAddr;
    w[3] = in.bStride;
    w[4] = in.cAddr;
    w[5] = in.cStride;
    w[6] = in.m;
    w[7] = in.k;
    w[8] = in.n;
    break;
  case Opcode::Im2col:
    w[0] = in.binding;
    w[1] = uint32_t(in.dramOffset);
    w[2] = uint32_t(in.dramOffset >> 32);
    w[3] = in.height;
    w[4] = in.width;
    w[5] = in.kernelH << 16 | in.kernelW;
    w[6] = in.strideH << 16 | in.strideW;
    w[7] = in.dilationH << 16 | in.dilationW;
    w[8] = in.outW;
    w[9] = in.k0;
    w[10] = in.m0;
    w[11] = in.rows;
    w[12] = in.cols;
    w[13] = in.sramAddr;
    w[14] = in.sramStride;
    break;
  case Opcode::Fence:
    break;
  }
}

} // namespace

unsigned outTypeBytes(OutType type) {
  return type == OutType::BF16 ? 2 : type == OutType::I8 ? 1 : 4;
}

namespace {

/// Checks one tile of `rows` x `cols` elements at `addr`, rows `stride`
/// apart, against an SRAM of `capacity` elements.
std::string checkTile(const char *what, uint64_t addr, uint64_t stride,
                      uint64_t rows, uint64_t cols, uint64_t capacity) {
  if (rows == 0 || cols == 0)
    return std::string(what) + " has an empty tile";
  if (rows > 1 && stride < cols)
    return std::string(what) + " rows overlap (stride " +
           std::to_string(stride) + " < " + std::to_string(cols) + " columns)";
  // Fields are 32-bit, so these sums fit in 64 bits.
  uint64_t end = addr + (rows - 1) * stride + cols;
  if (end > capacity)
    return std::string(what) + " ends at element " + std::to_string(end) +
           ", past the " + std::to_string(capacity) + " the SRAM holds";
  return "";
}

/// The static rules, instruction by instruction.
class Checker {
public:
  explicit Checker(const Program &p) : program(p) {}

  std::string check(const Instr &in) {
    if (in.op != Opcode::Config && in.op != Opcode::Fence && !configured)
      return "comes before any config";
    switch (in.op) {
    case Opcode::Config:
      return config(in);
    case Opcode::Mvin:
    case Opcode::Mvout:
      return move(in);
    case Opcode::Preload:
      return preload(in);
    case Opcode::Compute:
      return compute(in);
    case Opcode::Im2col:
      return im2col(in);
    case Opcode::Fence:
      return "";
    }
    return "unknown opcode";
  }

private:
  uint64_t spadElems() const {
    return program.scratchpadBytes / dtypeBytes(dtype);
  }
  uint64_t accElems() const { return program.accumulatorBytes / 4; }

  std::string config(const Instr &in) {
    if (in.dataflow != program.dataflow)
      return std::string("sets dataflow ") + dataflowName(in.dataflow) +
             " on an array built for " + dataflowName(program.dataflow);
    if (!std::isfinite(in.scale) || in.scale == 0)
      return "has a scale that is zero or not finite";
    dtype = in.dtype;
    outType = in.outType;
    configured = true;
    chain = Chain::None;
    return "";
  }

  std::string move(const Instr &in) {
    bool acc = in.flags & kToAccumulator;
    bool isIn = in.op == Opcode::Mvin;
    if (std::string e = checkTile(
            acc ? "its accumulator tile" : "its scratchpad tile", in.sramAddr,
            in.sramStride, in.rows, in.cols, acc ? accElems() : spadElems());
        !e.empty())
      return e;
    uint64_t rowBytes = uint64_t(in.cols) * (!acc   ? dtypeBytes(dtype)
                                             : isIn ? 4
                                                    : outTypeBytes(outType));
    // Transposed, the tile's columns are the DRAM rows.
    bool transposed = !isIn && (in.flags & kTransposeOut);
    uint64_t dramRows = transposed ? in.cols : in.rows;
    if (transposed)
      rowBytes = uint64_t(in.rows) * outTypeBytes(outType);
    if (!isIn && dramRows > 1 && in.dramStride < rowBytes)
      return "writes DRAM rows that overlap (stride " +
             std::to_string(in.dramStride) + " < " + std::to_string(rowBytes) +
             " bytes)";
    if (isIn && (in.flags & kAccumulateIn) && (!acc || (in.flags & kZeroFill)))
      return "adds to SRAM that is not the accumulator, or adds zeros";
    if (isIn && (in.flags & kZeroFill))
      return in.binding || in.dramOffset || in.dramStride
                 ? "fills zeros but names DRAM"
                 : "";
    if (in.binding >= bindings)
      return "names binding " + std::to_string(in.binding) +
             " of a kernel with " + std::to_string(bindings);
    return "";
  }

  std::string im2col(const Instr &in) {
    if (in.height == 0 || in.width == 0 || in.kernelH == 0 || in.kernelW == 0 ||
        in.strideH == 0 || in.strideW == 0 || in.dilationH == 0 ||
        in.dilationW == 0 || in.outW == 0)
      return "has an empty image, window, stride, dilation or output row";
    if (std::string e = checkTile("its scratchpad tile", in.sramAddr,
                                  in.sramStride, in.rows, in.cols, spadElems());
        !e.empty())
      return e;
    if (in.binding >= bindings)
      return "names binding " + std::to_string(in.binding) +
             " of a kernel with " + std::to_string(bindings);
    return "";
  }

  std::string preload(const Instr &in) {
    if (program.dataflow == Dataflow::OutputStationary)
      return "preloads on an output-stationary array, which keeps no "
             "operand in its PEs";
    bool ws = program.dataflow == Dataflow::WeightStationary;
    // The operand as the array holds it: ws B (k x n), k down the R rows
    // and n across the C columns; is A (m x k), k down the rows and m
    // across the columns.
    bool transposed = in.flags & kPreloadTransposed;
    uint32_t rows = transposed ? in.cols : in.rows;
    uint32_t cols = transposed ? in.rows : in.cols;
    uint32_t kDim = ws ? rows : cols, other = ws ? cols : rows;
    if (kDim > program.rows || other > program.cols)
      return std::string("preloads a ") + std::to_string(rows) + "x" +
             std::to_string(cols) + " operand that does not fit the " +
             std::to_string(program.rows) + "x" + std::to_string(program.cols) +
             " array";
    if (std::string e = checkTile("its tile", in.sramAddr, in.sramStride,
                                  in.rows, in.cols, spadElems());
        !e.empty())
      return e;
    preRows = rows;
    preCols = cols;
    chain = Chain::Preloaded;
    return "";
  }

  std::string compute(const Instr &in) {
    if (in.m == 0 || in.k == 0 || in.n == 0)
      return "has an empty m, k or n";
    bool cont = in.flags & kContinue;
    Dataflow df = program.dataflow;
    if (df == Dataflow::OutputStationary) {
      if (in.m > program.rows || in.n > program.cols)
        return "computes a " + std::to_string(in.m) + "x" +
               std::to_string(in.n) + " output tile that does not fit the " +
               std::to_string(program.rows) + "x" +
               std::to_string(program.cols) + " array";
      if (cont && (chain != Chain::Computing || in.m != lastM ||
                   in.n != lastN || in.cAddr != lastC ||
                   in.cStride != lastCStride || !(in.flags & kAccumulate)))
        return "continues an output tile it did not start (a continuing "
               "compute accumulates into the previous compute's C)";
    } else {
      bool ws = df == Dataflow::WeightStationary;
      if (!cont && chain != Chain::Preloaded)
        return "has no preloaded tile (a compute that does not continue "
               "follows a preload)";
      if (cont && chain != Chain::Computing)
        return "continues with no compute before it";
      uint32_t r = ws ? in.k : in.m, c = ws ? in.n : in.k;
      if (r != preRows || c != preCols)
        return "uses a " + std::to_string(r) + "x" + std::to_string(c) +
               " stationary tile, but the preload was " +
               std::to_string(preRows) + "x" + std::to_string(preCols);
      if ((ws ? in.bAddr | in.bStride : in.aAddr | in.aStride) != 0)
        return std::string("gives the stationary operand (") +
               (ws ? "B" : "A") + ") an address; it comes from the preload";
    }
    bool ws = df == Dataflow::WeightStationary;
    bool is = df == Dataflow::InputStationary;
    bool ta = in.flags & kTransposeA, tb = in.flags & kTransposeB;
    if ((is && ta) || (ws && tb))
      return "transposes the stationary operand; the preload says how it is "
             "stored";
    if (!is)
      if (std::string e =
              checkTile("its A tile", in.aAddr, in.aStride, ta ? in.k : in.m,
                        ta ? in.m : in.k, spadElems());
          !e.empty())
        return e;
    if (!ws)
      if (std::string e =
              checkTile("its B tile", in.bAddr, in.bStride, tb ? in.n : in.k,
                        tb ? in.k : in.n, spadElems());
          !e.empty())
        return e;
    if (std::string e = checkTile("its C tile", in.cAddr, in.cStride, in.m,
                                  in.n, accElems());
        !e.empty())
      return e;
    chain = Chain::Computing;
    lastM = in.m;
    lastN = in.n;
    lastC = in.cAddr;
    lastCStride = in.cStride;
    return "";
  }

public:
  uint32_t bindings = 0;

private:
  enum class Chain { None, Preloaded, Computing };
  const Program &program;
  bool configured = false;
  Dtype dtype = Dtype::F32;
  OutType outType = OutType::F32;
  Chain chain = Chain::None;
  uint32_t preRows = 0, preCols = 0;
  uint32_t lastM = 0, lastN = 0, lastC = 0, lastCStride = 0;
};

const char *opName(Opcode op) {
  switch (op) {
  case Opcode::Config:
    return "config";
  case Opcode::Mvin:
    return "mvin";
  case Opcode::Mvout:
    return "mvout";
  case Opcode::Preload:
    return "preload";
  case Opcode::Compute:
    return "compute";
  case Opcode::Fence:
    return "fence";
  case Opcode::Im2col:
    return "im2col";
  }
  return "?";
}

/// Decodes one 64-byte record, checking what the encoding itself allows.
std::string decodeInstr(const uint8_t *p, Instr *out) {
  Instr in;
  uint8_t op = p[0];
  if (op < uint8_t(Opcode::Config) || op > uint8_t(Opcode::Im2col))
    return "has unknown opcode " + std::to_string(op);
  in.op = Opcode(op);
  in.flags = p[1];
  uint32_t w[15];
  for (int i = 0; i < 15; ++i)
    w[i] = get32(p + 4 + 4 * i);
  uint8_t knownFlags =
      in.op == Opcode::Compute
          ? (kAccumulate | kContinue | kTransposeA | kTransposeB)
      : in.op == Opcode::Mvin    ? (kToAccumulator | kZeroFill | kAccumulateIn)
      : in.op == Opcode::Mvout   ? (kFromAccumulator | kTransposeOut)
      : in.op == Opcode::Preload ? kPreloadTransposed
                                 : 0;
  if ((in.flags & ~knownFlags) || p[2] || p[3])
    return std::string("(") + opName(in.op) + ") has unknown flags";
  switch (in.op) {
  case Opcode::Config:
    if (w[0] > 2 || w[1] > 2 || w[2] > 2 || w[4] > 3)
      return "(config) has an unknown dataflow, dtype, activation or output "
             "type";
    in.dataflow = Dataflow(w[0]);
    in.dtype = Dtype(w[1]);
    in.activation = Activation(w[2]);
    std::memcpy(&in.scale, &w[3], 4);
    in.outType = OutType(w[4]);
    break;
  case Opcode::Mvin:
  case Opcode::Mvout:
    in.binding = w[0];
    in.dramOffset = uint64_t(w[1]) | uint64_t(w[2]) << 32;
    in.dramStride = w[3];
    [[fallthrough]];
  case Opcode::Preload:
    in.sramAddr = w[4];
    in.sramStride = w[5];
    in.rows = w[6];
    in.cols = w[7];
    break;
  case Opcode::Compute:
    in.aAddr = w[0];
    in.aStride = w[1];
    in.bAddr = w[2];
    in.bStride = w[3];
    in.cAddr = w[4];
    in.cStride = w[5];
    in.m = w[6];
    in.k = w[7];
    in.n = w[8];
    break;
  case Opcode::Im2col:
    in.binding = w[0];
    in.dramOffset = uint64_t(w[1]) | uint64_t(w[2]) << 32;
    in.height = w[3];
    in.width = w[4];
    in.kernelH = w[5] >> 16;
    in.kernelW = w[5] & 0xFFFF;
    in.strideH = w[6] >> 16;
    in.strideW = w[6] & 0xFFFF;
    in.dilationH = w[7] >> 16;
    in.dilationW = w[7] & 0xFFFF;
    in.outW = w[8];
    in.k0 = w[9];
    in.m0 = w[10];
    in.rows = w[11];
    in.cols = w[12];
    in.sramAddr = w[13];
    in.sramStride = w[14];
    break;
  case Opcode::Fence:
    break;
  }
  // Unused words must be zero, so that a later version's fields are not
  // silently ignored.
  uint32_t again[15];
  instrWords(in, again);
  if (std::memcmp(w, again, sizeof(w)) != 0)
    return std::string("(") + opName(in.op) + ") sets fields it does not have";
  *out = in;
  return "";
}

} // namespace

std::vector<uint8_t> encodeProgram(const Program &program) {
  std::string config = program.config.toJson();
  size_t names = config.size();
  for (const Kernel &k : program.kernels)
    names += k.name.size() + k.roles.size();
  size_t instrStart =
      (kHeaderBytes + kEntryBytes * program.kernels.size() + names + 63) / 64 *
      64;
  size_t total = instrStart;
  for (const Kernel &k : program.kernels)
    total += kInstrBytes * k.instrs.size();
  std::vector<uint8_t> out(total, 0);
  std::memcpy(out.data(), kMagic, 8);
  put32(out, 8, kVersion);
  put32(out, 12, program.rows);
  put32(out, 16, program.cols);
  put32(out, 20, uint32_t(program.dataflow));
  put32(out, 24, uint32_t(program.scratchpadBytes));
  put32(out, 28, uint32_t(program.scratchpadBytes >> 32));
  put32(out, 32, uint32_t(program.accumulatorBytes));
  put32(out, 36, uint32_t(program.accumulatorBytes >> 32));
  put32(out, 40, uint32_t(program.kernels.size()));
  put32(out, 44, uint32_t(config.size()));
  size_t name = kHeaderBytes + kEntryBytes * program.kernels.size();
  std::memcpy(out.data() + name, config.data(), config.size());
  name += config.size();
  size_t instr = instrStart;
  for (size_t i = 0; i < program.kernels.size(); ++i) {
    const Kernel &k = program.kernels[i];
    size_t entry = kHeaderBytes + kEntryBytes * i;
    put32(out, entry, uint32_t(name));
    put32(out, entry + 4, uint32_t(k.name.size()));
    put32(out, entry + 8, uint32_t(instr));
    put32(out, entry + 12, uint32_t(k.instrs.size()));
    std::memcpy(out.data() + name, k.name.data(), k.name.size());
    name += k.name.size();
    put32(out, entry + 16, uint32_t(name));
    put32(out, entry + 20, uint32_t(k.roles.size()));
    for (Role r : k.roles)
      out[name++] = uint8_t(r);
    for (const Instr &in : k.instrs) {
      out[instr] = uint8_t(in.op);
      out[instr + 1] = in.flags;
      uint32_t w[15];
      instrWords(in, w);
      for (int j = 0; j < 15; ++j)
        put32(out, instr + 4 + 4 * j, w[j]);
      instr += kInstrBytes;
    }
  }
  return out;
}

std::string decodeProgram(const uint8_t *data, size_t size, Program *out) {
  if (size < kHeaderBytes || std::memcmp(data, kMagic, 8) != 0)
    return "not a systolic program (bad magic or truncated header)";
  if (uint32_t v = get32(data + 8); v != kVersion)
    return "systolic program version " + std::to_string(v) +
           " is not supported (this runtime reads version " +
           std::to_string(kVersion) + ")";
  Program p;
  p.rows = get32(data + 12);
  p.cols = get32(data + 16);
  uint32_t df = get32(data + 20);
  p.scratchpadBytes = get64(data + 24);
  p.accumulatorBytes = get64(data + 32);
  uint64_t count = get32(data + 40);
  if (df > 2)
    return "systolic program has unknown dataflow " + std::to_string(df);
  p.dataflow = Dataflow(df);
  Config shape;
  shape.rows = p.rows;
  shape.cols = p.cols;
  shape.scratchpadBytes = p.scratchpadBytes;
  shape.accumulatorBytes = p.accumulatorBytes;
  if (std::string e = shape.check(); !e.empty())
    return "systolic program header: " + e;
  if (count > (size - kHeaderBytes) / kEntryBytes)
    return "systolic program: its kernel table runs past the blob";
  uint64_t configAt = kHeaderBytes + kEntryBytes * count;
  uint64_t configLen = get32(data + 44);
  if (configLen > size - configAt)
    return "systolic program: its configuration runs past the blob";
  if (std::string e = parseConfig(
          std::string(reinterpret_cast<const char *>(data + configAt),
                      configLen),
          "the program's configuration.json", &p.config);
      !e.empty())
    return "systolic program: " + e;
  if (std::string e = checkProgramFits(p, p.config); !e.empty())
    return "systolic program: its header and configuration disagree: " + e;
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t *entry = data + kHeaderBytes + kEntryBytes * i;
    uint64_t nameAt = get32(entry), nameLen = get32(entry + 4);
    uint64_t instrAt = get32(entry + 8), instrCount = get32(entry + 12);
    std::string where = "systolic program kernel " + std::to_string(i);
    if (nameAt > size || nameLen > size - nameAt)
      return where + ": its name runs past the blob";
    if (instrAt > size || instrCount > (size - instrAt) / kInstrBytes)
      return where + ": its instructions run past the blob";
    uint64_t rolesAt = get32(entry + 16), roleCount = get32(entry + 20);
    if (rolesAt > size || roleCount > size - rolesAt)
      return where + ": its binding roles run past the blob";
    Kernel k;
    k.name.assign(reinterpret_cast<const char *>(data + nameAt), nameLen);
    for (uint64_t r = 0; r < roleCount; ++r) {
      if (data[rolesAt + r] > uint8_t(Role::Ofmap))
        return where + " ('" + k.name + "'): binding " + std::to_string(r) +
               " has unknown role " + std::to_string(data[rolesAt + r]);
      k.roles.push_back(Role(data[rolesAt + r]));
    }
    k.instrs.resize(instrCount);
    for (uint64_t j = 0; j < instrCount; ++j)
      if (std::string e =
              decodeInstr(data + instrAt + kInstrBytes * j, &k.instrs[j]);
          !e.empty())
        return where + " ('" + k.name + "') instruction " + std::to_string(j) +
               " " + e;
    p.kernels.push_back(std::move(k));
  }
  *out = std::move(p);
  return "";
}

std::string checkKernel(const Program &program, const Kernel &kernel,
                        uint32_t bindings, size_t *failedAt) {
  if (!kernel.roles.empty() && kernel.roles.size() != bindings)
    return "kernel '" + kernel.name + "' gives roles to " +
           std::to_string(kernel.roles.size()) + " bindings of " +
           std::to_string(bindings);
  Checker checker(program);
  checker.bindings = bindings;
  for (size_t j = 0; j < kernel.instrs.size(); ++j)
    if (std::string e = checker.check(kernel.instrs[j]); !e.empty()) {
      if (failedAt)
        *failedAt = j;
      return "kernel '" + kernel.name + "' instruction " + std::to_string(j) +
             " (" + opName(kernel.instrs[j].op) + ") " + e;
    }
  return "";
}

std::string checkProgramFits(const Program &program, const Config &config) {
  if (program.rows != config.rows || program.cols != config.cols)
    return "the program was compiled for a " + std::to_string(program.rows) +
           "x" + std::to_string(program.cols) + " array, not the " +
           std::to_string(config.rows) + "x" + std::to_string(config.cols) +
           " one configured";
  if (program.dataflow != config.dataflow)
    return std::string("the program was compiled for dataflow ") +
           dataflowName(program.dataflow) + ", not the configured " +
           dataflowName(config.dataflow);
  if (program.scratchpadBytes > config.scratchpadBytes ||
      program.accumulatorBytes > config.accumulatorBytes)
    return "the program needs a " +
           std::to_string(program.scratchpadBytes / 1024) +
           " KiB scratchpad and a " +
           std::to_string(program.accumulatorBytes / 1024) +
           " KiB accumulator; the configured array has " +
           std::to_string(config.scratchpadBytes / 1024) + " and " +
           std::to_string(config.accumulatorBytes / 1024);
  return "";
}

} // namespace strata::systolic
