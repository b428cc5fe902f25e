#!/usr/bin/env bash
# Sets up, builds and runs every test: lit/FileCheck suites, Catch2 unit
# tests and the generated-docs check, all through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
ctest --test-dir build --output-on-failure
