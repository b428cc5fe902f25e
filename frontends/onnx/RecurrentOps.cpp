//===- RecurrentOps.cpp - ONNX RNN, GRU and LSTM to strata ----------------===//
//
// The recurrent layers are unrolled over their static sequence length into
// the gemm and elementwise ops of the ONNX equations, one step at a time and
// one direction at a time. Unrolling keeps the dialect free of loops; the
// IR grows with the sequence length.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/NodeImporter.h"

#include "onnx/onnx_pb.h"

using namespace mlir;
using namespace mlir::strata::onnx_import;

namespace {
enum class Cell { RNN, GRU, LSTM };

/// The unrolled layer of one node.
class Recurrence {
public:
  Recurrence(NodeImporter &n, Cell cell) : n(n), e(n), cell(cell) {}

  LogicalResult run();

private:
  int64_t gates() const {
    return cell == Cell::RNN ? 1 : cell == Cell::GRU ? 3 : 4;
  }
  /// Applies activation `index` of this direction (ONNX's default list when
  /// the node gives none).
  Value activate(Value v, int64_t direction, int64_t index);
  /// Rows [gate * hidden, (gate + 1) * hidden) of a per-direction weight.
  Value gateRows(Value weight, int64_t gate);
  /// `x @ w^T`, plus `bias` when given.
  Value linear(Value x, Value w, Value bias = {});
  Value clipped(Value v);
  /// Runs one direction; returns the hidden state per step and the final
  /// hidden (and, for LSTM, cell) state.
  LogicalResult runDirection(int64_t d, bool reverse,
                             SmallVectorImpl<Value> &steps, Value &lastH,
                             Value &lastC);

  NodeImporter &n;
  Expr e;
  Cell cell;
  Value x, w, r, b, initialH, initialC, peepholes;
  int64_t sequence = 0, batch = 0, hidden = 0;
  SmallVector<std::string> activations;
  float clip = 0;
};
} // namespace

Value Recurrence::gateRows(Value weight, int64_t gate) {
  return e.op("strata.slice", weight,
              {n.ints("starts", {gate * hidden}),
               n.ints("ends", {(gate + 1) * hidden}), n.ints("axes", {0})});
}

Value Recurrence::linear(Value input, Value weight, Value bias) {
  SmallVector<Value> operands{input, weight};
  if (bias)
    operands.push_back(bias);
  return e.op("strata.gemm", operands, {n.flag("trans_b", true)});
}

Value Recurrence::clipped(Value v) {
  if (clip <= 0)
    return v;
  return e.op("strata.clip", v, {n.f64("min", -clip), n.f64("max", clip)});
}

Value Recurrence::activate(Value v, int64_t direction, int64_t index) {
  static const char *const defaults[][3] = {
      {"Tanh", "", ""}, {"Sigmoid", "Tanh", ""}, {"Sigmoid", "Tanh", "Tanh"}};
  int64_t perDirection = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 2 : 3;
  StringRef name =
      activations.empty()
          ? StringRef(defaults[static_cast<int>(cell)][index])
          : StringRef(activations[direction * perDirection + index]);
  if (name == "Tanh")
    return e.op("strata.tanh", v);
  if (name == "Sigmoid")
    return e.op("strata.sigmoid", v);
  if (name == "Relu")
    return e.op("strata.relu", v);
  (void)n.unsupported("activation '" + name + "' is");
  return {};
}

LogicalResult Recurrence::runDirection(int64_t d, bool reverse,
                                       SmallVectorImpl<Value> &steps,
                                       Value &lastH, Value &lastC) {
  Value wd = e.take(w, 0, d), rd = e.take(r, 0, d);
  int64_t g = gates();
  // Input and recurrence biases per gate, each [hidden].
  SmallVector<Value> wb(g), rb(g), pd(3);
  if (b) {
    Value bd = e.take(b, 0, d);
    for (int64_t i = 0; i < g; ++i) {
      wb[i] = gateRows(bd, i);
      rb[i] = gateRows(bd, g + i);
    }
  }
  if (peepholes) {
    Value p = e.take(peepholes, 0, d);
    for (int64_t i = 0; i < 3; ++i)
      pd[i] = gateRows(p, i);
  }
  SmallVector<Value> wg(g), rg(g);
  for (int64_t i = 0; i < g; ++i) {
    wg[i] = gateRows(wd, i);
    rg[i] = gateRows(rd, i);
  }
  Value zero = n.constant(DenseElementsAttr::get(
      RankedTensorType::get({batch, hidden}, typeOf(x).getElementType()),
      n.builder.getFloatAttr(typeOf(x).getElementType(), 0)));
  Value h = initialH ? e.take(initialH, 0, d) : zero;
  Value c = initialC ? e.take(initialC, 0, d) : zero;
  auto add = [&](Value a, Value bValue) {
    return bValue ? e.op("strata.add", {a, bValue}) : a;
  };
  auto mul = [&](Value a, Value bValue) {
    return e.op("strata.mul", {a, bValue});
  };
  steps.assign(sequence, Value());
  for (int64_t s = 0; s < sequence; ++s) {
    int64_t t = reverse ? sequence - 1 - s : s;
    Value xt = e.take(x, 0, t);
    // x W_i^T + h R_i^T + Wb_i + Rb_i for gate i.
    auto pre = [&](int64_t i) {
      return add(add(linear(xt, wg[i], wb[i]), linear(h, rg[i])), rb[i]);
    };
    if (cell == Cell::RNN) {
      h = activate(clipped(pre(0)), d, 0);
    } else if (cell == Cell::GRU) {
      Value z = activate(clipped(pre(0)), d, 0);
      Value rt = activate(clipped(pre(1)), d, 0);
      Value candidate;
      if (n.getInt("linear_before_reset", 0) != 0)
        candidate = add(linear(xt, wg[2], wb[2]),
                        mul(rt, add(linear(h, rg[2]), rb[2])));
      else
        candidate = add(add(linear(xt, wg[2], wb[2]),
                            linear(mul(rt, h), rg[2])),
                        rb[2]);
      Value ht = activate(clipped(candidate), d, 1);
      Value keep = e.op("strata.sub", {e.scalar(z, 1.0), z});
      h = e.op("strata.add", {mul(keep, ht), mul(z, h)});
    } else {
      // Gate order i, o, f, c; peepholes i, o, f.
      Value it = activate(clipped(add(pre(0), pd[0] ? mul(pd[0], c) : Value())), d, 0);
      Value ft = activate(clipped(add(pre(2), pd[2] ? mul(pd[2], c) : Value())), d, 0);
      if (n.getInt("input_forget", 0) != 0)
        ft = e.op("strata.sub", {e.scalar(it, 1.0), it});
      Value candidate = activate(clipped(pre(3)), d, 1);
      c = e.op("strata.add", {mul(ft, c), mul(it, candidate)});
      Value ot = activate(clipped(add(pre(1), pd[1] ? mul(pd[1], c) : Value())), d, 0);
      h = mul(ot, activate(c, d, 2));
    }
    if (!h)
      return failure();
    steps[t] = h;
  }
  lastH = h;
  lastC = c;
  return success();
}

LogicalResult Recurrence::run() {
  FailureOr<Value> xValue = n.required(0), wValue = n.required(1),
                   rValue = n.required(2);
  if (failed(xValue) || failed(wValue) || failed(rValue))
    return failure();
  x = *xValue;
  w = *wValue;
  r = *rValue;
  b = n.input(3);
  bool batchFirst = n.getInt("layout", 0) != 0;
  if (batchFirst) {
    x = e.op("strata.transpose", x, {n.ints("perm", {1, 0, 2})});
    if (!x)
      return failure();
  }
  if (n.input(4)) {
    // Sequence lengths equal to the full length change nothing.
    FailureOr<SmallVector<int64_t>> lengths =
        n.constantInts(4, "sequence_lens");
    if (failed(lengths))
      return failure();
    if (llvm::any_of(*lengths, [&](int64_t l) {
          return l != typeOf(x).getDimSize(0);
        }))
      return n.unsupported("sequence_lens shorter than the sequence are");
  }
  auto stateInput = [&](size_t i) {
    Value v = n.input(i);
    if (v && batchFirst)
      v = e.op("strata.transpose", v, {n.ints("perm", {1, 0, 2})});
    return v;
  };
  initialH = stateInput(5);
  if (cell == Cell::LSTM) {
    initialC = stateInput(6);
    peepholes = n.input(7);
  }
  RankedTensorType type = typeOf(x);
  if (type.getRank() != 3 || !type.hasStaticShape())
    return n.unsupported("a recurrent layer over a non-3-D or dynamic input "
                         "is");
  if (!isa<FloatType>(type.getElementType()))
    return n.error() << "input must hold floats";
  sequence = type.getDimSize(0);
  batch = type.getDimSize(1);
  hidden = n.getInt("hidden_size", 0);
  if (hidden <= 0)
    return n.error() << "attribute 'hidden_size' must be positive";
  clip = n.getFloat("clip", 0);
  if (const onnx::AttributeProto *a = n.attr("activations"))
    activations.assign(a->strings().begin(), a->strings().end());
  std::string direction = n.getString("direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return n.error() << "direction must be forward, reverse or "
                        "bidirectional, got '"
                     << direction << "'";
  int64_t directions = direction == "bidirectional" ? 2 : 1;
  int64_t perDirection = cell == Cell::RNN ? 1 : cell == Cell::GRU ? 2 : 3;
  if (!activations.empty() &&
      activations.size() != size_t(perDirection * directions))
    return n.error() << "expected " << perDirection * directions
                     << " activations, got " << activations.size();

  // Y is [sequence, directions, batch, hidden]; Y_h and Y_c are
  // [directions, batch, hidden].
  SmallVector<Value> ys, hs, cs;
  for (int64_t d = 0; d < directions; ++d) {
    SmallVector<Value> steps;
    Value lastH, lastC;
    bool reverse = direction == "reverse" || d == 1;
    if (failed(runDirection(d, reverse, steps, lastH, lastC)))
      return failure();
    SmallVector<Value> stacked;
    for (Value step : steps)
      stacked.push_back(e.op("strata.unsqueeze", step, {n.ints("axes", {0, 1})}));
    ys.push_back(e.op("strata.concat", stacked, {n.i64("axis", 0)}));
    hs.push_back(e.op("strata.unsqueeze", lastH, {n.ints("axes", {0})}));
    cs.push_back(e.op("strata.unsqueeze", lastC, {n.ints("axes", {0})}));
  }
  Value y = e.op("strata.concat", ys, {n.i64("axis", 1)});
  Value yh = e.op("strata.concat", hs, {n.i64("axis", 0)});
  Value yc = e.op("strata.concat", cs, {n.i64("axis", 0)});
  if (batchFirst) {
    y = e.op("strata.transpose", y, {n.ints("perm", {2, 0, 1, 3})});
    yh = e.op("strata.transpose", yh, {n.ints("perm", {1, 0, 2})});
    yc = e.op("strata.transpose", yc, {n.ints("perm", {1, 0, 2})});
  }
  if (failed(e.finish(y)) || failed(e.finish(yh)))
    return failure();
  return cell == Cell::LSTM ? e.finish(yc) : success();
}

void mlir::strata::onnx_import::registerRecurrentOps(OpTable &table) {
  table["RNN"] = [](NodeImporter &n) { return Recurrence(n, Cell::RNN).run(); };
  table["GRU"] = [](NodeImporter &n) { return Recurrence(n, Cell::GRU).run(); };
  table["LSTM"] = [](NodeImporter &n) {
    return Recurrence(n, Cell::LSTM).run();
  };
}
