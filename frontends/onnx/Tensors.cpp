//===- Tensors.cpp - ONNX tensors and types to MLIR -----------------------===//
//
// TensorProto decoding. Sizes come from an untrusted file, so the element
// count is computed with overflow checks and compared with the bytes that
// are really there before any conversion.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Tensors.h"

#include "dialects/Strata/IR/ShapeInference.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include "runtime/tensors/HostTensor.h"

#include "onnx/onnx_pb.h"

using llvm::Expected;
using llvm::StringRef;
using onnx::TensorProto;

namespace mlir::strata::onnx_import {

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string dataTypeName(int32_t dtype) {
  if (TensorProto::DataType_IsValid(dtype))
    return TensorProto::DataType_Name(
        static_cast<TensorProto::DataType>(dtype));
  return "data type " + std::to_string(dtype);
}

Expected<Type> convertElementType(int32_t dtype, MLIRContext *context) {
  Builder b(context);
  auto unsignedType = [&](unsigned width) {
    return IntegerType::get(context, width, IntegerType::Unsigned);
  };
  switch (dtype) {
  case TensorProto::FLOAT:
    return b.getF32Type();
  case TensorProto::DOUBLE:
    return b.getF64Type();
  case TensorProto::FLOAT16:
    return b.getF16Type();
  case TensorProto::BFLOAT16:
    return b.getBF16Type();
  case TensorProto::BOOL:
    return b.getI1Type();
  case TensorProto::INT8:
    return b.getIntegerType(8);
  case TensorProto::INT16:
    return b.getIntegerType(16);
  case TensorProto::INT32:
    return b.getIntegerType(32);
  case TensorProto::INT64:
    return b.getIntegerType(64);
  case TensorProto::UINT8:
    return unsignedType(8);
  case TensorProto::UINT16:
    return unsignedType(16);
  case TensorProto::UINT32:
    return unsignedType(32);
  case TensorProto::UINT64:
    return unsignedType(64);
  default:
    return error("element type " + dataTypeName(dtype) + " not supported");
  }
}

Expected<RankedTensorType> convertValueType(const onnx::TypeProto &type,
                                            MLIRContext *context) {
  if (!type.has_tensor_type())
    return error("only tensor values are supported; sequence, map and "
                 "optional values are not supported");
  const onnx::TypeProto::Tensor &tensor = type.tensor_type();
  Expected<Type> elementType = convertElementType(tensor.elem_type(), context);
  if (!elementType)
    return elementType.takeError();
  if (!tensor.has_shape())
    return error("tensors of unknown rank are not supported");
  shape::Shape dims;
  for (const onnx::TensorShapeProto::Dimension &dim : tensor.shape().dim()) {
    if (!dim.has_dim_value()) {
      dims.push_back(ShapedType::kDynamic);
      continue;
    }
    if (dim.dim_value() < 0)
      return error("dimension " + llvm::Twine(dim.dim_value()) +
                   " is negative");
    dims.push_back(dim.dim_value());
  }
  Expected<int64_t> count = shape::numElements(dims);
  if (!count)
    return count.takeError();
  return RankedTensorType::get(dims, *elementType);
}

/// Bytes per element in ONNX's raw_data layout (bool takes a byte).
static int64_t rawWidth(Type elementType) {
  return std::max<int64_t>(1, elementType.getIntOrFloatBitWidth() / 8);
}

Expected<std::string> resolveInside(StringRef dir, StringRef location,
                                    StringRef what) {
  if (llvm::sys::path::is_absolute(location))
    return error(what + " path '" + location +
                 "' is absolute; it must be relative to the model's directory");
  for (StringRef part : llvm::make_range(llvm::sys::path::begin(location),
                                         llvm::sys::path::end(location)))
    if (part == "..")
      return error(what + " path '" + location +
                   "' escapes the model's directory");
  llvm::SmallString<256> realDir, path;
  llvm::SmallString<256> joined(dir);
  llvm::sys::path::append(joined, location);
  if (std::error_code ec = llvm::sys::fs::real_path(dir, realDir))
    return error("cannot resolve the model directory '" + dir +
                 "': " + ec.message());
  if (std::error_code ec = llvm::sys::fs::real_path(joined, path))
    return error("cannot open " + what + " '" + location + "': " +
                 ec.message());
  // Inside means below the directory: a prefix ending at a separator.
  bool dirEndsInSeparator =
      !realDir.empty() && llvm::sys::path::is_separator(realDir.back());
  if (path.size() <= realDir.size() || !StringRef(path).starts_with(realDir) ||
      !(dirEndsInSeparator ||
        llvm::sys::path::is_separator(path[realDir.size()])))
    return error(what + " path '" + location +
                 "' resolves outside the model's directory");
  return std::string(path);
}

/// The bytes of an external tensor, confined to `modelDir`.
static Expected<std::unique_ptr<llvm::MemoryBuffer>>
readExternal(const TensorProto &tensor, StringRef modelDir, int64_t bytes) {
  StringRef location;
  uint64_t offset = 0;
  std::optional<uint64_t> length;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    uint64_t value;
    if (entry.key() == "location") {
      location = entry.value();
    } else if (entry.key() == "offset" || entry.key() == "length") {
      if (StringRef(entry.value()).getAsInteger(10, value))
        return error("external data " + entry.key() + " '" + entry.value() +
                     "' is not a non-negative integer");
      if (entry.key() == "offset")
        offset = value;
      else
        length = value;
    }
  }
  if (location.empty())
    return error("external data has no location");
  if (modelDir.empty())
    return error("external data '" + location +
                 "' needs the model to be read from a file, not stdin");
  Expected<std::string> resolved =
      resolveInside(modelDir, location, "external data");
  if (!resolved)
    return resolved.takeError();
  const std::string &path = *resolved;

  uint64_t size;
  if (std::error_code ec = llvm::sys::fs::file_size(path, size))
    return error("cannot read external data '" + location + "': " +
                 ec.message());
  if (offset > size)
    return error("external data offset " + llvm::Twine(offset) +
                 " is past the end of '" + location + "' (" +
                 llvm::Twine(size) + " bytes)");
  uint64_t available = size - offset;
  uint64_t want = length.value_or(available);
  if (want > available)
    return error("external data range [" + llvm::Twine(offset) + ", +" +
                 llvm::Twine(want) + ") runs past the end of '" + location +
                 "' (" + llvm::Twine(size) + " bytes)");
  if (want != static_cast<uint64_t>(bytes))
    return error("external data '" + location + "' holds " +
                 llvm::Twine(want) + " bytes, expected " + llvm::Twine(bytes));
  auto buffer = llvm::MemoryBuffer::getFileSlice(path, want, offset);
  if (!buffer)
    return error("cannot read external data '" + location + "': " +
                 buffer.getError().message());
  return std::move(*buffer);
}

/// Builds the attribute from little-endian raw bytes.
static DenseElementsAttr fromRaw(RankedTensorType type, StringRef raw) {
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> values;
    for (char c : raw)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  return DenseElementsAttr::getFromRawBuffer(type, ArrayRef(raw.data(),
                                                            raw.size()));
}

/// Builds the attribute from the typed repeated fields.
static Expected<DenseElementsAttr> fromTyped(const TensorProto &tensor,
                                             RankedTensorType type,
                                             int64_t count) {
  auto checkCount = [&](int64_t got) -> llvm::Error {
    if (got == count)
      return llvm::Error::success();
    return error("has " + llvm::Twine(got) + " values, expected " +
                 llvm::Twine(count) + " for shape " +
                 shape::format(type.getShape()));
  };
  Type element = type.getElementType();
  switch (tensor.data_type()) {
  case TensorProto::FLOAT:
    if (llvm::Error e = checkCount(tensor.float_data_size()))
      return std::move(e);
    return DenseElementsAttr::get(
        type, ArrayRef(tensor.float_data().data(), count));
  case TensorProto::DOUBLE:
    if (llvm::Error e = checkCount(tensor.double_data_size()))
      return std::move(e);
    return DenseElementsAttr::get(
        type, ArrayRef(tensor.double_data().data(), count));
  case TensorProto::INT64:
    if (llvm::Error e = checkCount(tensor.int64_data_size()))
      return std::move(e);
    return DenseElementsAttr::get(
        type, ArrayRef(tensor.int64_data().data(), count));
  case TensorProto::UINT32:
  case TensorProto::UINT64: {
    if (llvm::Error e = checkCount(tensor.uint64_data_size()))
      return std::move(e);
    unsigned width = element.getIntOrFloatBitWidth();
    SmallVector<APInt> values;
    for (uint64_t v : tensor.uint64_data())
      values.push_back(APInt(width, v, /*isSigned=*/false, /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, values);
  }
  case TensorProto::FLOAT16:
  case TensorProto::BFLOAT16: {
    if (llvm::Error e = checkCount(tensor.int32_data_size()))
      return std::move(e);
    const llvm::fltSemantics &semantics =
        cast<FloatType>(element).getFloatSemantics();
    SmallVector<APFloat> values;
    for (int32_t bits : tensor.int32_data())
      values.push_back(APFloat(semantics, APInt(16, bits & 0xffff)));
    return DenseElementsAttr::get(type, values);
  }
  case TensorProto::BOOL:
  case TensorProto::INT8:
  case TensorProto::INT16:
  case TensorProto::INT32:
  case TensorProto::UINT8:
  case TensorProto::UINT16: {
    if (llvm::Error e = checkCount(tensor.int32_data_size()))
      return std::move(e);
    unsigned width = element.getIntOrFloatBitWidth();
    SmallVector<APInt> values;
    for (int32_t v : tensor.int32_data())
      values.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, values);
  }
  default:
    return error("element type " + dataTypeName(tensor.data_type()) +
                 " not supported");
  }
}

Expected<DenseElementsAttr> convertTensor(const TensorProto &tensor,
                                          StringRef modelDir,
                                          MLIRContext *context) {
  shape::Shape dims;
  for (int64_t d : tensor.dims()) {
    if (d < 0)
      return error("dimension " + llvm::Twine(d) + " is negative");
    dims.push_back(d);
  }
  Expected<int64_t> count = shape::numElements(dims);
  if (!count)
    return count.takeError();
  Expected<Type> element = convertElementType(tensor.data_type(), context);
  if (!element)
    return element.takeError();
  auto type = RankedTensorType::get(dims, *element);
  std::optional<int64_t> bytes = llvm::checkedMul(*count, rawWidth(*element));
  if (!bytes)
    return error("byte size of shape " + shape::format(dims) +
                 " overflows int64");

  if (tensor.data_location() == TensorProto::EXTERNAL) {
    auto buffer = readExternal(tensor, modelDir, *bytes);
    if (!buffer)
      return buffer.takeError();
    return fromRaw(type, (*buffer)->getBuffer());
  }
  if (tensor.has_raw_data()) {
    if (static_cast<int64_t>(tensor.raw_data().size()) != *bytes)
      return error("has " + llvm::Twine(tensor.raw_data().size()) +
                   " bytes of raw data, expected " + llvm::Twine(*bytes) +
                   " for shape " + shape::format(dims) + " of " +
                   dataTypeName(tensor.data_type()));
    return fromRaw(type, tensor.raw_data());
  }
  return fromTyped(tensor, type, *count);
}

Expected<DenseElementsAttr> readTensorFile(StringRef path,
                                           MLIRContext *context) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return error("cannot read '" + path + "': " + buffer.getError().message());
  StringRef bytes = (*buffer)->getBuffer();
  TensorProto tensor;
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !tensor.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return error("'" + path + "' is not a serialized ONNX TensorProto");
  // External data in a bound tensor would be relative to an unknown model.
  auto value = convertTensor(tensor, /*modelDir=*/"", context);
  if (!value)
    return error("'" + path + "': " + llvm::toString(value.takeError()));
  return *value;
}

Expected<DenseElementsAttr> readTensorValue(StringRef text,
                                            MLIRContext *context) {
  // A bare path is the older NAME=FILE.pb form: a TensorProto unless it is
  // named .npy.
  std::string spec = text.str();
  bool barePath = !text.starts_with("@") && !text.contains('=');
  if ((barePath && !text.ends_with(".npy")) ||
      (text.starts_with("@") && text.ends_with(".pb")))
    return readTensorFile(text.starts_with("@") ? text.drop_front() : text,
                          context);
  if (barePath)
    spec = "@" + spec;
  ::strata::host::HostTensor tensor;
  std::string message;
  if (!::strata::host::readTensorArgument(spec, &tensor, &message))
    return error(message);
  Expected<Type> element =
      convertElementType(::strata::host::onnxDataType(tensor.dtype), context);
  if (!element)
    return element.takeError();
  auto type = RankedTensorType::get(tensor.shape, *element);
  return fromRaw(type,
                 StringRef(reinterpret_cast<const char *>(tensor.bytes.data()),
                           tensor.bytes.size()));
}

} // namespace mlir::strata::onnx_import
