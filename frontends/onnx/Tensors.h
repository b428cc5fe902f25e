//===- Tensors.h - ONNX tensors and types to MLIR ---------------*- C++ -*-===//
//
// Converts ONNX element types, TensorProtos (inline, typed fields or external
// data) and ValueInfo types into MLIR types and attributes. Every size read
// from the model is checked before a byte is touched.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_ONNX_TENSORS_H
#define STRATA_FRONTENDS_ONNX_TENSORS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/Error.h"

#include <string>

namespace onnx {
class TensorProto;
class TypeProto;
} // namespace onnx

namespace mlir::strata::onnx_import {

/// The MLIR element type of ONNX data type `dtype`: signed integers become
/// signless, unsigned ones `ui<N>`, BOOL `i1`. Unsupported types (strings,
/// complex, 8-bit floats) give an error naming the type.
llvm::Expected<Type> convertElementType(int32_t dtype, MLIRContext *context);

/// The ONNX name of `dtype` (FLOAT, INT64, ...) for diagnostics.
std::string dataTypeName(int32_t dtype);

/// The ranked tensor type of a graph input/output; `?` for symbolic or
/// missing dims. Unranked and non-tensor types are errors.
llvm::Expected<RankedTensorType> convertValueType(const onnx::TypeProto &type,
                                                  MLIRContext *context);

/// Converts a TensorProto into a dense attribute. `modelDir` is the directory
/// external data must stay inside; empty when the model came from stdin.
llvm::Expected<DenseElementsAttr> convertTensor(const onnx::TensorProto &tensor,
                                                llvm::StringRef modelDir,
                                                MLIRContext *context);

/// The real path of `location` inside `dir`, or an error when it is
/// absolute, has a `..` component or resolves (through symlinks) outside.
/// `what` names the file kind in messages ("external data", ...).
llvm::Expected<std::string> resolveInside(llvm::StringRef dir,
                                          llvm::StringRef location,
                                          llvm::StringRef what);

/// Reads a serialized TensorProto (the .pb files of ONNX's test data).
llvm::Expected<DenseElementsAttr> readTensorFile(llvm::StringRef path,
                                                 MLIRContext *context);

/// Reads a tensor given as strata-run's --input takes one: a literal
/// (`i64=16000`, `2x2xf32=1,2,3,4`), `@file.npy` or `@file.pb`; a bare path
/// is read as a file.
llvm::Expected<DenseElementsAttr> readTensorValue(llvm::StringRef text,
                                                  MLIRContext *context);

} // namespace mlir::strata::onnx_import

#endif // STRATA_FRONTENDS_ONNX_TENSORS_H
