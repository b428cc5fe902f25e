//===- Status.cpp - strata_status_t ---------------------------------------===//
//
// Statuses carry a code and a message; an allocation failure returns a
// static out-of-memory status instead.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Status.h"

namespace strata::runtime {

namespace {
// Returned when even the status cannot be allocated; never freed.
strata_status_s outOfMemoryStatus{STRATA_STATUS_OUT_OF_MEMORY, "out of memory"};
} // namespace

strata_status_t makeStatus(strata_status_code_t code,
                           const std::string &message) {
  try {
    return new strata_status_s{code, message};
  } catch (const std::bad_alloc &) {
    return &outOfMemoryStatus;
  }
}

strata_status_t prefixStatus(strata_status_t status,
                             const std::string &prefix) {
  if (!status || status == &outOfMemoryStatus)
    return status;
  try {
    status->message.insert(0, prefix);
  } catch (const std::bad_alloc &) {
    // The unprefixed message is still the right error.
  }
  return status;
}

} // namespace strata::runtime

using namespace strata::runtime;

extern "C" {

strata_status_code_t strata_status_code(strata_status_t status) {
  return status ? status->code : strata_status_code_t(0);
}

const char *strata_status_message(strata_status_t status) {
  return status ? status->message.c_str() : "ok";
}

void strata_status_free(strata_status_t status) {
  if (status != &outOfMemoryStatus)
    delete status;
}

} // extern "C"
