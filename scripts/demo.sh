#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, and run
# strata-opt on the bundled example (shape refinement + canonicalization).
# Once the end-to-end path lands this compiles and runs a model instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh strata-opt
build/bin/strata-opt examples/mlp.mlir --strata-refine-shapes --canonicalize
