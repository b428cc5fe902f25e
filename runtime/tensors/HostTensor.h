//===- HostTensor.h - tensors in host memory and their formats --*- C++ -*-===//
//
// A dense row-major tensor in host memory, and the ways the tools read and
// write one: IREE-style literals (2x3xf32=1,2,3,4,5,6), numpy .npy files,
// ONNX TensorProto .pb files, and comparison against a reference. strata-run
// reads its inputs this way and strata-compile its --bind-input values, so
// both take the same forms. Every function reports a failure as a one-line
// message. Nothing here links MLIR or LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_TENSORS_HOSTTENSOR_H
#define STRATA_RUNTIME_TENSORS_HOSTTENSOR_H

#include "strata/runtime.h"

#include <cstdint>
#include <string>
#include <vector>

namespace strata::host {

struct HostTensor {
  strata_dtype_t dtype = STRATA_DTYPE_F32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
};

//===----------------------------------------------------------------------===//
// Elements
//===----------------------------------------------------------------------===//

/// The product of `shape`'s dims; false on a negative dim or overflow.
bool elementCount(const std::vector<int64_t> &shape, uint64_t *count);

/// "2x3" ("" for a scalar) and "2x3xf32" ("f32" for a scalar).
std::string shapeString(const std::vector<int64_t> &shape);
std::string typeString(strata_dtype_t dtype, const std::vector<int64_t> &shape);

bool isFloat(strata_dtype_t dtype);
bool isSigned(strata_dtype_t dtype);

/// Element `index` as a double (any dtype), as int64_t (signed and i1) or
/// uint64_t (unsigned).
double elementAsDouble(const HostTensor &tensor, uint64_t index);
int64_t elementAsSigned(const HostTensor &tensor, uint64_t index);
uint64_t elementAsUnsigned(const HostTensor &tensor, uint64_t index);

/// f16 and bf16 bits to float and back (round to nearest even).
float halfToFloat(uint16_t bits);
uint16_t floatToHalf(float value);
float bf16ToFloat(uint16_t bits);
uint16_t floatToBf16(float value);

//===----------------------------------------------------------------------===//
// Formats
//===----------------------------------------------------------------------===//

/// Parses "2x3xf32=1,2,3,4,5,6" ("f32=1" for a scalar): exactly one value
/// per element.
bool parseLiteral(const std::string &text, HostTensor *out, std::string *error);

/// "2x3xf32=[[1 2 3][4 5 6]]" ("f32=1" for a scalar).
std::string formatLiteral(const HostTensor &tensor);

/// Reads a .npy file (v1 to v3, little-endian, C order).
bool readNpy(const std::string &path, HostTensor *out, std::string *error);

/// The .npy (v1) encoding of `tensor`; false for bf16, which numpy lacks.
bool encodeNpy(const HostTensor &tensor, std::vector<uint8_t> *out,
               std::string *error);

/// The serialized ONNX TensorProto of `tensor` (raw_data): the file form
/// for dtypes numpy lacks (bf16). False for a dtype ONNX lacks.
bool encodeTensorProto(const HostTensor &tensor, std::vector<uint8_t> *out,
                       std::string *error);

/// Reads a serialized ONNX TensorProto (raw_data or typed fields).
bool readTensorProto(const std::string &path, HostTensor *out,
                     std::string *error);

/// The ONNX TensorProto data type of `dtype` (0, UNDEFINED, if none).
int onnxDataType(strata_dtype_t dtype);

/// Reads `@file.npy`, `@file.pb` or a literal.
bool readTensorArgument(const std::string &text, HostTensor *out,
                        std::string *error);

//===----------------------------------------------------------------------===//
// Comparison
//===----------------------------------------------------------------------===//

struct Comparison {
  bool ok = false;
  double maxAbsError = 0, maxRelError = 0;
  /// On failure: one line saying what differs, then a few indented lines
  /// with mismatching elements.
  std::string report;
};

/// Compares `got` with `expected`: same dtype and shape; floats pass where
/// |got - expected| <= atol + rtol * |expected| (NaN equals NaN), integers
/// and bools must be equal.
Comparison compare(const HostTensor &got, const HostTensor &expected,
                   double rtol, double atol);

} // namespace strata::host

#endif // STRATA_RUNTIME_TENSORS_HOSTTENSOR_H
