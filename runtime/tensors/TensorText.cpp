//===- TensorText.cpp - IREE-style tensor literals ------------------------===//
//
// "2x3xf32=1,2,3,4,5,6" on the command line and "2x3xf32=[[1 2 3][4 5 6]]"
// when printing, as iree-run-module spells them.
//
//===----------------------------------------------------------------------===//

#include "runtime/tensors/HostTensor.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace strata::host {

namespace {

std::string trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos)
    return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::vector<std::string> split(const std::string &text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos)
      return parts;
    start = end + 1;
  }
}

template <typename T>
void store(std::vector<uint8_t> &bytes, uint64_t index, T value) {
  std::memcpy(bytes.data() + index * sizeof(T), &value, sizeof(T));
}

/// Parses `token` as one element of `dtype` into element `index` of `bytes`;
/// the returned message says what is wrong with it ("" if nothing).
std::string parseElement(const std::string &token, strata_dtype_t dtype,
                         std::vector<uint8_t> &bytes, uint64_t index) {
  const char *name = strata_dtype_name(dtype);
  const char *begin = token.c_str();
  char *end = nullptr;
  errno = 0;
  if (dtype == STRATA_DTYPE_I1) {
    if (token != "0" && token != "1" && token != "true" && token != "false")
      return "is not a valid i1 (0, 1, true or false)";
    store<uint8_t>(bytes, index, token == "1" || token == "true");
    return "";
  }
  if (isFloat(dtype)) {
    double value = std::strtod(begin, &end);
    if (token.empty() || *end != '\0')
      return std::string("is not a valid ") + name;
    // "inf" is a value; a finite number too large for the dtype is not.
    bool overflowed = errno == ERANGE && std::isinf(value);
    if (dtype != STRATA_DTYPE_F64 && std::isfinite(value) &&
        std::fabs(value) > std::numeric_limits<float>::max())
      overflowed = true;
    if (overflowed)
      return std::string("is out of range for ") + name;
    double stored;
    switch (dtype) {
    case STRATA_DTYPE_F16: {
      uint16_t bits = floatToHalf(static_cast<float>(value));
      store<uint16_t>(bytes, index, bits);
      stored = halfToFloat(bits);
      break;
    }
    case STRATA_DTYPE_BF16: {
      uint16_t bits = floatToBf16(static_cast<float>(value));
      store<uint16_t>(bytes, index, bits);
      stored = bf16ToFloat(bits);
      break;
    }
    case STRATA_DTYPE_F32:
      store<float>(bytes, index, static_cast<float>(value));
      stored = static_cast<float>(value);
      break;
    default:
      store<double>(bytes, index, value);
      stored = value;
      break;
    }
    if (std::isinf(stored) && std::isfinite(value))
      return std::string("is out of range for ") + name;
    return "";
  }
  if (isSigned(dtype)) {
    long long value = std::strtoll(begin, &end, 10);
    if (token.empty() || *end != '\0')
      return std::string("is not a valid ") + name;
    size_t size = strata_dtype_size(dtype);
    long long max = size == 8 ? std::numeric_limits<long long>::max()
                              : (1ll << (8 * size - 1)) - 1;
    if (errno == ERANGE || value > max || value < -max - 1)
      return std::string("is out of range for ") + name;
    switch (size) {
    case 1:
      store<int8_t>(bytes, index, static_cast<int8_t>(value));
      break;
    case 2:
      store<int16_t>(bytes, index, static_cast<int16_t>(value));
      break;
    case 4:
      store<int32_t>(bytes, index, static_cast<int32_t>(value));
      break;
    default:
      store<int64_t>(bytes, index, value);
    }
    return "";
  }
  unsigned long long value = std::strtoull(begin, &end, 10);
  if (token.empty() || *end != '\0' || token[0] == '-' || token[0] == '+')
    return std::string("is not a valid ") + name;
  size_t size = strata_dtype_size(dtype);
  unsigned long long max = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
  if (errno == ERANGE || value > max)
    return std::string("is out of range for ") + name;
  switch (size) {
  case 1:
    store<uint8_t>(bytes, index, static_cast<uint8_t>(value));
    break;
  case 2:
    store<uint16_t>(bytes, index, static_cast<uint16_t>(value));
    break;
  case 4:
    store<uint32_t>(bytes, index, static_cast<uint32_t>(value));
    break;
  default:
    store<uint64_t>(bytes, index, value);
  }
  return "";
}

std::string formatElement(const HostTensor &tensor, uint64_t index) {
  if (isFloat(tensor.dtype)) {
    double value = elementAsDouble(tensor, index);
    if (std::isnan(value))
      return "nan";
    char text[32];
    std::snprintf(text, sizeof(text), "%g", value);
    return text;
  }
  if (isSigned(tensor.dtype))
    return std::to_string(elementAsSigned(tensor, index));
  return std::to_string(elementAsUnsigned(tensor, index));
}

/// Appends dims `dim...` of the elements from `*index` on, in brackets.
void formatDims(const HostTensor &tensor, size_t dim, uint64_t *index,
                std::string *out) {
  *out += '[';
  for (int64_t i = 0; i < tensor.shape[dim]; ++i) {
    if (dim + 1 < tensor.shape.size()) {
      formatDims(tensor, dim + 1, index, out);
      continue;
    }
    if (i)
      *out += ' ';
    *out += formatElement(tensor, (*index)++);
  }
  *out += ']';
}

} // namespace

bool parseLiteral(const std::string &text, HostTensor *out,
                  std::string *error) {
  size_t equals = text.find('=');
  if (equals == std::string::npos) {
    *error = "'" + text +
             "' is not a tensor: expected SHAPExDTYPE=VALUES (e.g. "
             "2x3xf32=1,2,3,4,5,6 or f32=1), @FILE.npy or @FILE.pb";
    return false;
  }
  std::vector<std::string> typeParts = split(text.substr(0, equals), 'x');
  const std::string &dtypeName = typeParts.back();
  strata_status_t status =
      strata_dtype_from_name(dtypeName.c_str(), &out->dtype);
  if (status) {
    *error =
        "'" + text.substr(0, equals) + "': " + strata_status_message(status);
    strata_status_free(status);
    return false;
  }
  out->shape.clear();
  for (size_t i = 0; i + 1 < typeParts.size(); ++i) {
    const std::string &dim = typeParts[i];
    char *end = nullptr;
    errno = 0;
    long long value = std::strtoll(dim.c_str(), &end, 10);
    if (dim.empty() || *end != '\0' || dim[0] == '-' || dim[0] == '+' ||
        errno == ERANGE) {
      *error = "'" + text.substr(0, equals) + "': dim " + std::to_string(i) +
               " ('" + dim + "') is not a non-negative integer";
      return false;
    }
    out->shape.push_back(value);
  }
  uint64_t count;
  size_t elementSize = strata_dtype_size(out->dtype);
  if (!elementCount(out->shape, &count) ||
      count > std::numeric_limits<size_t>::max() / elementSize) {
    *error = "'" + text.substr(0, equals) + "': too many elements";
    return false;
  }
  std::string values = trim(text.substr(equals + 1));
  std::vector<std::string> tokens;
  if (!values.empty())
    tokens = split(values, ',');
  std::string type = typeString(out->dtype, out->shape);
  if (tokens.size() != count) {
    *error = type + " needs " + std::to_string(count) + " value" +
             (count == 1 ? "" : "s") + ", got " + std::to_string(tokens.size());
    return false;
  }
  out->bytes.assign(count * elementSize, 0);
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string token = trim(tokens[i]);
    std::string problem = parseElement(token, out->dtype, out->bytes, i);
    if (!problem.empty()) {
      *error = type + ": value " + std::to_string(i) + " ('" + token + "') " +
               problem;
      return false;
    }
  }
  return true;
}

std::string formatLiteral(const HostTensor &tensor) {
  std::string text = typeString(tensor.dtype, tensor.shape) + "=";
  if (tensor.shape.empty())
    return text + formatElement(tensor, 0);
  uint64_t index = 0;
  formatDims(tensor, 0, &index, &text);
  return text;
}

} // namespace strata::host
