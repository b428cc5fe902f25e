#!/usr/bin/python3
"""Strata vs onnxruntime on models exported from PyTorch, same thread count.

Exports resnet18, mobilenet_v2, mobilenet_v3_small, mnasnet0_5 (depthwise-
separable blocks) and squeezenet1_1 (random weights, 1x3x224x224), a
TransformerEncoderLayer (d_model 256, 8 heads, 4x64 tokens) and an MLP with
Debian's PyTorch. For each strata build worth timing on this host (the
host's own cpu and, on AVX-512, also x86-64-v3; see host.py) it checks
Strata's output against PyTorch (relative L2 error) and times
`strata-run --benchmark --threads=N` against onnxruntime-node
(bench/ort_bench.js, N intra-op threads) in the same run, each peer
`--rounds` times, interleaved, keeping its lowest median; prints the
latency ratio Strata / onnxruntime per model and build.

Needs `npm install --ignore-scripts` in bench/ once (onnxruntime-node).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision

import host


def models():
    torch.manual_seed(0)
    encoder = torch.nn.TransformerEncoderLayer(
        d_model=256, nhead=8, dim_feedforward=1024, batch_first=True,
        dropout=0.0)
    mlp = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(),
                              torch.nn.Linear(512, 256), torch.nn.ReLU(),
                              torch.nn.Linear(256, 10))
    image = torch.randn(1, 3, 224, 224)
    return [
        ("resnet18", torchvision.models.resnet18(), image),
        ("mobilenet_v2", torchvision.models.mobilenet_v2(), image),
        ("mobilenet_v3_small", torchvision.models.mobilenet_v3_small(), image),
        ("mnasnet0_5", torchvision.models.mnasnet0_5(), image),
        ("squeezenet1_1", torchvision.models.squeezenet1_1(), image),
        ("transformer_encoder_layer", encoder, torch.randn(4, 64, 256)),
        ("mlp", mlp, torch.randn(64, 784)),
    ]


def median_ms(text):
    return float(re.search(r"median latency: ([0-9.]+) ms", text)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="Strata build dir")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--filter", default="")
    parser.add_argument("--rounds", type=int, default=3,
                        help="time each peer this many times, interleaved, "
                        "keeping the lowest median (a shared host's bursts "
                        "move single runs)")
    args = parser.parse_args()
    tools = os.path.join(args.build, "bin")
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        name, flags = host.cpu_info()
        print(f"host: {name}; {host.isa(flags)}; {args.threads} thread(s)")
        print(f"{'model':28} {'cpu':10} {'strata ms':>10} {'ort ms':>10} "
              f"{'ratio':>7} {'rel L2 vs torch':>16}")
        for name, module, example in models():
            if args.filter not in name:
                continue
            module.eval()
            onnx_path = os.path.join(tmp, name + ".onnx")
            torch.onnx.export(module, example, onnx_path, opset_version=14,
                              input_names=["x"])
            with torch.no_grad():
                expected = module(example).numpy()
            x, y = (os.path.join(tmp, f"{name}_{s}.npy") for s in "xy")
            np.save(x, example.numpy())
            ort_run = ["node", os.path.join(here, "ort_bench.js"), onnx_path,
                       str(args.runs), str(args.threads), x]
            runs, errors = {}, {}
            for label, cpu, _ in host.builds(flags):
                artifact = os.path.join(tmp, f"{name}-{label}.strata")
                subprocess.run([os.path.join(tools, "strata-compile"),
                                onnx_path, "-O3", f"--target-option=cpu={cpu}",
                                "-o", artifact], check=True)
                run = [os.path.join(tools, "strata-run"), artifact,
                       f"--input=@{x}", f"--threads={args.threads}",
                       "--quiet"]
                subprocess.run(run + [f"--output=@{y}"], check=True)
                got = np.load(y).astype(np.float64)
                errors[label] = (np.linalg.norm(got - expected) /
                                 np.linalg.norm(expected.astype(np.float64)))
                runs[label] = run + [f"--benchmark={args.runs}"]
            ort, strata = float("inf"), {label: float("inf") for label in runs}
            for _ in range(max(1, args.rounds)):
                ort = min(ort, json.loads(subprocess.run(
                    ort_run, capture_output=True, text=True,
                    check=True).stdout)["median_ms"])
                for label, run in runs.items():
                    strata[label] = min(strata[label], median_ms(subprocess.run(
                        run, capture_output=True, text=True,
                        check=True).stdout))
            for label in runs:
                print(f"{name:28} {label:10} {strata[label]:10.2f} {ort:10.2f} "
                      f"{strata[label] / ort:7.2f} {errors[label]:16.2e}",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
