//===- NodeImporter.h - the per-node import interface -----------*- C++ -*-===//
//
// What an op handler sees of an ONNX node: its inputs as SSA values, its
// attributes, the opset in force, and a builder that creates strata ops
// through their type inference, folds them, and turns any failure into one
// diagnostic that names the node.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_ONNX_NODEIMPORTER_H
#define STRATA_FRONTENDS_ONNX_NODEIMPORTER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

#include <string>

namespace onnx {
class AttributeProto;
class GraphProto;
class NodeProto;
} // namespace onnx

namespace mlir::strata::onnx_import {

class NodeImporter {
public:
  NodeImporter(const onnx::NodeProto &node, int64_t opset, OpBuilder &builder,
               Location fileLoc, ArrayRef<Value> inputs,
               llvm::StringRef modelDir);

  const onnx::NodeProto &node;
  /// The default-domain opset the model imports.
  const int64_t opset;

  //===--------------------------------------------------------------------===//
  // Inputs
  //===--------------------------------------------------------------------===//

  size_t numInputs() const { return inputs.size(); }
  /// Input `i`, or null when it is absent or given as "".
  Value input(size_t i) const { return i < inputs.size() ? inputs[i] : Value(); }
  /// Input `i`; reports an error when it is absent.
  FailureOr<Value> required(size_t i);
  /// The value of input `i` when it is a constant after folding; reports
  /// "input i (`what`) must be a constant" otherwise.
  FailureOr<DenseElementsAttr> constantInput(size_t i, llvm::StringRef what);
  /// Like constantInput, for integer inputs such as shapes and axes.
  FailureOr<SmallVector<int64_t>> constantInts(size_t i, llvm::StringRef what);
  /// Like constantInput, for a one-element input of any numeric type.
  FailureOr<double> constantScalar(size_t i, llvm::StringRef what);
  /// Like constantScalar, for a count or size: one integer, at least 1 when
  /// `positive`, else at least 0.
  FailureOr<int64_t> constantCount(size_t i, llvm::StringRef what,
                                   bool positive);

  //===--------------------------------------------------------------------===//
  // Attributes
  //===--------------------------------------------------------------------===//

  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  bool hasAttr(llvm::StringRef name) const { return attr(name) != nullptr; }
  int64_t getInt(llvm::StringRef name, int64_t fallback) const;
  float getFloat(llvm::StringRef name, float fallback) const;
  std::string getString(llvm::StringRef name, llvm::StringRef fallback) const;
  SmallVector<int64_t> getInts(llvm::StringRef name) const;
  /// A TENSOR attribute as a dense attribute; reports errors.
  FailureOr<DenseElementsAttr> getTensor(llvm::StringRef name);
  /// The float element type the `output_datatype` attribute names (f32 by
  /// default); reports "not supported" for any other type.
  FailureOr<Type> floatOutputDatatype();
  /// A GRAPH attribute (If's branches, Loop's and Scan's body); reports an
  /// error when it is missing.
  FailureOr<const onnx::GraphProto *> getGraph(llvm::StringRef name);

  /// Imports a subgraph inline at the insertion point, its inputs bound to
  /// the given values and the enclosing graphs' values visible; yields its
  /// outputs. Set by the graph importer.
  using SubgraphImporter = llvm::function_ref<FailureOr<SmallVector<Value>>(
      const onnx::GraphProto &, ArrayRef<Value>)>;
  SubgraphImporter importSubgraph;

  //===--------------------------------------------------------------------===//
  // Building
  //===--------------------------------------------------------------------===//

  /// Creates `opName` and folds it. Its result type is `resultType` when
  /// given (strata.cast), else inferred. On failure the op is discarded and
  /// its diagnostic reported against this node. Returns the first of
  /// `numResults` results.
  FailureOr<Value> create(llvm::StringRef opName, ValueRange operands,
                          ArrayRef<NamedAttribute> attrs = {},
                          Type resultType = {}, unsigned numResults = 1);
  /// A strata.constant (folded constants are shared by value).
  Value constant(DenseElementsAttr value);
  /// A scalar constant of `elementType` holding `value`.
  Value scalar(Type elementType, double value);

  NamedAttribute named(llvm::StringRef name, Attribute value) {
    return builder.getNamedAttr(name, value);
  }
  NamedAttribute i64(llvm::StringRef name, int64_t value) {
    return named(name, builder.getI64IntegerAttr(value));
  }
  NamedAttribute ints(llvm::StringRef name, ArrayRef<int64_t> value) {
    return named(name, builder.getDenseI64ArrayAttr(value));
  }
  NamedAttribute f32(llvm::StringRef name, float value) {
    return named(name, builder.getF32FloatAttr(value));
  }
  NamedAttribute f64(llvm::StringRef name, double value) {
    return named(name, builder.getF64FloatAttr(value));
  }
  NamedAttribute flag(llvm::StringRef name, bool value) {
    return named(name, builder.getBoolAttr(value));
  }

  //===--------------------------------------------------------------------===//
  // Results and errors
  //===--------------------------------------------------------------------===//

  /// The node's outputs in order; handlers append to it.
  SmallVector<Value> results;

  /// An error prefixed with "node 'name' (OpType, opset N): ".
  InFlightDiagnostic error();
  /// Attaches to `diag` a note for each graph input that `values` are
  /// computed from and that the user could fix at compile time: one with
  /// dynamic dims (give it a static shape), or, when `bind`, any (bind it to
  /// a constant). Returns whether it attached any.
  bool noteGraphInputs(InFlightDiagnostic &diag, ValueRange values, bool bind);
  /// How the tool spells --bind-input and --input-shape, for those notes.
  llvm::StringRef bindInputFlag = "--bind-input";
  llvm::StringRef inputShapeFlag = "--input-shape";
  /// Reports "<what> not supported" for this node.
  LogicalResult unsupported(const llvm::Twine &what);

  OpBuilder &builder;
  MLIRContext *context;

private:
  Location fileLoc;
  Location loc;
  SmallVector<Value> inputs;
  llvm::StringRef modelDir;
};

/// The first element of `value` as a double, by its signedness.
double toDouble(DenseElementsAttr value);

/// `value` as a diagnostic shows it: shortest form, like printf's %g.
std::string formatNumber(double value);

/// How a node is named in diagnostics: its name, else its first output.
std::string displayName(const onnx::NodeProto &node);

/// The type of a ranked tensor value.
inline RankedTensorType typeOf(Value value) {
  return cast<RankedTensorType>(value.getType());
}

/// The element type of a ranked tensor value.
inline Type elementTypeOf(Value value) {
  return cast<ShapedType>(value.getType()).getElementType();
}

/// A small expression builder over one node: each step creates one strata
/// op and stops at the first failure (later steps see a null operand and do
/// nothing), so formulas read like the ONNX spec.
class Expr {
public:
  explicit Expr(NodeImporter &n) : n(n) {}

  Value op(llvm::StringRef name, ValueRange operands,
           ArrayRef<NamedAttribute> attrs = {}, Type resultType = {});
  /// A scalar of `like`'s element type.
  Value scalar(Value like, double value);
  /// `v` converted to `element` by strata.cast; `v` itself when it already
  /// has that element type.
  Value castTo(Value v, Type element);
  /// Slice `i` of dimension `axis` of `v`, with that dimension removed.
  Value take(Value v, int64_t axis, int64_t i);
  /// `parts` (at least one) stacked along a new dimension `axis`.
  Value stack(ArrayRef<Value> parts, int64_t axis);
  /// Appends `result` to the node's results; fails if any step failed.
  LogicalResult finish(Value result);

private:
  NodeImporter &n;
  bool failed = false;
};

/// Imports one node; the handler fills `results`.
using OpHandler = LogicalResult (*)(NodeImporter &);
using OpTable = llvm::StringMap<OpHandler>;

void registerElementwiseOps(OpTable &table);
void registerNNOps(OpTable &table);
void registerTensorOps(OpTable &table);
void registerQuantizationOps(OpTable &table);
void registerRecurrentOps(OpTable &table);
void registerFeatureOps(OpTable &table);
void registerControlFlowOps(OpTable &table);

} // namespace mlir::strata::onnx_import

#endif // STRATA_FRONTENDS_ONNX_NODEIMPORTER_H
