#!/bin/sh
# Fails if any of the given ELF files needs libMLIR or libLLVM, directly or
# through its dependencies: the runtime and strata-run ship without them.
set -eu
for file in "$@"; do
  deps=$(ldd "$file") || { echo "ldd failed on $file"; exit 1; }
  if echo "$deps" | grep -E 'lib(MLIR|LLVM)'; then
    echo "$file links MLIR or LLVM"
    exit 1
  fi
  echo "$file: no MLIR or LLVM among $(echo "$deps" | wc -l) libraries"
done
