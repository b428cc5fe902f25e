# -*- Python -*-
# lit configuration for Strata's FileCheck tests; paths come from the site
# config that CMake writes to build/test/lit.site.cfg.py.

import ctypes
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Strata"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.join(os.path.dirname(__file__), "test")
config.test_exec_root = os.path.join(config.strata_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.site.cfg.py.in", "Unit", "e2e", "Inputs"]
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"
config.substitutions.append(("%strata_src_root", config.strata_src_root))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["strata-opt", "strata-translate", "strata-compile", "strata-run",
     "strata-test-artifact"],
    [config.strata_tools_dir, config.llvm_tools_dir],
)

# Mesa 22.3's lavapipe leaks 128 bytes on some hosts (an AMD EPYC with
# AVX-512; not the Intel Xeons), from a driver that its loader has unloaded
# by the time LeakSanitizer reports, so no suppression can name it. Under
# scripts/sanitize.sh, processes that run the vulkan device skip the leak
# check and keep AddressSanitizer's other checks: every test in
# Target/vulkan (its lit.local.cfg), and elsewhere `%no-leak-check cmd`.
asan_options = config.environment.get("ASAN_OPTIONS")
config.substitutions.append(
    ("%no-leak-check",
     "env ASAN_OPTIONS=%s:detect_leaks=0" % asan_options if asan_options
     else "env"))

# PTX is assembled by the CUDA toolkit's ptxas where the build found one;
# tests that need it say `REQUIRES: ptxas`.
if config.strata_ptxas and os.path.exists(config.strata_ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.strata_ptxas))

# The cuda device on a real GPU: tests that need one say
# `REQUIRES: cuda-gpu` and run where the driver (STRATA_CUDA_LIBRARY, as for
# strata-run, else libcuda.so.1) loads and reports a device; elsewhere lit
# skips them, and says why.
def first_cuda_arch():
    try:
        cuda = ctypes.CDLL(os.environ.get("STRATA_CUDA_LIBRARY",
                                          "libcuda.so.1"))
    except OSError:
        return None
    count, major, minor = ctypes.c_int(0), ctypes.c_int(0), ctypes.c_int(0)
    if (cuda.cuInit(0) != 0 or cuda.cuDeviceGetCount(ctypes.byref(count)) != 0
            or count.value < 1):
        return None
    # CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR/MINOR of device 0.
    if (cuda.cuDeviceGetAttribute(ctypes.byref(major), 75, 0) != 0 or
            cuda.cuDeviceGetAttribute(ctypes.byref(minor), 76, 0) != 0):
        return None
    return "sm_%d%d" % (major.value, minor.value)


cuda_arch = first_cuda_arch()
if cuda_arch:
    config.available_features.add("cuda-gpu")
    # A cubin loads only on its own architecture, which must be one that
    # --target-option=cuda-arch takes (PTX compiled for sm_80 JITs on any).
    if cuda_arch in ("sm_80", "sm_86", "sm_89", "sm_90"):
        config.available_features.add("cuda-gpu-arch")
        config.substitutions.append(("%cuda_arch", cuda_arch))
else:
    lit_config.note("no CUDA GPU here: the tests that need one "
                    "(REQUIRES: cuda-gpu) are skipped")

# The stand-in CUDA drivers (test/Runtime/fake-cuda.c); the longer name
# first, since lit substitutes in order.
config.substitutions.append(
    ("%fake_cuda_11", os.path.join(config.strata_obj_root, "lib",
                                   "libstrata-fake-cuda-11.so")))
config.substitutions.append(
    ("%fake_cuda", os.path.join(config.strata_obj_root, "lib",
                                "libstrata-fake-cuda.so")))

# ONNX test models are written as protobuf text and encoded in the RUN line:
#   %protoc-onnx < %s > %t.onnx
config.substitutions.append(
    ("%protoc-onnx",
     "protoc --encode=onnx.ModelProto -I/usr/include/onnx onnx.proto"))
config.suffixes.append(".textproto")
