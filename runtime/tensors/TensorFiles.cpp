//===- TensorFiles.cpp - .npy and ONNX TensorProto files ------------------===//
//
// numpy's .npy (https://numpy.org/doc/stable/reference/generated/
// numpy.lib.format.html) read and written by hand, and ONNX TensorProto
// read with Debian's onnx_proto. Files come from users, so every length is
// checked before it is trusted.
//
//===----------------------------------------------------------------------===//

#include "runtime/tensors/HostTensor.h"

#include "onnx/onnx_pb.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

namespace strata::host {

namespace {

constexpr char kNpyMagic[] = "\x93NUMPY";
constexpr size_t kNpyMagicSize = 6;

/// numpy `descr` codes of the dtypes strata-run handles.
constexpr std::pair<const char *, strata_dtype_t> kNpyCodes[] = {
    {"<f2", STRATA_DTYPE_F16}, {"<f4", STRATA_DTYPE_F32},
    {"<f8", STRATA_DTYPE_F64}, {"|b1", STRATA_DTYPE_I1},
    {"|i1", STRATA_DTYPE_I8},  {"<i2", STRATA_DTYPE_I16},
    {"<i4", STRATA_DTYPE_I32}, {"<i8", STRATA_DTYPE_I64},
    {"|u1", STRATA_DTYPE_U8},  {"<u2", STRATA_DTYPE_U16},
    {"<u4", STRATA_DTYPE_U32}, {"<u8", STRATA_DTYPE_U64}};

bool readFile(const std::string &path, std::string *data, std::string *error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::ostringstream stream;
  stream << file.rdbuf();
  if (file.bad()) {
    *error = "cannot read '" + path + "'";
    return false;
  }
  *data = stream.str();
  return true;
}

/// A reader of the Python dict literal in a .npy header, e.g.
///   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class NpyHeader {
public:
  explicit NpyHeader(const std::string &text) : text(text) {}

  /// Reads the three keys; the message names what is malformed.
  bool parse(std::string *descr, bool *fortranOrder,
             std::vector<int64_t> *shape, std::string *error) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    if (!consume('{'))
      return fail("expected '{'", error);
    while (!consume('}')) {
      std::string key;
      if (!readString(&key) || !consume(':'))
        return fail("expected 'key':", error);
      if (key == "descr") {
        haveDescr = readString(descr);
        if (!haveDescr)
          return fail("'descr' is not a string", error);
      } else if (key == "fortran_order") {
        *fortranOrder = readWord("True");
        haveOrder = *fortranOrder || readWord("False");
        if (!haveOrder)
          return fail("'fortran_order' is not True or False", error);
      } else if (key == "shape") {
        haveShape = readShape(shape);
        if (!haveShape)
          return fail("'shape' is not a tuple of non-negative integers", error);
      } else {
        return fail("unknown key '" + key + "'", error);
      }
      if (!consume(',') && !peek('}'))
        return fail("expected ',' or '}'", error);
    }
    if (!haveDescr || !haveOrder || !haveShape)
      return fail("needs 'descr', 'fortran_order' and 'shape'", error);
    return true;
  }

private:
  bool fail(const std::string &message, std::string *error) {
    *error = "malformed header: " + message;
    return false;
  }

  void skipSpaces() {
    while (position < text.size() && text[position] == ' ')
      ++position;
  }

  bool peek(char c) {
    skipSpaces();
    return position < text.size() && text[position] == c;
  }

  bool consume(char c) {
    if (!peek(c))
      return false;
    ++position;
    return true;
  }

  bool readWord(const char *word) {
    skipSpaces();
    size_t length = std::strlen(word);
    if (text.compare(position, length, word) != 0)
      return false;
    position += length;
    return true;
  }

  bool readString(std::string *out) {
    skipSpaces();
    if (position >= text.size() ||
        (text[position] != '\'' && text[position] != '"'))
      return false;
    char quote = text[position++];
    size_t end = text.find(quote, position);
    if (end == std::string::npos)
      return false;
    *out = text.substr(position, end - position);
    position = end + 1;
    return true;
  }

  bool readShape(std::vector<int64_t> *shape) {
    shape->clear();
    if (!consume('('))
      return false;
    while (!consume(')')) {
      skipSpaces();
      size_t start = position;
      while (position < text.size() && text[position] >= '0' &&
             text[position] <= '9')
        ++position;
      if (start == position || position - start > 18)
        return false;
      shape->push_back(std::stoll(text.substr(start, position - start)));
      if (!consume(',') && !peek(')'))
        return false;
    }
    return true;
  }

  const std::string &text;
  size_t position = 0;
};

/// The element count of `out`'s shape, which must fit in memory.
bool countElements(const HostTensor &tensor, uint64_t *count,
                   std::string *error) {
  if (!elementCount(tensor.shape, count) ||
      *count > std::numeric_limits<size_t>::max() /
                   strata_dtype_size(tensor.dtype)) {
    *error = typeString(tensor.dtype, tensor.shape) + " is too large";
    return false;
  }
  return true;
}

/// Sets `out`'s data to the `size` bytes at `data` (from `what`), which
/// must be exactly what its shape and dtype need.
bool setData(HostTensor *out, const void *data, size_t size,
             const std::string &what, std::string *error) {
  uint64_t count;
  if (!countElements(*out, &count, error))
    return false;
  uint64_t needed = count * strata_dtype_size(out->dtype);
  if (size != needed) {
    *error = std::string(size < needed ? "truncated data" : "size mismatch") +
             ": " + typeString(out->dtype, out->shape) + " needs " +
             std::to_string(needed) + " bytes, " + what + " has " +
             std::to_string(size);
    return false;
  }
  const auto *bytes = static_cast<const uint8_t *>(data);
  out->bytes.assign(bytes, bytes + size);
  return true;
}

/// Checks that a TensorProto typed field has one entry per element.
bool checkFieldCount(const HostTensor &tensor, int entries, const char *field,
                     std::string *error) {
  uint64_t count;
  if (!countElements(tensor, &count, error))
    return false;
  if (count == static_cast<uint64_t>(entries))
    return true;
  *error = typeString(tensor.dtype, tensor.shape) + " needs " +
           std::to_string(count) + " values, " + field + " has " +
           std::to_string(entries);
  return false;
}

bool parseNpy(const std::string &data, HostTensor *out, std::string *error) {
  if (data.size() < kNpyMagicSize + 2 ||
      data.compare(0, kNpyMagicSize, kNpyMagic, kNpyMagicSize) != 0) {
    *error = "not a .npy file (bad magic)";
    return false;
  }
  unsigned major = static_cast<uint8_t>(data[6]);
  unsigned minor = static_cast<uint8_t>(data[7]);
  if (major < 1 || major > 3 || minor != 0) {
    *error = "unsupported .npy version " + std::to_string(major) + "." +
             std::to_string(minor);
    return false;
  }
  size_t lengthSize = major == 1 ? 2 : 4;
  size_t prefix = kNpyMagicSize + 2 + lengthSize;
  if (data.size() < prefix) {
    *error = "truncated header";
    return false;
  }
  uint64_t headerLength = 0;
  for (size_t i = 0; i < lengthSize; ++i)
    headerLength |= uint64_t(static_cast<uint8_t>(data[8 + i])) << (8 * i);
  if (headerLength > data.size() - prefix) {
    *error = "truncated header: it says " + std::to_string(headerLength) +
             " bytes, the file has " + std::to_string(data.size() - prefix) +
             " after the preamble";
    return false;
  }
  std::string headerText = data.substr(prefix, headerLength);
  std::string descr;
  bool fortranOrder = false;
  if (!NpyHeader(headerText).parse(&descr, &fortranOrder, &out->shape, error))
    return false;
  bool known = false;
  for (const auto &[code, dtype] : kNpyCodes)
    if (descr == code) {
      out->dtype = dtype;
      known = true;
    }
  if (!known) {
    *error = "unsupported dtype '" + descr + "'" +
             (!descr.empty() && descr[0] == '>'
                  ? " (big-endian data is not supported)"
                  : "");
    return false;
  }
  if (fortranOrder) {
    *error = "Fortran-order arrays are not supported";
    return false;
  }
  size_t start = prefix + headerLength;
  return setData(out, data.data() + start, data.size() - start,
                 "the file after its header", error);
}

/// The strata dtype of each TensorProto data type.
constexpr std::pair<int, strata_dtype_t> kProtoTypes[] = {
    {onnx::TensorProto::FLOAT, STRATA_DTYPE_F32},
    {onnx::TensorProto::UINT8, STRATA_DTYPE_U8},
    {onnx::TensorProto::INT8, STRATA_DTYPE_I8},
    {onnx::TensorProto::UINT16, STRATA_DTYPE_U16},
    {onnx::TensorProto::INT16, STRATA_DTYPE_I16},
    {onnx::TensorProto::INT32, STRATA_DTYPE_I32},
    {onnx::TensorProto::INT64, STRATA_DTYPE_I64},
    {onnx::TensorProto::BOOL, STRATA_DTYPE_I1},
    {onnx::TensorProto::FLOAT16, STRATA_DTYPE_F16},
    {onnx::TensorProto::DOUBLE, STRATA_DTYPE_F64},
    {onnx::TensorProto::UINT32, STRATA_DTYPE_U32},
    {onnx::TensorProto::UINT64, STRATA_DTYPE_U64},
    {onnx::TensorProto::BFLOAT16, STRATA_DTYPE_BF16}};

/// The tensor's strata dtype.
bool protoDtype(int dataType, strata_dtype_t *dtype) {
  for (const auto &[type, strataType] : kProtoTypes)
    if (type == dataType) {
      *dtype = strataType;
      return true;
    }
  return false;
}

/// Narrows int32_data entries (which hold every type of 16 bits or less)
/// to the tensor's element size.
bool narrowInt32Data(const onnx::TensorProto &proto, HostTensor *out,
                     std::string *error) {
  if (!checkFieldCount(*out, proto.int32_data_size(), "int32_data", error))
    return false;
  size_t size = strata_dtype_size(out->dtype);
  out->bytes.assign(proto.int32_data_size() * size, 0);
  for (int i = 0; i < proto.int32_data_size(); ++i) {
    int32_t value = proto.int32_data(i);
    std::memcpy(out->bytes.data() + i * size, &value, size); // little-endian
  }
  return true;
}

/// Copies a typed field whose entries have the tensor's element type.
template <typename Field>
bool copyField(const Field &field, const char *name, HostTensor *out,
               std::string *error) {
  return checkFieldCount(*out, field.size(), name, error) &&
         setData(out, field.data(), field.size() * sizeof(field.Get(0)), name,
                 error);
}

bool parseTensorProto(const std::string &data, HostTensor *out,
                      std::string *error) {
  onnx::TensorProto proto;
  if (!proto.ParseFromString(data) ||
      !proto.GetReflection()->GetUnknownFields(proto).empty()) {
    *error = "not a valid ONNX TensorProto";
    return false;
  }
  if (!protoDtype(proto.data_type(), &out->dtype)) {
    *error =
        "unsupported data_type " +
        (onnx::TensorProto::DataType_IsValid(proto.data_type())
             ? onnx::TensorProto::DataType_Name(
                   static_cast<onnx::TensorProto::DataType>(proto.data_type()))
             : std::to_string(proto.data_type()));
    return false;
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL ||
      proto.external_data_size() > 0) {
    *error = "external data is not supported";
    return false;
  }
  if (proto.has_segment()) {
    *error = "segmented tensors are not supported";
    return false;
  }
  out->shape.assign(proto.dims().begin(), proto.dims().end());
  for (size_t d = 0; d < out->shape.size(); ++d)
    if (out->shape[d] < 0) {
      *error =
          "dim " + std::to_string(d) + " is " + std::to_string(out->shape[d]);
      return false;
    }
  if (proto.has_raw_data())
    return setData(out, proto.raw_data().data(), proto.raw_data().size(),
                   "raw_data", error);
  switch (out->dtype) {
  case STRATA_DTYPE_F32:
    return copyField(proto.float_data(), "float_data", out, error);
  case STRATA_DTYPE_F64:
    return copyField(proto.double_data(), "double_data", out, error);
  case STRATA_DTYPE_I64:
    return copyField(proto.int64_data(), "int64_data", out, error);
  case STRATA_DTYPE_U64:
    return copyField(proto.uint64_data(), "uint64_data", out, error);
  case STRATA_DTYPE_U32: {
    if (!checkFieldCount(*out, proto.uint64_data_size(), "uint64_data", error))
      return false;
    std::vector<uint32_t> values(proto.uint64_data().begin(),
                                 proto.uint64_data().end());
    return setData(out, values.data(), values.size() * sizeof(uint32_t),
                   "uint64_data", error);
  }
  default:
    return narrowInt32Data(proto, out, error);
  }
}

} // namespace

bool readNpy(const std::string &path, HostTensor *out, std::string *error) {
  std::string data;
  if (!readFile(path, &data, error))
    return false;
  if (parseNpy(data, out, error))
    return true;
  *error = path + ": " + *error;
  return false;
}

bool readTensorProto(const std::string &path, HostTensor *out,
                     std::string *error) {
  std::string data;
  if (!readFile(path, &data, error))
    return false;
  if (parseTensorProto(data, out, error))
    return true;
  *error = path + ": " + *error;
  return false;
}

bool encodeNpy(const HostTensor &tensor, std::vector<uint8_t> *out,
               std::string *error) {
  const char *descr = nullptr;
  for (const auto &[code, dtype] : kNpyCodes)
    if (dtype == tensor.dtype)
      descr = code;
  if (!descr) {
    *error = std::string("numpy has no dtype for ") +
             strata_dtype_name(tensor.dtype);
    return false;
  }
  std::string shape = "(";
  for (int64_t dim : tensor.shape)
    shape += std::to_string(dim) + (tensor.shape.size() == 1 ? "," : ", ");
  if (tensor.shape.size() > 1)
    shape.resize(shape.size() - 2);
  shape += ")";
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // numpy pads the header with spaces to a multiple of 64 bytes, ending in
  // a newline.
  size_t total = kNpyMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  out->assign(kNpyMagic, kNpyMagic + kNpyMagicSize);
  out->push_back(1);
  out->push_back(0);
  out->push_back(static_cast<uint8_t>(header.size() & 0xff));
  out->push_back(static_cast<uint8_t>(header.size() >> 8));
  out->insert(out->end(), header.begin(), header.end());
  out->insert(out->end(), tensor.bytes.begin(), tensor.bytes.end());
  return true;
}

bool encodeTensorProto(const HostTensor &tensor, std::vector<uint8_t> *out,
                       std::string *error) {
  int type = onnxDataType(tensor.dtype);
  if (type == onnx::TensorProto::UNDEFINED) {
    *error = std::string("ONNX has no data type for ") +
             strata_dtype_name(tensor.dtype);
    return false;
  }
  onnx::TensorProto proto;
  proto.set_data_type(type);
  for (int64_t dim : tensor.shape)
    proto.add_dims(dim);
  proto.set_raw_data(tensor.bytes.data(), tensor.bytes.size());
  std::string data = proto.SerializeAsString();
  out->assign(data.begin(), data.end());
  return true;
}

int onnxDataType(strata_dtype_t dtype) {
  for (const auto &[type, strataType] : kProtoTypes)
    if (strataType == dtype)
      return type;
  return onnx::TensorProto::UNDEFINED;
}

bool readTensorArgument(const std::string &text, HostTensor *out,
                        std::string *error) {
  if (text.empty() || text[0] != '@')
    return parseLiteral(text, out, error);
  std::string path = text.substr(1);
  auto endsWith = [&](const char *suffix) {
    size_t length = std::strlen(suffix);
    return path.size() >= length &&
           path.compare(path.size() - length, length, suffix) == 0;
  };
  if (endsWith(".npy"))
    return readNpy(path, out, error);
  if (endsWith(".pb"))
    return readTensorProto(path, out, error);
  *error = "'" + path + "': unknown file type; expected a .npy or .pb file";
  return false;
}

} // namespace strata::host
