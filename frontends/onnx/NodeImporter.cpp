//===- NodeImporter.cpp - the per-node import interface -------------------===//
//
// Op creation goes through each op's own type inference and verifier while a
// scoped handler holds their diagnostics, so a bad node becomes exactly one
// error naming the node instead of an assertion in a builder.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/ONNXImporter.h"
#include "frontends/onnx/Tensors.h"

#include "dialects/Strata/IR/StrataOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

#include "onnx/onnx_pb.h"

#include <cstdio>

using namespace mlir;
using namespace mlir::strata;
using namespace mlir::strata::onnx_import;

std::string onnx_import::displayName(const onnx::NodeProto &node) {
  if (!node.name().empty())
    return node.name();
  return node.output_size() ? node.output(0) : std::string();
}

std::string onnx_import::formatNumber(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

NodeImporter::NodeImporter(const onnx::NodeProto &node, int64_t opset,
                           OpBuilder &builder, Location fileLoc,
                           ArrayRef<Value> inputs, StringRef modelDir)
    : node(node), opset(opset), builder(builder),
      context(builder.getContext()), fileLoc(fileLoc),
      loc(NameLoc::get(builder.getStringAttr(displayName(node)), fileLoc)),
      inputs(inputs), modelDir(modelDir) {}

InFlightDiagnostic NodeImporter::error() {
  return emitError(fileLoc) << "node '" << displayName(node) << "' ("
                            << node.op_type() << ", opset " << opset << "): ";
}

/// The graph inputs (entry block arguments) that `roots` are computed from,
/// in argument order.
static SmallVector<BlockArgument> graphInputsOf(ValueRange roots) {
  SmallVector<Value> work(roots.begin(), roots.end());
  llvm::DenseSet<Value> seen;
  SmallVector<BlockArgument> args;
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (!v || !seen.insert(v).second)
      continue;
    if (auto arg = dyn_cast<BlockArgument>(v))
      args.push_back(arg);
    else
      llvm::append_range(work, v.getDefiningOp()->getOperands());
  }
  llvm::sort(args, [](BlockArgument a, BlockArgument b) {
    return a.getArgNumber() < b.getArgNumber();
  });
  return args;
}

bool NodeImporter::noteGraphInputs(InFlightDiagnostic &diag, ValueRange values,
                                   bool bind) {
  bool noted = false;
  for (BlockArgument arg : graphInputsOf(values)) {
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    auto name = func ? func.getArgAttrOfType<StringAttr>(arg.getArgNumber(),
                                                         "onnx.name")
                     : StringAttr();
    if (!name)
      continue;
    auto type = cast<ShapedType>(arg.getType());
    if (!type.hasStaticShape()) {
      diag.attachNote() << "graph input '" << name.getValue() << "' "
                        << staticShapeHint(name, type, inputShapeFlag);
      noted = true;
    } else if (bind) {
      diag.attachNote() << "it is computed from graph input '"
                        << name.getValue()
                        << "'; bind that input at compile time with "
                        << bindInputFlag << "=" << name.getValue()
                        << "=VALUE (a literal such as " << name.getValue()
                        << "=i64=3, or @file.npy, @file.pb)";
      noted = true;
    }
  }
  return noted;
}

LogicalResult NodeImporter::unsupported(const Twine &what) {
  return error() << what << " not supported";
}

FailureOr<Value> NodeImporter::required(size_t i) {
  if (Value value = input(i))
    return value;
  error() << "input " << i << " is required but missing";
  return failure();
}

FailureOr<DenseElementsAttr> NodeImporter::constantInput(size_t i,
                                                         StringRef what) {
  FailureOr<Value> value = required(i);
  if (failed(value))
    return failure();
  DenseElementsAttr attr;
  if (matchPattern(*value, m_Constant(&attr)))
    return attr;
  InFlightDiagnostic diag = error()
                            << "input " << i << " (" << what
                            << ") must be a constant; values computed at run "
                               "time are not supported there";
  noteGraphInputs(diag, *value, /*bind=*/true);
  return failure();
}

FailureOr<SmallVector<int64_t>> NodeImporter::constantInts(size_t i,
                                                           StringRef what) {
  FailureOr<DenseElementsAttr> attr = constantInput(i, what);
  if (failed(attr))
    return failure();
  auto type = dyn_cast<IntegerType>(attr->getElementType());
  if (!type) {
    error() << "input " << i << " (" << what << ") must hold integers, got "
            << attr->getElementType();
    return failure();
  }
  SmallVector<int64_t> values;
  for (const APInt &v : attr->getValues<APInt>())
    values.push_back(type.isUnsigned() ? v.getZExtValue() : v.getSExtValue());
  return values;
}

const onnx::AttributeProto *NodeImporter::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

// The numeric readers accept an INT where a FLOAT is expected and the
// reverse: generated models (and the JSON format) write `1` for 1.0.
int64_t NodeImporter::getInt(StringRef name, int64_t fallback) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return fallback;
  return a->type() == onnx::AttributeProto::FLOAT ? static_cast<int64_t>(a->f())
                                                  : a->i();
}

float NodeImporter::getFloat(StringRef name, float fallback) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return fallback;
  return a->type() == onnx::AttributeProto::INT ? static_cast<float>(a->i())
                                                : a->f();
}

std::string NodeImporter::getString(StringRef name, StringRef fallback) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->s() : fallback.str();
}

SmallVector<int64_t> NodeImporter::getInts(StringRef name) const {
  const onnx::AttributeProto *a = attr(name);
  if (!a)
    return {};
  if (a->type() == onnx::AttributeProto::FLOATS)
    return llvm::to_vector(llvm::map_range(
        a->floats(), [](float f) { return static_cast<int64_t>(f); }));
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

FailureOr<double> NodeImporter::constantScalar(size_t i, StringRef what) {
  FailureOr<DenseElementsAttr> value = constantInput(i, what);
  if (failed(value))
    return failure();
  if (value->getNumElements() != 1) {
    error() << "input " << i << " (" << what << ") must hold one value, got "
            << value->getNumElements();
    return failure();
  }
  return toDouble(*value);
}

FailureOr<int64_t> NodeImporter::constantCount(size_t i, StringRef what,
                                               bool positive) {
  FailureOr<SmallVector<int64_t>> values = constantInts(i, what);
  if (failed(values))
    return failure();
  if (values->size() != 1 || values->front() < (positive ? 1 : 0)) {
    error() << "input " << i << " (" << what << ") must be one "
            << (positive ? "positive" : "non-negative") << " value";
    return failure();
  }
  return values->front();
}

FailureOr<Type> NodeImporter::floatOutputDatatype() {
  llvm::Expected<Type> element =
      convertElementType(getInt("output_datatype", 1), context);
  if (!element) {
    llvm::consumeError(element.takeError());
    return unsupported("a non-float output_datatype is");
  }
  if (!isa<FloatType>(*element))
    return unsupported("a non-float output_datatype is");
  return *element;
}

double onnx_import::toDouble(DenseElementsAttr value) {
  Type type = value.getElementType();
  if (isa<FloatType>(type))
    return (*value.getValues<APFloat>().begin()).convertToDouble();
  const APInt &v = *value.getValues<APInt>().begin();
  return type.isUnsignedInteger() || type.isInteger(1)
             ? static_cast<double>(v.getZExtValue())
             : static_cast<double>(v.getSExtValue());
}

FailureOr<DenseElementsAttr> NodeImporter::getTensor(StringRef name) {
  const onnx::AttributeProto *a = attr(name);
  if (!a || !a->has_t()) {
    error() << "attribute '" << name << "' must be a tensor";
    return failure();
  }
  llvm::Expected<DenseElementsAttr> value =
      onnx_import::convertTensor(a->t(), modelDir, context);
  if (!value) {
    error() << "attribute '" << name
            << "': " << llvm::toString(value.takeError());
    return failure();
  }
  return *value;
}

FailureOr<const onnx::GraphProto *> NodeImporter::getGraph(StringRef name) {
  const onnx::AttributeProto *a = attr(name);
  if (!a || a->type() != onnx::AttributeProto::GRAPH)
    return error() << "attribute '" << name << "' must be a graph";
  return &a->g();
}

FailureOr<Value> NodeImporter::create(StringRef opName, ValueRange operands,
                                      ArrayRef<NamedAttribute> attrs,
                                      Type resultType, unsigned numResults) {
  std::string message;
  Operation *op = nullptr;
  {
    ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
      if (message.empty())
        message = diag.str();
      return success();
    });
    OperationState state(loc, opName);
    state.addOperands(operands);
    state.addAttributes(attrs);
    if (resultType)
      state.addTypes(resultType);
    else
      state.addTypes(SmallVector<Type>(numResults, builder.getNoneType()));
    op = builder.create(state);
    SmallVector<Type> types;
    auto inference = dyn_cast<InferTypeOpInterface>(op);
    bool ok = true;
    if (!resultType) {
      ok = succeeded(inference.inferReturnTypes(
          context, op->getLoc(), op->getOperands(), op->getRawDictionaryAttrs(),
          op->getPropertiesStorage(), op->getRegions(), types));
      ok &= types.size() == op->getNumResults();
      for (auto [result, type] : llvm::zip(op->getResults(), types))
        result.setType(type);
    }
    if (!ok || failed(verify(op))) {
      op->erase();
      op = nullptr;
    }
  }
  if (!op) {
    error() << message;
    return failure();
  }
  SmallVector<Value> folded;
  if (succeeded(builder.tryFold(op, folded)) && !folded.empty()) {
    op->erase();
    return folded.front();
  }
  return op->getResult(0);
}

Value NodeImporter::constant(DenseElementsAttr value) {
  return ConstantOp::create(builder, loc, value);
}

Value NodeImporter::scalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  if (isa<FloatType>(elementType))
    return constant(DenseElementsAttr::get(
        type, builder.getFloatAttr(elementType, value)));
  return constant(DenseElementsAttr::get(
      type, builder.getIntegerAttr(elementType, static_cast<int64_t>(value))));
}

Value Expr::op(StringRef name, ValueRange operands,
               ArrayRef<NamedAttribute> attrs, Type resultType) {
  if (failed || llvm::any_of(operands, [](Value v) { return !v; })) {
    failed = true;
    return {};
  }
  FailureOr<Value> value = n.create(name, operands, attrs, resultType);
  if (mlir::failed(value)) {
    failed = true;
    return {};
  }
  return *value;
}

Value Expr::scalar(Value like, double value) {
  return like ? n.scalar(elementTypeOf(like), value) : Value();
}

Value Expr::castTo(Value v, Type element) {
  if (!v || elementTypeOf(v) == element)
    return v;
  return op("strata.cast", v, {}, typeOf(v).clone(element));
}

Value Expr::take(Value v, int64_t axis, int64_t i) {
  Value slice = op("strata.slice", v,
                   {n.ints("starts", {i}), n.ints("ends", {i + 1}),
                    n.ints("axes", {axis})});
  return op("strata.squeeze", slice, {n.ints("axes", {axis})});
}

Value Expr::stack(ArrayRef<Value> parts, int64_t axis) {
  SmallVector<Value> expanded;
  for (Value part : parts)
    expanded.push_back(op("strata.unsqueeze", part, {n.ints("axes", {axis})}));
  if (expanded.size() == 1)
    return expanded.front();
  return op("strata.concat", expanded, {n.i64("axis", axis)});
}

LogicalResult Expr::finish(Value result) {
  if (failed || !result)
    return failure();
  n.results.push_back(result);
  return success();
}
