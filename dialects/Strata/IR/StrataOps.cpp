//===- StrataOps.cpp - strata op inference and verification ---------------===//
//
// Result-type inference for every strata op. Inference doubles as the
// verifier: the VerifyInferredType trait runs it with the op's location, so
// each error below is the diagnostic a user sees for a malformed op. The
// shape arithmetic itself lives in ShapeInference.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "dialects/Strata/IR/ShapeInference.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::strata;

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

namespace {
/// Collects the diagnostic context of one inference call: errors are worded
/// like emitOpError and only emitted when a location is given.
class Inference {
public:
  Inference(std::optional<Location> loc, StringRef opName,
            SmallVectorImpl<Type> &types)
      : loc(loc), opName(opName), types(types) {}

  LogicalResult fail(const Twine &message) const {
    return emitOptionalError(loc, "'", opName, "' op ", message);
  }
  LogicalResult fail(llvm::Error error) const {
    return fail(llvm::toString(std::move(error)));
  }

  /// The operand's ranked tensor type, or null after reporting an error.
  RankedTensorType tensor(Value value, StringRef name) const {
    auto type = dyn_cast_if_present<RankedTensorType>(
        value ? value.getType() : Type());
    if (!type)
      (void)fail("operand '" + name + "' must be a ranked tensor");
    return type;
  }

  LogicalResult sameElementType(RankedTensorType a, StringRef aName,
                                RankedTensorType b, StringRef bName) const {
    if (a.getElementType() == b.getElementType())
      return success();
    std::string message;
    llvm::raw_string_ostream os(message);
    os << "operand '" << bName << "' has element type '" << b.getElementType()
       << "', expected '" << a.getElementType() << "' like '" << aName << "'";
    return fail(message);
  }

  /// The shapes of variadic `values`, which share the element type of the
  /// first (`first`, null when there are none).
  LogicalResult variadic(ValueRange values,
                         SmallVectorImpl<ArrayRef<int64_t>> &shapes,
                         RankedTensorType &first) const {
    for (auto [i, value] : llvm::enumerate(values)) {
      std::string name = "#" + std::to_string(i);
      RankedTensorType type = tensor(value, name);
      if (!type)
        return failure();
      if (!first)
        first = type;
      else if (failed(sameElementType(first, "#0", type, name)))
        return failure();
      shapes.push_back(type.getShape());
    }
    return success();
  }

  /// Records a result of `shape` and `elementType`.
  LogicalResult shaped(ArrayRef<int64_t> shape, Type elementType) const {
    types.push_back(RankedTensorType::get(shape, elementType));
    return success();
  }
  LogicalResult result(llvm::Expected<shape::Shape> shape,
                       Type elementType) const {
    if (!shape)
      return fail(shape.takeError());
    return shaped(*shape, elementType);
  }

private:
  std::optional<Location> loc;
  StringRef opName;
  SmallVectorImpl<Type> &types;
};
} // namespace

bool mlir::strata::areCompatibleResultTypes(TypeRange l, TypeRange r) {
  if (l.size() != r.size())
    return false;
  for (auto [a, b] : llvm::zip_equal(l, r)) {
    if (a == b)
      continue;
    auto ta = dyn_cast<RankedTensorType>(a);
    auto tb = dyn_cast<RankedTensorType>(b);
    if (!ta || !tb || ta.getElementType() != tb.getElementType() ||
        ta.getRank() != tb.getRank())
      return false;
    for (auto [da, db] : llvm::zip_equal(ta.getShape(), tb.getShape()))
      if (!shape::compatible(da, db))
        return false;
  }
  return true;
}

LogicalResult mlir::strata::inferResultTypes(Operation *op,
                                             SmallVectorImpl<Type> &types) {
  return cast<InferTypeOpInterface>(op).inferReturnTypes(
      op->getContext(), op->getLoc(), op->getOperands(),
      op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
      op->getRegions(), types);
}

LogicalResult mlir::strata::verifyInferredType(Operation *op) {
  SmallVector<Type> inferred;
  if (failed(inferResultTypes(op, inferred)))
    return failure();
  if (!areCompatibleResultTypes(inferred, op->getResultTypes()))
    return op->emitOpError() << "result type " << op->getResultTypes()
                             << " is incompatible with the inferred type "
                             << TypeRange(inferred);
  for (Type type : op->getResultTypes()) {
    auto tensor = cast<RankedTensorType>(type);
    llvm::Expected<int64_t> count = shape::numElements(tensor.getShape());
    if (!count)
      return op->emitOpError() << llvm::toString(count.takeError());
  }
  return success();
}

LogicalResult mlir::strata::inferBroadcastResult(std::optional<Location> loc,
                                                 StringRef opName,
                                                 ValueRange operands,
                                                 Type elementType,
                                                 SmallVectorImpl<Type> &types) {
  Inference infer(loc, opName, types);
  // `where` broadcasts an i1 condition with two values; binary ops have
  // only the values.
  bool hasCondition = operands.size() == 3;
  shape::Shape result;
  RankedTensorType first;
  for (auto [i, value] : llvm::enumerate(operands)) {
    std::string name = "#" + std::to_string(i);
    RankedTensorType type = infer.tensor(value, name);
    if (!type)
      return failure();
    if (!(hasCondition && i == 0)) {
      if (!first)
        first = type;
      else if (failed(infer.sameElementType(first, "#" + std::to_string(
                                                       hasCondition ? 1 : 0),
                                            type, name)))
        return failure();
    }
    llvm::Expected<shape::Shape> next = shape::broadcast(result, type.getShape());
    if (!next)
      return infer.fail(next.takeError());
    result = *next;
  }
  return infer.shaped(result, elementType ? elementType
                                          : first.getElementType());
}

/// Infers a result with `input`'s element type and the shape `fn` computes
/// from `input`'s shape: the common form of the data-movement ops.
template <typename Fn>
static LogicalResult inferFromInput(std::optional<Location> loc,
                                    StringRef opName, Value input,
                                    SmallVectorImpl<Type> &types, Fn fn) {
  Inference infer(loc, opName, types);
  RankedTensorType type = infer.tensor(input, "input");
  if (!type)
    return failure();
  return infer.result(fn(type.getShape()), type.getElementType());
}

LogicalResult mlir::strata::inferReduceResult(std::optional<Location> loc,
                                              StringRef opName, Value input,
                                              ArrayRef<int64_t> axes,
                                              bool keepDims,
                                              SmallVectorImpl<Type> &types) {
  return inferFromInput(loc, opName, input, types, [&](ArrayRef<int64_t> in) {
    return shape::reduce(in, axes, keepDims);
  });
}

//===----------------------------------------------------------------------===//
// Constants and casts
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  auto type = dyn_cast_if_present<RankedTensorType>(
      adaptor.getValue() ? adaptor.getValue().getType() : Type());
  if (!type)
    return infer.fail("value must be a ranked tensor attribute");
  types.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh")
    return emitOpError() << "approximate must be \"none\" or \"tanh\", got \""
                         << getApproximate() << "\"";
  return success();
}

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() && *getMin() > *getMax()) {
    SmallString<16> min, max;
    getMin()->toString(min);
    getMax()->toString(max);
    return emitOpError() << "min " << min << " exceeds max " << max;
  }
  return success();
}

LogicalResult ModOp::verify() {
  if (isa<FloatType>(getType().getElementType()) && !getFmod())
    return emitOpError() << "on floats requires fmod = true";
  return success();
}

LogicalResult BitShiftOp::verify() {
  if (getDirection() != "left" && getDirection() != "right")
    return emitOpError() << "direction must be \"left\" or \"right\", got \""
                         << getDirection() << "\"";
  return success();
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  return inferBroadcastResult(loc, getOperationName(),
                              {adaptor.getCondition(), adaptor.getX(),
                               adaptor.getY()},
                              /*elementType=*/nullptr, types);
}

//===----------------------------------------------------------------------===//
// Contractions and convolution
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType lhs = infer.tensor(adaptor.getLhs(), "lhs");
  RankedTensorType rhs = infer.tensor(adaptor.getRhs(), "rhs");
  if (!lhs || !rhs || failed(infer.sameElementType(lhs, "lhs", rhs, "rhs")))
    return failure();
  return infer.result(shape::matmul(lhs.getShape(), rhs.getShape()),
                      lhs.getElementType());
}

LogicalResult EinsumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  SmallVector<ArrayRef<int64_t>> shapes;
  RankedTensorType first;
  if (failed(infer.variadic(adaptor.getInputs(), shapes, first)))
    return failure();
  if (!first)
    return infer.fail("needs at least one operand");
  return infer.result(shape::einsum(adaptor.getEquation(), shapes),
                      first.getElementType());
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType a = infer.tensor(adaptor.getA(), "a");
  RankedTensorType b = infer.tensor(adaptor.getB(), "b");
  if (!a || !b || failed(infer.sameElementType(a, "a", b, "b")))
    return failure();
  if (a.getRank() != 2 || b.getRank() != 2)
    return infer.fail("operands 'a' and 'b' must be 2-D, got " +
                      shape::format(a.getShape()) + " and " +
                      shape::format(b.getShape()));
  int64_t m = a.getDimSize(adaptor.getTransA() ? 1 : 0);
  int64_t k1 = a.getDimSize(adaptor.getTransA() ? 0 : 1);
  int64_t k2 = b.getDimSize(adaptor.getTransB() ? 1 : 0);
  int64_t n = b.getDimSize(adaptor.getTransB() ? 0 : 1);
  if (!shape::compatible(k1, k2))
    return infer.fail("contracted dimensions differ: " +
                      shape::format({k1}) + " vs " + shape::format({k2}));
  shape::Shape result{m, n};
  if (Value cValue = adaptor.getC()) {
    RankedTensorType c = infer.tensor(cValue, "c");
    if (!c || failed(infer.sameElementType(a, "a", c, "c")))
      return failure();
    if (!shape::broadcastsTo(c.getShape(), result))
      return infer.fail("operand 'c' of shape " + shape::format(c.getShape()) +
                        " does not broadcast to " + shape::format(result));
  }
  return infer.shaped(result, a.getElementType());
}

/// Checks the 2-D window attributes shared by conv2d and the pools.
static LogicalResult checkWindowAttrs(const Inference &infer,
                                      ArrayRef<int64_t> strides,
                                      ArrayRef<int64_t> pads,
                                      ArrayRef<int64_t> dilations,
                                      size_t spatial) {
  if (strides.size() != spatial)
    return infer.fail("strides must have " + Twine(spatial) +
                      " entries, got " + Twine(strides.size()));
  if (pads.size() != 2 * spatial)
    return infer.fail(
        "pads must have " + Twine(2 * spatial) + " entries " +
        (spatial == 2 ? "[top, left, bottom, right]" : "(begins, then ends)") +
        ", got " + Twine(pads.size()));
  if (dilations.size() != spatial)
    return infer.fail("dilations must have " + Twine(spatial) +
                      " entries, got " + Twine(dilations.size()));
  return success();
}

/// "4-D (NCHW)" or "5-D (NCDHW)" for diagnostics.
static std::string layoutName(size_t spatial, StringRef channels) {
  return std::to_string(spatial + 2) + "-D (" + channels.str() +
         (spatial == 2 ? "HW" : "DHW") + ")";
}

/// Infers NxCxOHxOW for a 2-D window over an NCHW `input`.
static LogicalResult inferWindowed(const Inference &infer,
                                   RankedTensorType input, int64_t channels,
                                   ArrayRef<int64_t> kernel,
                                   ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> pads,
                                   ArrayRef<int64_t> dilations, bool ceilMode,
                                   Type elementType) {
  size_t spatial = kernel.size();
  shape::Shape result{input.getDimSize(0), channels};
  for (size_t i = 0; i < spatial; ++i) {
    shape::Window window{kernel[i], strides[i], pads[i], pads[i + spatial],
                         dilations[i], ceilMode};
    llvm::Expected<int64_t> size =
        shape::windowOutputSize(input.getDimSize(2 + i), window);
    if (!size)
      return infer.fail("spatial dimension " + Twine(i) + ": " +
                        llvm::toString(size.takeError()));
    result.push_back(*size);
  }
  return infer.shaped(result, elementType);
}

/// Checks the operands and attributes shared by conv2d and
/// conv_transpose2d and returns the output channel count. A convolution's
/// weight is M x C/group x kH x kW; a transposed one's C x M/group x kH x kW.
template <typename Adaptor>
static FailureOr<int64_t> checkConv(const Inference &infer, Adaptor adaptor,
                                    bool transposed, size_t spatial) {
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  RankedTensorType weight = infer.tensor(adaptor.getWeight(), "weight");
  if (!input || !weight ||
      failed(infer.sameElementType(input, "input", weight, "weight")))
    return failure();
  int64_t rank = spatial + 2;
  if (input.getRank() != rank || weight.getRank() != rank)
    return infer.fail(
        "input and weight must be " + Twine(rank) + "-D (N" +
        (spatial == 2 ? "CHW" : "CDHW") + " and " +
        (transposed ? "CM" : "MC") + (spatial == 2 ? "kHkW" : "kDkHkW") +
        "), got " + shape::format(input.getShape()) + " and " +
        shape::format(weight.getShape()));
  if (failed(checkWindowAttrs(infer, adaptor.getStrides(), adaptor.getPads(),
                              adaptor.getDilations(), spatial)))
    return failure();
  int64_t group = adaptor.getGroup();
  if (group < 1)
    return infer.fail("group must be positive, got " + Twine(group));
  int64_t channels = input.getDimSize(1);
  int64_t perGroup = weight.getDimSize(1);
  int64_t filters = weight.getDimSize(0);
  if (!transposed && !shape::isDynamic(channels) &&
      !shape::isDynamic(perGroup)) {
    std::optional<int64_t> expected = llvm::checkedMul(perGroup, group);
    if (!expected || *expected != channels)
      return infer.fail("input has " + Twine(channels) +
                        " channels but weight expects " + Twine(perGroup) +
                        " per group x " + Twine(group) + " groups");
  }
  if (transposed && !shape::compatible(channels, filters))
    return infer.fail("input has " + Twine(channels) +
                      " channels but weight expects " + Twine(filters));
  if (!shape::isDynamic(filters) && filters % group != 0)
    return infer.fail("weight has " + Twine(filters) + (transposed ? " input channels" : " filters") +
                      ", not divisible by group " + Twine(group));
  int64_t outputs = filters;
  if (transposed) {
    std::optional<int64_t> total = llvm::checkedMul(perGroup, group);
    outputs = shape::isDynamic(perGroup) || !total ? shape::kDynamic : *total;
  }
  if (Value biasValue = adaptor.getBias()) {
    RankedTensorType bias = infer.tensor(biasValue, "bias");
    if (!bias || failed(infer.sameElementType(input, "input", bias, "bias")))
      return failure();
    if (bias.getRank() != 1 || !shape::compatible(bias.getDimSize(0), outputs))
      return infer.fail("bias of shape " + shape::format(bias.getShape()) +
                        " does not match " + shape::format({outputs}) +
                        " output channels");
  }
  return outputs;
}

template <typename Adaptor>
static LogicalResult inferConv(const Inference &infer, Adaptor adaptor,
                               size_t spatial) {
  FailureOr<int64_t> outputs =
      checkConv(infer, adaptor, /*transposed=*/false, spatial);
  if (failed(outputs))
    return failure();
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  return inferWindowed(infer, input, *outputs, weight.getShape().drop_front(2),
                       adaptor.getStrides(), adaptor.getPads(),
                       adaptor.getDilations(), /*ceilMode=*/false,
                       input.getElementType());
}

template <typename Adaptor>
static LogicalResult inferConvTranspose(const Inference &infer, Adaptor adaptor,
                                        size_t spatial) {
  FailureOr<int64_t> outputs =
      checkConv(infer, adaptor, /*transposed=*/true, spatial);
  if (failed(outputs))
    return failure();
  ArrayRef<int64_t> outputPadding = adaptor.getOutputPadding();
  if (outputPadding.size() != spatial)
    return infer.fail("output_padding must have " + Twine(spatial) +
                      " entries, got " + Twine(outputPadding.size()));
  auto input = cast<RankedTensorType>(adaptor.getInput().getType());
  auto weight = cast<RankedTensorType>(adaptor.getWeight().getType());
  shape::Shape result{input.getDimSize(0), *outputs};
  for (size_t i = 0; i < spatial; ++i) {
    shape::Window window{weight.getDimSize(2 + i), adaptor.getStrides()[i],
                         adaptor.getPads()[i], adaptor.getPads()[i + spatial],
                         adaptor.getDilations()[i]};
    llvm::Expected<int64_t> size = shape::transposedWindowOutputSize(
        input.getDimSize(2 + i), window, outputPadding[i]);
    if (!size)
      return infer.fail("spatial dimension " + Twine(i) + ": " +
                        llvm::toString(size.takeError()));
    result.push_back(*size);
  }
  return infer.shaped(result, input.getElementType());
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferConv(Inference(loc, getOperationName(), types), adaptor, 2);
}

LogicalResult Conv3DOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferConv(Inference(loc, getOperationName(), types), adaptor, 3);
}

LogicalResult ConvTranspose2DOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferConvTranspose(Inference(loc, getOperationName(), types), adaptor,
                            2);
}

LogicalResult ConvTranspose3DOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  return inferConvTranspose(Inference(loc, getOperationName(), types), adaptor,
                            3);
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// Shared inference of the max and average pools over `spatial` dims.
template <typename Adaptor>
static LogicalResult inferPool(const Inference &infer, Adaptor adaptor,
                               ArrayRef<int64_t> dilations, size_t spatial) {
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  if (input.getRank() != static_cast<int64_t>(spatial + 2))
    return infer.fail("input must be " + layoutName(spatial, "NC") +
                      ", got " + shape::format(input.getShape()));
  if (adaptor.getKernelShape().size() != spatial)
    return infer.fail("kernel_shape must have " + Twine(spatial) +
                      " entries, got " + Twine(adaptor.getKernelShape().size()));
  if (failed(checkWindowAttrs(infer, adaptor.getStrides(), adaptor.getPads(),
                              dilations, spatial)))
    return failure();
  return inferWindowed(infer, input, input.getDimSize(1),
                       adaptor.getKernelShape(), adaptor.getStrides(),
                       adaptor.getPads(), dilations, adaptor.getCeilMode(),
                       input.getElementType());
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(Inference(loc, getOperationName(), types), adaptor,
                   adaptor.getDilations(), 2);
}

LogicalResult MaxPool3DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferPool(Inference(loc, getOperationName(), types), adaptor,
                   adaptor.getDilations(), 3);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  int64_t noDilation[] = {1, 1};
  return inferPool(Inference(loc, getOperationName(), types), adaptor,
                   noDilation, 2);
}

LogicalResult AvgPool3DOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  int64_t noDilation[] = {1, 1, 1};
  return inferPool(Inference(loc, getOperationName(), types), adaptor,
                   noDilation, 3);
}

static LogicalResult inferGlobalPool(const Inference &infer, Value value) {
  RankedTensorType input = infer.tensor(value, "input");
  if (!input)
    return failure();
  if (input.getRank() < 3)
    return infer.fail("input must have rank >= 3 (N, C, spatial...), got " +
                      shape::format(input.getShape()));
  shape::Shape result(input.getShape());
  std::fill(result.begin() + 2, result.end(), 1);
  return infer.shaped(result, input.getElementType());
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  return inferGlobalPool(Inference(loc, getOperationName(), types),
                         adaptor.getInput());
}

LogicalResult GlobalMaxPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  return inferGlobalPool(Inference(loc, getOperationName(), types),
                         adaptor.getInput());
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

/// Ops whose result is shaped like `input` and that act along `axis`.
static LogicalResult inferAlongAxis(std::optional<Location> loc,
                                    StringRef opName, Value input, int64_t axis,
                                    SmallVectorImpl<Type> &types) {
  return inferFromInput(
      loc, opName, input, types,
      [&](ArrayRef<int64_t> in) -> llvm::Expected<shape::Shape> {
        llvm::Expected<int64_t> normalized = shape::normalizeAxis(axis, in.size());
        if (!normalized)
          return normalized.takeError();
        return shape::Shape(in);
      });
}

LogicalResult SoftmaxOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferAlongAxis(loc, getOperationName(), adaptor.getInput(),
                        adaptor.getAxis(), types);
}

LogicalResult LogSoftmaxOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  return inferAlongAxis(loc, getOperationName(), adaptor.getInput(),
                        adaptor.getAxis(), types);
}

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  return inferAlongAxis(loc, getOperationName(), adaptor.getInput(),
                        adaptor.getAxis(), types);
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  if (input.getRank() < 2)
    return infer.fail("input must have rank >= 2 (N, C, ...), got " +
                      shape::format(input.getShape()));
  int64_t channels = input.getDimSize(1);
  std::pair<Value, StringRef> params[] = {{adaptor.getScale(), "scale"},
                                          {adaptor.getBias(), "bias"},
                                          {adaptor.getMean(), "mean"},
                                          {adaptor.getVariance(), "variance"}};
  for (auto [value, name] : params) {
    RankedTensorType type = infer.tensor(value, name);
    if (!type || failed(infer.sameElementType(input, "input", type, name)))
      return failure();
    if (type.getRank() != 1 || !shape::compatible(type.getDimSize(0), channels))
      return infer.fail("operand '" + name + "' of shape " +
                        shape::format(type.getShape()) + " must be " +
                        shape::format({channels}));
  }
  types.push_back(input);
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  llvm::Expected<int64_t> axis =
      shape::normalizeAxis(adaptor.getAxis(), input.getRank());
  if (!axis)
    return infer.fail(axis.takeError());
  ArrayRef<int64_t> normalized = input.getShape().drop_front(*axis);
  std::pair<Value, StringRef> params[] = {{adaptor.getScale(), "scale"},
                                          {adaptor.getBias(), "bias"}};
  for (auto [value, name] : params) {
    if (!value)
      continue;
    RankedTensorType type = infer.tensor(value, name);
    if (!type || failed(infer.sameElementType(input, "input", type, name)))
      return failure();
    if (!shape::broadcastsTo(type.getShape(), normalized))
      return infer.fail("operand '" + name + "' of shape " +
                        shape::format(type.getShape()) +
                        " does not broadcast to the normalized dimensions " +
                        shape::format(normalized));
  }
  types.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::transpose(in, adaptor.getPerm());
                        });
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::reshape(in, adaptor.getShape(),
                                                adaptor.getAllowzero());
                        });
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::flatten(in, adaptor.getAxis());
                        });
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::squeeze(in, adaptor.getAxes());
                        });
}

LogicalResult UnsqueezeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::unsqueeze(in, adaptor.getAxes());
                        });
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  SmallVector<ArrayRef<int64_t>> shapes;
  RankedTensorType first;
  if (failed(infer.variadic(adaptor.getInputs(), shapes, first)))
    return failure();
  llvm::Expected<shape::Shape> result = shape::concat(shapes, adaptor.getAxis());
  if (!result)
    return infer.fail(result.takeError());
  return infer.shaped(*result, first.getElementType());
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::slice(in, adaptor.getStarts(),
                                              adaptor.getEnds(), adaptor.getAxes(),
                                              adaptor.getSteps());
                        });
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType data = infer.tensor(adaptor.getData(), "data");
  RankedTensorType indices = infer.tensor(adaptor.getIndices(), "indices");
  if (!data || !indices)
    return failure();
  return infer.result(shape::gather(data.getShape(), indices.getShape(),
                                    adaptor.getAxis()),
                      data.getElementType());
}

/// `reduction` of the scatter ops.
static LogicalResult checkReduction(const Inference &infer,
                                   StringRef reduction) {
  if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
    return infer.fail("reduction must be none, add, mul, max or min, got '" +
                      reduction + "'");
  return success();
}

/// The elements ops' indices (of the data's rank) address the data at their
/// own position in every dimension but `axis`: they must not be larger.
static LogicalResult checkIndicesWithinData(const Inference &infer,
                                            RankedTensorType data,
                                            RankedTensorType indices,
                                            int64_t axis) {
  for (int64_t i = 0; i < data.getRank(); ++i) {
    int64_t d = data.getDimSize(i), n = indices.getDimSize(i);
    if (i != axis && !shape::isDynamic(d) && !shape::isDynamic(n) && n > d)
      return infer.fail("indices of shape " +
                        shape::format(indices.getShape()) + " exceed data " +
                        shape::format(data.getShape()) + " in dimension " +
                        Twine(i));
  }
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType data = infer.tensor(adaptor.getData(), "data");
  RankedTensorType indices = infer.tensor(adaptor.getIndices(), "indices");
  RankedTensorType updates = infer.tensor(adaptor.getUpdates(), "updates");
  if (!data || !indices || !updates ||
      failed(infer.sameElementType(data, "data", updates, "updates")) ||
      failed(checkReduction(infer, adaptor.getReduction())))
    return failure();
  if (indices.getRank() != data.getRank() ||
      !areCompatibleResultTypes(TypeRange{indices.clone(data.getElementType())},
                                TypeRange{updates}))
    return infer.fail("indices " + shape::format(indices.getShape()) +
                      " and updates " + shape::format(updates.getShape()) +
                      " must share a shape of the data's rank " +
                      Twine(data.getRank()));
  llvm::Expected<int64_t> axis =
      shape::normalizeAxis(adaptor.getAxis(), data.getRank());
  if (!axis)
    return infer.fail(axis.takeError());
  if (failed(checkIndicesWithinData(infer, data, indices, *axis)))
    return failure();
  types.push_back(data);
  return success();
}

/// The static tuple length k of an index tensor for the ND ops.
static FailureOr<int64_t> tupleLength(const Inference &infer,
                                      RankedTensorType indices,
                                      int64_t limit) {
  if (indices.getRank() < 1 ||
      shape::isDynamic(indices.getShape().back()))
    return infer.fail("indices " + shape::format(indices.getShape()) +
                      " need rank >= 1 and a static last dimension");
  int64_t k = indices.getShape().back();
  if (k < 1 || k > limit)
    return infer.fail("index tuples of length " + Twine(k) +
                      " do not fit in the " + Twine(limit) +
                      " indexable data dimensions");
  return k;
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType data = infer.tensor(adaptor.getData(), "data");
  RankedTensorType indices = infer.tensor(adaptor.getIndices(), "indices");
  RankedTensorType updates = infer.tensor(adaptor.getUpdates(), "updates");
  if (!data || !indices || !updates ||
      failed(infer.sameElementType(data, "data", updates, "updates")) ||
      failed(checkReduction(infer, adaptor.getReduction())))
    return failure();
  FailureOr<int64_t> k = tupleLength(infer, indices, data.getRank());
  if (failed(k))
    return failure();
  shape::Shape expected(indices.getShape().drop_back());
  llvm::append_range(expected, data.getShape().drop_front(*k));
  if (!areCompatibleResultTypes(
          TypeRange{RankedTensorType::get(expected, data.getElementType())},
          TypeRange{updates}))
    return infer.fail("updates have shape " +
                      shape::format(updates.getShape()) + ", expected " +
                      shape::format(expected));
  types.push_back(data);
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType data = infer.tensor(adaptor.getData(), "data");
  RankedTensorType indices = infer.tensor(adaptor.getIndices(), "indices");
  if (!data || !indices)
    return failure();
  int64_t batch = adaptor.getBatchDims();
  if (batch < 0 || batch >= std::min(data.getRank(), indices.getRank()))
    return infer.fail("batch_dims " + Twine(batch) +
                      " must be below both ranks");
  for (int64_t i = 0; i < batch; ++i)
    if (!shape::compatible(data.getDimSize(i), indices.getDimSize(i)))
      return infer.fail("batch dimension " + Twine(i) + " differs: " +
                        shape::format(data.getShape()) + " vs " +
                        shape::format(indices.getShape()));
  FailureOr<int64_t> k = tupleLength(infer, indices, data.getRank() - batch);
  if (failed(k))
    return failure();
  shape::Shape result(indices.getShape().drop_back());
  llvm::append_range(result, data.getShape().drop_front(batch + *k));
  return infer.shaped(result, data.getElementType());
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  llvm::Expected<int64_t> axis =
      shape::normalizeAxis(adaptor.getAxis(), input.getRank());
  if (!axis)
    return infer.fail(axis.takeError());
  int64_t k = adaptor.getK(), size = input.getDimSize(*axis);
  if (k < 0 || (!shape::isDynamic(size) && k > size))
    return infer.fail("k = " + Twine(k) + " is not in [0, " + Twine(size) +
                      "]");
  shape::Shape result(input.getShape());
  result[*axis] = k;
  types.push_back(RankedTensorType::get(result, input.getElementType()));
  types.push_back(RankedTensorType::get(result, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult DetOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  ArrayRef<int64_t> shape = input.getShape();
  if (shape.size() < 2 ||
      !shape::compatible(shape[shape.size() - 1], shape[shape.size() - 2]))
    return infer.fail("input " + shape::format(shape) +
                      " must end in square matrices");
  return infer.shaped(shape.drop_back(2), input.getElementType());
}

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  int64_t rank = input.getRank();
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  ArrayRef<float> scales = adaptor.getScales();
  if (static_cast<int64_t>(sizes.size()) != rank ||
      static_cast<int64_t>(scales.size()) != rank)
    return infer.fail("sizes and scales must have " + Twine(rank) +
                      " entries, got " + Twine(sizes.size()) + " and " +
                      Twine(scales.size()));
  for (auto [size, scale] : llvm::zip_equal(sizes, scales))
    if (size < 0 || !(scale > 0))
      return infer.fail("sizes must be non-negative and scales positive, got "
                        "size " + Twine(size) + " with scale " +
                        std::to_string(scale));
  auto oneOf = [](StringRef value, ArrayRef<StringRef> allowed) {
    return llvm::is_contained(allowed, value);
  };
  StringRef mode = adaptor.getMode(),
            transform = adaptor.getCoordinateTransformationMode(),
            nearest = adaptor.getNearestMode();
  if (!oneOf(mode, {"nearest", "linear", "cubic"}))
    return infer.fail("mode must be nearest, linear or cubic, got '" + mode +
                      "'");
  if (!oneOf(transform, {"half_pixel", "pytorch_half_pixel", "align_corners",
                         "asymmetric", "tf_half_pixel_for_nn",
                         "tf_crop_and_resize"}))
    return infer.fail("unknown coordinate_transformation_mode '" + transform +
                      "'");
  if (!oneOf(nearest,
             {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}))
    return infer.fail("unknown nearest_mode '" + nearest + "'");
  size_t roiSize = adaptor.getRoi().size();
  if (transform == "tf_crop_and_resize" ? roiSize != size_t(2 * rank)
                                        : roiSize != 0)
    return infer.fail("roi must have " +
                      Twine(transform == "tf_crop_and_resize" ? 2 * rank : 0) +
                      " entries with this coordinate_transformation_mode, "
                      "got " + Twine(roiSize));
  return infer.shaped(sizes, input.getElementType());
}

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  RankedTensorType grid = infer.tensor(adaptor.getGrid(), "grid");
  if (!input || !grid ||
      failed(infer.sameElementType(input, "input", grid, "grid")))
    return failure();
  if (input.getRank() != 4 || grid.getRank() != 4 ||
      !shape::compatible(grid.getDimSize(3), 2) ||
      !shape::compatible(input.getDimSize(0), grid.getDimSize(0)))
    return infer.fail("input " + shape::format(input.getShape()) +
                      " and grid " + shape::format(grid.getShape()) +
                      " must be NxCxHxW and NxHoxWox2");
  if (!llvm::is_contained({"bilinear", "nearest", "bicubic"},
                          adaptor.getMode()))
    return infer.fail("mode must be bilinear, nearest or bicubic, got '" +
                      adaptor.getMode() + "'");
  if (!llvm::is_contained({"zeros", "border", "reflection"},
                          adaptor.getPaddingMode()))
    return infer.fail("padding_mode must be zeros, border or reflection, "
                      "got '" + adaptor.getPaddingMode() + "'");
  int64_t batch = shape::isDynamic(input.getDimSize(0)) ? grid.getDimSize(0)
                                                        : input.getDimSize(0);
  return infer.shaped({batch, input.getDimSize(1), grid.getDimSize(1),
                       grid.getDimSize(2)},
                      input.getElementType());
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType data = infer.tensor(adaptor.getData(), "data");
  RankedTensorType indices = infer.tensor(adaptor.getIndices(), "indices");
  if (!data || !indices)
    return failure();
  if (data.getRank() != indices.getRank())
    return infer.fail("indices of shape " + shape::format(indices.getShape()) +
                      " must have the rank of data " +
                      shape::format(data.getShape()));
  llvm::Expected<int64_t> axis =
      shape::normalizeAxis(adaptor.getAxis(), data.getRank());
  if (!axis)
    return infer.fail(axis.takeError());
  if (failed(checkIndicesWithinData(infer, data, indices, *axis)))
    return failure();
  return infer.shaped(indices.getShape(), data.getElementType());
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  StringRef mode = adaptor.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return Inference(loc, getOperationName(), types)
        .fail("mode must be \"constant\", \"reflect\" or \"edge\", got \"" +
              mode + "\"");
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::pad(in, adaptor.getPads());
                        });
}

LogicalResult ExpandOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  if (llvm::any_of(adaptor.getShape(), [](int64_t d) { return d < 0; }))
    return Inference(loc, getOperationName(), types)
        .fail("shape " + shape::format(adaptor.getShape()) +
              " has a negative entry");
  return inferFromInput(loc, getOperationName(), adaptor.getInput(), types,
                        [&](ArrayRef<int64_t> in) {
                          return shape::broadcast(in, adaptor.getShape());
                        });
}

//===----------------------------------------------------------------------===//
// Data-dependent result shapes, text features and random numbers
//===----------------------------------------------------------------------===//

LogicalResult NonZeroOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  // A scalar counts as one element, as numpy's nonzero does.
  return infer.shaped({std::max<int64_t>(input.getRank(), 1), shape::kDynamic},
                      IntegerType::get(ctx, 64));
}

LogicalResult UniqueOp::inferReturnTypes(MLIRContext *ctx,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  Type i64 = IntegerType::get(ctx, 64);
  shape::Shape output{shape::kDynamic};
  int64_t inverse = shape::kDynamic;
  if (std::optional<int64_t> axisAttr = adaptor.getAxis()) {
    llvm::Expected<int64_t> axis =
        shape::normalizeAxis(*axisAttr, input.getRank());
    if (!axis)
      return infer.fail(axis.takeError());
    output.assign(input.getShape().begin(), input.getShape().end());
    output[*axis] = shape::kDynamic;
    inverse = input.getDimSize(*axis);
  } else {
    llvm::Expected<int64_t> count = shape::numElements(input.getShape());
    if (!count)
      return infer.fail(count.takeError());
    inverse = *count;
  }
  (void)infer.shaped(output, input.getElementType());
  (void)infer.shaped({shape::kDynamic}, i64);
  (void)infer.shaped({inverse}, i64);
  return infer.shaped({shape::kDynamic}, i64);
}

LogicalResult NonMaxSuppressionOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType boxes = infer.tensor(adaptor.getBoxes(), "boxes");
  RankedTensorType scores = infer.tensor(adaptor.getScores(), "scores");
  if (!boxes || !scores ||
      failed(infer.sameElementType(boxes, "boxes", scores, "scores")))
    return failure();
  if (boxes.getRank() != 3 || scores.getRank() != 3 ||
      !shape::compatible(boxes.getDimSize(2), 4) ||
      !shape::compatible(boxes.getDimSize(0), scores.getDimSize(0)) ||
      !shape::compatible(boxes.getDimSize(1), scores.getDimSize(2)))
    return infer.fail("boxes " + shape::format(boxes.getShape()) +
                      " and scores " + shape::format(scores.getShape()) +
                      " must be BxNx4 and BxCxN");
  std::pair<Value, StringRef> scalars[] = {
      {adaptor.getMaxOutputBoxesPerClass(), "max_output_boxes_per_class"},
      {adaptor.getIouThreshold(), "iou_threshold"},
      {adaptor.getScoreThreshold(), "score_threshold"}};
  for (auto [value, name] : scalars) {
    RankedTensorType type = infer.tensor(value, name);
    if (!type)
      return failure();
    if (type.getRank() > 1 || !shape::compatible(type.getNumElements(), 1))
      return infer.fail("operand '" + name + "' must hold one value, got " +
                        shape::format(type.getShape()));
  }
  return infer.shaped({shape::kDynamic, 3}, IntegerType::get(ctx, 64));
}

LogicalResult TfIdfVectorizerOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType input = infer.tensor(adaptor.getInput(), "input");
  if (!input)
    return failure();
  if (input.getRank() != 1 && input.getRank() != 2)
    return infer.fail("input " + shape::format(input.getShape()) +
                      " must be a sequence or a batch of sequences");
  StringRef mode = adaptor.getMode();
  if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
    return infer.fail("mode must be TF, IDF or TFIDF, got '" + mode + "'");
  int64_t minGram = adaptor.getMinGramLength(),
          maxGram = adaptor.getMaxGramLength();
  if (minGram < 1 || minGram > maxGram || adaptor.getMaxSkipCount() < 0)
    return infer.fail("gram lengths [" + Twine(minGram) + ", " +
                      Twine(maxGram) + "] and max_skip_count " +
                      Twine(adaptor.getMaxSkipCount()) +
                      " must satisfy 1 <= min <= max and skips >= 0");
  // Level i of the pool holds (i+1)-grams from ngram_counts[i] on.
  ArrayRef<int64_t> starts = adaptor.getNgramCounts();
  int64_t poolSize = adaptor.getPool().size(), ngrams = 0;
  for (auto [i, start] : llvm::enumerate(starts)) {
    int64_t end = i + 1 < starts.size() ? starts[i + 1] : poolSize;
    if (start < 0 || start > end || end > poolSize ||
        (end - start) % int64_t(i + 1) != 0)
      return infer.fail("ngram_counts " + shape::format(starts) +
                        " does not split a pool of " + Twine(poolSize) +
                        " into whole n-grams");
    ngrams += (end - start) / int64_t(i + 1);
  }
  if ((starts.empty() ? poolSize != 0 : starts.front() != 0))
    return infer.fail("ngram_counts must start at 0");
  ArrayRef<int64_t> indexes = adaptor.getNgramIndexes();
  if (int64_t(indexes.size()) != ngrams)
    return infer.fail("ngram_indexes has " + Twine(indexes.size()) +
                      " entries for " + Twine(ngrams) + " n-grams");
  if (std::optional<ArrayRef<double>> weights = adaptor.getWeights();
      weights && weights->size() != indexes.size())
    return infer.fail("weights has " + Twine(weights->size()) +
                      " entries for " + Twine(ngrams) + " n-grams");
  int64_t columns = 0;
  for (int64_t index : indexes) {
    if (index < 0)
      return infer.fail("ngram_indexes has a negative entry");
    columns = std::max(columns, index + 1);
  }
  shape::Shape result(input.getShape().drop_back());
  result.push_back(columns);
  return infer.shaped(result, Float32Type::get(ctx));
}

LogicalResult RandomUniformLikeOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  Inference infer(loc, getOperationName(), types);
  RankedTensorType like = infer.tensor(adaptor.getLike(), "like");
  if (!like)
    return failure();
  if (!(adaptor.getLow().convertToDouble() <=
        adaptor.getHigh().convertToDouble()))
    return infer.fail("low must not exceed high");
  return infer.shaped(like.getShape(), adaptor.getDtype());
}

//===----------------------------------------------------------------------===//
// TableGen'd op method definitions
//===----------------------------------------------------------------------===//

#define GET_OP_CLASSES
#include "dialects/Strata/IR/StrataOps.cpp.inc"
