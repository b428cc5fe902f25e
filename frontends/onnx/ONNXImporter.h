//===- ONNXImporter.h - import ONNX models into strata ----------*- C++ -*-===//
//
// The public entry points of the ONNX frontend: build a module holding one
// func.func of strata ops from the bytes of a .onnx file, and register the
// `--import-onnx` translation with strata-translate.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_ONNX_ONNXIMPORTER_H
#define STRATA_FRONTENDS_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <utility>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mlir::strata {

/// How an ONNX model is imported.
struct ONNXImportOptions {
  /// Graph inputs to replace by constants, each given as strata-run's
  /// --input takes a tensor (a literal, @file.npy, @file.pb): shape, axes,
  /// sample rates and similar values that the model takes at run time but
  /// Strata needs when it compiles.
  std::vector<std::pair<std::string, std::string>> boundInputs;
  /// Static shapes for graph inputs whose dims are symbolic (a dynamic
  /// batch, a sequence length): Strata compiles one shape at a time.
  std::vector<std::pair<std::string, std::vector<int64_t>>> inputShapes;
  /// How the tool spells the two options above, for the hints in errors.
  std::string bindInputFlag = "--bind-input";
  std::string inputShapeFlag = "--input-shape";
};

/// Imports the ONNX model in `bytes`. `modelPath` names the model in
/// diagnostics and anchors external data (empty: read from stdin, external
/// data refused). Returns null after emitting diagnostics on `context`.
/// Graph inputs become function arguments and graph outputs results, both
/// carrying their ONNX names in an `onnx.name` attribute.
OwningOpRef<ModuleOp> importONNXModel(llvm::StringRef bytes,
                                      llvm::StringRef modelPath,
                                      MLIRContext *context,
                                      const ONNXImportOptions &options = {});

/// Imports an already parsed model (the JSON frontend builds one).
OwningOpRef<ModuleOp> importONNXModel(const onnx::ModelProto &model,
                                      llvm::StringRef modelPath,
                                      MLIRContext *context,
                                      const ONNXImportOptions &options = {});

/// "x: ?x3x?x?, which compiles at a static shape given with
/// --input-shape=x=1x3x1x1 (each ? replaced by the size to compile for)":
/// the hint for a graph input `name` of dynamic type `type`.
std::string staticShapeHint(llvm::StringRef name, ShapedType type,
                            llvm::StringRef inputShapeFlag);

/// Parses `flag` as NAME=DIMS (e.g. x=1x3x224x224) into
/// `options.inputShapes`; reports a malformed flag on `context`.
bool parseInputShapeFlag(llvm::StringRef flag, MLIRContext *context,
                         ONNXImportOptions &options);

/// Registers `--import-onnx` with the mlir-translate registry, with its
/// repeatable options `--onnx-bind-input=NAME=VALUE` and
/// `--onnx-input-shape=NAME=2x3x224x224`.
void registerONNXImportTranslation();

} // namespace mlir::strata

#endif // STRATA_FRONTENDS_ONNX_ONNXIMPORTER_H
