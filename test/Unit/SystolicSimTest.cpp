//===- SystolicSimTest.cpp - the systolic simulator against SCALE-Sim -----===//
//
// Programs the compiler's tiler (passes/LinalgToSystolic/GemmTiler) folds
// the way SCALE-Sim folds a layer run on the simulator with ideal memory:
// the cycles must be SCALE-Sim's CALC-mode golden "Total Cycles" plus one
// (SCALE-Sim counts to the cycle the last output is demanded,
// docs/systolic-vs-scalesim.md), the mapping efficiency its figure exactly, and
// the numbers the exact integer product, for GEMMs and for convolutions read
// through the tiler's im2col DMA. The golden figures are copied from
// ../shared/reference/systolic (scalesim_v2, scalesim_v2_runs_calc,
// scalesim_v3_runs). Also: configurations, the program format's checks, DMA
// stalls and double buffering.
//
//===----------------------------------------------------------------------===//

#include "passes/LinalgToSystolic/GemmTiler.h"
#include "runtime/devices/systolic/sim/Simulator.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>

using namespace strata::systolic;

namespace {

Config arrayConfig(uint32_t side, Dataflow dataflow) {
  Config c;
  c.rows = c.cols = side;
  c.dataflow = dataflow;
  c.dtype = Dtype::I8;
  c.scratchpadBytes = 128 * 1024;
  // Holds a whole column block of partial sums, which SCALE-Sim assumes.
  c.accumulatorBytes = 1024 * 1024;
  return c;
}

Instr configInstr(const Config &c, OutType out = OutType::I32) {
  Instr in;
  in.op = Opcode::Config;
  in.dataflow = c.dataflow;
  in.dtype = c.dtype;
  in.outType = out;
  return in;
}

Instr mvin(uint32_t binding, uint64_t offset, uint32_t stride, uint32_t addr,
           uint32_t sramStride, uint32_t rows, uint32_t cols,
           bool toAcc = false) {
  Instr in;
  in.op = Opcode::Mvin;
  in.flags = toAcc ? kToAccumulator : 0;
  in.binding = binding;
  in.dramOffset = offset;
  in.dramStride = stride;
  in.sramAddr = addr;
  in.sramStride = sramStride;
  in.rows = rows;
  in.cols = cols;
  return in;
}

Instr mvout(uint32_t binding, uint64_t offset, uint32_t stride, uint32_t addr,
            uint32_t sramStride, uint32_t rows, uint32_t cols) {
  Instr in = mvin(binding, offset, stride, addr, sramStride, rows, cols, true);
  in.op = Opcode::Mvout;
  return in;
}

Instr preload(uint32_t addr, uint32_t stride, uint32_t rows, uint32_t cols) {
  Instr in;
  in.op = Opcode::Preload;
  in.sramAddr = addr;
  in.sramStride = stride;
  in.rows = rows;
  in.cols = cols;
  return in;
}

Instr compute(uint32_t a, uint32_t aStride, uint32_t b, uint32_t bStride,
              uint32_t c, uint32_t cStride, uint32_t m, uint32_t k, uint32_t n,
              bool accumulate, bool cont) {
  Instr in;
  in.op = Opcode::Compute;
  in.flags = (accumulate ? kAccumulate : 0) | (cont ? kContinue : 0);
  in.aAddr = a;
  in.aStride = aStride;
  in.bAddr = b;
  in.bStride = bStride;
  in.cAddr = c;
  in.cStride = cStride;
  in.m = m;
  in.k = k;
  in.n = n;
  return in;
}

/// C[M x N] (4-byte elements, binding 2) = A[M x K] * B[K x N] (elements
/// of the config's dtype, bindings 0 and 1, row-major), as the compiler's
/// tiler folds it for the dataflow.
Kernel tileGemm(const Config &cfg, uint32_t M, uint32_t N, uint32_t K) {
  uint64_t e = dtypeBytes(cfg.dtype);
  GemmProblem p;
  p.m = M;
  p.n = N;
  Product x;
  x.k = K;
  p.dtype = cfg.dtype;
  p.out = cfg.dtype == Dtype::I8 ? OutType::I32 : OutType::F32;
  x.a = {0, 0, K * e, e, 0};
  x.b = {1, 0, N * e, e, 0};
  p.products = {x};
  p.c = {2, 0, N * 4, 4, 0};
  Kernel k{"gemm", {}};
  REQUIRE(strata::systolic::tileGemm(p, cfg, &k.instrs) == "");
  return k;
}

Program programFor(const Config &cfg, Kernel kernel) {
  Program p;
  p.rows = cfg.rows;
  p.cols = cfg.cols;
  p.dataflow = cfg.dataflow;
  p.scratchpadBytes = cfg.scratchpadBytes;
  p.accumulatorBytes = cfg.accumulatorBytes;
  p.config = cfg;
  p.kernels.push_back(std::move(kernel));
  return p;
}

struct GemmRun {
  RunStats stats;
  bool exact = false;
};

/// Runs the tiled GEMM on random i8 data and compares with the product.
GemmRun runGemm(const Config &cfg, uint32_t M, uint32_t N, uint32_t K) {
  Program program = programFor(cfg, tileGemm(cfg, M, N, K));
  REQUIRE(checkKernel(program, program.kernels[0], 3) == "");
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<int8_t> a(size_t(M) * K), b(size_t(K) * N);
  for (int8_t &v : a)
    v = int8_t(dist(rng));
  for (int8_t &v : b)
    v = int8_t(dist(rng));
  std::vector<int32_t> c(size_t(M) * N, 0x5a5a5a5a);
  std::vector<DramRegion> dram = {
      {reinterpret_cast<uint8_t *>(a.data()), a.size()},
      {reinterpret_cast<uint8_t *>(b.data()), b.size()},
      {reinterpret_cast<uint8_t *>(c.data()), c.size() * 4}};
  Simulator sim(cfg);
  GemmRun run;
  REQUIRE(sim.run(program.kernels[0], dram, &run.stats) == "");
  run.exact = true;
  for (uint32_t i = 0; i < M && run.exact; ++i)
    for (uint32_t j = 0; j < N; ++j) {
      int32_t want = 0;
      for (uint32_t p = 0; p < K; ++p)
        want += int32_t(a[size_t(i) * K + p]) * b[size_t(p) * N + j];
      if (c[size_t(i) * N + j] != want) {
        run.exact = false;
        break;
      }
    }
  return run;
}

struct Golden {
  const char *name;
  Dataflow dataflow;
  uint32_t side;
  // SCALE-Sim's GEMM view of the layer: Sr x T times T x Sc.
  uint32_t sr, sc, t;
  uint64_t totalCycles;
  double mappingEfficiency;
};

// gemm_small_mnk.csv rows G1-G4 (M, N, K), test.csv's Inc5b_3x3 (a 5x5
// output, 3x3x192 window, 384 filters), alexnet_part.csv's Conv1 (55x55
// outputs of an 11x11x3 window, 96 filters), the v3 GEMM 256x128x256.
const Golden kGolden[] = {
    {"G1 os", Dataflow::OutputStationary, 32, 128, 64, 256, 2543, 100.0},
    {"G2 os", Dataflow::OutputStationary, 32, 100, 50, 70, 1055, 61.03515625},
    {"G3 os", Dataflow::OutputStationary, 32, 64, 64, 64, 503, 100.0},
    {"G4 os", Dataflow::OutputStationary, 32, 33, 17, 300, 723, 27.392578125},
    {"G1 ws", Dataflow::WeightStationary, 32, 128, 64, 256, 3551, 100.0},
    {"G2 ws", Dataflow::WeightStationary, 32, 100, 50, 70, 1163,
     56.966145833333336},
    {"G3 ws", Dataflow::WeightStationary, 32, 64, 64, 64, 631, 100.0},
    {"G4 ws", Dataflow::WeightStationary, 32, 33, 17, 300, 1269, 49.8046875},
    {"G1 is", Dataflow::InputStationary, 32, 128, 64, 256, 5055, 100.0},
    {"G2 is", Dataflow::InputStationary, 32, 100, 50, 70, 1727,
     56.966145833333336},
    {"G3 is", Dataflow::InputStationary, 32, 64, 64, 64, 631, 100.0},
    {"G4 is", Dataflow::InputStationary, 32, 33, 17, 300, 2219, 48.33984375},
    {"conv 32 os", Dataflow::OutputStationary, 32, 25, 384, 1728, 21479,
     78.125},
    {"conv 32 ws", Dataflow::WeightStationary, 32, 25, 384, 1728, 77111, 100.0},
    {"conv 32 is", Dataflow::InputStationary, 32, 25, 384, 1728, 25811, 78.125},
    {"conv 16 os", Dataflow::OutputStationary, 16, 25, 384, 1728, 84383,
     78.125},
    {"conv 16 ws", Dataflow::WeightStationary, 16, 25, 384, 1728, 184031,
     100.0},
    {"conv 16 is", Dataflow::InputStationary, 16, 25, 384, 1728, 92879, 78.125},
    {"alexnet os", Dataflow::OutputStationary, 32, 3025, 96, 363, 121124,
     99.50657894736842},
    {"alexnet ws", Dataflow::WeightStationary, 32, 3025, 96, 363, 112283,
     94.53125},
    {"v3 os", Dataflow::OutputStationary, 32, 256, 128, 256, 10175, 100.0},
    {"v3 ws", Dataflow::WeightStationary, 32, 256, 128, 256, 11199, 100.0},
    {"v3 is", Dataflow::InputStationary, 32, 256, 128, 256, 14207, 100.0},
};

} // namespace

TEST_CASE("systolic: CALC-mode cycles and mapping match SCALE-Sim's goldens",
          "[systolic]") {
  for (const Golden &g : kGolden) {
    INFO(g.name);
    Config cfg = arrayConfig(g.side, g.dataflow);
    GemmRun run = runGemm(cfg, g.sr, g.sc, g.t);
    CHECK(run.exact);
    CHECK(run.stats.cycles == g.totalCycles + 1);
    CHECK(run.stats.stallCycles() == 0);
    double mapping = 100.0 * run.stats.mappedPEs /
                     (double(run.stats.folds) * g.side * g.side);
    CHECK(mapping == Approx(g.mappingEfficiency).epsilon(1e-12));
    CHECK(run.stats.macs == uint64_t(g.sr) * g.sc * g.t);
  }
}

namespace {

/// An NCHW convolution of one image (i8, binding 0) with F filters (i8,
/// binding 1) into i32 outputs (binding 2), through the tiler's im2col,
/// checked against a direct convolution.
GemmRun runConv(const Config &cfg, uint64_t C, uint64_t H, uint64_t W,
                uint64_t F, uint64_t KH, uint64_t KW, uint64_t S) {
  uint64_t OH = (H - KH) / S + 1, OW = (W - KW) / S + 1;
  GemmProblem p;
  p.m = OH * OW;
  p.n = F;
  Product x;
  x.k = C * KH * KW;
  p.dtype = Dtype::I8;
  p.out = OutType::I32;
  x.aIsIm2col = true;
  x.im2col.binding = 0;
  x.im2col.height = H;
  x.im2col.width = W;
  x.im2col.kernelH = KH;
  x.im2col.kernelW = KW;
  x.im2col.outW = OW;
  x.im2col.strideH = x.im2col.strideW = S;
  x.b = {1, 0, 1, x.k, 0};
  p.products = {x};
  p.c = {2, 0, 4, p.m * 4, 0};
  Kernel k{"conv", {}};
  REQUIRE(strata::systolic::tileGemm(p, cfg, &k.instrs) == "");
  Program program = programFor(cfg, k);
  REQUIRE(checkKernel(program, program.kernels[0], 3) == "");
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<int8_t> in(C * H * W), w(F * x.k);
  for (int8_t &v : in)
    v = int8_t(dist(rng));
  for (int8_t &v : w)
    v = int8_t(dist(rng));
  std::vector<int32_t> out(F * p.m, 0x5a5a5a5a);
  std::vector<DramRegion> dram = {
      {reinterpret_cast<uint8_t *>(in.data()), in.size()},
      {reinterpret_cast<uint8_t *>(w.data()), w.size()},
      {reinterpret_cast<uint8_t *>(out.data()), out.size() * 4}};
  Simulator sim(cfg);
  GemmRun run;
  REQUIRE(sim.run(program.kernels[0], dram, &run.stats) == "");
  run.exact = true;
  for (uint64_t f = 0; f < F && run.exact; ++f)
    for (uint64_t y = 0; y < OH; ++y)
      for (uint64_t x = 0; x < OW; ++x) {
        int32_t want = 0;
        for (uint64_t c = 0; c < C; ++c)
          for (uint64_t i = 0; i < KH; ++i)
            for (uint64_t j = 0; j < KW; ++j)
              want += int32_t(in[(c * H + y * S + i) * W + x * S + j]) *
                      w[((f * C + c) * KH + i) * KW + j];
        run.exact = run.exact && out[(f * OH + y) * OW + x] == want;
      }
  return run;
}

} // namespace

TEST_CASE("systolic: convolutions through im2col DMA take SCALE-Sim's "
          "cycles",
          "[systolic]") {
  struct Case {
    const char *name;
    Dataflow dataflow;
    uint32_t side;
    uint64_t c, h, w, f, kh, kw, s, totalCycles;
  };
  // test.csv's Inc5b_3x3, and alexnet_part's Conv1 on the 227x227 input
  // that makes SCALE-Sim's 55x55 outputs without padding.
  const Case cases[] = {
      {"conv 32 os", Dataflow::OutputStationary, 32, 192, 7, 7, 384, 3, 3, 1,
       21479},
      {"conv 32 ws", Dataflow::WeightStationary, 32, 192, 7, 7, 384, 3, 3, 1,
       77111},
      {"conv 32 is", Dataflow::InputStationary, 32, 192, 7, 7, 384, 3, 3, 1,
       25811},
      {"conv 16 is", Dataflow::InputStationary, 16, 192, 7, 7, 384, 3, 3, 1,
       92879},
      {"alexnet os", Dataflow::OutputStationary, 32, 3, 227, 227, 96, 11, 11, 4,
       121124},
      {"alexnet ws", Dataflow::WeightStationary, 32, 3, 227, 227, 96, 11, 11, 4,
       112283},
  };
  for (const Case &c : cases) {
    INFO(c.name);
    GemmRun run = runConv(arrayConfig(c.side, c.dataflow), c.c, c.h, c.w, c.f,
                          c.kh, c.kw, c.s);
    CHECK(run.exact);
    CHECK(run.stats.cycles == c.totalCycles + 1);
  }
}

TEST_CASE("systolic: output-stationary compute utilization is SCALE-Sim's",
          "[systolic]") {
  // alexnet_part, 32x32 os: Compute Util 84.99032507739905 %.
  Config cfg = arrayConfig(32, Dataflow::OutputStationary);
  GemmRun run = runGemm(cfg, 3025, 96, 363);
  double util = 100.0 * double(run.stats.macs) /
                (double(run.stats.computeCycles) * 32 * 32);
  CHECK(util == Approx(84.99032507739905).epsilon(1e-12));
}

namespace {

uint16_t toBf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  u += 0x7FFF + ((u >> 16) & 1);
  return uint16_t(u >> 16);
}

float fromBf16(uint16_t h) {
  uint32_t u = uint32_t(h) << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

/// Runs the tiled GEMM in f32 or bf16 on random data; returns the largest
/// error against a double-precision product of the same (rounded) inputs,
/// relative to the sum of |products|.
double floatGemmError(const Config &cfg, uint32_t M, uint32_t N, uint32_t K,
                      RunStats *stats) {
  Program program = programFor(cfg, tileGemm(cfg, M, N, K));
  REQUIRE(checkKernel(program, program.kernels[0], 3) == "");
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> dist(-1, 1);
  bool bf16 = cfg.dtype == Dtype::BF16;
  std::vector<float> a(size_t(M) * K), b(size_t(K) * N);
  std::vector<uint8_t> ab(a.size() * (bf16 ? 2 : 4)),
      bb(b.size() * (bf16 ? 2 : 4));
  auto fill = [&](std::vector<float> &v, std::vector<uint8_t> &bytes) {
    for (size_t i = 0; i < v.size(); ++i) {
      float x = dist(rng);
      if (bf16) {
        uint16_t h = toBf16(x);
        v[i] = fromBf16(h);
        std::memcpy(&bytes[i * 2], &h, 2);
      } else {
        v[i] = x;
        std::memcpy(&bytes[i * 4], &x, 4);
      }
    }
  };
  fill(a, ab);
  fill(b, bb);
  std::vector<float> c(size_t(M) * N);
  std::vector<DramRegion> dram = {
      {ab.data(), ab.size()},
      {bb.data(), bb.size()},
      {reinterpret_cast<uint8_t *>(c.data()), c.size() * 4}};
  Simulator sim(cfg);
  REQUIRE(sim.run(program.kernels[0], dram, stats) == "");
  double worst = 0;
  for (uint32_t i = 0; i < M; ++i)
    for (uint32_t j = 0; j < N; ++j) {
      double want = 0, scale = 0;
      for (uint32_t p = 0; p < K; ++p) {
        double t = double(a[size_t(i) * K + p]) * b[size_t(p) * N + j];
        want += t;
        scale += std::fabs(t);
      }
      worst = std::max(worst, std::fabs(c[size_t(i) * N + j] - want) / scale);
    }
  return worst;
}

Config floatConfig(Dataflow dataflow, Dtype dtype) {
  Config c = arrayConfig(8, dataflow);
  c.dtype = dtype;
  c.scratchpadBytes = 16 * 1024;
  c.accumulatorBytes = 64 * 1024;
  return c;
}

} // namespace

TEST_CASE("systolic: f32 and bf16 tiles accumulate in f32", "[systolic]") {
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary,
                      Dataflow::InputStationary})
    for (Dtype dt : {Dtype::F32, Dtype::BF16}) {
      INFO(dataflowName(df) << " " << dtypeName(dt));
      RunStats stats;
      // Odd sizes leave partial tiles on every side of the 8x8 array.
      double error = floatGemmError(floatConfig(df, dt), 37, 45, 70, &stats);
      // f32 sums of 70 products, in another order than the reference's.
      CHECK(error < 1e-6);
      CHECK(stats.macs == 37u * 45u * 70u);
    }
}

TEST_CASE("systolic: bandwidth-limited DMA stalls, and double buffering "
          "hides part of it",
          "[systolic]") {
  Config cfg = arrayConfig(32, Dataflow::OutputStationary);
  cfg.idealMemory = false;
  cfg.bandwidth = 10;
  cfg.dramLatency = 100;
  GemmRun ideal =
      runGemm(arrayConfig(32, Dataflow::OutputStationary), 256, 128, 256);
  GemmRun limited = runGemm(cfg, 256, 128, 256);
  CHECK(limited.exact);
  uint64_t dma =
      (limited.stats.dramReadBytes + limited.stats.dramWriteBytes) / 10;
  // Loads and stores have an engine each, so DMA alone bounds from below
  // at the larger direction; the sum of the parts bounds from above.
  CHECK(limited.stats.cycles >= limited.stats.dramReadBytes / 10);
  CHECK(limited.stats.cycles <= ideal.stats.cycles + dma + 2 * 100 + 1);
  CHECK(limited.stats.computeCycles == ideal.stats.computeCycles);
  CHECK(limited.stats.stallCycles() > 0);

  // The same program with a fence after every compute: no DMA overlaps
  // compute any more, so it takes longer.
  Program program = programFor(cfg, tileGemm(cfg, 256, 128, 256));
  Kernel fenced{"fenced", {}};
  for (const Instr &in : program.kernels[0].instrs) {
    fenced.instrs.push_back(in);
    if (in.op == Opcode::Compute) {
      Instr fence;
      fence.op = Opcode::Fence;
      fenced.instrs.push_back(fence);
    }
  }
  std::vector<uint8_t> a(256 * 256), b(256 * 128), c(256 * 128 * 4);
  std::vector<DramRegion> dram = {
      {a.data(), a.size()}, {b.data(), b.size()}, {c.data(), c.size()}};
  Simulator sim(cfg);
  RunStats serial;
  REQUIRE(sim.run(fenced, dram, &serial) == "");
  CHECK(serial.cycles > limited.stats.cycles);
  CHECK(serial.computeCycles == limited.stats.computeCycles);
}

TEST_CASE("systolic: mvout requantizes with scale and ReLU; a bias row "
          "broadcasts into the accumulator",
          "[systolic]") {
  Config cfg = arrayConfig(4, Dataflow::OutputStationary);
  cfg.scratchpadBytes = 1024;
  cfg.accumulatorBytes = 1024;
  // C = relu((A x B + bias) * 0.5) as i8, A 2x3, B 3x2, bias 1x2 (i32).
  std::vector<int8_t> a = {1, 2, 3, -4, -5, -6}, b = {10, 20, 30, 40, 50, 60};
  std::vector<int32_t> bias = {7, -300};
  std::vector<int8_t> out(4, 99);
  Instr config = configInstr(cfg, OutType::I8);
  config.activation = Activation::Relu;
  config.scale = 0.5f;
  Kernel k{"requant",
           {config, mvin(0, 0, 3, 0, 3, 2, 3), mvin(1, 0, 2, 16, 2, 3, 2),
            mvin(2, 0, 0, 0, 2, 2, 2, true),
            compute(0, 3, 16, 2, 0, 2, 2, 3, 2, true, false),
            mvout(3, 0, 2, 0, 2, 2, 2)}};
  k.instrs.back().flags = kFromAccumulator;
  Program program = programFor(cfg, k);
  REQUIRE(checkKernel(program, program.kernels[0], 4) == "");
  std::vector<DramRegion> dram = {
      {reinterpret_cast<uint8_t *>(a.data()), a.size()},
      {reinterpret_cast<uint8_t *>(b.data()), b.size()},
      {reinterpret_cast<uint8_t *>(bias.data()), bias.size() * 4},
      {reinterpret_cast<uint8_t *>(out.data()), out.size()}};
  Simulator sim(cfg);
  RunStats stats;
  REQUIRE(sim.run(program.kernels[0], dram, &stats) == "");
  // Row 0: (220 + 7) / 2 = 113.5 -> 114 (ties to even); 280 - 300 < 0 -> 0.
  // Row 1: negative sums -> 0.
  CHECK(std::vector<int>(out.begin(), out.end()) ==
        std::vector<int>{114, 0, 0, 0});
  CHECK(stats.dramReadBytes == 6 + 6 + 8);
}

TEST_CASE("systolic: a second mvin adds to the accumulator; mvout's ReLU6 "
          "clamps to [0, 6]",
          "[systolic]") {
  Config cfg = arrayConfig(4, Dataflow::OutputStationary);
  cfg.dtype = Dtype::F32;
  // C = relu6(A x B + p + q), A 1x2, B 2x3: sums -1, 5 and 9; p + q is
  // 0.75, -1 and 1.
  std::vector<float> a = {1, 1}, b = {-2, 3, 5, 1, 2, 4}, out(3, 99);
  std::vector<float> p = {0.5f, -2, 1}, q = {0.25f, 1, 0};
  Instr config = configInstr(cfg, OutType::F32);
  config.activation = Activation::Relu6;
  Instr addQ = mvin(4, 0, 12, 0, 3, 1, 3, true);
  addQ.flags |= kAccumulateIn;
  Kernel k{"relu6",
           {config, mvin(3, 0, 12, 0, 3, 1, 3, true), addQ,
            mvin(0, 0, 8, 0, 2, 1, 2), mvin(1, 0, 12, 16, 3, 2, 3),
            compute(0, 2, 16, 3, 0, 3, 1, 2, 3, true, false),
            mvout(2, 0, 12, 0, 3, 1, 3)}};
  k.instrs.back().flags = kFromAccumulator;
  Program program = programFor(cfg, k);
  REQUIRE(checkKernel(program, program.kernels[0], 5) == "");
  auto region = [](std::vector<float> &v) {
    return DramRegion{reinterpret_cast<uint8_t *>(v.data()), v.size() * 4};
  };
  std::vector<DramRegion> dram = {region(a), region(b), region(out), region(p),
                                  region(q)};
  Simulator sim(cfg);
  RunStats stats;
  REQUIRE(sim.run(program.kernels[0], dram, &stats) == "");
  CHECK(out == std::vector<float>{0, 4, 6});
}

TEST_CASE("systolic: a DMA outside its binding is an error", "[systolic]") {
  Config cfg = arrayConfig(4, Dataflow::OutputStationary);
  Kernel k{"oob", {configInstr(cfg), mvin(0, 10, 4, 0, 4, 2, 4)}};
  std::vector<uint8_t> small(16);
  Simulator sim(cfg);
  RunStats stats;
  CHECK(sim.run(k, {{small.data(), small.size()}}, &stats) ==
        "kernel 'oob' instruction 1: mvin reads bytes 10 to 18 of binding 0, "
        "which has 16");
  // An im2col whose last channel lies past the binding: a 2x4x4 image of
  // which the binding holds one channel.
  Instr im2col;
  im2col.op = Opcode::Im2col;
  im2col.height = im2col.width = 4;
  im2col.kernelH = im2col.kernelW = 2;
  im2col.strideH = im2col.strideW = im2col.dilationH = im2col.dilationW = 1;
  im2col.outW = 3;
  im2col.rows = 8; // two channels of a 2x2 window
  im2col.cols = 9;
  im2col.sramStride = 9;
  Kernel conv{"conv", {configInstr(cfg), im2col}};
  CHECK(sim.run(conv, {{small.data(), small.size()}}, &stats) ==
        "kernel 'conv' instruction 1: im2col reads pixel (1, 0, 0) outside "
        "its image or binding 0");
}

TEST_CASE("systolic: SCALE-Sim .cfg files and Strata JSON configure the "
          "array",
          "[systolic]") {
  // scalesim_v3/configs/scale.cfg, unchanged.
  const char *scaleCfg = R"([general]
run_name = scale_example_run_32x32_ws

[architecture_presets]
ArrayHeight:    32
ArrayWidth:     32
IfmapSramSzkB:   64
FilterSramSzkB:  64
OfmapSramSzkB:   64
IfmapOffset:    0
FilterOffset:   10000000
OfmapOffset:    20000000
Bandwidth : 10
Dataflow : ws
MemoryBanks:   1
ReadRequestBuffer: 32
WriteRequestBuffer: 32

[layout]
IfmapCustomLayout: False
IfmapSRAMBankBandwidth: 10

[sparsity]
SparsitySupport : false

[run_presets]
InterfaceBandwidth: CALC
UseRamulatorTrace: False
)";
  Config c;
  REQUIRE(parseConfig(scaleCfg, "scale.cfg", &c) == "");
  CHECK(c.rows == 32);
  CHECK(c.cols == 32);
  CHECK(c.dataflow == Dataflow::WeightStationary);
  CHECK(c.scratchpadBytes == 128 * 1024);
  CHECK(c.accumulatorBytes == 64 * 1024);
  CHECK(c.idealMemory);
  CHECK(c.bandwidth == 10);

  std::string user = scaleCfg;
  user.replace(user.find("CALC"), 4, "USER");
  REQUIRE(parseConfig(user, "scale.cfg", &c) == "");
  CHECK(!c.idealMemory);

  Config j;
  REQUIRE(parseConfig(c.toJson(), "x.json", &j) == "");
  CHECK(j.toJson() == c.toJson());
  REQUIRE(parseConfig(R"({"rows": 16, "cols": 8, "dataflow": "is",
      "dtype": "bf16", "scratchpad_kib": 256, "accumulator_kib": 64,
      "memory": "bandwidth", "bandwidth": 16, "dram_latency": 80,
      "clock_mhz": 700})",
                      "a.json", &j) == "");
  CHECK(j.rows == 16);
  CHECK(j.cols == 8);
  CHECK(j.dtype == Dtype::BF16);
  CHECK(j.dramLatency == 80);

  auto error = [](const std::string &text, const std::string &name) {
    Config ignored;
    return parseConfig(text, name, &ignored);
  };
  std::string bad = scaleCfg;
  bad.replace(bad.find("Dataflow : ws"), 13, "Dataflow : xs");
  CHECK(error(bad, "a.cfg") == "a.cfg:14: Dataflow 'xs' is not os, ws or is");
  bad = scaleCfg;
  bad.replace(bad.find("ArrayHeight:    32"), 18, "ArrayHeight: 0");
  CHECK(error(bad, "a.cfg") ==
        "a.cfg:5: ArrayHeight '0' is not an array size from 1 to 4096");
  bad = scaleCfg;
  bad.replace(bad.find("SparsitySupport : false"), 23,
              "SparsitySupport : true");
  CHECK(error(bad, "a.cfg") ==
        "a.cfg:24: sparse arrays (SparsitySupport: true) are not modelled; "
        "the simulator runs dense arrays only");
  CHECK(error("[architecture_presets]\nArrayHeight: 8\n", "b.cfg") ==
        "b.cfg: [architecture_presets] needs ArrayHeight, ArrayWidth and "
        "Dataflow");
  CHECK(error("[run_presets]\nInterfaceBandwidth: FAST\n", "c.cfg") ==
        "c.cfg:2: InterfaceBandwidth 'FAST' is not CALC or USER");
  CHECK(error("oops\n", "d.cfg") == "d.cfg:1: expected 'key: value', got "
                                    "'oops'");
  CHECK(error(R"({"rows": 8, "colz": 8})", "e.json") ==
        "e.json: unknown key \"colz\" (known: rows, cols, dataflow, dtype, "
        "scratchpad_kib, accumulator_kib, memory, bandwidth, dram_latency, "
        "clock_mhz)");
  CHECK(error(R"({"rows": -1})", "f.json") ==
        "f.json: \"rows\" is -1, not an array size from 1 to 4096");
  CHECK(error(R"({"memory": "bandwidth", "bandwidth": 0})", "g.json") ==
        "g.json: \"bandwidth\" is 0, not a positive number of bytes per cycle");
  CHECK(error("[1, 2]", "h.json") == "h.json: not a JSON object");
  Config ignored;
  CHECK(loadConfig("/nonexistent/array.cfg", &ignored) ==
        "/nonexistent/array.cfg: cannot open the array configuration");
}

TEST_CASE("systolic: the program blob round-trips and its checks name the "
          "instruction",
          "[systolic]") {
  Config cfg = arrayConfig(8, Dataflow::WeightStationary);
  Program program = programFor(cfg, tileGemm(cfg, 20, 12, 30));
  program.kernels[0].roles = {Role::Ifmap, Role::Filter, Role::Ofmap};
  std::vector<uint8_t> blob = encodeProgram(program);
  Program decoded;
  REQUIRE(decodeProgram(blob.data(), blob.size(), &decoded) == "");
  CHECK(encodeProgram(decoded) == blob);
  CHECK(decoded.kernels[0].instrs.size() == program.kernels[0].instrs.size());
  CHECK(decoded.kernels[0].roles == program.kernels[0].roles);
  CHECK(checkKernel(decoded, decoded.kernels[0], 4) ==
        "kernel 'gemm' gives roles to 3 bindings of 4");

  auto decodeError = [&](std::vector<uint8_t> bytes) {
    Program ignored;
    return decodeProgram(bytes.data(), bytes.size(), &ignored);
  };
  std::vector<uint8_t> bad = blob;
  bad[0] = 'X';
  CHECK(decodeError(bad) ==
        "not a systolic program (bad magic or truncated header)");
  bad = blob;
  bad[8] = 9;
  CHECK(decodeError(bad) == "systolic program version 9 is not supported "
                            "(this runtime reads version 1)");
  bad = blob;
  bad.resize(blob.size() - 1);
  CHECK(decodeError(bad) ==
        "systolic program kernel 0: its instructions run past the blob");
  // The roles follow the name "gemm" and the configuration.
  bad = blob;
  size_t rolesAt = blob[48 + 16] | blob[48 + 17] << 8;
  bad[rolesAt + 1] = 7;
  CHECK(decodeError(bad) == "systolic program kernel 0 ('gemm'): binding 1 "
                            "has unknown role 7");
  // The first instruction record: opcode, then an unused word of config.
  size_t first = blob.size() - 64 * program.kernels[0].instrs.size();
  bad = blob;
  bad[first] = 42;
  CHECK(decodeError(bad) == "systolic program kernel 0 ('gemm') instruction "
                            "0 has unknown opcode 42");
  bad = blob;
  bad[first + 4 + 4 * 9] = 1;
  CHECK(decodeError(bad) == "systolic program kernel 0 ('gemm') instruction "
                            "0 (config) sets fields it does not have");
  bad = blob;
  bad[first + 1] = 4;
  CHECK(decodeError(bad) == "systolic program kernel 0 ('gemm') instruction "
                            "0 (config) has unknown flags");
  bad = blob;
  bad[first + 4 + 4 * 2] = 3; // the activation after relu6
  CHECK(decodeError(bad) == "systolic program kernel 0 ('gemm') instruction "
                            "0 (config) has an unknown dataflow, dtype, "
                            "activation or output type");

  auto checkError = [&](std::vector<Instr> instrs, uint32_t bindings = 3) {
    return checkKernel(program, Kernel{"k", std::move(instrs)}, bindings);
  };
  Instr config = configInstr(cfg);
  CHECK(checkError({mvin(0, 0, 8, 0, 8, 8, 8)}) ==
        "kernel 'k' instruction 0 (mvin) comes before any config");
  CHECK(checkError({config, mvin(0, 0, 8, 131070, 8, 1, 8)}) ==
        "kernel 'k' instruction 1 (mvin) its scratchpad tile ends at element "
        "131078, past the 131072 the SRAM holds");
  Instr zeros = mvin(1, 0, 0, 0, 8, 8, 8);
  zeros.flags = kZeroFill;
  CHECK(checkError({config, zeros}) ==
        "kernel 'k' instruction 1 (mvin) fills zeros but names DRAM");
  Instr adds = mvin(0, 0, 8, 0, 8, 8, 8);
  adds.flags = kAccumulateIn;
  CHECK(checkError({config, adds}) ==
        "kernel 'k' instruction 1 (mvin) adds to SRAM that is not the "
        "accumulator, or adds zeros");
  CHECK(checkError({config, mvin(5, 0, 8, 0, 8, 8, 8)}) ==
        "kernel 'k' instruction 1 (mvin) names binding 5 of a kernel with 3");
  CHECK(checkError({config, mvin(0, 0, 8, 0, 4, 8, 8)}) ==
        "kernel 'k' instruction 1 (mvin) its scratchpad tile rows overlap "
        "(stride 4 < 8 columns)");
  CHECK(checkError({config, preload(0, 16, 9, 8)}) ==
        "kernel 'k' instruction 1 (preload) preloads a 9x8 operand that does "
        "not fit the 8x8 array");
  CHECK(
      checkError({config, compute(0, 8, 0, 0, 0, 8, 4, 8, 8, false, false)}) ==
      "kernel 'k' instruction 1 (compute) has no preloaded tile (a compute "
      "that does not continue follows a preload)");
  CHECK(checkError({config, preload(0, 8, 8, 8),
                    compute(0, 8, 0, 0, 0, 8, 4, 8, 4, false, false)}) ==
        "kernel 'k' instruction 2 (compute) uses a 8x4 stationary tile, but "
        "the preload was 8x8");
  CHECK(checkError({config, preload(0, 8, 8, 8),
                    compute(0, 8, 64, 8, 0, 8, 4, 8, 8, false, false)}) ==
        "kernel 'k' instruction 2 (compute) gives the stationary operand (B) "
        "an address; it comes from the preload");
  Instr osConfig = config;
  osConfig.dataflow = Dataflow::OutputStationary;
  CHECK(checkError({osConfig}) == "kernel 'k' instruction 0 (config) sets "
                                  "dataflow os on an array built for ws");
  Instr zero = config;
  zero.scale = 0;
  CHECK(checkError({zero}) == "kernel 'k' instruction 0 (config) has a "
                              "scale that is zero or not finite");

  Config os = arrayConfig(8, Dataflow::OutputStationary);
  Program osProgram = programFor(os, Kernel{});
  auto osError = [&](std::vector<Instr> instrs) {
    return checkKernel(osProgram, Kernel{"k", std::move(instrs)}, 3);
  };
  CHECK(osError({configInstr(os), preload(0, 8, 8, 8)}) ==
        "kernel 'k' instruction 1 (preload) preloads on an "
        "output-stationary array, which keeps no operand in its PEs");
  CHECK(osError({configInstr(os),
                 compute(0, 8, 64, 9, 0, 9, 9, 8, 9, false, false)}) ==
        "kernel 'k' instruction 1 (compute) computes a 9x9 output tile that "
        "does not fit the 8x8 array");
  CHECK(osError({configInstr(os),
                 compute(0, 8, 64, 8, 0, 8, 8, 8, 8, false, false),
                 compute(0, 8, 64, 8, 64, 8, 8, 8, 8, true, true)}) ==
        "kernel 'k' instruction 2 (compute) continues an output tile it did "
        "not start (a continuing compute accumulates into the previous "
        "compute's C)");
  Instr out = mvout(0, 0, 4, 0, 8, 2, 8);
  CHECK(osError({configInstr(os), out}) ==
        "kernel 'k' instruction 1 (mvout) writes DRAM rows that overlap "
        "(stride 4 < 32 bytes)");

  Config smaller = cfg;
  smaller.scratchpadBytes /= 2;
  CHECK(checkProgramFits(program, smaller) ==
        "the program needs a 128 KiB scratchpad and a 1024 KiB accumulator; "
        "the configured array has 64 and 1024");
  smaller = cfg;
  smaller.rows = 16;
  CHECK(checkProgramFits(program, smaller) ==
        "the program was compiled for a 8x8 array, not the 16x8 one "
        "configured");
}
