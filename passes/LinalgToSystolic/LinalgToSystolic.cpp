//===- LinalgToSystolic.cpp - kernels onto the systolic array -------------===//
//
// Recognizes each kernel's root (a contraction or a convolution into a
// zero-filled init, or a reshape), finds where every operand lives in its
// binding, lets GemmTiler write the program, and replaces the kernel with
// a function over memrefs that holds it as systolic ops.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "dialects/Systolic/IR/SystolicOps.h"
#include "passes/LinalgToSystolic/GemmTiler.h"
#include "passes/Passes.h"
#include "passes/Utils/ConvMatch.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATALINALGTOSYSTOLICPASS
#define GEN_PASS_DEF_STRATASYSTOLICMARKFALLBACKPASS
#include "passes/Passes.h.inc"

namespace {

namespace sim = ::strata::systolic;

/// A kernel operand traced through reshapes (views of the same bytes) to
/// the binding it comes from.
struct Bound {
  uint32_t binding;
  RankedTensorType view; // the shape the root sees
};

/// Row-major strides of `type` in bytes.
SmallVector<uint64_t> byteStrides(RankedTensorType type) {
  uint64_t eb = type.getElementTypeBitWidth() / 8;
  SmallVector<uint64_t> strides(type.getRank());
  uint64_t stride = eb;
  for (int64_t d = type.getRank() - 1; d >= 0; --d) {
    strides[d] = stride;
    stride *= type.getDimSize(d);
  }
  return strides;
}

Value throughReshapes(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto e = dyn_cast<tensor::ExpandShapeOp>(def))
      v = e.getSrc();
    else if (auto c = dyn_cast<tensor::CollapseShapeOp>(def))
      v = c.getSrc();
    else
      break;
  }
  return v;
}

std::optional<Bound> boundInput(Value v) {
  auto arg = dyn_cast<BlockArgument>(throughReshapes(v));
  if (!arg || !isa<func::FuncOp>(arg.getOwner()->getParentOp()))
    return std::nullopt;
  return Bound{uint32_t(arg.getArgNumber()),
               cast<RankedTensorType>(v.getType())};
}

/// Whether `v` is a contraction's result: a generic with reduction loops.
bool isProduct(Value v) {
  auto generic = v.getDefiningOp<linalg::GenericOp>();
  return generic && generic.getNumReductionLoops() > 0;
}

bool isZero(Value v) {
  return matchPattern(v, m_AnyZeroFloat()) || matchPattern(v, m_Zero());
}

/// A zero-filled init: linalg.fill of 0, or the generic elementwise fusion
/// makes of it (no inputs, yielding 0).
bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return isZero(fill.getInputs()[0]);
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 0)
    return false;
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  return isZero(yield.getOperand(0));
}

/// The array's element type for tensors of `type`, if it has one.
std::optional<sim::Dtype> dtypeOf(Type type) {
  if (type.isF32())
    return sim::Dtype::F32;
  if (type.isBF16())
    return sim::Dtype::BF16;
  if (type.isInteger(8))
    return sim::Dtype::I8;
  return std::nullopt;
}

/// What the array computes `op`'s multiply-accumulate in: f32; i8
/// operands widened into i32 sums (as strata-fold-casts-into-contractions
/// leaves them); or bf16 ones into f32 sums (strata-widen-accumulators').
std::optional<sim::Dtype> multiplyAccumulate(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || !isMulAdd(op))
    return std::nullopt;
  Type sum = getElementTypeOrSelf(op.getResultTypes()[0]);
  Type a = op.getBody()->getArgument(0).getType();
  if (a != op.getBody()->getArgument(1).getType())
    return std::nullopt;
  if (sum.isF32() && a.isF32())
    return sim::Dtype::F32;
  if (sum.isF32() && a.isBF16())
    return sim::Dtype::BF16;
  if (sum.isInteger(32) && a.isInteger(8))
    return sim::Dtype::I8;
  return std::nullopt;
}

/// The other operand of binary `def` in `body` when one is a float
/// constant, whose value goes to `*c`; null otherwise.
Value besideConstant(Operation *def, Block *body, double *c) {
  if (!def || def->getNumOperands() != 2 || def->getBlock() != body)
    return {};
  for (int i = 0; i < 2; ++i) {
    APFloat value(0.0);
    if (matchPattern(def->getOperand(1 - i), m_ConstantFloat(&value))) {
      *c = value.convertToDouble();
      return def->getOperand(i);
    }
  }
  return {};
}

/// An i32 contraction's requantization to i8 after it, which mvout applies:
/// fptosi(clamp(roundeven(sitofp(x) * scale) [+ 0], lo, 127)) with lo
/// -128, or 0 (a ReLU): ONNX QLinearConv's with a zero output zero point.
struct Requant {
  Value product;
  float scale = 1.0f;
  sim::Activation activation = sim::Activation::None;
};

std::optional<Requant> matchRequant(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumReductionLoops() != 0 ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return std::nullopt;
  Block *body = op.getBody();
  auto beside = [&](Operation *def, double *c) {
    return besideConstant(def, body, c);
  };
  auto toInt =
      body->getTerminator()->getOperand(0).getDefiningOp<arith::FPToSIOp>();
  if (!toInt || !toInt.getType().isInteger(8))
    return std::nullopt;
  Value v = toInt.getIn();
  std::optional<double> lo, hi;
  for (int i = 0; i < 2; ++i) {
    Operation *def = v.getDefiningOp();
    double bound;
    Value x = beside(def, &bound);
    if (!x)
      return std::nullopt;
    if (isa<arith::MinimumFOp, arith::MinNumFOp>(def) && !hi)
      hi = bound;
    else if (isa<arith::MaximumFOp, arith::MaxNumFOp>(def) && !lo)
      lo = bound;
    else
      return std::nullopt;
    v = x;
  }
  Requant r;
  if (*hi != 127 || (*lo != -128 && *lo != 0) || !v.getType().isF32())
    return std::nullopt;
  r.activation = *lo == 0 ? sim::Activation::Relu : sim::Activation::None;
  // sitofp, mulf, roundeven, min, max, fptosi, yield, and the add of zero.
  size_t ops = 7;
  double zero;
  if (auto add = v.getDefiningOp<arith::AddFOp>())
    if (Value x = beside(add, &zero); x && zero == 0) {
      v = x;
      ++ops;
    }
  auto round = v.getDefiningOp<math::RoundEvenOp>();
  if (!round ||
      !isa_and_present<arith::MulFOp>(round.getOperand().getDefiningOp()))
    return std::nullopt;
  double scale;
  Value scaled = beside(round.getOperand().getDefiningOp(), &scale);
  auto toFloat = scaled ? scaled.getDefiningOp<arith::SIToFPOp>() : nullptr;
  if (!toFloat || toFloat.getIn() != body->getArgument(0) ||
      body->getOperations().size() != ops || !isProduct(op.getDpsInputs()[0]))
    return std::nullopt;
  r.product = op.getDpsInputs()[0];
  r.scale = float(scale);
  return r;
}

/// The operand that `init` broadcasts (a generic yielding its one input,
/// over an identity output map) with its map in the init's loops.
std::optional<std::pair<Value, AffineMap>> broadcastOf(Value init) {
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumReductionLoops() != 0 ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return std::nullopt;
  Block *body = generic.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (body->getOperations().size() != 1 ||
      yield.getOperand(0) != body->getArgument(0))
    return std::nullopt;
  OpOperand *input = generic.getDpsInputOperand(0);
  AffineMap map = generic.getMatchingIndexingMap(input);
  if (!map.isProjectedPermutation())
    return std::nullopt;
  return std::make_pair(input->get(), map);
}

/// An elementwise generic after the contractions, which the array applies
/// on the way in and out of the accumulator: the sum of their products
/// (a convolution and the shortcut fused with it add up in the same
/// accumulator) and other operands (biases and residuals, added up in
/// the accumulator first), then at most a ReLU or ReLU6.
/// Without products, a sum of operands or an activation of one is a copy
/// through the accumulator.
using Addends = SmallVector<std::pair<Value, AffineMap>>;

struct Epilogue {
  SmallVector<Value> products; // the contractions' results
  /// The other operands, with their maps in the epilogue's loops.
  Addends addends;
  sim::Activation activation = sim::Activation::None;
  /// The results rounded to bf16 on the way out (a bf16 model's).
  bool toBf16 = false;
};

std::optional<Epilogue> matchEpilogue(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumDpsInputs() < 1 ||
      op.getNumReductionLoops() != 0 ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  Block *body = op.getBody();
  Epilogue e;
  Value v = cast<linalg::YieldOp>(body->getTerminator()).getOperand(0);
  unsigned ops = 1;
  // A rounding to bf16, after the activation or before it (the same
  // results: the bounds 0 and 6 are bf16 values, and rounding is
  // monotonic).
  auto peelRounding = [&](Value *x) {
    auto trunc = x->getDefiningOp<arith::TruncFOp>();
    if (e.toBf16 || !trunc || trunc->getBlock() != body ||
        !trunc.getType().isBF16() || !trunc.getIn().getType().isF32())
      return;
    e.toBf16 = true;
    *x = trunc.getIn();
    ++ops;
  };
  peelRounding(&v);
  // A ReLU, max(x, 0), or a ReLU6, its min with 6 inside or outside it.
  auto peel = [&](Value *x, bool max, double bound) {
    Operation *op = x->getDefiningOp();
    double c;
    Value other = besideConstant(op, body, &c);
    if (!other || c != bound ||
        !(max ? isa<arith::MaximumFOp, arith::MaxNumFOp>(op)
              : isa<arith::MinimumFOp, arith::MinNumFOp>(op)))
      return false;
    *x = other;
    ++ops;
    return true;
  };
  bool capped = peel(&v, /*max=*/false, 6.0);
  if (peel(&v, /*max=*/true, 0.0)) {
    capped = capped || peel(&v, /*max=*/false, 6.0);
    e.activation = capped ? sim::Activation::Relu6 : sim::Activation::Relu;
  } else if (capped) {
    return std::nullopt;
  }
  if (e.activation != sim::Activation::None)
    peelRounding(&v);
  // The terms of a tree of adds in the body.
  SmallVector<Value> terms, pending = {v};
  while (!pending.empty()) {
    Value t = pending.pop_back_val();
    if (auto add = t.getDefiningOp<arith::AddFOp>();
        add && add->getBlock() == body) {
      pending.append({add.getRhs(), add.getLhs()});
      ++ops;
      continue;
    }
    // Adding zero (a bias a model leaves at zero) adds nothing.
    if (!matchPattern(t, m_AnyZeroFloat()))
      terms.push_back(t);
  }
  if (body->getOperations().size() != ops)
    return std::nullopt;
  // Each term is an input (x + x: twice), each input a term; the
  // contractions' are products, the others addends.
  llvm::SmallDenseSet<unsigned> seen;
  for (Value t : terms) {
    auto arg = dyn_cast<BlockArgument>(t);
    if (!arg || arg.getOwner() != body ||
        arg.getArgNumber() >= op.getNumDpsInputs())
      return std::nullopt;
    seen.insert(arg.getArgNumber());
    OpOperand *input = op.getDpsInputOperand(arg.getArgNumber());
    AffineMap map = op.getMatchingIndexingMap(input);
    if (isProduct(input->get()) && map.isIdentity()) {
      e.products.push_back(input->get());
      continue;
    }
    if (!map.isProjectedPermutation())
      return std::nullopt;
    e.addends.push_back({input->get(), map});
  }
  if (seen.size() != size_t(op.getNumDpsInputs()))
    return std::nullopt;
  return e;
}

/// The layout of a matrix operand whose map puts rows on loop `row` and
/// columns on loop `col` (and batches on `batch`, if any).
sim::MatrixLayout matrixLayout(const Bound &bound, AffineMap map, unsigned row,
                               unsigned col, std::optional<unsigned> batch) {
  SmallVector<uint64_t> strides = byteStrides(bound.view);
  sim::MatrixLayout layout;
  layout.binding = bound.binding;
  for (unsigned r = 0; r < map.getNumResults(); ++r) {
    unsigned loop = cast<AffineDimExpr>(map.getResult(r)).getPosition();
    if (loop == row)
      layout.rowStride = strides[r];
    else if (loop == col)
      layout.colStride = strides[r];
    else if (batch && loop == *batch)
      layout.batchStride = strides[r];
  }
  return layout;
}

constexpr const char *kComputedOperand =
    "an operand is computed inside the kernel, not read from a binding";

class KernelMapper {
public:
  KernelMapper(func::FuncOp kernel, const sim::Config &config)
      : kernel(kernel), config(config) {}

  /// The kernel's program, or failure after a diagnostic; `roles` gets
  /// what each binding holds.
  LogicalResult map(std::vector<sim::Instr> *program,
                    std::vector<sim::Role> *roles);

private:
  LogicalResult fail(Operation *op, const Twine &why) {
    return op->emitError() << "the systolic target cannot run this "
                           << op->getName() << " in kernel '"
                           << kernel.getSymName() << "': " << why;
  }
  /// Each fills the GEMM's shape and output in `p` and its product in
  /// `x`.
  LogicalResult contraction(linalg::GenericOp op, sim::GemmProblem *p,
                            sim::Product *x);
  LogicalResult convolution(linalg::GenericOp op, const ConvGeneric &conv,
                            sim::GemmProblem *p, sim::Product *x);
  /// The config a DMA-only program over `elements` starts with.
  sim::Instr dmaConfig(sim::Dtype elements) const {
    sim::Instr cfg;
    cfg.op = sim::Opcode::Config;
    cfg.dataflow = config.dataflow;
    cfg.dtype = elements;
    return cfg;
  }
  /// A flat copy of a binding; of the sum of several, or with an
  /// activation, through the accumulator, which adds them up and applies
  /// the activation on the way out.
  LogicalResult copy(ArrayRef<Value> sources, std::vector<sim::Instr> *program,
                     sim::Activation activation = sim::Activation::None);
  LogicalResult padCopy(tensor::PadOp pad, std::vector<sim::Instr> *program);

  /// The layout of an addend (its map in the epilogue's loops) as a
  /// matrix of C's shape.
  FailureOr<sim::MatrixLayout> addendLayout(linalg::GenericOp root,
                                            Value addend, AffineMap map);

  /// What each loop of the root is to the GEMM.
  enum class Loop { Other, M, N, Batch, OutH, OutW };
  SmallVector<Loop> loops;
  int64_t outW = 1;
  /// The operands' element type on the array, and the bytes of an element
  /// of the kernel's result.
  sim::Dtype dtype = sim::Dtype::F32;
  uint64_t resultBytes = 4;

  func::FuncOp kernel;
  const sim::Config &config;
};

LogicalResult KernelMapper::map(std::vector<sim::Instr> *program,
                                std::vector<sim::Role> *roles) {
  auto ret = cast<func::ReturnOp>(kernel.getBody().front().getTerminator());
  if (ret.getNumOperands() != 1)
    return fail(kernel, "it has " + Twine(ret.getNumOperands()) +
                            " results; the array writes one");
  Value result = throughReshapes(ret.getOperand(0));
  if (isa<BlockArgument>(result))
    return copy({result}, program);
  if (auto pad = result.getDefiningOp<tensor::PadOp>())
    return padCopy(pad, program);
  for (Operation &op : kernel.getBody().front().without_terminator()) {
    if (isa<tensor::PadOp>(op))
      return fail(&op, "padding inside a matmul or convolution kernel does "
                       "not run on the array");
    if (!isa<linalg::GenericOp, linalg::FillOp, tensor::EmptyOp,
             tensor::ExpandShapeOp, tensor::CollapseShapeOp, arith::ConstantOp>(
            op))
      return fail(&op, "only matmuls and convolutions run on the array");
  }
  auto root = result.getDefiningOp<linalg::GenericOp>();
  std::optional<Requant> requant;
  if (root && root.getNumReductionLoops() == 0)
    if ((requant = matchRequant(root)))
      root = requant->product.getDefiningOp<linalg::GenericOp>();
  std::optional<Epilogue> epilogue;
  SmallVector<linalg::GenericOp> roots = {root};
  if (root && root.getNumReductionLoops() == 0)
    if ((epilogue = matchEpilogue(root))) {
      if (epilogue->products.empty()) {
        SmallVector<Value> sources;
        for (auto [addend, map] : epilogue->addends)
          if (map.isIdentity() && boundInput(addend))
            sources.push_back(throughReshapes(addend));
        if (sources.size() == epilogue->addends.size() && !epilogue->toBf16 &&
            (sources.size() > 1 ||
             epilogue->activation != sim::Activation::None))
          return copy(sources, program, epilogue->activation);
        // Neither a contraction's epilogue nor a copy: the root says why.
        epilogue.reset();
      } else {
        roots.clear();
        for (Value product : epilogue->products)
          roots.push_back(product.getDefiningOp<linalg::GenericOp>());
      }
    }
  if (!root)
    return fail(result.getDefiningOp(),
                "only matmuls and convolutions run on the array");

  std::optional<sim::Dtype> accumulates;
  for (linalg::GenericOp op : roots) {
    std::optional<sim::Dtype> d = multiplyAccumulate(op);
    if (!d || (accumulates && *d != *accumulates))
      return fail(op, "only matmuls and convolutions (f32 "
                      "multiply-accumulates, or i8 ones into i32) run on the "
                      "array");
    accumulates = d;
    if (*d != config.dtype)
      return fail(op, "its operands are " + Twine(sim::dtypeName(*d)) +
                          " and the array's are " +
                          sim::dtypeName(config.dtype));
    Value init = op.getDpsInits()[0];
    if (isZeroInit(init))
      continue;
    // A contraction into a broadcast operand (a convolution's bias) adds
    // it, as an epilogue would.
    std::optional<std::pair<Value, AffineMap>> bias = broadcastOf(init);
    if (!bias)
      return fail(op, "its result starts from neither zero nor a "
                      "broadcast operand");
    if (!epilogue)
      epilogue = Epilogue{{op->getResult(0)}, {}, sim::Activation::None};
    epilogue->addends.push_back(*bias);
  }

  sim::GemmProblem problem;
  problem.dtype = dtype = *accumulates;
  resultBytes =
      getElementTypeOrSelf(kernel.getResultTypes()[0]).getIntOrFloatBitWidth() /
      8;
  roles->assign(kernel.getNumArguments() + 1, sim::Role::None);
  for (auto [i, op] : llvm::enumerate(roots)) {
    sim::GemmProblem shape;
    shape.c.binding = kernel.getNumArguments();
    sim::Product x;
    if (std::optional<ConvGeneric> conv = matchConvLoops(op)) {
      if (failed(convolution(op, *conv, &shape, &x)))
        return failure();
    } else if (failed(contraction(op, &shape, &x))) {
      return failure();
    }
    const sim::MatrixLayout &c = shape.c, &want = problem.c;
    if (i == 0) {
      problem.batch = shape.batch;
      problem.m = shape.m;
      problem.n = shape.n;
      problem.c = shape.c;
      // The addends' layouts follow the loops of the first contraction.
      for (auto [addend, map] : epilogue ? epilogue->addends : Addends()) {
        FailureOr<sim::MatrixLayout> layout = addendLayout(op, addend, map);
        if (failed(layout))
          return failure();
        problem.addends.push_back(*layout);
      }
    } else if (shape.batch != problem.batch || shape.m != problem.m ||
               shape.n != problem.n || c.rowStride != want.rowStride ||
               c.colStride != want.colStride ||
               c.batchStride != want.batchStride) {
      return fail(op, "it and the contraction it is added to do not make "
                      "their outputs alike");
    }
    problem.products.push_back(x);
    (*roles)[x.aIsIm2col ? x.im2col.binding : x.a.binding] = sim::Role::Ifmap;
    (*roles)[x.b.binding] = sim::Role::Filter;
  }
  problem.out = dtype == sim::Dtype::I8 ? sim::OutType::I32 : sim::OutType::F32;
  if (epilogue) {
    problem.activation = epilogue->activation;
    if (epilogue->toBf16)
      problem.out = sim::OutType::BF16;
  }
  if (requant) {
    problem.out = sim::OutType::I8;
    problem.scale = requant->scale;
    problem.activation = requant->activation;
  }
  std::string error = sim::tileGemm(problem, config, program);
  if (!error.empty())
    return fail(roots.front(), error);
  (*roles)[problem.c.binding] = sim::Role::Ofmap;
  return success();
}

LogicalResult KernelMapper::contraction(linalg::GenericOp op,
                                        sim::GemmProblem *p, sim::Product *x) {
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 ||
      dims->k.size() != 1 || dims->batch.size() > 1)
    return fail(op, "it is neither a (batch) matmul nor a convolution");
  std::optional<Bound> a = boundInput(op.getDpsInputs()[0]);
  std::optional<Bound> b = boundInput(op.getDpsInputs()[1]);
  if (!a || !b)
    return fail(op, kComputedOperand);
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned m = dims->m[0], n = dims->n[0], k = dims->k[0];
  std::optional<unsigned> batch;
  if (!dims->batch.empty())
    batch = dims->batch[0];
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (unsigned i = 0; i < 3; ++i)
    for (AffineExpr e : maps[i].getResults()) {
      unsigned loop = cast<AffineDimExpr>(e).getPosition();
      // Every other dimension of an operand has one element.
      if (loop != m && loop != n && loop != k && loop != batch &&
          ranges[loop] != 1)
        return fail(op, "an operand has a dimension that is not a matmul's");
    }
  // The operand with the M loop is A.
  bool swapped = !maps[0].isFunctionOfDim(m);
  const Bound &lhs = swapped ? *b : *a, &rhs = swapped ? *a : *b;
  AffineMap lhsMap = swapped ? maps[1] : maps[0];
  AffineMap rhsMap = swapped ? maps[0] : maps[1];
  loops.assign(ranges.size(), Loop::Other);
  loops[m] = Loop::M;
  loops[n] = Loop::N;
  if (batch)
    loops[*batch] = Loop::Batch;
  p->batch = batch ? ranges[*batch] : 1;
  p->m = ranges[m];
  p->n = ranges[n];
  x->k = ranges[k];
  x->a = matrixLayout(lhs, lhsMap, m, k, batch);
  x->b = matrixLayout(rhs, rhsMap, k, n, batch);
  // C as the kernel writes it (a requantized result is narrower).
  auto cType = cast<RankedTensorType>(op.getResultTypes()[0]);
  p->c = matrixLayout(Bound{p->c.binding, cType.clone(getElementTypeOrSelf(
                                              kernel.getResultTypes()[0]))},
                      maps[2], m, n, batch);
  return success();
}

LogicalResult KernelMapper::convolution(linalg::GenericOp op,
                                        const ConvGeneric &conv,
                                        sim::GemmProblem *p, sim::Product *x) {
  if (conv.dims != 2)
    return fail(op, "only 2-D convolutions run on the array");
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // Loops (n, g, f, oh, ow, c, kh, kw). Groups are independent GEMMs, the
  // batches of one problem; depthwise channels (groups of one channel and
  // one filter) are instead one GEMM's columns side by side, over a
  // block-diagonal filter, so that they fill the array.
  int64_t groups = ranges[1];
  bool depthwise = groups != 1 && ranges[2] == 1 && ranges[5] == 1;
  if (groups != 1 && ranges[0] != 1)
    return fail(op, "a grouped convolution of more than one image does not "
                    "run on the array");
  std::optional<Bound> input = boundInput(op.getDpsInputs()[0]);
  std::optional<Bound> filter = boundInput(op.getDpsInputs()[1]);
  if (!input || !filter)
    return fail(op, kComputedOperand);
  MLIRContext *ctx = op.getContext();
  int64_t stride[2], dilation[2];
  for (int i = 0; i < 2; ++i) {
    // o * s + k * d: evaluate at (o, k) = (1, 0), (0, 1) and (0, 0).
    auto at = [&](int64_t o, int64_t k) -> std::optional<int64_t> {
      AffineExpr e = conv.windows[i]
                         .replace(getAffineDimExpr(3 + i, ctx),
                                  getAffineConstantExpr(o, ctx))
                         .replace(getAffineDimExpr(6 + i, ctx),
                                  getAffineConstantExpr(k, ctx));
      auto constant = dyn_cast<AffineConstantExpr>(
          simplifyAffineExpr(e, op.getNumLoops(), 0));
      if (!constant)
        return std::nullopt;
      return constant.getValue();
    };
    std::optional<int64_t> s = at(1, 0), d = at(0, 1), zero = at(0, 0);
    if (!s || !d || !zero || *zero != 0 || *s < 1 || *d < 1)
      return fail(op, "its window is not o * stride + k * dilation");
    stride[i] = *s;
    dilation[i] = *d;
  }
  loops = {Loop::Batch, Loop::Other, Loop::N,     Loop::OutH,
           Loop::OutW,  Loop::Other, Loop::Other, Loop::Other};
  int batchDim = 0;
  if (depthwise)
    std::swap(loops[1], loops[2]);
  else if (groups != 1)
    std::swap(loops[0], loops[1]), batchDim = 1;
  outW = ranges[4];
  ArrayRef<int64_t> image = input->view.getShape(); // n, g, c, h, w
  uint64_t eb = input->view.getElementTypeBitWidth() / 8;
  uint64_t taps = ranges[5] * ranges[6] * ranges[7];
  uint64_t pixels = ranges[3] * ranges[4];
  p->batch = ranges[batchDim];
  p->m = pixels;
  p->n = ranges[2];
  x->k = taps;
  x->aIsIm2col = true;
  sim::Im2colLayout &col = x->im2col;
  col.binding = input->binding;
  col.batchStride = byteStrides(input->view)[batchDim];
  col.height = image[3];
  col.width = image[4];
  col.kernelH = ranges[6];
  col.kernelW = ranges[7];
  col.outW = ranges[4];
  col.strideH = stride[0];
  col.strideW = stride[1];
  col.dilationH = dilation[0];
  col.dilationW = dilation[1];
  // The filter (g, f, c, kh, kw) is B transposed: B(k, f) at f * taps + k.
  x->b.binding = filter->binding;
  x->b.rowStride = eb;
  x->b.colStride = taps * eb;
  x->b.batchStride = groups != 1 ? ranges[2] * taps * eb : 0;
  // The output (n, g, f, oh, ow) is C transposed: C(pixel, f).
  p->c.rowStride = resultBytes;
  p->c.colStride = pixels * resultBytes;
  p->c.batchStride = ranges[2] * pixels * resultBytes;
  if (depthwise) {
    // Channel j is column j, its window rows [j * taps, (j + 1) * taps) of
    // the im2col over every channel, its filter B(k, j) at k.
    p->batch = 1;
    p->n = groups;
    x->k = groups * taps;
    x->band = taps;
    x->b.batchStride = 0;
  }
  return success();
}

FailureOr<sim::MatrixLayout> KernelMapper::addendLayout(linalg::GenericOp root,
                                                        Value addend,
                                                        AffineMap map) {
  std::optional<Bound> bound = boundInput(addend);
  auto type = cast<RankedTensorType>(addend.getType());
  // The accumulator's element: f32, or i32 under i8 operands.
  Type sum = type.getElementType();
  if (!bound || !(dtype == sim::Dtype::I8 ? sum.isInteger(32) : sum.isF32()))
    return fail(root, "the addend after it is computed inside the kernel, "
                      "not read from a binding");
  // The epilogue's loops are the dims of the root's result, which its
  // output map gives in the root's loops.
  AffineMap rootOut = root.getIndexingMapsArray().back();
  SmallVector<uint64_t> strides = byteStrides(bound->view);
  sim::MatrixLayout layout;
  layout.binding = bound->binding;
  uint64_t outHStride = 0, outWStride = 0;
  bool hasOutH = false, hasOutW = false;
  for (unsigned r = 0; r < map.getNumResults(); ++r) {
    if (type.getDimSize(r) == 1)
      continue;
    unsigned l = cast<AffineDimExpr>(map.getResult(r)).getPosition();
    unsigned loop = cast<AffineDimExpr>(rootOut.getResult(l)).getPosition();
    switch (loops[loop]) {
    case Loop::M:
      layout.rowStride = strides[r];
      break;
    case Loop::N:
      layout.colStride = strides[r];
      break;
    case Loop::Batch:
      layout.batchStride = strides[r];
      break;
    case Loop::OutH:
      outHStride = strides[r];
      hasOutH = true;
      break;
    case Loop::OutW:
      outWStride = strides[r];
      hasOutW = true;
      break;
    case Loop::Other:
      return fail(root, "the addend after it varies along a loop the "
                        "array does not keep");
    }
  }
  // A convolution's rows are its output pixels, oh * outW + ow.
  if (hasOutH || hasOutW) {
    if (!hasOutW || (hasOutH && outHStride != outWStride * uint64_t(outW)))
      return fail(root, "the addend after it is not laid out by output "
                        "pixel");
    layout.rowStride = outWStride;
  }
  if (layout.colStride != 4 && layout.rowStride != 4)
    return fail(root, "the addend after it has neither rows nor columns "
                      "contiguous");
  return layout;
}

LogicalResult KernelMapper::copy(ArrayRef<Value> sources,
                                 std::vector<sim::Instr> *program,
                                 sim::Activation activation) {
  auto type = cast<RankedTensorType>(sources[0].getType());
  Type element = type.getElementType();
  // i32 sums (an i8 array's) are the accumulator's elements; f32 ones too
  // when added up or activated.
  bool sums = config.dtype == sim::Dtype::I8 && element.isInteger(32);
  bool viaAcc =
      sums || activation != sim::Activation::None || sources.size() > 1;
  std::optional<sim::Dtype> elements = sums ? sim::Dtype::I8 : dtypeOf(element);
  if (!elements || (viaAcc && !sums && *elements != sim::Dtype::F32))
    return fail(kernel, viaAcc ? "the array adds and applies activations to "
                                 "f32 tensors"
                               : "the array copies f32, bf16 and i8 tensors, "
                                 "and an i8 array's i32 sums");
  if (*elements != config.dtype)
    return fail(kernel, "it moves " + Twine(sim::dtypeName(*elements)) +
                            " elements and the array's are " +
                            sim::dtypeName(config.dtype));
  uint64_t eb = viaAcc ? 4 : sim::dtypeBytes(*elements);
  uint64_t total = type.getNumElements();
  uint64_t half =
      (viaAcc ? config.accumulatorBytes / 4 : config.scratchpadBytes / eb) / 2;
  program->push_back(dmaConfig(*elements));
  program->back().activation = activation;
  if (sums)
    program->back().outType = sim::OutType::I32;
  uint32_t slot = 0;
  for (uint64_t at = 0; at < total; at += half) {
    uint64_t run = std::min(half, total - at);
    sim::Instr in;
    in.op = sim::Opcode::Mvin;
    in.dramOffset = at * eb;
    in.sramAddr = uint32_t((slot++ % 2) * half);
    in.sramStride = uint32_t(run);
    in.rows = 1;
    in.cols = uint32_t(run);
    for (auto [i, source] : llvm::enumerate(sources)) {
      in.flags = viaAcc ? sim::kToAccumulator : 0;
      if (i > 0)
        in.flags |= sim::kAccumulateIn;
      in.binding = cast<BlockArgument>(source).getArgNumber();
      program->push_back(in);
    }
    sim::Instr out = in;
    out.op = sim::Opcode::Mvout;
    out.flags = viaAcc ? sim::kFromAccumulator : 0;
    out.binding = kernel.getNumArguments();
    program->push_back(out);
  }
  return success();
}

/// A zero padding of the last two dimensions, through the scratchpad:
/// blocks of padded rows are cleared, the input's rows land inside them,
/// and each block goes out whole, alternating between the halves.
LogicalResult KernelMapper::padCopy(tensor::PadOp pad,
                                    std::vector<sim::Instr> *program) {
  std::optional<Bound> source = boundInput(pad.getSource());
  RankedTensorType in = pad.getSourceType(), out = pad.getResultType();
  int64_t rank = in.getRank();
  std::optional<sim::Dtype> elements = dtypeOf(in.getElementType());
  if (!source || !elements || !in.hasStaticShape() || !out.hasStaticShape() ||
      rank < 2)
    return fail(pad, "the array pads f32, bf16 and i8 tensors of static shape "
                     "that the kernel reads from a binding");
  if (*elements != config.dtype)
    return fail(pad, "it moves " + Twine(sim::dtypeName(*elements)) +
                         " elements and the array's are " +
                         sim::dtypeName(config.dtype));
  Value value = pad.getConstantPaddingValue();
  if (!value || !isZero(value))
    return fail(pad, "the array pads with zeros only");
  uint64_t eb = sim::dtypeBytes(*elements);
  ArrayRef<int64_t> low = pad.getStaticLow();
  for (int64_t d = 0; d < rank - 2; ++d)
    if (low[d] != 0 || in.getDimSize(d) != out.getDimSize(d))
      return fail(pad, "the array pads the last two dimensions only");
  if (ShapedType::isDynamic(low[rank - 2]) ||
      ShapedType::isDynamic(low[rank - 1]))
    return fail(pad, "the array pads by static amounts only");
  uint64_t h = in.getDimSize(rank - 2), w = in.getDimSize(rank - 1);
  uint64_t hp = out.getDimSize(rank - 2), wp = out.getDimSize(rank - 1);
  uint64_t top = low[rank - 2], left = low[rank - 1];
  uint64_t planes = in.getNumElements() / (h * w);
  uint64_t half = config.scratchpadBytes / eb / 2;
  uint64_t block = half / wp;
  if (block == 0)
    return fail(pad, "a padded row does not fit half the scratchpad");
  program->push_back(dmaConfig(*elements));
  uint32_t slot = 0, outBinding = kernel.getNumArguments();
  for (uint64_t p = 0; p < planes; ++p)
    for (uint64_t y0 = 0; y0 < hp; y0 += block) {
      uint64_t rows = std::min(block, hp - y0);
      uint32_t at = uint32_t((slot++ % 2) * half);
      sim::Instr zero;
      zero.op = sim::Opcode::Mvin;
      zero.flags = sim::kZeroFill;
      zero.sramAddr = at;
      zero.sramStride = uint32_t(wp);
      zero.rows = uint32_t(rows);
      zero.cols = uint32_t(wp);
      program->push_back(zero);
      // The input rows that fall in this block.
      uint64_t first = std::max(y0, top), last = std::min(y0 + rows, top + h);
      if (first < last) {
        sim::Instr rowsIn;
        rowsIn.op = sim::Opcode::Mvin;
        rowsIn.binding = source->binding;
        rowsIn.dramOffset = (p * h + (first - top)) * w * eb;
        rowsIn.dramStride = uint32_t(w * eb);
        rowsIn.sramAddr = uint32_t(at + (first - y0) * wp + left);
        rowsIn.sramStride = uint32_t(wp);
        rowsIn.rows = uint32_t(last - first);
        rowsIn.cols = uint32_t(w);
        program->push_back(rowsIn);
      }
      sim::Instr outRows;
      outRows.op = sim::Opcode::Mvout;
      outRows.binding = outBinding;
      outRows.dramOffset = (p * hp + y0) * wp * eb;
      outRows.dramStride = uint32_t(wp * eb);
      outRows.sramAddr = at;
      outRows.sramStride = uint32_t(wp);
      outRows.rows = uint32_t(rows);
      outRows.cols = uint32_t(wp);
      program->push_back(outRows);
    }
  return success();
}

/// Replaces `kernel` with a function over memrefs that runs `program`,
/// its arguments marked with the roles they have.
void emitKernel(func::FuncOp kernel, ArrayRef<sim::Instr> program,
                ArrayRef<sim::Role> roles) {
  MLIRContext *ctx = kernel.getContext();
  SmallVector<Type> bindings;
  for (Type t : kernel.getArgumentTypes())
    bindings.push_back(
        MemRefType::get(cast<RankedTensorType>(t).getShape(),
                        cast<RankedTensorType>(t).getElementType()));
  for (Type t : kernel.getResultTypes())
    bindings.push_back(
        MemRefType::get(cast<RankedTensorType>(t).getShape(),
                        cast<RankedTensorType>(t).getElementType()));
  OpBuilder b(kernel);
  Location loc = kernel.getLoc();
  auto fn = func::FuncOp::create(b, loc, kernel.getSymName(),
                                 FunctionType::get(ctx, bindings, {}));
  Block *body = fn.addEntryBlock();
  static const char *const kRoleNames[] = {"", "ifmap", "filter", "ofmap"};
  for (auto [i, role] : llvm::enumerate(roles))
    if (role != sim::Role::None)
      fn.setArgAttr(i, systolic::SystolicDialect::kRoleAttrName,
                    b.getStringAttr(kRoleNames[int(role)]));
  b.setInsertionPointToStart(body);
  auto i64 = [&](uint64_t v) { return b.getI64IntegerAttr(int64_t(v)); };
  auto unit = [&](bool set) { return set ? b.getUnitAttr() : UnitAttr(); };
  using namespace systolic;
  auto memory = [&](bool acc) {
    return MemoryAttr::get(ctx, acc ? Memory::Acc : Memory::Spad);
  };
  for (const sim::Instr &in : program) {
    switch (in.op) {
    case sim::Opcode::Config:
      ConfigOp::create(b, loc, DataflowAttr::get(ctx, Dataflow(in.dataflow)),
                       DtypeAttr::get(ctx, Dtype(in.dtype)),
                       ActivationAttr::get(ctx, Activation(in.activation)),
                       b.getF32FloatAttr(in.scale),
                       OutTypeAttr::get(ctx, OutType(in.outType)));
      break;
    case sim::Opcode::Mvin:
      if (in.flags & sim::kZeroFill) {
        ZeroOp::create(b, loc, memory(in.flags & sim::kToAccumulator),
                       i64(in.sramAddr), i64(in.sramStride), i64(in.rows),
                       i64(in.cols));
        break;
      }
      MvinOp::create(b, loc, body->getArgument(in.binding), i64(in.dramOffset),
                     i64(in.dramStride), memory(in.flags & sim::kToAccumulator),
                     i64(in.sramAddr), i64(in.sramStride), i64(in.rows),
                     i64(in.cols), unit(in.flags & sim::kAccumulateIn));
      break;
    case sim::Opcode::Mvout:
      MvoutOp::create(b, loc, memory(in.flags & sim::kFromAccumulator),
                      i64(in.sramAddr), i64(in.sramStride), i64(in.rows),
                      i64(in.cols), body->getArgument(in.binding),
                      i64(in.dramOffset), i64(in.dramStride),
                      unit(in.flags & sim::kTransposeOut));
      break;
    case sim::Opcode::Preload:
      PreloadOp::create(b, loc, i64(in.sramAddr), i64(in.sramStride),
                        i64(in.rows), i64(in.cols),
                        unit(in.flags & sim::kPreloadTransposed));
      break;
    case sim::Opcode::Compute:
      ComputeOp::create(
          b, loc, i64(in.aAddr), i64(in.aStride), i64(in.bAddr),
          i64(in.bStride), i64(in.cAddr), i64(in.cStride), i64(in.m), i64(in.k),
          i64(in.n), unit(in.flags & sim::kTransposeA),
          unit(in.flags & sim::kTransposeB), unit(in.flags & sim::kAccumulate),
          unit(in.flags & sim::kContinue));
      break;
    case sim::Opcode::Im2col: {
      auto pair = [&](uint64_t a, uint64_t c) {
        return b.getDenseI64ArrayAttr({int64_t(a), int64_t(c)});
      };
      Im2colOp::create(
          b, loc, body->getArgument(in.binding), i64(in.dramOffset),
          pair(in.height, in.width), pair(in.kernelH, in.kernelW),
          pair(in.strideH, in.strideW), pair(in.dilationH, in.dilationW),
          i64(in.outW), pair(in.k0, in.rows), pair(in.m0, in.cols),
          i64(in.sramAddr), i64(in.sramStride));
      break;
    }
    case sim::Opcode::Fence:
      FenceOp::create(b, loc);
      break;
    }
  }
  func::ReturnOp::create(b, loc);
  kernel.erase();
}

/// The array of `path` (the default one for ""), or failure after a
/// diagnostic on `op`.
FailureOr<sim::Config> loadArray(Operation *op, const std::string &path) {
  sim::Config cfg;
  if (!path.empty())
    if (std::string error = sim::loadConfig(path, &cfg); !error.empty())
      return op->emitError() << error;
  return cfg;
}

struct StrataSystolicMarkFallbackPass
    : impl::StrataSystolicMarkFallbackPassBase<StrataSystolicMarkFallbackPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<sim::Config> cfg = loadArray(module, config);
    if (failed(cfg))
      return signalPassFailure();
    module.walk([&](schedule::DispatchOp dispatch) {
      SymbolRefAttr callee = dispatch.getKernel();
      auto executable = module.lookupSymbol<schedule::ExecutableOp>(
          callee.getRootReference());
      if (!executable || executable.getTarget() != "systolic")
        return;
      auto exported = executable.lookupSymbol<schedule::ExportOp>(
          callee.getLeafReference());
      if (!exported)
        return;
      auto kernel = executable.getInnerModule().lookupSymbol<func::FuncOp>(
          exported.getFunction().value_or(exported.getSymName()));
      if (!kernel)
        return;
      // Map the kernel without keeping anything; its error is the reason.
      std::string reason;
      ScopedDiagnosticHandler capture(&getContext(), [&](Diagnostic &diag) {
        if (reason.empty())
          reason = diag.str();
        return success();
      });
      std::vector<sim::Instr> program;
      std::vector<sim::Role> roles;
      if (failed(KernelMapper(kernel, *cfg).map(&program, &roles)))
        dispatch->setAttr(schedule::kFallbackAttr,
                          StringAttr::get(&getContext(), reason));
    });
  }
};

struct StrataLinalgToSystolicPass
    : impl::StrataLinalgToSystolicPassBase<StrataLinalgToSystolicPass> {
  using Base::Base;

  void runOnOperation() override {
    schedule::ExecutableOp executable = getOperation();
    FailureOr<sim::Config> loaded = loadArray(executable, config);
    if (failed(loaded))
      return signalPassFailure();
    const sim::Config &cfg = *loaded;
    ModuleOp module = executable.getInnerModule();
    systolic::ArrayInfo info;
    info.rows = cfg.rows;
    info.cols = cfg.cols;
    info.dataflow = systolic::Dataflow(cfg.dataflow);
    info.scratchpadBytes = int64_t(cfg.scratchpadBytes);
    info.accumulatorBytes = int64_t(cfg.accumulatorBytes);
    info.config = cfg.toJson();
    module->setAttr(systolic::SystolicDialect::kArrayAttrName,
                    systolic::buildArrayAttr(&getContext(), info));
    for (auto exported : executable.getOps<schedule::ExportOp>()) {
      auto kernel = module.lookupSymbol<func::FuncOp>(
          exported.getFunction().value_or(exported.getSymName()));
      if (!kernel || kernel.isExternal())
        continue;
      std::vector<sim::Instr> program;
      std::vector<sim::Role> roles;
      if (failed(KernelMapper(kernel, cfg).map(&program, &roles)))
        return signalPassFailure();
      emitKernel(kernel, program, roles);
      exported.setWorkgroupsAttr(
          DenseI64ArrayAttr::get(&getContext(), {1, 1, 1}));
    }
  }
};

} // namespace
} // namespace mlir::strata
