#!/usr/bin/python3
"""The vulkan target's kernels next to the cpu target's, on this host.

For a 1024^3 f32 matmul and resnet18 (1x3x224x224, random weights, exported
with Debian's PyTorch), compiles the model for cpu and for vulkan, checks
the vulkan result against the cpu's, and prints for each: the number of
dispatches a run makes and the workgroup memory its kernels use (from
strata-run --stats and the artifact's manifest), and the median time of a
run on the vulkan device next to the cpu target's on one thread.

With Mesa's lavapipe, the vulkan device runs on this host's CPU, so its
times say little about a GPU's; the dispatch count and the memory use show
the shape of the kernels. Real GPUs are timed by the CUDA issue's device
script (bench/README.md). Prints the host and the Vulkan device first.
"""

import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

import numpy as np

import host


def manifest(path):
    """The JSON manifest of a .strata file (docs/artifact-format.md)."""
    with open(path, "rb") as f:
        data = f.read()
    offset, size = struct.unpack_from("<QQ", data, 16)
    return json.loads(data[offset:offset + size])


def shared_memory(path):
    """(kernels, largest workgroup memory in bytes) of the artifact."""
    kernels = [k for e in manifest(path)["executables"] for k in e["kernels"]]
    return len(kernels), max((k.get("shared_memory", 0) for k in kernels),
                             default=0)


def vulkan_device():
    """The Vulkan device's name, from vulkaninfo where it is installed."""
    try:
        out = subprocess.run(["vulkaninfo", "--summary"], capture_output=True,
                             text=True).stdout
    except OSError:
        return "the loader's first device (vulkaninfo not installed)"
    names = re.findall(r"deviceName\s*=\s*(.*)", out)
    return ", ".join(names) or "unknown"


def run(tools, artifact, device, inputs, extra):
    command = [os.path.join(tools, "strata-run"), artifact,
               f"--device={device}", "--quiet"] + \
        [f"--input=@{x}" for x in inputs] + extra
    if device == "cpu":
        command.append("--threads=1")
    return subprocess.run(command, capture_output=True, text=True,
                          check=True).stdout


def measure(tools, name, model, inputs, tmp, runs):
    artifacts = {}
    for target in ("cpu", "vulkan"):
        artifacts[target] = os.path.join(tmp, f"{name}-{target}.strata")
        subprocess.run([os.path.join(tools, "strata-compile"), model,
                        f"--target={target}", "-o", artifacts[target]],
                       check=True)
    reference = os.path.join(tmp, f"{name}-cpu.npy")
    run(tools, artifacts["cpu"], "cpu", inputs, [f"--output=@{reference}"])
    run(tools, artifacts["vulkan"], "vulkan", inputs,
        [f"--expected-output=@{reference}", "--rtol=1e-3", "--atol=1e-3"])
    times = {}
    for target in ("cpu", "vulkan"):
        out = run(tools, artifacts[target], target, inputs,
                  [f"--benchmark={runs}", "--stats"])
        times[target] = float(re.search(r"median latency: ([0-9.]+) ms",
                                        out)[1])
        if target == "vulkan":
            # The counters cover the warm-up run and the timed ones.
            dispatches = int(re.search(r"dispatches=(\d+)", out)[1]) // \
                (runs + 1)
    kernels, shared = shared_memory(artifacts["vulkan"])
    print(f"{name}: vulkan {times['vulkan']:.1f} ms, cpu {times['cpu']:.1f} "
          f"ms (x{times['vulkan'] / times['cpu']:.1f}); {dispatches} "
          f"dispatches per run, {kernels} kernels, largest workgroup memory "
          f"{shared} bytes")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="Strata build dir")
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tools = os.path.join(args.build, "bin")
    name, flags = host.cpu_info()
    print(f"host: {name} ({host.isa(flags)})")
    print(f"vulkan device: {vulkan_device()}")
    with tempfile.TemporaryDirectory() as tmp:
        n = args.size
        model = os.path.join(tmp, "matmul.mlir")
        with open(model, "w") as f:
            f.write(host.MATMUL.format(n=n))
        rng = np.random.default_rng(0)
        inputs = [os.path.join(tmp, f"{x}.npy") for x in "ab"]
        for path in inputs:
            np.save(path, rng.standard_normal((n, n), dtype=np.float32))
        measure(tools, f"matmul {n}x{n}x{n} f32", model, inputs, tmp,
                args.runs)

        import torch
        import torchvision
        torch.manual_seed(0)
        resnet = torchvision.models.resnet18().eval()
        x = torch.randn(1, 3, 224, 224)
        onnx_path = os.path.join(tmp, "resnet18.onnx")
        torch.onnx.export(resnet, x, onnx_path, opset_version=14,
                          input_names=["x"])
        x_path = os.path.join(tmp, "x.npy")
        np.save(x_path, x.numpy())
        measure(tools, "resnet18 1x3x224x224", onnx_path, [x_path], tmp,
                args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
