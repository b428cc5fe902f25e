//===- Status.h - building strata_status_t values ---------------*- C++ -*-===//
//
// The runtime's internal functions return strata_status_t like the C API
// (nullptr = ok), so errors pass through unchanged; these helpers make and
// extend them. guard() turns C++ exceptions at an API entry point into a
// status, so none crosses into C.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SRC_STATUS_H
#define STRATA_RUNTIME_SRC_STATUS_H

#include "strata/runtime.h"

#include <exception>
#include <new>
#include <string>

struct strata_status_s {
  strata_status_code_t code;
  std::string message;
};

namespace strata::runtime {

/// A new error status. Never fails: out of memory yields a static status.
strata_status_t makeStatus(strata_status_code_t code,
                           const std::string &message);

/// `status` with `prefix` put in front of its message (nullptr stays
/// nullptr).
strata_status_t prefixStatus(strata_status_t status, const std::string &prefix);

/// Runs `body` (returning strata_status_t) and turns an exception that
/// escapes it into a status.
template <typename Body> strata_status_t guard(Body &&body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return makeStatus(STRATA_STATUS_OUT_OF_MEMORY, "out of memory");
  } catch (const std::exception &e) {
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      std::string("internal error: ") + e.what());
  }
}

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SRC_STATUS_H
