//===- JSONImporter.h - import JSON graphs into strata ----------*- C++ -*-===//
//
// The JSON graph frontend (format in docs/json-graph.md): tensors, nodes with
// ONNX operator semantics, and weights inline or in .bin/.npy side files.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_JSON_JSONIMPORTER_H
#define STRATA_FRONTENDS_JSON_JSONIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::strata {

/// Imports the JSON graph in `text`. `path` names the file in diagnostics
/// and anchors side files (empty: read from stdin, side files refused).
/// Returns null after emitting diagnostics on `context`.
OwningOpRef<ModuleOp> importJSONGraph(llvm::StringRef text,
                                      llvm::StringRef path,
                                      MLIRContext *context);

/// Registers `--import-json` with the mlir-translate registry.
void registerJSONImportTranslation();

} // namespace mlir::strata

#endif // STRATA_FRONTENDS_JSON_JSONIMPORTER_H
