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
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

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

/// A zero-filled init: linalg.fill of 0, or the generic elementwise fusion
/// makes of it (no inputs, yielding 0).
bool isZeroInit(Value init) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
  auto generic = init.getDefiningOp<linalg::GenericOp>();
  if (!generic || generic.getNumDpsInputs() != 0)
    return false;
  auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
  return matchPattern(yield.getOperand(0), m_AnyZeroFloat());
}

/// An elementwise generic after the contraction, which the array applies
/// on the way out of the accumulator: the product plus at most one other
/// operand (a bias or a residual, loaded into the accumulator first), then
/// at most a ReLU.
struct Epilogue {
  Value input;         // the contraction's result
  Value addend;        // the other operand, or null
  AffineMap addendMap; // in the epilogue's loops
  sim::Activation activation = sim::Activation::None;
};

std::optional<Epilogue> matchEpilogue(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumDpsInputs() < 1 ||
      op.getNumDpsInputs() > 2 || op.getNumReductionLoops() != 0 ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return std::nullopt;
  Block *body = op.getBody();
  Epilogue e;
  Value v = cast<linalg::YieldOp>(body->getTerminator()).getOperand(0);
  unsigned ops = 1;
  if (Operation *max = v.getDefiningOp();
      max && isa<arith::MaximumFOp, arith::MaxNumFOp>(max)) {
    Value a = max->getOperand(0), b = max->getOperand(1);
    if (matchPattern(a, m_AnyZeroFloat()))
      std::swap(a, b);
    if (!matchPattern(b, m_AnyZeroFloat()))
      return std::nullopt;
    e.activation = sim::Activation::Relu;
    v = a;
    ++ops;
  }
  SmallVector<Value> terms = {v};
  if (auto add = v.getDefiningOp<arith::AddFOp>();
      add && add->getBlock() == body) {
    terms = {add.getLhs(), add.getRhs()};
    ++ops;
  }
  if (body->getOperations().size() != ops)
    return std::nullopt;
  // Each term is an input; the one from a contraction is the product.
  SmallVector<OpOperand *> inputs;
  for (Value t : terms) {
    auto arg = dyn_cast<BlockArgument>(t);
    if (!arg || arg.getOwner() != body ||
        arg.getArgNumber() >= op.getNumDpsInputs())
      return std::nullopt;
    inputs.push_back(op.getDpsInputOperand(arg.getArgNumber()));
  }
  if (inputs.size() == 2 &&
      inputs[0]->get().getDefiningOp<linalg::GenericOp>() &&
      !inputs[1]->get().getDefiningOp<linalg::GenericOp>())
    std::swap(inputs[0], inputs[1]);
  // inputs.back() is the product, inputs.front() (if two) the addend.
  OpOperand *product = inputs.back();
  if (!op.getMatchingIndexingMap(product).isIdentity() ||
      op.getNumDpsInputs() != int64_t(inputs.size()))
    return std::nullopt;
  e.input = product->get();
  if (inputs.size() == 2) {
    e.addend = inputs.front()->get();
    e.addendMap = op.getMatchingIndexingMap(inputs.front());
    if (!e.addendMap.isProjectedPermutation())
      return std::nullopt;
  }
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
  LogicalResult contraction(linalg::GenericOp op, sim::GemmProblem *p);
  LogicalResult convolution(linalg::GenericOp op, const ConvGeneric &conv,
                            sim::GemmProblem *p);
  /// The config a DMA-only program starts with.
  sim::Instr dmaConfig() const {
    sim::Instr cfg;
    cfg.op = sim::Opcode::Config;
    cfg.dataflow = config.dataflow;
    return cfg;
  }
  LogicalResult copy(Value source, std::vector<sim::Instr> *program);
  LogicalResult padCopy(tensor::PadOp pad, std::vector<sim::Instr> *program);

  /// The layout of the epilogue's addend as a matrix of C's shape.
  FailureOr<sim::MatrixLayout> addendLayout(linalg::GenericOp root,
                                            const Epilogue &epilogue);

  /// What each loop of the root is to the GEMM.
  enum class Loop { Other, M, N, Batch, OutH, OutW };
  SmallVector<Loop> loops;
  int64_t outW = 1;

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
    return copy(result, program);
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
  std::optional<Epilogue> epilogue;
  if (root && root.getNumReductionLoops() == 0)
    if ((epilogue = matchEpilogue(root)))
      root = epilogue->input.getDefiningOp<linalg::GenericOp>();
  if (!root)
    return fail(result.getDefiningOp(),
                "only matmuls and convolutions run on the array");
  if (!getElementTypeOrSelf(root.getResultTypes()[0]).isF32() ||
      !isMulAddF32(root))
    return fail(root, "only matmuls and convolutions (f32 "
                      "multiply-accumulates) run on the array");
  if (!isZeroInit(root.getDpsInits()[0]))
    return fail(root, "its result does not start from zero");

  sim::GemmProblem problem;
  problem.c.binding = kernel.getNumArguments();
  if (std::optional<ConvGeneric> conv = matchConv(root)) {
    if (failed(convolution(root, *conv, &problem)))
      return failure();
  } else if (failed(contraction(root, &problem))) {
    return failure();
  }
  if (epilogue) {
    problem.activation = epilogue->activation;
    if (epilogue->addend) {
      FailureOr<sim::MatrixLayout> addend = addendLayout(root, *epilogue);
      if (failed(addend))
        return failure();
      problem.addend = *addend;
    }
  }
  std::string error = sim::tileGemm(problem, config, program);
  if (!error.empty())
    return fail(root, error);
  roles->assign(kernel.getNumArguments() + 1, sim::Role::None);
  (*roles)[problem.aIsIm2col ? problem.im2col.binding : problem.a.binding] =
      sim::Role::Ifmap;
  (*roles)[problem.b.binding] = sim::Role::Filter;
  (*roles)[problem.c.binding] = sim::Role::Ofmap;
  return success();
}

LogicalResult KernelMapper::contraction(linalg::GenericOp op,
                                        sim::GemmProblem *p) {
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
  p->k = ranges[k];
  p->a = matrixLayout(lhs, lhsMap, m, k, batch);
  p->b = matrixLayout(rhs, rhsMap, k, n, batch);
  p->c = matrixLayout(
      Bound{p->c.binding, cast<RankedTensorType>(op.getResultTypes()[0])},
      maps[2], m, n, batch);
  return success();
}

LogicalResult KernelMapper::convolution(linalg::GenericOp op,
                                        const ConvGeneric &conv,
                                        sim::GemmProblem *p) {
  if (conv.dims != 2)
    return fail(op, "only 2-D convolutions run on the array");
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  // Loops (n, g, f, oh, ow, c, kh, kw).
  if (ranges[1] != 1)
    return fail(op, "grouped and depthwise convolutions do not run on the "
                    "array yet");
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
  outW = ranges[4];
  ArrayRef<int64_t> image = input->view.getShape(); // n, g, c, h, w
  uint64_t eb = 4;
  uint64_t taps = ranges[5] * ranges[6] * ranges[7];
  uint64_t pixels = ranges[3] * ranges[4];
  p->batch = ranges[0];
  p->m = pixels;
  p->n = ranges[2];
  p->k = taps;
  p->aIsIm2col = true;
  sim::Im2colLayout &col = p->im2col;
  col.binding = input->binding;
  col.batchStride = byteStrides(input->view)[0];
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
  p->b.binding = filter->binding;
  p->b.rowStride = eb;
  p->b.colStride = taps * eb;
  // The output (n, g, f, oh, ow) is C transposed: C(pixel, f).
  p->c.rowStride = eb;
  p->c.colStride = pixels * eb;
  p->c.batchStride = ranges[2] * pixels * eb;
  return success();
}

FailureOr<sim::MatrixLayout>
KernelMapper::addendLayout(linalg::GenericOp root, const Epilogue &epilogue) {
  std::optional<Bound> bound = boundInput(epilogue.addend);
  auto type = cast<RankedTensorType>(epilogue.addend.getType());
  if (!bound || !type.getElementType().isF32())
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
  for (unsigned r = 0; r < epilogue.addendMap.getNumResults(); ++r) {
    if (type.getDimSize(r) == 1)
      continue;
    unsigned l =
        cast<AffineDimExpr>(epilogue.addendMap.getResult(r)).getPosition();
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

LogicalResult KernelMapper::copy(Value source,
                                 std::vector<sim::Instr> *program) {
  auto type = cast<RankedTensorType>(source.getType());
  if (!type.getElementType().isF32())
    return fail(kernel, "the array copies f32 tensors");
  uint64_t total = type.getNumElements();
  uint64_t half = config.scratchpadBytes / 4 / 2;
  program->push_back(dmaConfig());
  uint32_t binding = cast<BlockArgument>(source).getArgNumber();
  uint32_t slot = 0;
  for (uint64_t at = 0; at < total; at += half) {
    uint64_t run = std::min(half, total - at);
    sim::Instr in;
    in.op = sim::Opcode::Mvin;
    in.binding = binding;
    in.dramOffset = at * 4;
    in.sramAddr = uint32_t((slot++ % 2) * half);
    in.sramStride = uint32_t(run);
    in.rows = 1;
    in.cols = uint32_t(run);
    program->push_back(in);
    sim::Instr out = in;
    out.op = sim::Opcode::Mvout;
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
  if (!source || !in.getElementType().isF32() || !in.hasStaticShape() ||
      !out.hasStaticShape() || rank < 2)
    return fail(pad, "the array pads f32 tensors of static shape that the "
                     "kernel reads from a binding");
  Value value = pad.getConstantPaddingValue();
  if (!value || !matchPattern(value, m_AnyZeroFloat()))
    return fail(pad, "the array pads with zeros only");
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
  uint64_t half = config.scratchpadBytes / 4 / 2;
  uint64_t block = half / wp;
  if (block == 0)
    return fail(pad, "a padded row does not fit half the scratchpad");
  program->push_back(dmaConfig());
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
        rowsIn.dramOffset = (p * h + (first - top)) * w * 4;
        rowsIn.dramStride = uint32_t(w * 4);
        rowsIn.sramAddr = uint32_t(at + (first - y0) * wp + left);
        rowsIn.sramStride = uint32_t(wp);
        rowsIn.rows = uint32_t(last - first);
        rowsIn.cols = uint32_t(w);
        program->push_back(rowsIn);
      }
      sim::Instr outRows;
      outRows.op = sim::Opcode::Mvout;
      outRows.binding = outBinding;
      outRows.dramOffset = (p * hp + y0) * wp * 4;
      outRows.dramStride = uint32_t(wp * 4);
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
                     i64(in.cols));
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
