"""Weights that both machines compute alike, without shipping them.

The GPU machine has PyTorch but not the 47 MB of resnet18's weights (the
bundle must stay under 64 MiB with the artifact that holds them). So the
models are given weights from a formula in float64, rounded to float32:
any numpy computes the same values to within an ulp, and the models and
their ONNX exports are rebuilt there from it, for PyTorch eager and
onnxruntime to run.
"""

import numpy as np
import torch
import torchvision


def deterministic(module):
    """Sets every parameter and buffer of `module` from its position and
    shape; returns it. Weights get the scale of a He initialization, so
    that activations neither vanish nor blow up through resnet18."""
    with torch.no_grad():
        for index, (name, tensor) in enumerate(
                list(module.named_parameters()) +
                list(module.named_buffers())):
            if not tensor.is_floating_point():
                continue
            n = tensor.numel()
            wave = np.sin(0.7 * np.arange(n, dtype=np.float64) + index)
            if name.endswith("running_var"):
                values = 1.0 + 0.25 * wave * wave
            elif name.endswith(("running_mean", "bias")):
                values = 0.05 * wave
            elif tensor.dim() > 1:
                fan_in = n // tensor.shape[0]
                values = wave * np.sqrt(2.0 / fan_in)
            else:
                values = 1.0 + 0.1 * wave
            tensor.copy_(torch.from_numpy(values.reshape(tensor.shape)
                                          .astype(np.float32)))
    return module.eval()


def example(shape, seed):
    """An input of `shape` from the same kind of formula."""
    n = int(np.prod(shape))
    values = np.sin(0.37 * np.arange(n, dtype=np.float64) + seed)
    return values.reshape(shape).astype(np.float32)


def models():
    """(name, module, input shape) of the models timed against PyTorch and
    onnxruntime: resnet18 at 224x224 and a transformer encoder layer."""
    encoder = torch.nn.TransformerEncoderLayer(
        d_model=256, nhead=8, dim_feedforward=1024, batch_first=True,
        dropout=0.0)
    return [
        ("resnet18", deterministic(torchvision.models.resnet18()),
         (1, 3, 224, 224)),
        ("transformer_layer", deterministic(encoder), (4, 64, 256)),
    ]
