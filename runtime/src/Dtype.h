//===- Dtype.h - strata_dtype_t and the manifest's dtype names --*- C++ -*-===//
//
// Converts between the C API's strata_dtype_t and the dtype names of the
// artifact manifest.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SRC_DTYPE_H
#define STRATA_RUNTIME_SRC_DTYPE_H

#include "strata/runtime.h"

#include <string_view>

namespace strata::runtime {

/// The dtype the manifest spells `name`; false if none.
bool dtypeFromName(std::string_view name, strata_dtype_t *out);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SRC_DTYPE_H
