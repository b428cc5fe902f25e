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

bool isZeroFill(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
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
  LogicalResult copy(Value source, std::vector<sim::Instr> *program);

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
  for (Operation &op : kernel.getBody().front().without_terminator()) {
    if (isa<tensor::PadOp>(op))
      return fail(&op, "padding does not run on the array yet");
    if (!isa<linalg::GenericOp, linalg::FillOp, tensor::EmptyOp,
             tensor::ExpandShapeOp, tensor::CollapseShapeOp, arith::ConstantOp>(
            op))
      return fail(&op, "only matmuls and convolutions run on the array");
  }
  auto root = result.getDefiningOp<linalg::GenericOp>();
  if (!root)
    return fail(result.getDefiningOp(),
                "only matmuls and convolutions run on the array");
  if (!getElementTypeOrSelf(root.getResultTypes()[0]).isF32() ||
      !isMulAddF32(root))
    return fail(root, "only matmuls and convolutions (f32 "
                      "multiply-accumulates) run on the array");
  if (!isZeroFill(root.getDpsInits()[0]))
    return fail(root, "its result does not start from zero");

  sim::GemmProblem problem;
  problem.c.binding = kernel.getNumArguments();
  if (std::optional<ConvGeneric> conv = matchConv(root)) {
    if (failed(convolution(root, *conv, &problem)))
      return failure();
  } else if (failed(contraction(root, &problem))) {
    return failure();
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
    return fail(op, "an operand is computed inside the kernel, not read "
                    "from a binding");
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
  p->batch = batch ? ranges[*batch] : 1;
  p->m = ranges[m];
  p->n = ranges[n];
  p->k = ranges[k];
  p->a = matrixLayout(lhs, lhsMap, m, k, batch);
  p->b = matrixLayout(rhs, rhsMap, k, n, batch);
  sim::MatrixLayout c = matrixLayout(
      Bound{p->c.binding, cast<RankedTensorType>(op.getResultTypes()[0])},
      maps[2], m, n, batch);
  c.binding = p->c.binding;
  p->c = c;
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
    return fail(op, "an operand is computed inside the kernel (padding, "
                    "which the array cannot do yet?), not read from a "
                    "binding");
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

LogicalResult KernelMapper::copy(Value source,
                                 std::vector<sim::Instr> *program) {
  auto type = cast<RankedTensorType>(source.getType());
  if (!type.getElementType().isF32())
    return fail(kernel, "the array copies f32 tensors");
  uint64_t total = type.getNumElements();
  uint64_t half = config.scratchpadBytes / 4 / 2;
  sim::Instr cfg;
  cfg.op = sim::Opcode::Config;
  cfg.dataflow = config.dataflow;
  program->push_back(cfg);
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
    case sim::Opcode::Fence:
      FenceOp::create(b, loc);
      break;
    }
  }
  func::ReturnOp::create(b, loc);
  kernel.erase();
}

struct StrataLinalgToSystolicPass
    : impl::StrataLinalgToSystolicPassBase<StrataLinalgToSystolicPass> {
  using Base::Base;

  void runOnOperation() override {
    schedule::ExecutableOp executable = getOperation();
    sim::Config cfg;
    if (!config.empty()) {
      if (std::string error = sim::loadConfig(config, &cfg); !error.empty()) {
        executable.emitError() << error;
        return signalPassFailure();
      }
    }
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
