#!/usr/bin/env bash
# Configures (once) and builds Strata into ./build with clang-22, lld, Ninja
# and ccache. Extra arguments go to ninja, e.g. `scripts/build.sh strata-opt`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Cache hits across clones in different folders (CI builds a fresh clone).
export CCACHE_BASEDIR="$PWD"

if [ ! -f build/build.ninja ]; then
  cmake -G Ninja -S . -B build \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
    -DCMAKE_SHARED_LINKER_FLAGS=-fuse-ld=lld
fi
cmake --build build -- "$@"
