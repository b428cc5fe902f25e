#!/usr/bin/env bash
# Sets up, builds and runs every test: through ctest the lit/FileCheck
# suites, the Catch2 unit tests, the ONNX import conformance run and the
# generated-docs check; then the sanitizer build and its runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
scripts/sanitize.sh
ctest --test-dir build --output-on-failure
