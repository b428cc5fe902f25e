//===- Compiler.h - model to .strata artifact -------------------*- C++ -*-===//
//
// The compiler driver behind strata-compile and the C API: import a model,
// lower it, form the dispatch schedule, compile each executable with its
// target, and serialize the schedule IR as a .strata artifact.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DRIVER_COMPILER_H
#define STRATA_DRIVER_COMPILER_H

#include "frontends/onnx/ONNXImporter.h"

#include "mlir/Pass/PassManager.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mlir::strata {

enum class ModelFormat { ONNX, JSON, MLIR, ScaleSimTopology };

/// The format a file name implies (.onnx, .json, .mlir), if any.
std::optional<ModelFormat> modelFormatFromPath(llvm::StringRef path);

struct CompileOptions {
  std::string target = "cpu";
  /// 0 to 3.
  unsigned optLevel = 2;
  /// STEP=SLOT: dispatches whose step name starts with STEP run on device
  /// slot SLOT, which `target` names as the SLOT-th of a comma-separated
  /// list (`cpu,null`).
  std::vector<std::string> place;
  /// Options of the targets (`--target-option=KEY=VALUE`).
  std::map<std::string, std::string> targetOptions;
  /// Where to write the IR after each stage, and the pipeline of each in
  /// pipelines.txt; empty writes nothing.
  std::string dumpStagesDir;
  /// Input shapes and compile-time inputs for ONNX models.
  ONNXImportOptions onnx;
  /// Where to print the wall time of each stage (--time-stages); null
  /// prints nothing.
  llvm::raw_ostream *stageTimes = nullptr;
  /// Called on every pass manager before it runs (e.g. for IR printing).
  std::function<LogicalResult(PassManager &)> configurePassManager;
};

/// Compiles the model in `bytes` to the bytes of a .strata artifact. `path`
/// names the model in diagnostics and anchors its side files (empty for
/// stdin). Errors are emitted on `context`.
FailureOr<std::vector<uint8_t>>
compileModel(MLIRContext &context, llvm::StringRef bytes, llvm::StringRef path,
             ModelFormat format, const CompileOptions &options);

} // namespace mlir::strata

#endif // STRATA_DRIVER_COMPILER_H
