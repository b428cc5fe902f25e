#!/usr/bin/env bash
# Installs, with apt-get only, the Debian packages Strata needs to build and test.
# Idempotent: packages already present are skipped by apt-get itself.
set -euo pipefail

PACKAGES=(
  # LLVM/MLIR 22: headers, libMLIR.so, mlir-tblgen, FileCheck/lit, clang and lld.
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  # Sanitizer runtimes for scripts/sanitize.sh.
  libclang-rt-22-dev
  # Build tools.
  cmake ninja-build ccache
  # Frontends and tests.
  nlohmann-json3-dev catch2 libonnx-dev libprotobuf-dev protobuf-compiler
  libonnx-testdata
  # Test scripts: list the operators of ONNX models; export models with
  # PyTorch's own ONNX exporter.
  python3 python3-onnx python3-torch python3-torchvision
  # onnxruntime's cpu provider from npm: the reference for the quantized
  # production check and the peer in bench/.
  nodejs
  # Vulkan target: loader headers, lavapipe, spirv-val, the validation layer.
  libvulkan-dev mesa-vulkan-drivers spirv-tools vulkan-validationlayers
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

export DEBIAN_FRONTEND=noninteractive
updated=0
apt_install() {
  if [ "$updated" -eq 0 ]; then
    $SUDO apt-get update -q
    updated=1
  fi
  $SUDO apt-get install -y -q --no-install-recommends "$@"
}

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
else
  echo "setup: installing ${missing[*]}"
  apt_install "${missing[@]}"
fi
# Debian's nodejs comes without npm; other builds of it bring their own.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing npm"
  apt_install npm
fi

# onnxruntime-node, pinned by bench/package-lock.json; its native library
# ships in the package, so no install script runs.
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$ROOT/bench/node_modules/onnxruntime-node" ]; then
  echo "setup: installing onnxruntime-node into bench/"
  (cd "$ROOT/bench" && npm ci --ignore-scripts --no-audit --no-fund)
fi
