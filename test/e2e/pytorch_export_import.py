#!/usr/bin/python3
"""Exports models with PyTorch's own ONNX exporter and imports them.

torchvision CNNs (resnet18, mobilenet_v3_small, squeezenet1_1), a
TransformerEncoderLayer and an MLP, with random weights (nothing is
downloaded), are exported to a temporary directory with Debian's
python3-torch, then imported with `strata-translate --import-onnx`. Models
exported with dynamic axes are imported with `--onnx-input-shape`.
Prints one line per model and closes with "N passed, N failed".
"""

import argparse
import os
import subprocess
import sys
import tempfile

import torch
import torchvision


def models():
    torch.manual_seed(0)
    encoder = torch.nn.TransformerEncoderLayer(
        d_model=32, nhead=4, dim_feedforward=64, batch_first=True,
        dropout=0.0)
    mlp = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 128),
                              torch.nn.ReLU(), torch.nn.Linear(128, 10),
                              torch.nn.Softmax(dim=1))
    image = torch.randn(1, 3, 64, 64)
    # name, module, example input, dynamic axes, --onnx-input-shape value
    return [
        ("resnet18", torchvision.models.resnet18(), image, None, None),
        ("mobilenet_v3_small", torchvision.models.mobilenet_v3_small(),
         image, None, None),
        ("squeezenet1_1", torchvision.models.squeezenet1_1(), image, None,
         None),
        ("resnet18_dynamic_batch", torchvision.models.resnet18(), image,
         {0: "batch"}, None),
        ("transformer_encoder_layer", encoder, torch.randn(2, 5, 32), None,
         None),
        ("transformer_encoder_layer_dynamic", encoder, torch.randn(2, 5, 32),
         {0: "batch", 1: "sequence"}, "2x5x32"),
        ("mlp", mlp, torch.randn(4, 1, 28, 28), None, None),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translate", required=True)
    parser.add_argument("--opset", type=int, default=14)
    args = parser.parse_args()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, module, example, dynamic, shape in models():
            path = os.path.join(tmp, name + ".onnx")
            module.eval()
            torch.onnx.export(
                module, example, path, opset_version=args.opset,
                input_names=["x"],
                dynamic_axes={"x": dynamic} if dynamic else None)
            command = [args.translate, "--import-onnx", path, "-o", os.devnull]
            if shape:
                command.append(f"--onnx-input-shape=x={shape}")
            proc = subprocess.run(command, capture_output=True, text=True)
            if proc.returncode == 0:
                passed += 1
                print(f"PASS {name}")
            else:
                failed += 1
                print(f"FAIL {name}: {proc.stderr.strip()}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
