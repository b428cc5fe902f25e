//===- Compare.cpp - outputs against reference tensors --------------------===//
//
// Compares an output with its reference element by element, with
// tolerances for floats, and reports the first mismatches and the largest
// errors.
//
//===----------------------------------------------------------------------===//

#include "runtime/tensors/HostTensor.h"

#include <cmath>
#include <cstdio>

namespace strata::host {

namespace {

constexpr int kMismatchesShown = 5;

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%g", value);
  return text;
}

/// "[1, 2]" for flat index `index` of `shape`.
std::string indexString(const std::vector<int64_t> &shape, uint64_t index) {
  std::vector<uint64_t> coordinates(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    coordinates[d] = index % static_cast<uint64_t>(shape[d]);
    index /= static_cast<uint64_t>(shape[d]);
  }
  std::string text = "[";
  for (size_t d = 0; d < coordinates.size(); ++d)
    text += (d ? ", " : "") + std::to_string(coordinates[d]);
  return text + "]";
}

/// The element as text, exact for 64-bit integers.
std::string elementString(const HostTensor &tensor, uint64_t index) {
  if (isFloat(tensor.dtype))
    return number(elementAsDouble(tensor, index));
  if (isSigned(tensor.dtype))
    return std::to_string(elementAsSigned(tensor, index));
  return std::to_string(elementAsUnsigned(tensor, index));
}

} // namespace

Comparison compare(const HostTensor &got, const HostTensor &expected,
                   double rtol, double atol) {
  Comparison result;
  if (got.dtype != expected.dtype || got.shape != expected.shape) {
    result.report = "the expected output is " +
                    typeString(expected.dtype, expected.shape) +
                    ", the output is " + typeString(got.dtype, got.shape);
    return result;
  }
  uint64_t count = 0;
  elementCount(got.shape, &count);
  bool floating = isFloat(got.dtype);
  uint64_t mismatches = 0;
  std::string details;
  for (uint64_t i = 0; i < count; ++i) {
    double g = elementAsDouble(got, i), e = elementAsDouble(expected, i);
    bool equal;
    if (floating) {
      double error = std::fabs(g - e);
      // NaN equals NaN; an infinity equals only itself (the tolerance
      // would grow to infinity with it).
      if (!std::isfinite(g) || !std::isfinite(e)) {
        equal = g == e || (std::isnan(g) && std::isnan(e));
        error = equal ? 0 : INFINITY;
      } else {
        equal = error <= atol + rtol * std::fabs(e);
      }
      result.maxAbsError = std::fmax(result.maxAbsError, error);
      if (e != 0 && !std::isnan(error))
        result.maxRelError =
            std::fmax(result.maxRelError, error / std::fabs(e));
    } else {
      equal = isSigned(got.dtype)
                  ? elementAsSigned(got, i) == elementAsSigned(expected, i)
                  : elementAsUnsigned(got, i) == elementAsUnsigned(expected, i);
      double error = std::fabs(g - e);
      result.maxAbsError = std::fmax(result.maxAbsError, error);
      if (e != 0)
        result.maxRelError =
            std::fmax(result.maxRelError, error / std::fabs(e));
    }
    if (equal)
      continue;
    if (mismatches++ < kMismatchesShown)
      details += "\n  " + indexString(got.shape, i) + ": got " +
                 elementString(got, i) + ", expected " +
                 elementString(expected, i);
  }
  if (mismatches == 0) {
    result.ok = true;
    return result;
  }
  result.report =
      std::to_string(mismatches) + " of " + std::to_string(count) +
      " elements differ (max abs err " + number(result.maxAbsError) +
      ", max rel err " + number(result.maxRelError) +
      (floating ? ", atol " + number(atol) + ", rtol " + number(rtol)
                : std::string(", exact comparison")) +
      ")" + details;
  if (mismatches > kMismatchesShown)
    result.report += "\n  ...";
  return result;
}

} // namespace strata::host
