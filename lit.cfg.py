# -*- Python -*-
# lit configuration for Strata's FileCheck tests; paths come from the site
# config that CMake writes to build/test/lit.site.cfg.py.

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

# PTX is assembled by the CUDA toolkit's ptxas where the build found one;
# tests that need it say `REQUIRES: ptxas`.
if config.strata_ptxas and os.path.exists(config.strata_ptxas):
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", config.strata_ptxas))

# The stand-in CUDA driver (test/Runtime/fake-cuda.c).
config.substitutions.append(
    ("%fake_cuda", os.path.join(config.strata_obj_root, "lib",
                                "libstrata-fake-cuda.so")))

# ONNX test models are written as protobuf text and encoded in the RUN line:
#   %protoc-onnx < %s > %t.onnx
config.substitutions.append(
    ("%protoc-onnx",
     "protoc --encode=onnx.ModelProto -I/usr/include/onnx onnx.proto"))
config.suffixes.append(".textproto")
