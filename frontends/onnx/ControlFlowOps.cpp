//===- ControlFlowOps.cpp - ONNX If, Loop and Scan to strata --------------===//
//
// Strata compiles static graphs, so control flow is resolved at import: If
// with a constant condition imports the branch it takes, and Loop and Scan
// are unrolled, importing the body once per iteration, as the recurrent
// layers are. A Loop must have a constant trip count or a condition that
// folds to a constant in every iteration; a Scan a static sequence length.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"

#include "mlir/IR/Matchers.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::strata::onnx_import;

/// How many iterations an unrolled Loop or Scan may have; a longer one is
/// rejected rather than blowing up the IR.
static constexpr int64_t kMaxUnrolledSteps = 4096;

namespace {
/// The value of a one-element constant tensor, if `value` folds to one.
std::optional<int64_t> constantInt(Value value) {
  DenseElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) ||
      attr.getNumElements() != 1)
    return std::nullopt;
  return static_cast<int64_t>(toDouble(attr));
}

LogicalResult importIf(NodeImporter &n) {
  FailureOr<DenseElementsAttr> cond = n.constantInput(0, "cond");
  if (failed(cond))
    return failure();
  if (cond->getNumElements() != 1 || !cond->getElementType().isInteger(1))
    return n.error() << "input 0 (cond) must be one bool, got "
                     << cond->getType();
  bool taken = *cond->value_begin<bool>();
  FailureOr<const onnx::GraphProto *> branch =
      n.getGraph(taken ? "then_branch" : "else_branch");
  if (failed(branch))
    return failure();
  FailureOr<SmallVector<Value>> outputs = n.importSubgraph(**branch, {});
  if (failed(outputs))
    return failure();
  if (static_cast<int>(outputs->size()) != n.node.output_size())
    return n.error() << "the " << (taken ? "then" : "else") << " branch has "
                     << outputs->size() << " outputs for the node's "
                     << n.node.output_size();
  n.results = std::move(*outputs);
  return success();
}

LogicalResult importLoop(NodeImporter &n) {
  FailureOr<const onnx::GraphProto *> body = n.getGraph("body");
  if (failed(body))
    return failure();
  std::optional<int64_t> tripCount;
  if (n.input(0)) {
    FailureOr<double> m = n.constantScalar(0, "M");
    if (failed(m))
      return failure();
    tripCount = static_cast<int64_t>(*m);
  }
  bool running = true;
  if (n.input(1)) {
    FailureOr<double> cond = n.constantScalar(1, "cond");
    if (failed(cond))
      return failure();
    running = *cond != 0;
  }
  SmallVector<Value> carried;
  for (size_t i = 2; i < n.numInputs(); ++i) {
    FailureOr<Value> v = n.required(i);
    if (failed(v))
      return failure();
    carried.push_back(*v);
  }
  size_t numCarried = carried.size();
  if (static_cast<size_t>((*body)->output_size()) < 1 + numCarried)
    return n.error() << "the body has " << (*body)->output_size()
                     << " outputs, fewer than the condition and " << numCarried
                     << " loop-carried values";
  size_t numScans = (*body)->output_size() - 1 - numCarried;
  SmallVector<SmallVector<Value>> scans(numScans);
  Type i64 = n.builder.getI64Type(), i1 = n.builder.getI1Type();
  int64_t step = 0;
  for (; running && (!tripCount || step < *tripCount); ++step) {
    if (step == kMaxUnrolledSteps)
      return n.unsupported("a Loop of more than " + Twine(kMaxUnrolledSteps) +
                           " iterations (or without a constant bound) is");
    SmallVector<Value> inputs{n.scalar(i64, step), n.scalar(i1, 1)};
    llvm::append_range(inputs, carried);
    FailureOr<SmallVector<Value>> outputs = n.importSubgraph(**body, inputs);
    if (failed(outputs))
      return failure();
    std::optional<int64_t> next = constantInt(outputs->front());
    if (!next) {
      InFlightDiagnostic diag =
          n.error()
          << "a Loop whose condition is computed at run time is not supported";
      n.noteGraphInputs(diag, outputs->front(), /*bind=*/true);
      return failure();
    }
    running = *next != 0;
    carried.assign(outputs->begin() + 1, outputs->begin() + 1 + numCarried);
    for (size_t k = 0; k < numScans; ++k)
      scans[k].push_back((*outputs)[1 + numCarried + k]);
  }
  if (step == 0 && numScans != 0)
    return n.unsupported("a Loop with scan outputs that runs no iteration is");
  Expr e(n);
  n.results = carried;
  for (ArrayRef<Value> parts : scans)
    n.results.push_back(e.stack(parts, 0));
  return success(llvm::all_of(n.results, [](Value v) { return bool(v); }));
}

/// One Scan over `scanned` (already without a batch dimension), whose
/// states start as `states`; fills the final states and stacked outputs.
class ScanUnroller {
public:
  explicit ScanUnroller(NodeImporter &n) : n(n), e(n) {}

  LogicalResult run(const onnx::GraphProto &body, SmallVector<Value> states,
                    ArrayRef<Value> scanned, SmallVectorImpl<Value> &results);

  SmallVector<int64_t> inputAxes, inputDirections, outputAxes,
      outputDirections;

private:
  NodeImporter &n;
  Expr e;
};

LogicalResult ScanUnroller::run(const onnx::GraphProto &body,
                                SmallVector<Value> states,
                                ArrayRef<Value> scanned,
                                SmallVectorImpl<Value> &results) {
  size_t numStates = states.size();
  int64_t length = ShapedType::kDynamic;
  SmallVector<int64_t> axes;
  for (auto [j, v] : llvm::enumerate(scanned)) {
    int64_t rank = typeOf(v).getRank();
    int64_t axis = j < inputAxes.size() ? inputAxes[j] : 0;
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis >= rank)
      return n.error() << "scan_input_axes entry " << j << " is out of range";
    int64_t size = typeOf(v).getDimSize(axis);
    if (ShapedType::isDynamic(size))
      return n.unsupported("a Scan over a dynamic sequence length is");
    if (j > 0 && size != length)
      return n.error() << "scan inputs have different lengths, " << length
                       << " and " << size;
    length = size;
    axes.push_back(axis);
  }
  if (length > kMaxUnrolledSteps)
    return n.unsupported("a Scan of more than " + Twine(kMaxUnrolledSteps) +
                         " steps is");
  if (static_cast<size_t>(body.output_size()) < numStates)
    return n.error() << "the body has fewer outputs than the " << numStates
                     << " states";
  size_t numScans = body.output_size() - numStates;
  SmallVector<SmallVector<Value>> outputs(numScans);
  for (int64_t t = 0; t < length; ++t) {
    SmallVector<Value> inputs = states;
    for (auto [j, v] : llvm::enumerate(scanned)) {
      bool reverse = j < inputDirections.size() && inputDirections[j] != 0;
      inputs.push_back(e.take(v, axes[j], reverse ? length - 1 - t : t));
    }
    if (llvm::any_of(inputs, [](Value v) { return !v; }))
      return failure();
    FailureOr<SmallVector<Value>> step = n.importSubgraph(body, inputs);
    if (failed(step))
      return failure();
    states.assign(step->begin(), step->begin() + numStates);
    for (size_t k = 0; k < numScans; ++k)
      outputs[k].push_back((*step)[numStates + k]);
  }
  if (length == 0 && numScans != 0)
    return n.unsupported("a Scan of no steps with scan outputs is");
  llvm::append_range(results, states);
  for (auto [k, parts] : llvm::enumerate(outputs)) {
    if (k < outputDirections.size() && outputDirections[k] != 0)
      std::reverse(parts.begin(), parts.end());
    int64_t axis = k < outputAxes.size() ? outputAxes[k] : 0;
    if (axis < 0)
      axis += typeOf(parts.front()).getRank() + 1;
    results.push_back(e.stack(parts, axis));
  }
  return success(llvm::all_of(results, [](Value v) { return bool(v); }));
}

LogicalResult importScan(NodeImporter &n) {
  FailureOr<const onnx::GraphProto *> body = n.getGraph("body");
  if (failed(body))
    return failure();
  int64_t numScanned = n.getInt("num_scan_inputs", 0);
  // Opset 8 has an optional sequence_lens input first and a batch
  // dimension on every input.
  size_t first = n.opset < 9 ? 1 : 0;
  if (numScanned < 1 || first + numScanned > n.numInputs())
    return n.error() << "num_scan_inputs " << numScanned
                     << " does not fit the node's inputs";
  SmallVector<Value> inputs;
  for (size_t i = first; i < n.numInputs(); ++i) {
    FailureOr<Value> v = n.required(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  size_t numStates = inputs.size() - numScanned;
  ScanUnroller scan(n);
  if (n.opset >= 9) {
    scan.inputAxes = n.getInts("scan_input_axes");
    scan.inputDirections = n.getInts("scan_input_directions");
    scan.outputAxes = n.getInts("scan_output_axes");
    scan.outputDirections = n.getInts("scan_output_directions");
    return scan.run(**body, SmallVector<Value>(inputs.begin(),
                                               inputs.begin() + numStates),
                    ArrayRef(inputs).drop_front(numStates), n.results);
  }
  if (n.input(0))
    return n.unsupported("Scan's sequence_lens input is");
  scan.inputDirections = n.getInts("directions");
  int64_t batch = typeOf(inputs.front()).getDimSize(0);
  if (ShapedType::isDynamic(batch))
    return n.unsupported("a Scan over a dynamic batch is");
  Expr e(n);
  SmallVector<SmallVector<Value>> perBatch;
  for (int64_t b = 0; b < batch; ++b) {
    SmallVector<Value> sliced;
    for (Value v : inputs)
      sliced.push_back(e.take(v, 0, b));
    if (llvm::any_of(sliced, [](Value v) { return !v; }))
      return failure();
    SmallVector<Value> results;
    if (failed(scan.run(**body, SmallVector<Value>(sliced.begin(),
                                                   sliced.begin() + numStates),
                        ArrayRef(sliced).drop_front(numStates), results)))
      return failure();
    perBatch.push_back(std::move(results));
  }
  if (perBatch.empty())
    return n.unsupported("a Scan over an empty batch is");
  for (size_t k = 0; k < perBatch.front().size(); ++k) {
    SmallVector<Value> parts;
    for (ArrayRef<Value> results : perBatch)
      parts.push_back(results[k]);
    n.results.push_back(e.stack(parts, 0));
  }
  return success(llvm::all_of(n.results, [](Value v) { return bool(v); }));
}
} // namespace

void mlir::strata::onnx_import::registerControlFlowOps(OpTable &table) {
  table["If"] = importIf;
  table["Loop"] = importLoop;
  table["Scan"] = importScan;
}
