#!/usr/bin/python3
"""Prepares the one-shot GPU check: everything the GPU machine will run.

The GPU machine has a driver, PyTorch, onnxruntime and Triton, but none of
Strata's build dependencies, and takes at most 64 MiB with the checkout.
So everything is compiled here, into --out (bundle.json says what is
where):

  runtime.tar.xz strata-run, libstrata_runtime.so, and the libraries it
                 needs that such a machine lacks (protobuf, onnx_proto)
  node.tar.xz    the ONNX node tests (and PyTorch-converted/operator ones)
                 compiled for the device, with their inputs and reference
                 outputs, as the numerics ctest runs them
  checks/        the small PyTorch model checks of test/e2e/pytorch_models.py,
                 compiled, with inputs and PyTorch's outputs computed here
  models/        resnet18 (224x224) and a transformer layer with weights
                 from weights.py, compiled, with PyTorch's outputs; the GPU
                 machine rebuilds them from the same formula to time
                 PyTorch eager and onnxruntime
  kernels/       matmuls (f32, f16, bf16 at each --sizes; on cuda also
                 tf32, and f16 and bf16 with wgmma, and at 4096 bf16
                 wgmma tiles of two and four slots), f16 matrix-vector
                 products at 4096 and 8192 in both layouts of the
                 weight, an elementwise add and a softmax, for TFLOP/s
                 and bandwidth
  gemms/         small matmuls in f16, bf16 and tf32, on and off the
                 tensor cores (mma.sync and wgmma), whole and with ragged
                 tiles, with float64 results computed here; and
                 2048x512x2048 ones whose tiles TMA loads, in each layout
                 and pipeline depth, and 1x4096x4096 matrix-vector
                 products in both layouts of B, whose inputs and float64
                 results run.py makes from a seed
  vulkan/, cpu/  a small transformer layer (a model check) and a matmul
                 for the vulkan device on the same GPU, and the same layer
                 for cpu, for --compare-devices

--target=cuda (sm_90a for the timed code, sm_80 PTX for the suites, which
the driver JITs for the card) or --target=cpu (x86-64-v3), with which
run.py exercises the whole script on a machine without a GPU. --quick
keeps a few node tests and small sizes.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "test", "e2e"))
sys.path.insert(0, HERE)
import onnx_import_conformance as conformance  # noqa: E402
import onnx_numeric_conformance as numerics  # noqa: E402
import pytorch_models  # noqa: E402
import weights  # noqa: E402

LIMIT_BYTES = 60 << 20  # leaves room for the checkout under 64 MiB
# Model checks whose weights would not fit beside resnet18 (models/
# checks it at 224x224 instead).
TOO_LARGE = {"resnet18", "resnet18_dynamic_batch", "mobilenet_v3_small",
             "squeezenet1_1"}
# The model check also built for cpu (--compare-devices) and for vulkan.
ACROSS_DEVICES = "transformer_encoder_layer"

MATMUL = """func.func @matmul(%a: tensor<{n}x{n}x{t}>, %b: tensor<{n}x{n}x{t}>) -> tensor<{n}x{n}x{t}> {{
  %0 = strata.matmul %a, %b : (tensor<{n}x{n}x{t}>, tensor<{n}x{n}x{t}>) -> tensor<{n}x{n}x{t}>
  return %0 : tensor<{n}x{n}x{t}>
}}
"""
ADD = """func.func @add(%x: tensor<{n}xf32>, %y: tensor<{n}xf32>) -> tensor<{n}xf32> {{
  %0 = strata.add %x, %y : (tensor<{n}xf32>, tensor<{n}xf32>) -> tensor<{n}xf32>
  return %0 : tensor<{n}xf32>
}}
"""
# A matrix-vector product (a decoding step's layer): x by a k x n weight,
# or by an n x k one (trans_b).
MATVEC = """func.func @matvec(%x: tensor<1x{n}x{t}>, %w: tensor<{n}x{n}x{t}>) -> tensor<1x{n}x{t}> {{
  %0 = strata.gemm %x, %w{attributes} : (tensor<1x{n}x{t}>, tensor<{n}x{n}x{t}>) -> tensor<1x{n}x{t}>
  return %0 : tensor<1x{n}x{t}>
}}
"""
# A matmul whose result is widened, so that every dtype's is a .npy file.
GEMM_CHECK = """func.func @gemm(%a: tensor<{m}x{k}x{t}>, %b: tensor<{k}x{n}x{t}>) -> tensor<{m}x{n}xf32> {{
  %0 = strata.matmul %a, %b : (tensor<{m}x{k}x{t}>, tensor<{k}x{n}x{t}>) -> tensor<{m}x{n}x{t}>
  %1 = strata.cast %0 : (tensor<{m}x{n}x{t}>) -> tensor<{m}x{n}xf32>
  return %1 : tensor<{m}x{n}xf32>
}}
"""
# A Gemm, with trans_a and trans_b as asked.
GEMM_TRANSPOSED = """func.func @gemm(%a: tensor<{a}x{t}>, %b: tensor<{b}x{t}>) -> tensor<{m}x{n}xf32> {{
  %0 = strata.gemm %a, %b{attributes} : (tensor<{a}x{t}>, tensor<{b}x{t}>) -> tensor<{m}x{n}x{t}>
  %1 = strata.cast %0 : (tensor<{m}x{n}x{t}>) -> tensor<{m}x{n}xf32>
  return %1 : tensor<{m}x{n}xf32>
}}
"""
# A Gemm with a bias (over n) and a ReLU, which the GEMM's tile applies as
# its epilogue.
GEMM_BIAS_RELU = """func.func @gemm(%a: tensor<{m}x{k}x{t}>, %b: tensor<{k}x{n}x{t}>, %c: tensor<{n}x{t}>) -> tensor<{m}x{n}xf32> {{
  %0 = strata.gemm %a, %b, %c : (tensor<{m}x{k}x{t}>, tensor<{k}x{n}x{t}>, tensor<{n}x{t}>) -> tensor<{m}x{n}x{t}>
  %1 = strata.relu %0 : (tensor<{m}x{n}x{t}>) -> tensor<{m}x{n}x{t}>
  %2 = strata.cast %1 : (tensor<{m}x{n}x{t}>) -> tensor<{m}x{n}xf32>
  return %2 : tensor<{m}x{n}xf32>
}}
"""
# Relative L2 error allowed per input type: the result's own rounding
# (f16, bf16) or tf32's 10-bit products, with f32 sums.
GEMM_TOLERANCE = {"f16": 2e-3, "bf16": 1e-2, "f32": 1e-5, "tf32": 1e-2}
SOFTMAX = """func.func @softmax(%x: tensor<{n}x{n}xf32>) -> tensor<{n}x{n}xf32> {{
  %0 = strata.softmax %x {{axis = 1 : i64}} : (tensor<{n}x{n}xf32>) -> tensor<{n}x{n}xf32>
  return %0 : tensor<{n}x{n}xf32>
}}
"""


class Bundle:
    def __init__(self, args):
        self.args = args
        self.out = os.path.abspath(args.out)
        self.bin = os.path.join(os.path.abspath(args.build), "bin")
        self.manifest = {"target": args.target, "node": None, "checks": [],
                         "models": [], "kernels": [], "vulkan": [],
                         "compare": [], "gemms": []}

    def compile(self, source, relative, target, options=(), extra=()):
        """Compiles `source` to out/`relative`; returns `relative`."""
        path = os.path.join(self.out, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        command = [os.path.join(self.bin, "strata-compile"), source,
                   f"--target={target}", "-o", path] + \
            [f"--target-option={o}" for o in options] + list(extra)
        subprocess.run(command, check=True)
        return relative

    def device_options(self, timed):
        if self.args.target == "cpu":
            return ["cpu=x86-64-v3"]
        return [f"cuda-arch={'sm_90a' if timed else 'sm_80'}"]

    def save(self, relative, array):
        path = os.path.join(self.out, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        np.save(path, array)
        return relative


def pack_runtime(bundle):
    """runtime.tar.xz: bin/strata-run and, in lib/, the shared libraries it
    loads from outside the C and C++ runtimes."""
    run = os.path.join(bundle.bin, "strata-run")
    with tarfile.open(os.path.join(bundle.out, "runtime.tar.xz"),
                      "w:xz") as tar:
        tar.add(run, arcname="bin/strata-run")
        ldd = subprocess.run(["ldd", run], capture_output=True, text=True,
                             check=True).stdout
        for line in ldd.splitlines():
            parts = line.split("=>")
            if len(parts) != 2 or not parts[1].strip().startswith("/"):
                continue
            name, path = parts[0].strip(), parts[1].split()[0]
            if name.startswith(("libstrata", "libonnx", "libprotobuf")):
                tar.add(os.path.realpath(path), arcname=f"lib/{name}")


def add_node_suite(bundle, tmp):
    """Compiles each importable model of ONNX's test data and packs it with
    its first data set into node.tar.xz, paths relative to the archive."""
    tools = {"translate": os.path.join(bundle.bin, "strata-translate"),
             "compile": os.path.join(bundle.bin, "strata-compile")}
    data = "/usr/share/libonnx-testdata/data"
    tests = []
    for suite in conformance.SUITES:
        for test in sorted(os.listdir(os.path.join(data, suite))):
            path = os.path.join(data, suite, test, "model.onnx")
            if os.path.exists(path):
                tests.append((f"{suite}/{test}", path))
    if bundle.args.quick:
        tests = [t for t in tests if "relu" in t[0] or "softmax" in t[0]][:12]
    entries = []
    archive = os.path.join(bundle.out, "node.tar.xz")
    with tarfile.open(archive, "w:xz") as tar:
        for index, (name, path) in enumerate(tests):
            workdir = os.path.join(tmp, "node", str(index))
            os.makedirs(workdir)
            options = [f"--target-option={o}"
                       for o in bundle.device_options(timed=False)]
            status, why, plan = numerics.plan_model(
                tools, bundle.args.target, path, workdir, options)
            if status != "PASS":
                entries.append({"name": name, "status": status, "why": why})
                continue
            files = {}

            def local(argument):
                flag, _, file = argument.partition("=@")
                if not file:
                    return argument
                if file not in files:
                    files[file] = f"{index}/{len(files)}_" + \
                        os.path.basename(file)
                    tar.add(file, arcname=files[file])
                return f"{flag}=@{files[file]}"

            tar.add(plan["artifact"], arcname=f"{index}/model.strata")
            entries.append({
                "name": name, "status": "PASS", "random": plan["random"],
                "artifact": f"{index}/model.strata",
                "runs": [[local(a) for a in run] for run in plan["runs"]]})
    bundle.manifest["node"] = {"archive": "node.tar.xz", "tests": entries}


def add_checks(bundle, tmp):
    """The PyTorch model checks that fit, with PyTorch's outputs."""
    for name, module, example, dynamic, shape in pytorch_models.models():
        if name in TOO_LARGE or dynamic:
            continue
        if bundle.args.quick and name not in ("mlp",
                                              "transformer_encoder_layer"):
            continue
        onnx_path = os.path.join(tmp, name + ".onnx")
        module.eval()
        torch.onnx.export(module, example, onnx_path, opset_version=14,
                          input_names=["x"])
        with torch.no_grad():
            expected = module(example).numpy()
        entry = {"name": name,
                 "artifact": bundle.compile(
                     onnx_path, f"checks/{name}.strata", bundle.args.target,
                     bundle.device_options(timed=False)),
                 "input": bundle.save(f"checks/{name}_x.npy", example.numpy()),
                 "expected": bundle.save(f"checks/{name}_y.npy", expected)}
        bundle.manifest["checks"].append(entry)
        if name != ACROSS_DEVICES:
            continue
        bundle.manifest["compare"].append(
            {"name": name, "device": entry["artifact"],
             "input": entry["input"],
             "cpu": bundle.compile(onnx_path, f"cpu/{name}.strata", "cpu",
                                   ["cpu=x86-64-v3"])})
        if bundle.args.target == "cuda":
            bundle.manifest["vulkan"].append(
                {"name": name, "kind": "model", "input": entry["input"],
                 "artifact": bundle.compile(onnx_path,
                                            f"vulkan/{name}.strata", "vulkan",
                                            ["vulkan-target=desktop"])})


def add_models(bundle, tmp):
    """resnet18 and the transformer layer, for the device."""
    for name, module, shape in weights.models():
        if bundle.args.quick and name == "resnet18":
            continue
        onnx_path = os.path.join(tmp, name + ".onnx")
        example = torch.from_numpy(weights.example(shape, seed=1))
        torch.onnx.export(module, example, onnx_path, opset_version=14,
                          input_names=["x"])
        with torch.no_grad():
            expected = module(example).numpy()
        entry = {"name": name, "shape": list(shape),
                 "artifact": bundle.compile(
                     onnx_path, f"models/{name}.strata", bundle.args.target,
                     bundle.device_options(timed=True), ["-O3"]),
                 "input": bundle.save(f"models/{name}_x.npy", example.numpy()),
                 "expected": bundle.save(f"models/{name}_y.npy", expected)}
        bundle.manifest["models"].append(entry)


def add_gemm_checks(bundle, tmp):
    """Matmuls checked against float64: a shape of whole tensor-core
    blocks and a ragged one, in each input type, and on cuda also in tf32
    and off the tensor cores."""
    from run import bf16_tensor_pb, rounded_like
    variants = [("f16", "f16", []), ("bf16", "bf16", []),
                ("f32", "f32", [])]
    if bundle.args.target == "cuda":
        variants += [("tf32", "f32", ["cuda-allow-tf32=1"]),
                     ("f16_simt", "f16", ["cuda-tensor-cores=0"]),
                     ("f16_wgmma", "f16", ["cuda-wgmma=1"]),
                     ("bf16_wgmma", "bf16", ["cuda-wgmma=1"]),
                     ("bf16_wgmma_notma", "bf16",
                      ["cuda-wgmma=1", "cuda-tma=0"])]
    rng = np.random.default_rng(7)
    for m, k, n in ((128, 160, 96), (100, 72, 40)):
        a = rng.standard_normal((m, k), dtype=np.float32)
        b = rng.standard_normal((k, n), dtype=np.float32)
        for name, t, options in variants:
            shape = f"{m}x{k}x{n}"
            source = os.path.join(tmp, f"gemm_{t}_{shape}.mlir")
            with open(source, "w") as f:
                f.write(GEMM_CHECK.format(m=m, k=k, n=n, t=t))
            # Variants of one input type share its inputs and results.
            inputs = []
            for i, x in enumerate((a, b)):
                relative = f"gemms/{t}_{shape}_{i}"
                if t == "bf16":
                    os.makedirs(os.path.join(bundle.out, "gemms"),
                                exist_ok=True)
                    bf16_tensor_pb(os.path.join(bundle.out, relative + ".pb"),
                                   x)
                    inputs.append(relative + ".pb")
                else:
                    inputs.append(bundle.save(relative + ".npy", x.astype(
                        np.float16 if t == "f16" else np.float32)))
            rounded = [rounded_like(x, t) for x in (a, b)]
            expected = (rounded[0].astype(np.float64) @
                        rounded[1].astype(np.float64)).astype(np.float32)
            bundle.manifest["gemms"].append({
                "name": f"{name}_{shape}", "inputs": inputs,
                "tolerance": GEMM_TOLERANCE[name.split("_")[0]],
                "artifact": bundle.compile(
                    source, f"gemms/{name}_{shape}.strata",
                    bundle.args.target,
                    bundle.device_options(timed=True) + options),
                "expected": bundle.save(f"gemms/{t}_{shape}_y.npy",
                                        expected)})
    add_generated_gemm_checks(bundle, tmp)


def add_generated_gemm_checks(bundle, tmp):
    """GEMMs large enough for the tiles that TMA loads (128 x 128 of 128
    workgroups and more), in each layout TMA reads: A K-major or M-major
    (trans_a), B N-major or K-major (trans_b); on cuda in three slots
    (the default), two and four. Each ends in a cast, and one in a bias
    and a ReLU as well, which the tile applies as its epilogue. Then
    matrix-vector products (a decoding step's layer, 1 x 4096 by 4096 x
    4096): B n-major splits k over invocations, with a bias and a ReLU
    too; B k-major (trans_b) gives each output a workgroup. Their inputs
    and float64 results would not fit the bundle, so run.py makes them
    from a seed."""
    m, k, n = (256, 128, 256) if bundle.args.quick else (2048, 512, 2048)
    variants = [("bf16", "bf16", {}, []),
                ("bf16_trans_a", "bf16", {"trans_a": True}, []),
                ("bf16_trans_b", "bf16", {"trans_b": True}, []),
                ("bf16_bias_relu", "bf16", {"bias": True}, [])]
    if bundle.args.target == "cuda":
        wgmma = ["cuda-wgmma=1"]
        variants = [
            ("bf16_mma_sync", "bf16", {}, []),
            ("bf16_wgmma_tma", "bf16", {}, wgmma),
            ("f16_wgmma_tma", "f16", {}, wgmma),
            ("bf16_wgmma_tma_s2", "bf16", {}, wgmma + ["cuda-wgmma-stages=2"]),
            ("bf16_wgmma_tma_s4", "bf16", {}, wgmma + ["cuda-wgmma-stages=4"]),
            ("bf16_wgmma_tma_trans_a", "bf16", {"trans_a": True}, wgmma),
            ("bf16_wgmma_tma_trans_b", "bf16", {"trans_b": True}, wgmma),
            ("bf16_wgmma_tma_bias_relu", "bf16", {"bias": True}, wgmma),
            ("bf16_wgmma_notma_trans_a", "bf16", {"trans_a": True},
             wgmma + ["cuda-tma=0"])]
    variants = [variant + ((m, k, n),) for variant in variants]
    depth = 512 if bundle.args.quick else 4096
    variants += [(f"{t}_matvec{suffix}", t, form, [], (1, depth, depth))
                 for t in ("f16", "bf16")
                 for suffix, form in (("", {}),
                                      ("_trans_b", {"trans_b": True}),
                                      ("_bias_relu", {"bias": True}))]
    for name, t, form, options, (m, k, n) in variants:
        shape = f"{m}x{k}x{n}"
        a = f"{k}x{m}" if form.get("trans_a") else f"{m}x{k}"
        b = f"{n}x{k}" if form.get("trans_b") else f"{k}x{n}"
        attributes = ", ".join(f"{key} = true" for key in form
                               if key.startswith("trans"))
        source = os.path.join(tmp, f"gemm_{name}_{shape}.mlir")
        with open(source, "w") as f:
            if form.get("bias"):
                f.write(GEMM_BIAS_RELU.format(m=m, k=k, n=n, t=t))
            else:
                f.write(GEMM_TRANSPOSED.format(
                    a=a, b=b, m=m, n=n, t=t,
                    attributes=f" {{{attributes}}}" if attributes else ""))
        bundle.manifest["gemms"].append({
            "name": f"{name}_{shape}",
            "tolerance": GEMM_TOLERANCE[t],
            "generate": dict(m=m, k=k, n=n, dtype=t, seed=11, **form),
            "artifact": bundle.compile(
                source, f"gemms/{name}_{shape}.strata", bundle.args.target,
                bundle.device_options(timed=True) + options)})


def add_kernels(bundle, tmp):
    sizes = [256, 512] if bundle.args.quick else bundle.args.sizes
    types = [("f32", "f32", []), ("f16", "f16", []), ("bf16", "bf16", [])]
    if bundle.args.target == "cuda":
        types += [("tf32", "f32", ["cuda-allow-tf32=1"]),
                  ("f16_wgmma", "f16", ["cuda-wgmma=1"]),
                  ("bf16_wgmma", "bf16", ["cuda-wgmma=1"])]
    runs = [(name, t, options, n) for name, t, options in types
            for n in sizes]
    # At the size the goal is set for, bf16 wgmma tiles with two and four
    # slots next to the three they take by default.
    if bundle.args.target == "cuda":
        n = sizes[-1] if bundle.args.quick else 4096
        runs += [(f"bf16_wgmma_s{stages}", "bf16",
                  ["cuda-wgmma=1", f"cuda-wgmma-stages={stages}"], n)
                 for stages in (2, 4)]
    for name, t, options, n in runs:
        source = os.path.join(tmp, f"matmul_{t}_{n}.mlir")
        with open(source, "w") as f:
            f.write(MATMUL.format(n=n, t=t))
        bundle.manifest["kernels"].append({
            "name": f"matmul_{name}_{n}", "kind": "matmul", "dtype": name,
            "n": n, "artifact": bundle.compile(
                source, f"kernels/matmul_{name}_{n}.strata",
                bundle.args.target,
                bundle.device_options(timed=True) + options)})
    for n in [512] if bundle.args.quick else [4096, 8192]:
        for layout, attributes in (("kn", ""), ("nk", " {trans_b = true}")):
            source = os.path.join(tmp, f"matvec_{layout}_{n}.mlir")
            with open(source, "w") as f:
                f.write(MATVEC.format(n=n, t="f16", attributes=attributes))
            bundle.manifest["kernels"].append({
                "name": f"matvec_f16_{layout}_{n}", "kind": "matvec",
                "dtype": "f16", "n": n, "trans_b": layout == "nk",
                "artifact": bundle.compile(
                    source, f"kernels/matvec_{layout}_{n}.strata",
                    bundle.args.target, bundle.device_options(timed=True))})
    elements = 1 << (20 if bundle.args.quick else 26)
    rows = 512 if bundle.args.quick else 8192
    for name, text, n, inputs in (("add", ADD, elements, 2),
                                  ("softmax", SOFTMAX, rows, 1)):
        source = os.path.join(tmp, name + ".mlir")
        with open(source, "w") as f:
            f.write(text.format(n=n))
        bundle.manifest["kernels"].append({
            "name": name, "kind": name, "dtype": "f32", "n": n,
            "artifact": bundle.compile(source, f"kernels/{name}.strata",
                                       bundle.args.target,
                                       bundle.device_options(timed=True))})
    if bundle.args.target == "cuda":
        n = sizes[-1] if bundle.args.quick else 4096
        source = os.path.join(tmp, f"matmul_f32_{n}.mlir")
        with open(source, "w") as f:
            f.write(MATMUL.format(n=n, t="f32"))
        bundle.manifest["vulkan"].append({
            "name": f"matmul_f32_{n}", "kind": "matmul", "dtype": "f32",
            "n": n, "artifact": bundle.compile(
                source, f"vulkan/matmul_f32_{n}.strata", "vulkan",
                ["vulkan-target=desktop"])})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--target", choices=["cuda", "cpu"], default="cuda")
    parser.add_argument("--sizes", type=lambda s: [int(n) for n in
                                                   s.split(",")],
                        default=[1024, 2048, 4096, 8192])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bundle = Bundle(args)
    shutil.rmtree(bundle.out, ignore_errors=True)
    os.makedirs(bundle.out)
    with tempfile.TemporaryDirectory(prefix="strata-gpu-") as tmp:
        pack_runtime(bundle)
        add_kernels(bundle, tmp)
        add_gemm_checks(bundle, tmp)
        add_models(bundle, tmp)
        add_checks(bundle, tmp)
        add_node_suite(bundle, tmp)
    with open(os.path.join(bundle.out, "bundle.json"), "w") as f:
        json.dump(bundle.manifest, f, indent=1)
    total = sum(os.path.getsize(os.path.join(d, f))
                for d, _, names in os.walk(bundle.out) for f in names)
    print(f"{bundle.out}: {total / 2**20:.1f} MiB for target "
          f"{args.target}")
    if total > LIMIT_BYTES:
        print(f"error: more than {LIMIT_BYTES >> 20} MiB; the GPU machine "
              "takes 64 MiB with the checkout", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
