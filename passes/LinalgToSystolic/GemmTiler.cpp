//===- GemmTiler.cpp - GEMMs and convolutions as systolic programs --------===//

#include "passes/LinalgToSystolic/GemmTiler.h"

#include <algorithm>

namespace strata::systolic {

namespace {

/// Writes the instructions of one problem.
class Tiler {
public:
  Tiler(const GemmProblem &p, const Config &c, std::vector<Instr> *out)
      : p(p), cfg(c), out(*out), eb(dtypeBytes(p.dtype)),
        spadElems(c.scratchpadBytes / eb), accElems(c.accumulatorBytes / 4) {}

  std::string run();

private:
  /// A tile as it lands in the scratchpad.
  struct Stored {
    uint32_t addr, stride;
    bool transposed; // stored as (cols x rows) of the logical tile
  };

  void emit(const Instr &in) { out.push_back(in); }
  void mvin(uint32_t binding, uint64_t offset, uint64_t dramStride,
            uint64_t addr, uint64_t sramStride, uint64_t rows, uint64_t cols);
  /// Clears a tile of the scratchpad or (`acc`) the accumulator.
  void zeroFill(bool acc, uint64_t addr, uint64_t stride, uint64_t rows,
                uint64_t cols);
  /// Loads rows [i0, i0 + it) x columns [j0, j0 + jt) of matrix `layout`
  /// to `addr`, in whichever orientation its DRAM rows allow.
  Stored loadMatrix(const MatrixLayout &layout, uint64_t batch, uint64_t i0,
                    uint64_t it, uint64_t j0, uint64_t jt, uint32_t addr);
  Stored loadA(const Product &x, uint64_t batch, uint64_t m0, uint64_t mt,
               uint64_t k0, uint64_t kt, uint32_t addr);
  Stored loadB(const Product &x, uint64_t batch, uint64_t k0, uint64_t kt,
               uint64_t n0, uint64_t nt, uint32_t addr);
  /// The rows of K that columns [n0, n0 + nt) of `x` fold: all of them,
  /// or a block-diagonal B's band.
  std::pair<uint64_t, uint64_t> kRange(const Product &x, uint64_t n0,
                                       uint64_t nt) const {
    if (!x.band)
      return {0, x.k};
    return {n0 * x.band, std::min(x.k, (n0 + nt) * x.band)};
  }
  /// A chunk of K at most `most` deep; whole bands for a block-diagonal B
  /// where one fits, so that each column's band lands in one chunk.
  static uint64_t chunkOf(const Product &x, uint64_t most) {
    return x.band && most >= x.band ? most - most % x.band : most;
  }
  void storeC(uint64_t batch, uint64_t m0, uint64_t mt, uint64_t n0,
              uint64_t nt, uint32_t accAddr, uint32_t accStride);
  /// Loads the addends' tiles into the accumulator, if there are any.
  void loadAddend(uint64_t batch, uint64_t m0, uint64_t mt, uint64_t n0,
                  uint64_t nt, uint32_t accAddr, uint32_t accStride);
  void preload(const Stored &s, uint64_t rows, uint64_t cols);
  void compute(const Stored *a, const Stored *b, uint32_t c, uint32_t cStride,
               uint64_t m, uint64_t k, uint64_t n, bool accumulate, bool cont);

  std::string outputStationary();
  /// Weight-stationary (`weights`) or input-stationary folds.
  std::string stationary(bool weights);

  const GemmProblem &p;
  const Config &cfg;
  std::vector<Instr> &out;
  const uint64_t eb, spadElems, accElems;
};

void Tiler::mvin(uint32_t binding, uint64_t offset, uint64_t dramStride,
                 uint64_t addr, uint64_t sramStride, uint64_t rows,
                 uint64_t cols) {
  Instr in;
  in.op = Opcode::Mvin;
  in.binding = binding;
  in.dramOffset = offset;
  in.dramStride = uint32_t(dramStride);
  in.sramAddr = uint32_t(addr);
  in.sramStride = uint32_t(sramStride);
  in.rows = uint32_t(rows);
  in.cols = uint32_t(cols);
  emit(in);
}

void Tiler::zeroFill(bool acc, uint64_t addr, uint64_t stride, uint64_t rows,
                     uint64_t cols) {
  Instr in;
  in.op = Opcode::Mvin;
  in.flags = kZeroFill | (acc ? kToAccumulator : 0);
  in.sramAddr = uint32_t(addr);
  in.sramStride = uint32_t(stride);
  in.rows = uint32_t(rows);
  in.cols = uint32_t(cols);
  emit(in);
}

Tiler::Stored Tiler::loadMatrix(const MatrixLayout &l, uint64_t batch,
                                uint64_t i0, uint64_t it, uint64_t j0,
                                uint64_t jt, uint32_t addr) {
  uint64_t base =
      l.offset + batch * l.batchStride + i0 * l.rowStride + j0 * l.colStride;
  if (l.colStride == eb) { // rows contiguous
    mvin(l.binding, base, l.rowStride, addr, jt, it, jt);
    return {addr, uint32_t(jt), false};
  }
  if (l.rowStride == eb) { // columns contiguous: store the transpose
    mvin(l.binding, base, l.colStride, addr, it, jt, it);
    return {addr, uint32_t(it), true};
  }
  // Neither: gather each row's elements, one DMA row each.
  for (uint64_t i = 0; i < it; ++i)
    mvin(l.binding, base + i * l.rowStride, l.colStride, addr + i * jt, 1, jt,
         1);
  return {addr, uint32_t(jt), false};
}

Tiler::Stored Tiler::loadA(const Product &x, uint64_t batch, uint64_t m0,
                           uint64_t mt, uint64_t k0, uint64_t kt,
                           uint32_t addr) {
  if (!x.aIsIm2col)
    return loadMatrix(x.a, batch, m0, mt, k0, kt, addr);
  // The transpose (kt x mt), by the DMA engine's im2col.
  const Im2colLayout &c = x.im2col;
  Instr in;
  in.op = Opcode::Im2col;
  in.binding = c.binding;
  in.dramOffset = c.offset + batch * c.batchStride;
  in.height = uint32_t(c.height);
  in.width = uint32_t(c.width);
  in.kernelH = uint32_t(c.kernelH);
  in.kernelW = uint32_t(c.kernelW);
  in.strideH = uint32_t(c.strideH);
  in.strideW = uint32_t(c.strideW);
  in.dilationH = uint32_t(c.dilationH);
  in.dilationW = uint32_t(c.dilationW);
  in.outW = uint32_t(c.outW);
  in.k0 = uint32_t(k0);
  in.m0 = uint32_t(m0);
  in.rows = uint32_t(kt);
  in.cols = uint32_t(mt);
  in.sramAddr = addr;
  in.sramStride = uint32_t(mt);
  emit(in);
  return {addr, uint32_t(mt), true};
}

Tiler::Stored Tiler::loadB(const Product &x, uint64_t batch, uint64_t k0,
                           uint64_t kt, uint64_t n0, uint64_t nt,
                           uint32_t addr) {
  if (!x.band)
    return loadMatrix(x.b, batch, k0, kt, n0, nt, addr);
  // Stored transposed (nt rows of kt), zeroed, then the columns whose band
  // lies in the chunk: one DMA whose rows step a band to the right.
  zeroFill(/*acc=*/false, addr, kt, nt, kt);
  uint64_t base = x.b.offset + batch * x.b.batchStride;
  uint64_t first = std::max(n0, (k0 + x.band - 1) / x.band);
  uint64_t last = std::min(n0 + nt, (k0 + kt) / x.band);
  if (first < last)
    mvin(x.b.binding, base + first * x.band * x.b.rowStride,
         x.band * x.b.rowStride, addr + (first - n0) * kt + first * x.band - k0,
         kt + x.band, last - first, x.band);
  // A band deeper than the chunk: the parts of the columns it cuts.
  for (uint64_t j = n0; j < n0 + nt; ++j) {
    uint64_t lo = std::max(j * x.band, k0);
    uint64_t hi = std::min((j + 1) * x.band, k0 + kt);
    if (lo < hi && (j < first || j >= last))
      mvin(x.b.binding, base + lo * x.b.rowStride, 0,
           addr + (j - n0) * kt + lo - k0, 1, 1, hi - lo);
  }
  return {addr, uint32_t(kt), true};
}

void Tiler::storeC(uint64_t batch, uint64_t m0, uint64_t mt, uint64_t n0,
                   uint64_t nt, uint32_t accAddr, uint32_t accStride) {
  const MatrixLayout &l = p.c;
  uint64_t ob = outTypeBytes(p.out);
  Instr in;
  in.op = Opcode::Mvout;
  in.flags = kFromAccumulator;
  in.binding = l.binding;
  in.dramOffset =
      l.offset + batch * l.batchStride + m0 * l.rowStride + n0 * l.colStride;
  in.sramAddr = accAddr;
  in.sramStride = accStride;
  in.rows = uint32_t(mt);
  in.cols = uint32_t(nt);
  if (l.colStride == ob) {
    in.dramStride = uint32_t(l.rowStride);
    emit(in);
  } else if (l.rowStride == ob) {
    in.flags |= kTransposeOut;
    in.dramStride = uint32_t(l.colStride);
    emit(in);
  } else {
    // Neither orientation is contiguous: one element a DMA.
    for (uint64_t i = 0; i < mt; ++i)
      for (uint64_t j = 0; j < nt; ++j) {
        Instr one = in;
        one.dramOffset = in.dramOffset + i * l.rowStride + j * l.colStride;
        one.sramAddr = uint32_t(accAddr + i * accStride + j);
        one.rows = one.cols = 1;
        one.dramStride = 0;
        emit(one);
      }
  }
}

void Tiler::loadAddend(uint64_t batch, uint64_t m0, uint64_t mt, uint64_t n0,
                       uint64_t nt, uint32_t accAddr, uint32_t accStride) {
  for (const MatrixLayout &l : p.addends) {
    uint64_t base =
        l.offset + batch * l.batchStride + m0 * l.rowStride + n0 * l.colStride;
    Instr in;
    in.op = Opcode::Mvin;
    in.flags = kToAccumulator | (&l == &p.addends.front() ? 0 : kAccumulateIn);
    in.binding = l.binding;
    if (l.colStride == 4) { // rows contiguous, or one row broadcast
      in.dramOffset = base;
      in.dramStride = uint32_t(l.rowStride);
      in.sramAddr = accAddr;
      in.sramStride = accStride;
      in.rows = uint32_t(mt);
      in.cols = uint32_t(nt);
      emit(in);
      continue;
    }
    // Columns contiguous (a residual of a transposed C): a column a DMA, one
    // element per accumulator row.
    for (uint64_t j = 0; j < nt; ++j) {
      in.dramOffset = base + j * l.colStride;
      in.dramStride = uint32_t(l.rowStride);
      in.sramAddr = uint32_t(accAddr + j);
      in.sramStride = accStride;
      in.rows = uint32_t(mt);
      in.cols = 1;
      emit(in);
    }
  }
}

void Tiler::preload(const Stored &s, uint64_t rows, uint64_t cols) {
  Instr in;
  in.op = Opcode::Preload;
  in.flags = s.transposed ? kPreloadTransposed : 0;
  in.sramAddr = s.addr;
  in.sramStride = s.stride;
  in.rows = uint32_t(s.transposed ? cols : rows);
  in.cols = uint32_t(s.transposed ? rows : cols);
  emit(in);
}

void Tiler::compute(const Stored *a, const Stored *b, uint32_t c,
                    uint32_t cStride, uint64_t m, uint64_t k, uint64_t n,
                    bool accumulate, bool cont) {
  Instr in;
  in.op = Opcode::Compute;
  in.flags = (accumulate ? kAccumulate : 0) | (cont ? kContinue : 0);
  if (a) {
    in.aAddr = a->addr;
    in.aStride = a->stride;
    in.flags |= a->transposed ? kTransposeA : 0;
  }
  if (b) {
    in.bAddr = b->addr;
    in.bStride = b->stride;
    in.flags |= b->transposed ? kTransposeB : 0;
  }
  in.cAddr = c;
  in.cStride = cStride;
  in.m = uint32_t(m);
  in.k = uint32_t(k);
  in.n = uint32_t(n);
  emit(in);
}

std::string Tiler::outputStationary() {
  const uint64_t R = cfg.rows, C = cfg.cols;
  // Each half of the scratchpad holds an A chunk (R x kc) and a B chunk
  // (kc x C): one half loads while the array streams the other.
  uint64_t deepest = 0, room = spadElems / 2 / (R + C);
  for (const Product &x : p.products)
    deepest = std::max(deepest, x.band ? x.band * C : x.k);
  uint64_t kc = std::min<uint64_t>(deepest, room);
  if (kc == 0)
    return "the scratchpad cannot hold a row of A and a column of B twice";
  uint64_t tile = R * C;
  if (tile > accElems)
    return "the accumulator cannot hold one output tile";
  bool twoTiles = 2 * tile <= accElems;
  uint32_t half = uint32_t(spadElems / 2), slot = 0, cslot = 0;
  for (uint64_t b = 0; b < p.batch; ++b)
    for (uint64_t n0 = 0; n0 < p.n; n0 += C)
      for (uint64_t m0 = 0; m0 < p.m; m0 += R) {
        uint64_t mt = std::min(R, p.m - m0), nt = std::min(C, p.n - n0);
        uint32_t c = twoTiles ? uint32_t((cslot++ % 2) * tile) : 0;
        loadAddend(b, m0, mt, n0, nt, c, uint32_t(nt));
        bool first = true;
        for (const Product &x : p.products) {
          auto [kBegin, kEnd] = kRange(x, n0, nt);
          uint64_t step = chunkOf(x, kc);
          for (uint64_t k0 = kBegin; k0 < kEnd; k0 += step) {
            uint64_t kt = std::min(step, kEnd - k0);
            uint32_t at = (slot++ % 2) * half;
            Stored a = loadA(x, b, m0, mt, k0, kt, at);
            Stored bt = loadB(x, b, k0, kt, n0, nt, uint32_t(at + R * kc));
            compute(&a, &bt, c, uint32_t(nt), mt, kt, nt,
                    !first || !p.addends.empty(), !first);
            first = false;
          }
        }
        storeC(b, m0, mt, n0, nt, c, uint32_t(nt));
      }
  return "";
}

std::string Tiler::stationary(bool weights) {
  // ws keeps K x N weight tiles and streams M; is keeps the M x K input
  // tiles and streams N. "Held" is the stationary tile's other dimension
  // (n on ws, m on is), up to C; "streamed" the one that flows through.
  const uint64_t R = cfg.rows, C = cfg.cols;
  const uint64_t held = weights ? p.n : p.m, streamed = weights ? p.m : p.n;
  // Two stationary tiles, then two halves for streamed chunks (R deep).
  uint64_t rest = spadElems > 2 * R * C ? spadElems - 2 * R * C : 0;
  uint64_t chunk = rest / 2 / R;
  if (chunk == 0)
    return "the scratchpad cannot hold two stationary tiles and two "
           "streamed rows";
  // The accumulator holds a block of `group` streamed outputs for one held
  // tile, twice where that splits no fold, so that one block drains while
  // the next computes: a split costs a preload and a drain per fold.
  uint64_t group = std::min(streamed, accElems / (2 * C));
  bool twoBlocks = group > 0 && (group == streamed || streamed > accElems / C);
  if (!twoBlocks)
    group = std::min(streamed, accElems / C);
  if (group == 0)
    return "the accumulator cannot hold one row of outputs";
  uint32_t streamBase = uint32_t(2 * R * C), half = uint32_t(rest / 2);
  uint32_t hslot = 0, slot = 0, cslot = 0;
  for (uint64_t b = 0; b < p.batch; ++b)
    for (uint64_t h0 = 0; h0 < held; h0 += C) {
      uint64_t ht = std::min(C, held - h0);
      for (uint64_t g0 = 0; g0 < streamed; g0 += group) {
        uint64_t gt = std::min(group, streamed - g0);
        uint32_t c = twoBlocks ? uint32_t((cslot++ % 2) * group * C) : 0;
        if (weights)
          loadAddend(b, g0, gt, h0, ht, c, uint32_t(ht));
        else
          loadAddend(b, h0, ht, g0, gt, c, uint32_t(gt));
        bool firstFold = p.addends.empty();
        // On is, a block-diagonal B's K chunk reaches only some of the
        // streamed columns, which are all that stream: every column then
        // starts from zero.
        if (!weights && firstFold &&
            std::any_of(p.products.begin(), p.products.end(),
                        [](const Product &x) { return x.band != 0; })) {
          zeroFill(/*acc=*/true, c, gt, ht, gt);
          firstFold = false;
        }
        for (const Product &x : p.products) {
          // The band of the held columns (ws) or of the streamed block (is).
          auto [kBegin, kEnd] = weights ? kRange(x, h0, ht) : kRange(x, g0, gt);
          uint64_t step = chunkOf(x, R);
          for (uint64_t k0 = kBegin; k0 < kEnd; k0 += step) {
            uint64_t kt = std::min(step, kEnd - k0);
            uint32_t at = uint32_t((hslot++ % 2) * R * C);
            if (weights)
              preload(loadB(x, b, k0, kt, h0, ht, at), kt, ht);
            else
              preload(loadA(x, b, h0, ht, k0, kt, at), ht, kt);
            uint64_t tBegin = g0, tEnd = g0 + gt;
            if (!weights && x.band) {
              tBegin = std::max(g0, k0 / x.band);
              tEnd = std::min(g0 + gt, (k0 + kt + x.band - 1) / x.band);
            }
            for (uint64_t t0 = tBegin; t0 < tEnd; t0 += chunk) {
              uint64_t tt = std::min(chunk, tEnd - t0);
              uint32_t addr = streamBase + (slot++ % 2) * half;
              bool cont = t0 > tBegin;
              // The block is gt x ht on ws, ht x gt on is.
              if (weights) {
                Stored a = loadA(x, b, t0, tt, k0, kt, addr);
                compute(&a, nullptr, uint32_t(c + (t0 - g0) * ht), uint32_t(ht),
                        tt, kt, ht, !firstFold, cont);
              } else {
                Stored bt = loadB(x, b, k0, kt, t0, tt, addr);
                compute(nullptr, &bt, uint32_t(c + (t0 - g0)), uint32_t(gt), ht,
                        kt, tt, !firstFold, cont);
              }
            }
            firstFold = false;
          }
        }
        if (weights)
          storeC(b, g0, gt, h0, ht, c, uint32_t(ht));
        else
          storeC(b, h0, ht, g0, gt, c, uint32_t(gt));
      }
    }
  return "";
}

std::string Tiler::run() {
  Instr config;
  config.op = Opcode::Config;
  config.dataflow = cfg.dataflow;
  config.dtype = p.dtype;
  config.outType = p.out;
  config.activation = p.activation;
  config.scale = p.scale;
  emit(config);
  switch (cfg.dataflow) {
  case Dataflow::OutputStationary:
    return outputStationary();
  case Dataflow::WeightStationary:
    return stationary(/*weights=*/true);
  case Dataflow::InputStationary:
    return stationary(/*weights=*/false);
  }
  return "unknown dataflow";
}

} // namespace

std::string tileGemm(const GemmProblem &problem, const Config &config,
                     std::vector<Instr> *out) {
  return Tiler(problem, config, out).run();
}

} // namespace strata::systolic
