#!/usr/bin/python3
"""Writes mlp.onnx, a small MLP exported by PyTorch, with a sample input
(mlp_input.npy) and PyTorch's output for it (mlp_expected.npy): the bundled
model of scripts/demo.sh. Deterministic (seeded); run it to regenerate."""

import os

import numpy as np
import torch

here = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(16, 32), torch.nn.ReLU(),
                            torch.nn.Linear(32, 4), torch.nn.Softmax(dim=1))
model.eval()
x = torch.randn(2, 16)
torch.onnx.export(model, x, os.path.join(here, "mlp.onnx"), opset_version=14,
                  input_names=["x"], output_names=["probabilities"])
np.save(os.path.join(here, "mlp_input.npy"), x.numpy())
with torch.no_grad():
    np.save(os.path.join(here, "mlp_expected.npy"), model(x).numpy())
