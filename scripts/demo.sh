#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, compile the
# bundled ONNX model (examples/mlp.onnx, exported by PyTorch) for the host
# cpu, run it on the bundled input, print the result and check it against
# PyTorch's output.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh strata-compile strata-run
build/bin/strata-compile examples/mlp.onnx --target=cpu -O2 -o build/mlp.strata
build/bin/strata-run build/mlp.strata --input=@examples/mlp_input.npy \
  --output=- --expected-output=@examples/mlp_expected.npy --rtol=1e-5 --atol=1e-6
