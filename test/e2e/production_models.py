#!/usr/bin/python3
"""Small models for the classes of production ONNX models that used to fail.

Each is built here (with onnx's helper or PyTorch's exporter), compiled for
cpu with strata-compile, run with strata-run and compared with a reference:
- lstm_nested_if: an LSTM inside an If inside an If, reading a value the
  outer branch computes (after the inner If, in file order) and weights of
  the main graph; against PyTorch's LSTM.
- fp16_chain: a deep Cast-wrapped fp16 chain (matmul, add, tanh) against its
  fp32 twin; the cpu keeps the chain in f32 between the model's casts, and
  --target-option=f16=strict, which rounds after every op, lands further.
- dynamic_input: a CNN exported with dynamic batch and image size, compiled
  with --input-shape; without it the error names the input and the flag.
- bound_literal: a model whose sample-rate input is bound by a literal
  (--bind-input=sr=i64=16000) and so leaves the artifact's signature.
- dynamic_int8_chain: 40 layers of DynamicQuantizeLinear, ConvInteger and a
  float rescale, with average pooling and linear Resize between, against
  onnxruntime's cpu provider (onnxruntime-node, installed into bench/ by
  scripts/setup.sh): one last-bit difference before a quantizer moves a
  value across a rounding step, and 40 quantizers amplify it.
Prints one line per check and closes with "N passed, N failed".
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

MAX_RELATIVE_L2 = 1e-4
# The quantized chain against onnxruntime: it was 9e-4 when Resize rounded
# differently; it now matches to the bit on the hosts tried.
INT8_MAX_RELATIVE_L2 = 1e-6
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
# The fp16 chain's output against its fp32 twin: onnxruntime's cpu provider
# lands about 0.05% away on production models; per-op f16 rounding several
# times further.
FP16_MAX_RELATIVE_L2 = 1e-3


def relative_l2(got, want):
    got, want = got.astype(np.float64), want.astype(np.float64)
    if got.shape != want.shape:
        return float("inf")
    return np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-30)


class Tools:
    def __init__(self, args, tmp):
        self.args, self.tmp = args, tmp

    def compile(self, model_path, name, *flags):
        artifact = os.path.join(self.tmp, name + ".strata")
        proc = subprocess.run([self.args.compile, model_path, "--target=cpu",
                               "-o", artifact, *flags],
                              capture_output=True, text=True)
        return artifact, proc

    def run(self, artifact, name, inputs):
        """Runs with `inputs` (numpy arrays); returns (outputs, error)."""
        flags = []
        for i, value in enumerate(inputs):
            path = os.path.join(self.tmp, f"{name}_in{i}.npy")
            np.save(path, value)
            flags.append(f"--input=@{path}")
        out = os.path.join(self.tmp, f"{name}_out.npy")
        proc = subprocess.run([self.args.run, artifact, *flags,
                               f"--output=@{out}"],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return None, proc.stderr.strip()
        return np.load(out), None

    def compile_and_run(self, model, name, inputs, *flags):
        path = os.path.join(self.tmp, name + ".onnx")
        if isinstance(model, onnx.ModelProto):
            onnx.save(model, path)
        artifact, proc = self.compile(path, name, *flags)
        if proc.returncode != 0:
            return None, "compile: " + proc.stderr.strip()
        return self.run(artifact, name, inputs)


def lstm_nested_if(tools):
    rng = np.random.default_rng(0)
    seq, batch, size, hidden = 5, 2, 8, 16
    x = rng.standard_normal((seq, batch, size)).astype(np.float32)
    w = (rng.standard_normal((1, 4 * hidden, size)) * 0.3).astype(np.float32)
    r = (rng.standard_normal((1, 4 * hidden, hidden)) * 0.3).astype(np.float32)
    b = (rng.standard_normal((1, 8 * hidden)) * 0.1).astype(np.float32)
    f32 = TensorProto.FLOAT

    def out(name):
        return helper.make_tensor_value_info(name, f32, None)

    lstm = helper.make_node("LSTM", ["scaled", "W", "R", "B"], ["y"],
                            hidden_size=hidden, name="lstm")
    inner = helper.make_node(
        "If", ["yes"], ["inner_y"], name="inner",
        then_branch=helper.make_graph([lstm], "inner_then", [], [out("y")]),
        else_branch=helper.make_graph(
            [helper.make_node("Identity", ["scaled"], ["e"])], "inner_else",
            [], [out("e")]))
    # The inner If reads `scaled`, which the outer branch computes after it.
    outer_then = helper.make_graph(
        [inner, helper.make_node("Mul", ["x", "half"], ["scaled"],
                                 name="scale")],
        "outer_then", [], [out("inner_y")])
    outer_else = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["ex"])], "outer_else", [],
        [out("ex")])
    graph = helper.make_graph(
        [helper.make_node("If", ["yes"], ["y_out"], name="outer",
                          then_branch=outer_then, else_branch=outer_else)],
        "lstm_nested_if",
        [helper.make_tensor_value_info("x", f32, list(x.shape))],
        [out("y_out")],
        initializer=[numpy_helper.from_array(w, "W"),
                     numpy_helper.from_array(r, "R"),
                     numpy_helper.from_array(b, "B"),
                     numpy_helper.from_array(np.array(0.5, np.float32), "half"),
                     numpy_helper.from_array(np.array(True), "yes")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])

    # PyTorch orders the gates i, f, g, o; ONNX i, o, f, c.
    def reorder(m):
        i, o, f, c = np.split(m, 4)
        return np.concatenate([i, f, c, o])
    torch_lstm = torch.nn.LSTM(size, hidden)
    with torch.no_grad():
        torch_lstm.weight_ih_l0.copy_(torch.from_numpy(reorder(w[0])))
        torch_lstm.weight_hh_l0.copy_(torch.from_numpy(reorder(r[0])))
        torch_lstm.bias_ih_l0.copy_(torch.from_numpy(reorder(b[0, :4 * hidden])))
        torch_lstm.bias_hh_l0.copy_(torch.from_numpy(reorder(b[0, 4 * hidden:])))
        want, _ = torch_lstm(torch.from_numpy(x * 0.5))
    want = want.numpy()[:, None]  # ONNX's Y has a direction axis
    got, error = tools.compile_and_run(model, "lstm_nested_if", [x])
    if error:
        return error
    err = relative_l2(got, want)
    return None if err <= MAX_RELATIVE_L2 else f"relative L2 {err:.3g}"


def fp16_chain_models(layers=24, width=64):
    rng = np.random.default_rng(1)
    weights = [(rng.standard_normal((width, width)) / np.sqrt(width))
               .astype(np.float16) for _ in range(layers)]
    biases = [(rng.standard_normal(width) * 0.1).astype(np.float16)
              for _ in range(layers)]

    def build(dtype):
        elem = TensorProto.FLOAT16 if dtype == np.float16 else TensorProto.FLOAT
        nodes = [helper.make_node("Cast", ["x"], ["h0"], to=elem)]
        inits = []
        for i in range(layers):
            inits += [numpy_helper.from_array(weights[i].astype(dtype), f"w{i}"),
                      numpy_helper.from_array(biases[i].astype(dtype), f"b{i}")]
            nodes += [helper.make_node("MatMul", [f"h{i}", f"w{i}"], [f"m{i}"]),
                      helper.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}"]),
                      helper.make_node("Tanh", [f"a{i}"], [f"h{i + 1}"])]
        nodes.append(helper.make_node("Cast", [f"h{layers}"], ["y"],
                                      to=TensorProto.FLOAT))
        graph = helper.make_graph(
            nodes, "fp16_chain",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, [8, width])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, [8, width])],
            initializer=inits)
        return helper.make_model(graph,
                                 opset_imports=[helper.make_opsetid("", 14)])
    return build(np.float16), build(np.float32)


def fp16_chain(tools):
    fp16, fp32 = fp16_chain_models()
    x = np.random.default_rng(2).standard_normal((8, 64)).astype(np.float32)
    # The fp32 twin's result, in f64 from the same (f16-valued) weights.
    want = x.astype(np.float64)
    for init in range(0, len(fp32.graph.initializer), 2):
        w = numpy_helper.to_array(fp32.graph.initializer[init])
        b = numpy_helper.to_array(fp32.graph.initializer[init + 1])
        want = np.tanh(want @ w + b)
    twin, error = tools.compile_and_run(fp32, "fp32_twin", [x])
    if error:
        return "fp32 twin: " + error
    err_twin = relative_l2(twin, want)
    got, error = tools.compile_and_run(fp16, "fp16_chain", [x])
    if error:
        return error
    err = relative_l2(got, want)
    strict, error = tools.compile_and_run(fp16, "fp16_strict", [x],
                                          "--target-option=f16=strict")
    if error:
        return "strict: " + error
    err_strict = relative_l2(strict, want)
    print(f"  fp16 chain vs fp32 twin: relative L2 {err:.3g} "
          f"(strict per-op f16 rounding {err_strict:.3g}; "
          f"the twin itself {err_twin:.3g})")
    if err_twin > MAX_RELATIVE_L2:
        return f"fp32 twin: relative L2 {err_twin:.3g}"
    if not err <= FP16_MAX_RELATIVE_L2:
        return f"relative L2 {err:.3g} > {FP16_MAX_RELATIVE_L2}"
    if not err_strict > err:
        return f"strict rounding ({err_strict:.3g}) is not further than {err:.3g}"
    return None


class SmallCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(torch.relu(self.conv(x))), 1))


def dynamic_input(tools):
    torch.manual_seed(3)
    module = SmallCnn().eval()
    x = torch.randn(2, 3, 20, 24)
    path = os.path.join(tools.tmp, "dynamic_input.onnx")
    torch.onnx.export(module, x, path, opset_version=14, input_names=["x"],
                      dynamic_axes={"x": {0: "batch", 2: "h", 3: "w"}})
    _, proc = tools.compile(path, "dynamic_unshaped")
    hint = "--input-shape=x=1x3x1x1"
    if proc.returncode == 0 or hint not in proc.stderr:
        return f"without --input-shape, expected an error naming {hint}: " \
               + proc.stderr.strip()
    with torch.no_grad():
        want = module(x).numpy()
    got, error = tools.compile_and_run(path, "dynamic_input", [x.numpy()],
                                       "--input-shape=x=2x3x20x24")
    if error:
        return error
    err = relative_l2(got, want)
    return None if err <= MAX_RELATIVE_L2 else f"relative L2 {err:.3g}"


def bound_literal(tools):
    # y = x * (sr / 16000) + frames: a sample rate and a length as inputs.
    f32, i64 = TensorProto.FLOAT, TensorProto.INT64
    graph = helper.make_graph(
        [helper.make_node("Cast", ["sr"], ["srf"], to=f32),
         helper.make_node("Div", ["srf", "base"], ["ratio"]),
         helper.make_node("Mul", ["x", "ratio"], ["scaled"]),
         helper.make_node("Reshape", ["scaled", "shape"], ["y"])],
        "bound_literal",
        [helper.make_tensor_value_info("x", f32, [2, 6]),
         helper.make_tensor_value_info("sr", i64, []),
         helper.make_tensor_value_info("shape", i64, [2])],
        [helper.make_tensor_value_info("y", f32, None)],
        initializer=[numpy_helper.from_array(np.array(8000, np.float32),
                                             "base")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    x = np.arange(12, dtype=np.float32).reshape(2, 6)
    got, error = tools.compile_and_run(
        model, "bound_literal", [x], "--bind-input=sr=i64=16000",
        "--bind-input=shape=2xi64=3,4")
    if error:
        return error
    want = (x * 2).reshape(3, 4)
    if got.shape != want.shape or not np.array_equal(got, want):
        return f"got {got}, want {want}"
    # The bound inputs left the signature: giving one is an error by name.
    artifact = os.path.join(tools.tmp, "bound_literal.strata")
    proc = subprocess.run([tools.args.run, artifact, "--input=2x6xf32=" +
                           ",".join(["1"] * 12), "--input=i64=16000"],
                          capture_output=True, text=True)
    if "expected 1 inputs (x: 2x6xf32), got 2" not in proc.stderr:
        return "strata-run with the bound input too: " + proc.stderr.strip()
    return None


def int8_chain_model(layers=40, channels=16, size=32):
    rng = np.random.default_rng(4)
    nodes, inits, current = [], [], "x"
    for i in range(layers):
        w = rng.integers(-127, 128, (channels, channels, 3, 3)).astype(np.int8)
        scale = rng.uniform(1.0, 2.0) / (127 * np.sqrt(9 * channels))
        bias = (rng.standard_normal((1, channels, 1, 1)) * 0.1)
        inits += [numpy_helper.from_array(w, f"w{i}"),
                  numpy_helper.from_array(np.array(scale, np.float32), f"ws{i}"),
                  numpy_helper.from_array(bias.astype(np.float32), f"b{i}")]
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [current],
                             [f"q{i}", f"s{i}", f"z{i}"]),
            helper.make_node("ConvInteger", [f"q{i}", f"w{i}", f"z{i}"],
                             [f"c{i}"], pads=[1, 1, 1, 1]),
            helper.make_node("Cast", [f"c{i}"], [f"cf{i}"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"s{i}", f"ws{i}"], [f"sc{i}"]),
            helper.make_node("Mul", [f"cf{i}", f"sc{i}"], [f"m{i}"]),
            helper.make_node("Add", [f"m{i}", f"b{i}"], [f"a{i}"]),
            helper.make_node("Relu", [f"a{i}"], [f"r{i}"])]
        current = f"r{i}"
        if i % 4 == 1:
            nodes += [
                helper.make_node("AveragePool", [current], [f"p{i}"],
                                 kernel_shape=[2, 2], strides=[2, 2]),
                helper.make_node("Resize", [f"p{i}", "", "up"], [f"u{i}"],
                                 mode="linear")]
            current = f"u{i}"
    inits.append(numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32),
                                         "up"))
    graph = helper.make_graph(
        nodes, "int8_chain",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                       [1, channels, size, size])],
        [helper.make_tensor_value_info(current, TensorProto.FLOAT, None)],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    x = np.random.default_rng(5).standard_normal(
        (1, channels, size, size)).astype(np.float32)
    return model, x


def onnxruntime_outputs(tools, path, inputs):
    """The model's outputs from onnxruntime-node; (None, error) without it."""
    modules = os.path.join(ROOT, "bench", "node_modules")
    if not os.path.isdir(os.path.join(modules, "onnxruntime-node")):
        return None, ("onnxruntime-node is not installed in bench/ "
                      "(scripts/setup.sh installs it)")
    flags = []
    for i, value in enumerate(inputs):
        flags.append(os.path.join(tools.tmp, f"ort_in{i}.npy"))
        np.save(flags[-1], value)
    out = os.path.join(tools.tmp, "ort")
    os.makedirs(out, exist_ok=True)
    proc = subprocess.run(
        ["node", os.path.join(ROOT, "test", "e2e", "ort_reference.js"), path,
         out, *flags], capture_output=True, text=True,
        env={**os.environ, "NODE_PATH": modules})
    if proc.returncode != 0:
        return None, "onnxruntime: " + proc.stderr.strip()
    shapes = json.load(open(os.path.join(out, "shapes.json")))
    return [np.fromfile(os.path.join(out, f"{i}.bin"), np.float32)
            .reshape(shape) for i, shape in enumerate(shapes)], None


def dynamic_int8_chain(tools):
    model, x = int8_chain_model()
    path = os.path.join(tools.tmp, "int8_chain.onnx")
    onnx.save(model, path)
    want, error = onnxruntime_outputs(tools, path, [x])
    if error:
        return error
    got, error = tools.compile_and_run(path, "int8_chain", [x])
    if error:
        return error
    err = relative_l2(got, want[0])
    print(f"  int8 chain vs onnxruntime: relative L2 {err:.3g}, "
          f"{np.mean(got != want[0]):.3%} of the elements differ")
    return None if err <= INT8_MAX_RELATIVE_L2 else f"relative L2 {err:.3g}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile", required=True)
    parser.add_argument("--run", required=True)
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        tools = Tools(args, tmp)
        for check in [lstm_nested_if, fp16_chain, dynamic_input, bound_literal,
                      dynamic_int8_chain]:
            error = check(tools)
            if error is None:
                passed += 1
                print(f"PASS {check.__name__}")
            else:
                failed += 1
                print(f"FAIL {check.__name__}: {error}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
