#!/usr/bin/python3
"""Exports models with PyTorch's ONNX exporter, imports, compiles and runs them.

torchvision CNNs (resnet18, mobilenet_v3_small, squeezenet1_1), a
TransformerEncoderLayer, an MLP and a few single-kernel modules, with
random weights (nothing is downloaded), are exported to a temporary directory with Debian's
python3-torch, then imported with `strata-translate --import-onnx`. Models
exported with dynamic axes get a static shape (`--onnx-input-shape`).
With --compile and --run, each is also compiled for --target (cpu unless
said) and run on its device on the example input, and its output must match PyTorch's within a relative L2
error of 1e-4. With --target=cuda --assemble=ARCH,... (for machines
without a GPU) each is instead compiled for each architecture and its PTX
assembled by ptxas; nothing runs. Prints one line per model and closes
with "N passed, N failed".
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_numeric_conformance import blob_errors, have_ptxas  # noqa: E402

MAX_RELATIVE_L2 = 1e-4


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
    ] + kernel_cases()


class BatchedMatMul(torch.nn.Module):
    def forward(self, x):
        return torch.matmul(x, x.transpose(1, 2))


def kernel_cases():
    """Small modules aimed at the cpu target's packed matmul path: sizes
    that do not divide the register block, groups, dilations, strides,
    3-D, batches, bias or none, and the strided pools."""
    torch.manual_seed(1)
    nn = torch.nn
    return [
        ("linear_padded_blocks", nn.Linear(130, 61, bias=False),
         torch.randn(67, 130), None, None),
        ("batched_matmul", BatchedMatMul(), torch.randn(3, 45, 96), None,
         None),
        ("conv_grouped_dilated_strided",
         nn.Conv2d(8, 12, 3, stride=2, padding=1, dilation=2, groups=2),
         torch.randn(2, 8, 40, 40), None, None),
        ("conv3d", nn.Conv3d(4, 8, 3, padding=1, bias=False),
         torch.randn(1, 4, 8, 12, 12), None, None),
        ("conv_relu_pools",
         nn.Sequential(nn.Conv2d(3, 20, 5, stride=2), nn.ReLU(),
                       nn.MaxPool2d(3, 2, padding=1), nn.AvgPool2d(2)),
         torch.randn(1, 3, 64, 64), None, None),
    ]


def check_assembles(args, tmp, name, path, shape):
    """Compiles the model for each --assemble architecture and assembles
    its PTX; returns an error or None."""
    artifact = os.path.join(tmp, name + ".strata")
    for arch in args.assemble.split(","):
        command = [args.compile, path, f"--target={args.target}",
                   f"--target-option=cuda-arch={arch}", "-o", artifact]
        if shape:
            command.append(f"--input-shape=x={shape}")
        proc = subprocess.run(command, capture_output=True, text=True)
        if proc.returncode != 0:
            return f"{arch}: compile: " + proc.stderr.strip()
        invalid = blob_errors(artifact, tmp, "ptx",
                              [args.ptxas, f"-arch={arch}", "-o", os.devnull])
        if invalid:
            return f"ptxas -arch={arch}: {invalid}"
    return None


def check_numerics(args, tmp, name, path, shape, example, expected):
    """Compiles and runs the model; returns an error or None."""
    artifact = os.path.join(tmp, name + ".strata")
    command = [args.compile, path, f"--target={args.target}", "-o", artifact]
    if shape:
        command.append(f"--input-shape=x={shape}")
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode != 0:
        return "compile: " + proc.stderr.strip()
    x, y = os.path.join(tmp, name + "_x.npy"), os.path.join(tmp, name + "_y.npy")
    np.save(x, example.numpy())
    proc = subprocess.run([args.run, artifact, f"--device={args.target}",
                           f"--input=@{x}", f"--output=@{y}"],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return "run: " + proc.stderr.strip()
    got = np.load(y).astype(np.float64)
    want = expected.astype(np.float64)
    if got.shape != want.shape:
        return f"output shape {got.shape}, PyTorch gives {want.shape}"
    error = np.linalg.norm(got - want) / max(np.linalg.norm(want), 1e-30)
    if not error <= MAX_RELATIVE_L2:
        return f"relative L2 error {error:.3g} > {MAX_RELATIVE_L2}"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translate", required=True)
    parser.add_argument("--compile")
    parser.add_argument("--run")
    parser.add_argument("--opset", type=int, default=14)
    parser.add_argument("--target", default="cpu")
    parser.add_argument("--assemble", default="",
                        help="cuda: compile for these architectures "
                             "(comma-separated) and assemble with ptxas; "
                             "run nothing")
    parser.add_argument("--ptxas", default="ptxas")
    args = parser.parse_args()
    if args.assemble and not have_ptxas(args.ptxas):
        return 77
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
            error = None if proc.returncode == 0 else proc.stderr.strip()
            # A dynamic model compiles for the example's shape.
            if dynamic and not shape:
                shape = "x".join(str(d) for d in example.shape)
            if error is None and args.compile and args.assemble:
                error = check_assembles(args, tmp, name, path, shape)
            elif error is None and args.compile and args.run:
                with torch.no_grad():
                    expected = module(example).numpy()
                error = check_numerics(args, tmp, name, path, shape, example,
                                       expected)
            if error is None:
                passed += 1
                print(f"PASS {name}")
            else:
                failed += 1
                print(f"FAIL {name}: {error}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
