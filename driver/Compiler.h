//===- Compiler.h - model to .strata artifact -------------------*- C++ -*-===//
//
// The compiler driver behind strata-compile and the C API: import a model,
// run strata-to-linalg and the target's pipeline, serialize the kernels and
// write the manifest that describes how to call them.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DRIVER_COMPILER_H
#define STRATA_DRIVER_COMPILER_H

#include "frontends/onnx/ONNXImporter.h"

#include "mlir/Pass/PassManager.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mlir::strata {

enum class ModelFormat { ONNX, JSON, MLIR };

/// The format a file name implies (.onnx, .json, .mlir), if any.
std::optional<ModelFormat> modelFormatFromPath(llvm::StringRef path);

struct CompileOptions {
  std::string target = "cpu";
  /// 0 to 3.
  unsigned optLevel = 2;
  /// Where to write the IR after each stage; empty writes nothing.
  std::string dumpStagesDir;
  /// Input shapes and compile-time inputs for ONNX models.
  ONNXImportOptions onnx;
  /// Called on every pass manager before it runs (e.g. for IR printing).
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

/// Compiles the model in `bytes` to the bytes of a .strata artifact. `path`
/// names the model in diagnostics and anchors its side files (empty for
/// stdin). Errors are emitted on `context`.
FailureOr<std::vector<uint8_t>> compileModel(MLIRContext &context,
                                             llvm::StringRef bytes,
                                             llvm::StringRef path,
                                             ModelFormat format,
                                             const CompileOptions &options);

} // namespace mlir::strata

#endif // STRATA_DRIVER_COMPILER_H
