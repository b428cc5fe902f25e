#!/usr/bin/python3
"""Strata vs onnxruntime on models exported from PyTorch, one thread each.

Exports resnet18, mobilenet_v3_small and squeezenet1_1 (random weights,
1x3x224x224), a TransformerEncoderLayer (d_model 256, 8 heads, 4x64 tokens)
and an MLP with Debian's PyTorch; checks Strata's output against PyTorch
(relative L2 error); times `strata-run --benchmark --threads=1` and
onnxruntime-node (bench/ort_bench.js, intra-op threads 1) in the same run;
prints the latency ratio Strata / onnxruntime per model.

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
        ("mobilenet_v3_small", torchvision.models.mobilenet_v3_small(), image),
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
    parser.add_argument("--filter", default="")
    args = parser.parse_args()
    tools = os.path.join(args.build, "bin")
    here = os.path.dirname(os.path.abspath(__file__))
    print(f"{'model':28} {'strata ms':>10} {'ort ms':>10} {'ratio':>7} "
          f"{'rel L2 vs torch':>16}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, module, example in models():
            if args.filter not in name:
                continue
            module.eval()
            onnx_path = os.path.join(tmp, name + ".onnx")
            torch.onnx.export(module, example, onnx_path, opset_version=14,
                              input_names=["x"])
            with torch.no_grad():
                expected = module(example).numpy()
            artifact = os.path.join(tmp, name + ".strata")
            subprocess.run([os.path.join(tools, "strata-compile"), onnx_path,
                            "-O3", "-o", artifact], check=True)
            x, y = (os.path.join(tmp, f"{name}_{s}.npy") for s in "xy")
            np.save(x, example.numpy())
            run = [os.path.join(tools, "strata-run"), artifact,
                   f"--input=@{x}", "--threads=1", "--quiet"]
            subprocess.run(run + [f"--output=@{y}"], check=True)
            got = np.load(y).astype(np.float64)
            error = (np.linalg.norm(got - expected) /
                     np.linalg.norm(expected.astype(np.float64)))
            strata = median_ms(subprocess.run(
                run + [f"--benchmark={args.runs}"], capture_output=True,
                text=True, check=True).stdout)
            ort = json.loads(subprocess.run(
                ["node", os.path.join(here, "ort_bench.js"), onnx_path,
                 str(args.runs), x], capture_output=True, text=True,
                check=True).stdout)["median_ms"]
            print(f"{name:28} {strata:10.2f} {ort:10.2f} {strata / ort:7.2f} "
                  f"{error:16.2e}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
