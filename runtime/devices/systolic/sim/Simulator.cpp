//===- Simulator.cpp - the systolic array's numbers and cycles ------------===//

#include "runtime/devices/systolic/sim/Simulator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace strata::systolic {

void Traffic::add(uint64_t n, uint64_t start, uint64_t end) {
  count += n;
  first = std::min(first, start);
  last = std::max(last, end);
}

void Traffic::merge(const Traffic &o, uint64_t offset) {
  if (o.count)
    add(o.count, o.first + offset, o.last + offset);
}

void RunStats::add(const RunStats &o) {
  for (int i = 0; i < 3; ++i) {
    sram[i].merge(o.sram[i], cycles);
    dram[i].merge(o.dram[i], cycles);
  }
  pes = o.pes;
  cycles += o.cycles;
  computeCycles += o.computeCycles;
  macs += o.macs;
  folds += o.folds;
  mappedPEs += o.mappedPEs;
  spadReads += o.spadReads;
  spadWrites += o.spadWrites;
  accReads += o.accReads;
  accWrites += o.accWrites;
  dramReadBytes += o.dramReadBytes;
  dramWriteBytes += o.dramWriteBytes;
}

namespace {

constexpr uint64_t kLineBytes = 64;

float bf16ToFloat(uint16_t h) {
  uint32_t u = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

uint16_t floatToBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  if (std::isnan(f))
    return uint16_t((u >> 16) | 0x40); // stays a quiet NaN
  u += 0x7FFF + ((u >> 16) & 1);       // round to nearest, ties to even
  return uint16_t(u >> 16);
}

/// Reads a rows x cols scratchpad tile into contiguous values.
template <typename T>
void readTile(const uint8_t *spad, Dtype dtype, uint64_t addr, uint64_t stride,
              uint64_t rows, uint64_t cols, T *out) {
  for (uint64_t r = 0; r < rows; ++r) {
    uint64_t at = addr + r * stride;
    T *o = out + r * cols;
    switch (dtype) {
    case Dtype::F32: {
      const float *p = reinterpret_cast<const float *>(spad) + at;
      for (uint64_t c = 0; c < cols; ++c)
        o[c] = T(p[c]);
      break;
    }
    case Dtype::BF16: {
      const uint16_t *p = reinterpret_cast<const uint16_t *>(spad) + at;
      for (uint64_t c = 0; c < cols; ++c)
        o[c] = T(bf16ToFloat(p[c]));
      break;
    }
    case Dtype::I8: {
      const int8_t *p = reinterpret_cast<const int8_t *>(spad) + at;
      for (uint64_t c = 0; c < cols; ++c)
        o[c] = T(p[c]);
      break;
    }
    }
  }
}

/// Reads logical tile rows x cols, stored as it is or, `transposed`, as its
/// (cols x rows) transpose.
template <typename T>
void readOperand(const uint8_t *spad, Dtype dtype, uint64_t addr,
                 uint64_t stride, uint64_t rows, uint64_t cols, bool transposed,
                 T *out) {
  if (!transposed) {
    readTile(spad, dtype, addr, stride, rows, cols, out);
    return;
  }
  std::vector<T> stored(rows * cols);
  readTile(spad, dtype, addr, stride, cols, rows, stored.data());
  for (uint64_t r = 0; r < rows; ++r)
    for (uint64_t c = 0; c < cols; ++c)
      out[r * cols + c] = stored[c * rows + r];
}

/// c[m x n] = a[m x k] * b[k x n], all contiguous; the i-k-j order keeps
/// the inner loop a vectorizable axpy.
template <typename T, typename Acc>
void matmul(const T *a, const T *b, Acc *c, uint64_t m, uint64_t k,
            uint64_t n) {
  std::fill(c, c + m * n, Acc(0));
  for (uint64_t i = 0; i < m; ++i) {
    Acc *ci = c + i * n;
    for (uint64_t p = 0; p < k; ++p) {
      Acc av = a[i * k + p];
      const T *bp = b + p * n;
      for (uint64_t j = 0; j < n; ++j)
        ci[j] += av * bp[j];
    }
  }
}

void accumulateInto(uint8_t *accBytes, uint64_t addr, uint64_t stride,
                    const float *c, uint64_t m, uint64_t n, bool accumulate) {
  float *base = reinterpret_cast<float *>(accBytes);
  for (uint64_t i = 0; i < m; ++i) {
    float *row = base + addr + i * stride;
    const float *ci = c + i * n;
    if (accumulate)
      for (uint64_t j = 0; j < n; ++j)
        row[j] += ci[j];
    else
      std::copy(ci, ci + n, row);
  }
}

/// Integer accumulation wraps (as a 32-bit adder does) instead of being
/// undefined in C++.
int32_t wrapAdd(int32_t a, int32_t b) {
  return int32_t(uint32_t(a) + uint32_t(b));
}

} // namespace

Simulator::Simulator(const Config &config)
    : cfg(config), spad(config.scratchpadBytes, 0),
      acc(config.accumulatorBytes, 0),
      spadLines(config.scratchpadBytes / kLineBytes + 1),
      accLines(config.accumulatorBytes / kLineBytes + 1) {}

unsigned Simulator::elemBytes(bool toAcc) const {
  return toAcc ? 4 : dtypeBytes(dtype);
}

template <typename Fn> void Simulator::forLines(const Region &r, Fn fn) {
  std::vector<Line> &lines = r.acc ? accLines : spadLines;
  uint64_t eb = elemBytes(r.acc);
  uint64_t last = UINT64_MAX; // rows may share a line with the row before
  for (uint64_t row = 0; row < r.rows; ++row) {
    uint64_t begin = (r.addr + row * r.stride) * eb;
    uint64_t end = begin + r.cols * eb;
    for (uint64_t l = begin / kLineBytes; l <= (end - 1) / kLineBytes; ++l) {
      if (l == last)
        continue;
      fn(lines[l]);
      last = l;
    }
  }
}

uint64_t Simulator::readyTime(const Region &r, bool closeOpen) {
  uint64_t t = 0;
  bool pending = false;
  forLines(r, [&](Line &l) {
    if (l.readyAt == kPending)
      pending = true;
    else
      t = std::max(t, l.readyAt);
  });
  if (pending && closeOpen) {
    closeChain();
    return readyTime(r, false);
  }
  return t;
}

uint64_t Simulator::freeTime(const Region &r) {
  uint64_t t = 0;
  forLines(r, [&](Line &l) { t = std::max(t, l.freeAt); });
  return t;
}

void Simulator::setReady(const Region &r, uint64_t t) {
  forLines(r, [&](Line &l) { l.readyAt = t; });
}

void Simulator::setFree(const Region &r, uint64_t t) {
  forLines(r, [&](Line &l) { l.freeAt = std::max(l.freeAt, t); });
}

uint64_t Simulator::dmaCycles(uint64_t bytes) const {
  if (cfg.idealMemory)
    return 0;
  return uint64_t(std::ceil(double(bytes) / cfg.bandwidth));
}

void Simulator::event(const char *kind, uint64_t start, uint64_t end) {
  if (!events)
    return;
  // Back-to-back work of one engine is one event: a trace of every DMA of
  // an im2col would be millions. The engine's last event is among the
  // last few.
  int looked = 0;
  for (auto it = events->rbegin(); it != events->rend() && looked++ < 8; ++it)
    if (std::strcmp(it->kind, kind) == 0) {
      if (start <= it->end) {
        it->end = std::max(it->end, end);
        return;
      }
      break;
    }
  events->push_back({kind, start, end});
}

/// The fill and drain of the array's skew: the last operand enters R - 1
/// rows and C - 1 columns after the first.
static uint64_t drainCycles(const Config &c) { return c.rows + c.cols - 2; }

void Simulator::closeChain() {
  if (!chainOpen)
    return;
  tArray += drainCycles(cfg);
  stats->computeCycles += drainCycles(cfg);
  for (const Region &r : chainOutputs)
    setReady(r, tArray);
  chainOutputs.clear();
  chainOpen = false;
  if (events)
    for (auto it = events->rbegin(); it != events->rend(); ++it)
      if (std::strcmp(it->kind, "compute") == 0) {
        it->end = tArray;
        break;
      }
}

std::string Simulator::mvin(const Instr &in,
                            const std::vector<DramRegion> &dram) {
  bool toAcc = in.flags & kToAccumulator;
  Region dst{toAcc, in.sramAddr, in.sramStride, in.rows, in.cols};
  uint64_t rowBytes = in.cols * uint64_t(elemBytes(toAcc));
  uint8_t *sram = toAcc ? acc.data() : spad.data();
  if (in.flags & kZeroFill) {
    // The SRAM's own write port: no DRAM, no DMA time, but the lines it
    // overwrites must have been read.
    for (uint64_t r = 0; r < in.rows; ++r)
      std::memset(sram + (in.sramAddr + r * in.sramStride) * elemBytes(toAcc),
                  0, rowBytes);
    uint64_t at = std::max({tLoad, freeTime(dst), readyTime(dst, true)});
    setReady(dst, at);
    (toAcc ? stats->accWrites : stats->spadWrites) += in.rows * in.cols;
    return "";
  }
  const DramRegion &src = dram[in.binding];
  uint64_t span = (in.rows - 1) * uint64_t(in.dramStride) + rowBytes;
  if (in.dramOffset > src.size || span > src.size - in.dramOffset)
    return "mvin reads bytes " + std::to_string(in.dramOffset) + " to " +
           std::to_string(in.dramOffset + span) + " of binding " +
           std::to_string(in.binding) + ", which has " +
           std::to_string(src.size);
  bool add = in.flags & kAccumulateIn;
  bool intAcc = dtype == Dtype::I8;
  for (uint64_t r = 0; r < in.rows; ++r) {
    uint8_t *to = sram + (in.sramAddr + r * in.sramStride) * elemBytes(toAcc);
    const uint8_t *from = src.data + in.dramOffset + r * in.dramStride;
    if (!add) {
      std::memcpy(to, from, rowBytes);
      continue;
    }
    // Onto the accumulator's values: wrapping i32 or f32 sums.
    stats->accReads += in.cols;
    for (uint64_t c = 0; c < in.cols; ++c) {
      if (intAcc) {
        uint32_t a, b;
        std::memcpy(&a, to + 4 * c, 4);
        std::memcpy(&b, from + 4 * c, 4);
        a += b;
        std::memcpy(to + 4 * c, &a, 4);
      } else {
        float a, b;
        std::memcpy(&a, to + 4 * c, 4);
        std::memcpy(&b, from + 4 * c, 4);
        a += b;
        std::memcpy(to + 4 * c, &a, 4);
      }
    }
  }

  load(dst, in.dramStride == 0 ? rowBytes : rowBytes * in.rows,
       in.binding < roles->size() ? (*roles)[in.binding] : Role::None);
  return "";
}

void Simulator::load(const Region &dst, uint64_t bytes, Role role) {
  uint64_t start = std::max({tLoad, freeTime(dst), readyTime(dst, true)});
  uint64_t done = start + dmaCycles(bytes);
  tLoad = done;
  uint64_t ready = done + (cfg.idealMemory ? 0 : cfg.dramLatency);
  setReady(dst, ready);
  tEnd = std::max(tEnd, ready);
  stats->dramReadBytes += bytes;
  (dst.acc ? stats->accWrites : stats->spadWrites) += dst.rows * dst.cols;
  if (role == Role::Ifmap || role == Role::Filter)
    stats->dram[role == Role::Ifmap ? Ifmap : Filter].add(bytes, start, ready);
  event("load", start, ready);
}

std::string Simulator::im2col(const Instr &in,
                              const std::vector<DramRegion> &dram) {
  const DramRegion &src = dram[in.binding];
  uint64_t eb = dtypeBytes(dtype), window = uint64_t(in.kernelH) * in.kernelW;
  for (uint64_t r = 0; r < in.rows; ++r) {
    uint64_t k = in.k0 + r, ch = k / window;
    uint64_t kh = k % window / in.kernelW, kw = k % in.kernelW;
    uint8_t *row = spad.data() + (in.sramAddr + r * in.sramStride) * eb;
    for (uint64_t c = 0; c < in.cols; ++c) {
      uint64_t m = in.m0 + c, oh = m / in.outW, ow = m % in.outW;
      uint64_t y = oh * in.strideH + kh * in.dilationH;
      uint64_t x = ow * in.strideW + kw * in.dilationW;
      // The image's height and width bound y and x; its channels, the
      // binding's end.
      uint64_t at = in.dramOffset + ((ch * in.height + y) * in.width + x) * eb;
      if (y >= in.height || x >= in.width || at > src.size ||
          src.size - at < eb)
        return "im2col reads pixel (" + std::to_string(ch) + ", " +
               std::to_string(y) + ", " + std::to_string(x) +
               ") outside its image or binding " + std::to_string(in.binding);
      std::memcpy(row + c * eb, src.data + at, eb);
    }
  }
  Region dst{false, in.sramAddr, in.sramStride, in.rows, in.cols};
  load(dst, uint64_t(in.rows) * in.cols * eb,
       in.binding < roles->size() ? (*roles)[in.binding] : Role::None);
  return "";
}

std::string Simulator::mvout(const Instr &in,
                             const std::vector<DramRegion> &dram) {
  bool fromAcc = in.flags & kFromAccumulator;
  Region src{fromAcc, in.sramAddr, in.sramStride, in.rows, in.cols};
  unsigned outBytes = fromAcc ? outTypeBytes(outType) : dtypeBytes(dtype);
  bool transposed = in.flags & kTransposeOut;
  // Element (r, c) of the tile goes to byte dramOffset + r * rowStep +
  // c * colStep.
  uint64_t rowStep = transposed ? outBytes : in.dramStride;
  uint64_t colStep = transposed ? in.dramStride : outBytes;
  uint64_t dramRows = transposed ? in.cols : in.rows;
  uint64_t dramRowBytes = (transposed ? in.rows : in.cols) * uint64_t(outBytes);
  const DramRegion &dst = dram[in.binding];
  uint64_t span = (dramRows - 1) * uint64_t(in.dramStride) + dramRowBytes;
  if (in.dramOffset > dst.size || span > dst.size - in.dramOffset)
    return "mvout writes bytes " + std::to_string(in.dramOffset) + " to " +
           std::to_string(in.dramOffset + span) + " of binding " +
           std::to_string(in.binding) + ", which has " +
           std::to_string(dst.size);
  uint64_t start = std::max(tStore, readyTime(src, true));

  bool intAcc = dtype == Dtype::I8;
  for (uint64_t r = 0; r < in.rows; ++r) {
    uint64_t at = in.sramAddr + r * in.sramStride;
    for (uint64_t c = 0; c < in.cols; ++c) {
      uint8_t *out = dst.data + in.dramOffset + r * rowStep + c * colStep;
      if (!fromAcc) {
        std::memcpy(out, spad.data() + (at + c) * outBytes, outBytes);
        continue;
      }
      const uint8_t *p = acc.data() + (at + c) * 4;
      double v;
      if (intAcc) {
        int32_t i;
        std::memcpy(&i, p, 4);
        // A scale of 1 passes the sum through exactly; another scales it
        // in f32, as the requantization the compiler maps here does.
        v = scale == 1.0f ? double(i) : double(float(i) * scale);
      } else {
        float f;
        std::memcpy(&f, p, 4);
        v = double(f * scale);
      }
      if (activation != Activation::None && v < 0)
        v = 0;
      if (activation == Activation::Relu6 && v > 6)
        v = 6;
      switch (outType) {
      case OutType::F32: {
        float f = float(v);
        std::memcpy(out, &f, 4);
        break;
      }
      case OutType::BF16: {
        uint16_t h = floatToBf16(float(v));
        std::memcpy(out, &h, 2);
        break;
      }
      case OutType::I8: {
        double q = std::nearbyint(std::clamp(v, -128.0, 127.0));
        *out = uint8_t(int8_t(std::isnan(v) ? 0 : q));
        break;
      }
      case OutType::I32: {
        double q = std::nearbyint(std::clamp(v, -2147483648.0, 2147483647.0));
        int32_t i = std::isnan(v) ? 0 : int32_t(q);
        std::memcpy(out, &i, 4);
        break;
      }
      }
    }
  }

  uint64_t bytes = uint64_t(in.rows) * in.cols * outBytes;
  uint64_t done = start + dmaCycles(bytes);
  tStore = done;
  setFree(src, done);
  uint64_t landed = done + (cfg.idealMemory ? 0 : cfg.dramLatency);
  tEnd = std::max(tEnd, landed);
  stats->dramWriteBytes += bytes;
  (fromAcc ? stats->accReads : stats->spadReads) += in.rows * in.cols;
  if (in.binding < roles->size() && (*roles)[in.binding] == Role::Ofmap)
    stats->dram[Ofmap].add(bytes, start, landed);
  event("store", start, landed);
  return "";
}

void Simulator::preload(const Instr &in) {
  closeChain();
  Region tile{false, in.sramAddr, in.sramStride, in.rows, in.cols};
  uint64_t start = std::max(tArray, readyTime(tile, true));
  // The stationary tile shifts in one array row per cycle, through all R.
  tArray = start + cfg.rows;
  stats->computeCycles += cfg.rows;
  setFree(tile, tArray);
  stats->spadReads += uint64_t(in.rows) * in.cols;
  stats->sram[cfg.dataflow == Dataflow::WeightStationary ? Filter : Ifmap].add(
      uint64_t(in.rows) * in.cols, start, tArray);
  // The operand as the array holds it: ws B (k x n), is A (m x k).
  bool transposed = in.flags & kPreloadTransposed;
  uint64_t rows = transposed ? in.cols : in.rows;
  uint64_t cols = transposed ? in.rows : in.cols;
  size_t count = size_t(rows) * cols;
  if (dtype == Dtype::I8) {
    stationaryI.resize(count);
    readOperand(spad.data(), dtype, in.sramAddr, in.sramStride, rows, cols,
                transposed, stationaryI.data());
  } else {
    stationaryF.resize(count);
    readOperand(spad.data(), dtype, in.sramAddr, in.sramStride, rows, cols,
                transposed, stationaryF.data());
  }
  event("preload", start, tArray);
}

void Simulator::compute(const Instr &in) {
  bool cont = in.flags & kContinue, accumulate = in.flags & kAccumulate;
  Dataflow df = cfg.dataflow;
  bool os = df == Dataflow::OutputStationary;
  bool ws = df == Dataflow::WeightStationary;
  bool is = df == Dataflow::InputStationary;
  if (!cont && os)
    closeChain();
  bool ta = in.flags & kTransposeA, tb = in.flags & kTransposeB;
  Region a{false, in.aAddr, in.aStride, ta ? in.k : in.m, ta ? in.m : in.k};
  Region b{false, in.bAddr, in.bStride, tb ? in.n : in.k, tb ? in.k : in.n};
  Region c{true, in.cAddr, in.cStride, in.m, in.n};
  uint64_t start = std::max(tArray, freeTime(c));
  if (!is)
    start = std::max(start, readyTime(a, true));
  if (!ws)
    start = std::max(start, readyTime(b, true));
  if (accumulate)
    start = std::max(start, readyTime(c, !cont));
  if (!cont) {
    stats->folds += 1;
    stats->mappedPEs +=
        os ? double(in.m) * in.n : double(in.k) * (ws ? in.n : in.m);
    chainOpen = true;
  }
  uint64_t stream = os ? in.k : ws ? in.m : in.n;
  tArray = start + stream;
  stats->computeCycles += stream;
  uint64_t readsDone = tArray + drainCycles(cfg);
  if (!is)
    setFree(a, readsDone);
  if (!ws)
    setFree(b, readsDone);
  setReady(c, kPending);
  chainOutputs.push_back(c);
  uint64_t m = in.m, k = in.k, n = in.n;
  stats->macs += m * k * n;
  stats->spadReads += (is ? 0 : m * k) + (ws ? 0 : k * n);
  stats->accWrites += m * n;
  if (!is)
    stats->sram[Ifmap].add(m * k, start, tArray);
  if (!ws)
    stats->sram[Filter].add(k * n, start, tArray);
  // An output-stationary fold keeps its sums in the PEs and writes them
  // once; the others write every streamed row or column.
  if (!(os && cont))
    stats->sram[Ofmap].add(m * n, start, readsDone);
  stats->accReads += accumulate ? m * n : 0;
  event("compute", start, tArray);

  if (dtype == Dtype::I8) {
    std::vector<int32_t> at, bt;
    const int32_t *ap = stationaryI.data(), *bp = stationaryI.data();
    if (!is) {
      at.resize(m * k);
      readOperand(spad.data(), dtype, in.aAddr, in.aStride, m, k, ta,
                  at.data());
      ap = at.data();
    }
    if (!ws) {
      bt.resize(k * n);
      readOperand(spad.data(), dtype, in.bAddr, in.bStride, k, n, tb,
                  bt.data());
      bp = bt.data();
    }
    // Each i8 x i8 product fits 16 bits and k is below 2^32, so int64
    // sums are exact; the hardware's adder is 32 bits wide and wraps.
    std::vector<int64_t> wide(m * n);
    matmul(ap, bp, wide.data(), m, k, n);
    int32_t *base = reinterpret_cast<int32_t *>(acc.data());
    for (uint64_t i = 0; i < m; ++i)
      for (uint64_t j = 0; j < n; ++j) {
        int32_t &dst = base[in.cAddr + i * in.cStride + j];
        int32_t v = int32_t(uint32_t(uint64_t(wide[i * n + j])));
        dst = accumulate ? wrapAdd(dst, v) : v;
      }
    return;
  }
  std::vector<float> at, bt, ct(m * n);
  const float *ap = stationaryF.data(), *bp = stationaryF.data();
  if (!is) {
    at.resize(m * k);
    readOperand(spad.data(), dtype, in.aAddr, in.aStride, m, k, ta, at.data());
    ap = at.data();
  }
  if (!ws) {
    bt.resize(k * n);
    readOperand(spad.data(), dtype, in.bAddr, in.bStride, k, n, tb, bt.data());
    bp = bt.data();
  }
  matmul(ap, bp, ct.data(), m, k, n);
  accumulateInto(acc.data(), in.cAddr, in.cStride, ct.data(), m, n, accumulate);
}

std::string Simulator::run(const Kernel &kernel,
                           const std::vector<DramRegion> &dram, RunStats *out,
                           std::vector<TileEvent> *trace) {
  *out = RunStats();
  out->pes = uint64_t(cfg.rows) * cfg.cols;
  stats = out;
  roles = &kernel.roles;
  events = trace;
  std::fill(spadLines.begin(), spadLines.end(), Line());
  std::fill(accLines.begin(), accLines.end(), Line());
  tLoad = tStore = tArray = tEnd = 0;
  chainOpen = false;
  chainOutputs.clear();
  for (size_t i = 0; i < kernel.instrs.size(); ++i) {
    const Instr &in = kernel.instrs[i];
    std::string error;
    switch (in.op) {
    case Opcode::Config:
      closeChain();
      dtype = in.dtype;
      activation = in.activation;
      scale = in.scale;
      outType = in.outType;
      break;
    case Opcode::Mvin:
      error = mvin(in, dram);
      break;
    case Opcode::Mvout:
      error = mvout(in, dram);
      break;
    case Opcode::Im2col:
      error = im2col(in, dram);
      break;
    case Opcode::Preload:
      preload(in);
      break;
    case Opcode::Compute:
      compute(in);
      break;
    case Opcode::Fence: {
      closeChain();
      uint64_t t = std::max({tLoad, tStore, tArray, tEnd});
      tLoad = tStore = tArray = tEnd = t;
      break;
    }
    }
    if (!error.empty())
      return "kernel '" + kernel.name + "' instruction " + std::to_string(i) +
             ": " + error;
  }
  closeChain();
  out->cycles = std::max({tLoad, tStore, tArray, tEnd});
  stats = nullptr;
  events = nullptr;
  roles = nullptr;
  return "";
}

} // namespace strata::systolic
