#!/usr/bin/env bash
# Builds the tools, the runtime and the test programs with AddressSanitizer
# and UndefinedBehaviorSanitizer into ./build-sanitize, then runs the whole
# lit suite (every bad-input file, corrupt artifact and bad run input among
# them) and imports every ONNX test model with them. Any sanitizer report
# fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="$PWD"

flags="-fsanitize=address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all -fno-omit-frame-pointer"
if [ ! -f build-sanitize/build.ninja ]; then
  cmake -G Ninja -S . -B build-sanitize \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fuse-ld=lld $flags" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fuse-ld=lld $flags"
fi
cmake --build build-sanitize --target strata-opt strata-translate \
  strata-compile strata-run strata-test-artifact strata-runtime-c-example \
  strata-compiler-c-example strata-test-kernels strata-test-kernels-variant \
  strata-fake-cuda strata-fake-cuda-11
# libMLIR.so is not instrumented, but LLVM's allocator headers poison
# memory when inlined into instrumented code: a slab that our code
# starts (a custom attribute's storage) would read as poisoned when
# libMLIR allocates from it. So no manual poisoning.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allow_user_poisoning=0
export UBSAN_OPTIONS=print_stacktrace=1
/usr/lib/llvm-22/bin/lit -s build-sanitize/test
/usr/bin/python3 test/e2e/onnx_import_conformance.py \
  --translate build-sanitize/bin/strata-translate | tail -n 1
