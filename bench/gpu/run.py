#!/usr/bin/python3
"""Runs the one-shot GPU check on a bundle from prepare.py, and reports.

Made for a short run on a bare GPU machine (a driver, PyTorch,
onnxruntime; no Strata build): it only runs and times what prepare.py
compiled. With --device=cpu, on a bundle prepared with --target=cpu, the
same script runs end to end on any machine. Prints a Markdown report
(also to --report FILE), and exits non-zero when a result is wrong or a
step did not run:

- correctness: the ONNX suite (as the numerics ctest checks it), the
  PyTorch model checks, and matmuls in each input type (on and off the
  tensor cores) against float64, on the device;
- matmul TFLOP/s per dtype (f32, tf32, f16, bf16) and size against
  torch.matmul (cuBLAS), with the ratio;
- bandwidth of a fused elementwise add and a softmax against the card's
  copy bandwidth (torch's clone);
- f16 matrix-vector products (1 x n by n x n, the weight k-major or
  n-major) in GB/s of weight read, against torch's;
- resnet18 and the transformer layer against PyTorch eager and
  onnxruntime's CUDA provider where it is installed;
- the vulkan device on the same GPU, where a Vulkan loader is there;
- --compare-devices between the device and cpu.

Kernel times are the device's own, from strata-run's trace (median over
--runs), so uploads of inputs are not counted; torch is timed with CUDA
events around the same operation.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

MAX_RELATIVE_L2 = 1e-4


def extract(archive, root):
    with tarfile.open(archive) as tar:
        # The data filter where this Python has it (3.12, and backports).
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(root, **safe)


class Runner:
    def __init__(self, bundle, device, runs, tmp):
        self.bundle = bundle
        self.device = device
        self.runs = runs
        runtime = os.path.join(tmp, "runtime")
        extract(os.path.join(bundle, "runtime.tar.xz"), runtime)
        self.tool = os.path.join(runtime, "bin", "strata-run")
        self.env = dict(os.environ)
        lib = os.path.join(runtime, "lib")
        self.env["LD_LIBRARY_PATH"] = lib + os.pathsep + \
            self.env.get("LD_LIBRARY_PATH", "")

    def path(self, relative):
        return os.path.join(self.bundle, relative)

    def run(self, args, device=None, timeout=600):
        return subprocess.run([self.tool] + args +
                              [f"--device={device or self.device}"],
                              capture_output=True, text=True, env=self.env,
                              timeout=timeout)

    def step_times(self, artifact, inputs, tmp, device=None):
        """Median device time in ms of each step over --runs runs."""
        trace = os.path.join(tmp, "trace.json")
        proc = self.run([artifact, "--quiet", f"--benchmark={self.runs}",
                         f"--trace={trace}"] +
                        [f"--input=@{x}" for x in inputs], device)
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr.strip().splitlines()[-1])
        with open(trace) as f:
            events = [e for e in json.load(f)["traceEvents"]
                      if e.get("ph") == "X"]
        times = {}
        for event in events:
            times.setdefault(event["name"], []).append(event["dur"] / 1000)
        return {name: statistics.median(ds) for name, ds in times.items()}

    def run_time_ms(self, artifact, inputs, tmp, device=None):
        """Median of the sum of every step's time over a run."""
        return sum(self.step_times(artifact, inputs, tmp, device).values())


def relative_l2(got, want):
    got, want = got.astype(np.float64), want.astype(np.float64)
    return np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-30)


def bf16_tensor_pb(path, array):
    """An ONNX TensorProto of `array` rounded to bfloat16, written without
    the onnx package (dims: field 1, data_type 16: field 2, raw_data:
    field 9)."""
    bits = array.astype(np.float32).view(np.uint32)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)

    def varint(n):
        out = bytearray()
        while True:
            byte, n = n & 0x7F, n >> 7
            out.append(byte | (0x80 if n else 0))
            if not n:
                return bytes(out)
    raw = rounded.tobytes()
    message = b"".join(b"\x08" + varint(d) for d in array.shape)
    message += b"\x10" + varint(16) + b"\x4a" + varint(len(raw)) + raw
    with open(path, "wb") as f:
        f.write(message)


def save_input(stem, x, t):
    """Writes `x` (f32) as an input of type `t` for strata-run: bf16 as an
    ONNX TensorProto (.pb), else .npy. Returns the path."""
    if t == "bf16":
        bf16_tensor_pb(stem + ".pb", x)
        return stem + ".pb"
    np.save(stem + ".npy", x.astype(np.float16 if t == "f16"
                                    else np.float32))
    return stem + ".npy"


def rounded_like(x, t):
    """`x` (f32) as the input type `t` holds it."""
    if t == "f16":
        return x.astype(np.float16).astype(np.float32)
    if t == "bf16":
        bits = x.view(np.uint32)
        bits = (bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000
        return bits.astype(np.uint32).view(np.float32)
    return x


def generate_gemm(spec, tmp):
    """The inputs of a GEMM check too large to ship, made here from a
    seed, and its float64 result: A is m x k (k x m with trans_a), B k x n
    (n x k with trans_b); with bias, a bias over n is added and a ReLU
    applied."""
    rng = np.random.default_rng(spec["seed"])
    m, k, n, t = spec["m"], spec["k"], spec["n"], spec["dtype"]
    a = rounded_like(rng.standard_normal((m, k), dtype=np.float32), t)
    b = rounded_like(rng.standard_normal((k, n), dtype=np.float32), t)
    product = a.astype(np.float64) @ b.astype(np.float64)
    operands = [a.T if spec.get("trans_a") else a,
                b.T if spec.get("trans_b") else b]
    if spec.get("bias"):
        bias = rounded_like(rng.standard_normal(n, dtype=np.float32), t)
        product = np.maximum(product + bias, 0)
        operands.append(bias)
    inputs = [save_input(os.path.join(tmp, f"gemm{i}"),
                         np.ascontiguousarray(x), t)
              for i, x in enumerate(operands)]
    return inputs, product.astype(np.float32)


def torch_cuda():
    """torch, if it sees a GPU; else None."""
    try:
        import torch
    except ImportError:
        return None
    return torch if torch.cuda.is_available() else None


def torch_ms(torch, fn, runs):
    """Median time of fn() in ms, with CUDA events."""
    fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def check_node(runner, manifest, tmp, report):
    node = manifest["node"]
    root = os.path.join(tmp, "node")
    extract(runner.path(node["archive"]), root)
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    failures = []
    for test in node["tests"]:
        if test["status"] != "PASS":
            counts["SKIP" if test["status"] == "SKIP" else "FAIL"] += 1
            if test["status"] == "FAIL":
                failures.append(f"{test['name']}: compile: {test['why']}")
            continue
        status = "PASS"
        for args in test["runs"]:
            args = [a.replace("=@", "=@" + root + "/", 1) for a in args]
            proc = runner.run([os.path.join(root, test["artifact"]),
                               "--quiet"] + args, timeout=300)
            if proc.returncode != 0:
                status = "FAIL"
                lines = (proc.stderr + proc.stdout).strip().splitlines()
                failures.append(f"{test['name']}: "
                                f"{next((l for l in lines if 'error' in l), lines[-1] if lines else '')}")
                break
        if status == "PASS" and test["random"]:
            status = "SKIP"
        counts[status] += 1
    report.append(f"- ONNX suite on {runner.device}: {counts['PASS']} "
                  f"correct, {counts['FAIL']} failed, {counts['SKIP']} "
                  f"skipped of {len(node['tests'])} models")
    for failure in failures:
        report.append(f"  - {failure}")


def check_models(runner, entries, label, tmp, report, peer="PyTorch"):
    for entry in entries:
        out = os.path.join(tmp, entry["name"] + "_out.npy")
        if "generate" in entry:
            inputs, expected = generate_gemm(entry["generate"], tmp)
        else:
            inputs = [runner.path(x) for x in
                      entry.get("inputs", [entry.get("input")])]
            expected = np.load(runner.path(entry["expected"]))
        proc = runner.run([runner.path(entry["artifact"]), "--quiet"] +
                          [f"--input=@{x}" for x in inputs] +
                          [f"--output=@{out}"])
        if proc.returncode != 0:
            report.append(f"- {label} {entry['name']}: FAIL: "
                          f"{proc.stderr.strip().splitlines()[-1]}")
            continue
        error = relative_l2(np.load(out), expected)
        tolerance = entry.get("tolerance", MAX_RELATIVE_L2)
        verdict = "PASS" if error <= tolerance else "FAIL"
        report.append(f"- {label} {entry['name']}: {verdict} (relative L2 "
                      f"{error:.2e} against {peer}, at most {tolerance:.0e})")


def time_kernels(runner, manifest, torch, tmp, report):
    report += ["", "| kernel | strata ms | strata TFLOP/s or GB/s | "
               "torch ms | torch | ratio |", "| --- | --- | --- | --- | --- "
               "| --- |"]
    copy_gbs = None
    for kernel in manifest["kernels"]:
        # "bf16_wgmma" takes bf16 inputs.
        n, dtype = kernel["n"], kernel["dtype"].split("_")[0]
        rng = np.random.default_rng(0)
        inputs = []
        if kernel["kind"] == "matmul":
            for i in range(2):
                inputs.append(save_input(
                    os.path.join(tmp, f"in{i}"),
                    rng.standard_normal((n, n), dtype=np.float32), dtype))
            work, unit = 2.0 * n ** 3 / 1e12, "TFLOP/s"
        elif kernel["kind"] == "matvec":
            for i, shape in enumerate(((1, n), (n, n))):
                inputs.append(save_input(
                    os.path.join(tmp, f"in{i}"),
                    rng.standard_normal(shape, dtype=np.float32), dtype))
            work, unit = 2.0 * n * n / 1e9, "GB/s"
        else:
            shape = (n,) if kernel["kind"] == "add" else (n, n)
            for i in range(2 if kernel["kind"] == "add" else 1):
                path = os.path.join(tmp, f"in{i}.npy")
                np.save(path, rng.standard_normal(shape, dtype=np.float32))
                inputs.append(path)
            elements = int(np.prod(shape))
            moved = (3 if kernel["kind"] == "add" else 2) * 4 * elements
            work, unit = moved / 1e9, "GB/s"
        try:
            ms = runner.run_time_ms(runner.path(kernel["artifact"]), inputs,
                                    tmp)
        except RuntimeError as e:
            report.append(f"| {kernel['name']} | failed: {e} | | | | |")
            continue
        rate = work / (ms / 1e3)
        peer, peer_rate, ratio = "", "", ""
        if torch is not None:
            peer_ms = torch_reference(torch, kernel, runner.runs)
            if kernel["kind"] in ("matmul", "matvec"):
                peer_rate = f"{work / (peer_ms / 1e3):.1f}"
                ratio = f"{peer_ms / ms:.2f}"
            else:
                if copy_gbs is None:
                    x = torch.empty(1 << 28, dtype=torch.float32,
                                    device="cuda")
                    copy_gbs = 2 * 4 * x.numel() / 1e9 / (
                        torch_ms(torch, lambda: x.clone(), runner.runs) / 1e3)
                peer_rate = f"{work / (peer_ms / 1e3):.0f} (copy {copy_gbs:.0f})"
                ratio = f"{rate / copy_gbs:.2f} of copy"
            peer = f"{peer_ms:.3f}"
        report.append(f"| {kernel['name']} | {ms:.3f} | {rate:.2f} {unit} | "
                      f"{peer} | {peer_rate} | {ratio} |")


def torch_reference(torch, kernel, runs):
    n = kernel["n"]
    types = {"f32": torch.float32, "tf32": torch.float32,
             "f16": torch.float16, "bf16": torch.bfloat16}
    if kernel["kind"] == "matmul":
        dtype = kernel["dtype"].split("_")[0]
        torch.backends.cuda.matmul.allow_tf32 = dtype == "tf32"
        a = torch.randn(n, n, device="cuda", dtype=types[dtype])
        ms = torch_ms(torch, lambda: a @ a, runs)
        torch.backends.cuda.matmul.allow_tf32 = False
        return ms
    if kernel["kind"] == "matvec":
        x = torch.randn(1, n, device="cuda", dtype=torch.float16)
        w = torch.randn(n, n, device="cuda", dtype=torch.float16)
        if kernel["trans_b"]:
            return torch_ms(torch, lambda: x @ w.t(), runs)
        return torch_ms(torch, lambda: x @ w, runs)
    if kernel["kind"] == "add":
        x = torch.randn(n, device="cuda")
        return torch_ms(torch, lambda: x + x, runs)
    x = torch.randn(n, n, device="cuda")
    return torch_ms(torch, lambda: torch.softmax(x, dim=1), runs)


def time_models(runner, manifest, torch, tmp, report):
    report += ["", "| model | strata ms | PyTorch eager ms | onnxruntime "
               "CUDA ms |", "| --- | --- | --- | --- |"]
    import weights
    rebuilt = {name: (module, shape) for name, module, shape in
               weights.models()} if torch is not None else {}
    for entry in manifest["models"]:
        try:
            ms = runner.run_time_ms(runner.path(entry["artifact"]),
                                    [runner.path(entry["input"])], tmp)
            strata = f"{ms:.3f}"
        except RuntimeError as e:
            strata = f"failed: {e}"
        eager = ort = "n/a"
        if entry["name"] in rebuilt:
            module, shape = rebuilt[entry["name"]]
            x = torch.from_numpy(np.load(runner.path(entry["input"])))
            with torch.no_grad():
                here = module(x).numpy()
            agree = relative_l2(here, np.load(runner.path(entry["expected"])))
            module = module.cuda()
            xc = x.cuda()
            with torch.no_grad():
                eager = f"{torch_ms(torch, lambda: module(xc), runner.runs):.3f}"
            eager += f" (rebuilt weights agree to {agree:.1e})"
            ort = onnxruntime_ms(torch, module.cpu(), x, tmp, entry["name"],
                                 runner.runs)
        report.append(f"| {entry['name']} | {strata} | {eager} | {ort} |")


def onnxruntime_ms(torch, module, x, tmp, name, runs):
    try:
        import onnxruntime
    except ImportError:
        return "onnxruntime not installed"
    if "CUDAExecutionProvider" not in onnxruntime.get_available_providers():
        return "no CUDA provider in this onnxruntime"
    path = os.path.join(tmp, name + ".onnx")
    torch.onnx.export(module, x, path, opset_version=14, input_names=["x"],
                      dynamo=False)
    session = onnxruntime.InferenceSession(
        path, providers=["CUDAExecutionProvider"])
    feed = {"x": x.numpy()}
    session.run(None, feed)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feed)
        times.append((time.perf_counter() - start) * 1e3)
    return f"{statistics.median(times):.3f}"


def compare(runner, manifest, report):
    for entry in manifest["compare"]:
        proc = subprocess.run(
            [runner.tool, runner.path(entry["cpu"]),
             runner.path(entry["device"]),
             f"--compare-devices=cpu,{runner.device}",
             f"--input=@{runner.path(entry['input'])}"],
            capture_output=True, text=True, env=runner.env)
        lines = (proc.stdout + proc.stderr).strip().splitlines()
        report.append(f"- compare-devices cpu,{runner.device} "
                      f"{entry['name']}: "
                      f"{'agree' if proc.returncode == 0 else 'DIFFER'}: "
                      f"{lines[-1] if lines else ''}")


def vulkan(runner, manifest, tmp, report):
    if not manifest["vulkan"]:
        report.append("- none in this bundle (prepared for "
                      f"{manifest['target']})")
    for entry in manifest["vulkan"]:
        try:
            if entry["kind"] == "matmul":
                rng = np.random.default_rng(0)
                inputs = []
                for i in range(2):
                    path = os.path.join(tmp, f"v{i}.npy")
                    np.save(path, rng.standard_normal(
                        (entry["n"], entry["n"]), dtype=np.float32))
                    inputs.append(path)
                ms = runner.run_time_ms(runner.path(entry["artifact"]),
                                        inputs, tmp, "vulkan")
                rate = 2.0 * entry["n"] ** 3 / 1e12 / (ms / 1e3)
                report.append(f"- vulkan {entry['name']}: {ms:.3f} ms, "
                              f"{rate:.2f} TFLOP/s")
            else:
                ms = runner.run_time_ms(runner.path(entry["artifact"]),
                                        [runner.path(entry["input"])], tmp,
                                        "vulkan")
                report.append(f"- vulkan {entry['name']}: {ms:.3f} ms")
        except RuntimeError as e:
            report.append(f"- vulkan {entry['name']}: unavailable: {e}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", required=True)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--report")
    args = parser.parse_args()
    bundle = os.path.abspath(args.bundle)
    with open(os.path.join(bundle, "bundle.json")) as f:
        manifest = json.load(f)
    torch = torch_cuda() if args.device == "cuda" else None
    card = torch.cuda.get_device_name(0) if torch else args.device
    report = [f"## {card}, {time.strftime('%Y-%m-%d')}, device "
              f"{args.device}", ""]
    started = time.time()
    written = []
    with tempfile.TemporaryDirectory(prefix="strata-gpu-run-") as tmp:
        runner = Runner(bundle, args.device, args.runs, tmp)
        for section, body in (
                ("Correctness", lambda: (
                    check_node(runner, manifest, tmp, report),
                    check_models(runner, manifest["checks"], "model check",
                                 tmp, report),
                    check_models(runner, manifest["models"], "bench model",
                                 tmp, report),
                    check_models(runner, manifest["gemms"], "GEMM check",
                                 tmp, report, peer="float64"),
                    compare(runner, manifest, report))),
                ("Kernels", lambda: time_kernels(runner, manifest, torch,
                                                 tmp, report)),
                ("Models", lambda: time_models(runner, manifest, torch, tmp,
                                               report)),
                ("Vulkan on the same GPU", lambda: vulkan(runner, manifest,
                                                          tmp, report))):
            report += ["", f"### {section}", ""]
            try:
                body()
            except Exception as e:  # a report with the rest beats none
                report.append(f"- {section} stopped: {type(e).__name__}: {e}")
            print("\n".join(report), flush=True)
            written += report
            report.clear()
    written.append(f"\n(run took {time.time() - started:.0f} s)")
    print(written[-1])
    if args.report:
        with open(args.report, "w") as f:
            f.write("\n".join(written) + "\n")
    # A wrong number, or a step that did not run, fails the check.
    problems = [line for line in written
                if ": FAIL" in line or " failed: " in line or
                " stopped: " in line or "DIFFER" in line or
                (" failed, " in line and " 0 failed, " not in line)]
    for line in problems:
        print(f"problem: {line.strip()}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
