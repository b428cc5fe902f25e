//===- HostTensor.cpp - element access and half-precision conversion ------===//
//
// Element counts and access for host tensors, and f16/bf16 conversions
// for printing and comparing.
//
//===----------------------------------------------------------------------===//

#include "runtime/tensors/HostTensor.h"

#include <cmath>
#include <cstring>

namespace strata::host {

bool elementCount(const std::vector<int64_t> &shape, uint64_t *count) {
  uint64_t total = 1;
  for (int64_t dim : shape)
    if (dim < 0 ||
        __builtin_mul_overflow(total, static_cast<uint64_t>(dim), &total))
      return false;
  *count = total;
  return true;
}

std::string shapeString(const std::vector<int64_t> &shape) {
  std::string text;
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? "x" : "") + std::to_string(shape[i]);
  return text;
}

std::string typeString(strata_dtype_t dtype,
                       const std::vector<int64_t> &shape) {
  std::string dims = shapeString(shape);
  return (dims.empty() ? "" : dims + "x") + strata_dtype_name(dtype);
}

bool isFloat(strata_dtype_t dtype) {
  return dtype == STRATA_DTYPE_F16 || dtype == STRATA_DTYPE_BF16 ||
         dtype == STRATA_DTYPE_F32 || dtype == STRATA_DTYPE_F64;
}

bool isSigned(strata_dtype_t dtype) {
  return dtype == STRATA_DTYPE_I8 || dtype == STRATA_DTYPE_I16 ||
         dtype == STRATA_DTYPE_I32 || dtype == STRATA_DTYPE_I64 ||
         dtype == STRATA_DTYPE_I1;
}

namespace {
template <typename T> T load(const HostTensor &tensor, uint64_t index) {
  T value;
  std::memcpy(&value, tensor.bytes.data() + index * sizeof(T), sizeof(T));
  return value;
}
} // namespace

double elementAsDouble(const HostTensor &tensor, uint64_t index) {
  switch (tensor.dtype) {
  case STRATA_DTYPE_F16:
    return halfToFloat(load<uint16_t>(tensor, index));
  case STRATA_DTYPE_BF16:
    return bf16ToFloat(load<uint16_t>(tensor, index));
  case STRATA_DTYPE_F32:
    return load<float>(tensor, index);
  case STRATA_DTYPE_F64:
    return load<double>(tensor, index);
  default:
    return isSigned(tensor.dtype)
               ? static_cast<double>(elementAsSigned(tensor, index))
               : static_cast<double>(elementAsUnsigned(tensor, index));
  }
}

int64_t elementAsSigned(const HostTensor &tensor, uint64_t index) {
  switch (tensor.dtype) {
  case STRATA_DTYPE_I1:
  case STRATA_DTYPE_I8:
    return load<int8_t>(tensor, index);
  case STRATA_DTYPE_I16:
    return load<int16_t>(tensor, index);
  case STRATA_DTYPE_I32:
    return load<int32_t>(tensor, index);
  case STRATA_DTYPE_I64:
    return load<int64_t>(tensor, index);
  default:
    return static_cast<int64_t>(elementAsUnsigned(tensor, index));
  }
}

uint64_t elementAsUnsigned(const HostTensor &tensor, uint64_t index) {
  switch (tensor.dtype) {
  case STRATA_DTYPE_U8:
    return load<uint8_t>(tensor, index);
  case STRATA_DTYPE_U16:
    return load<uint16_t>(tensor, index);
  case STRATA_DTYPE_U32:
    return load<uint32_t>(tensor, index);
  case STRATA_DTYPE_U64:
    return load<uint64_t>(tensor, index);
  default:
    return static_cast<uint64_t>(elementAsSigned(tensor, index));
  }
}

float halfToFloat(uint16_t bits) {
  uint32_t sign = static_cast<uint32_t>(bits & 0x8000) << 16;
  uint32_t exponent = (bits >> 10) & 0x1f;
  uint32_t mantissa = bits & 0x3ff;
  if (exponent == 0) {
    float value = std::ldexp(static_cast<float>(mantissa), -24);
    return sign ? -value : value;
  }
  uint32_t result = exponent == 31
                        ? sign | 0x7f800000 | (mantissa << 13)
                        : sign | ((exponent + 112) << 23) | (mantissa << 13);
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

uint16_t floatToHalf(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t magnitude = bits & 0x7fffffff;
  if (magnitude > 0x7f800000) // NaN stays a (quiet) NaN
    return sign | 0x7e00;
  if (magnitude >= 0x477ff000) // rounds to or beyond infinity (65520)
    return sign | 0x7c00;
  if (magnitude < 0x38800000) // below 2^-14: subnormal or zero
    return sign | static_cast<uint16_t>(
                      std::nearbyint(std::ldexp(std::fabs(value), 24)));
  uint32_t half =
      ((((magnitude >> 23) - 112) << 10) | ((magnitude & 0x7fffff) >> 13));
  uint32_t rest = magnitude & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1)))
    ++half; // a carry into the exponent is the right rounding too
  return sign | static_cast<uint16_t>(half);
}

float bf16ToFloat(uint16_t bits) {
  uint32_t result = static_cast<uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &result, sizeof(value));
  return value;
}

uint16_t floatToBf16(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x40);
  bits += 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>(bits >> 16);
}

} // namespace strata::host
