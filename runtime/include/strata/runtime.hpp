/*===- strata/runtime.hpp - C++ owners of the runtime's handles -----------===*
 *
 * Header-only, for C++ users of the C API (strata-run, the tests, an
 * embedding framework): Owned<T> releases a handle when it goes out of
 * scope, with the release function of its type.
 *
 *===----------------------------------------------------------------------===*/

#ifndef STRATA_RUNTIME_HPP
#define STRATA_RUNTIME_HPP

#include "strata/runtime.h"

#include <memory>

namespace strata {

struct Release {
  void operator()(strata_instance_t *p) const { strata_instance_release(p); }
  void operator()(strata_device_t *p) const { strata_device_release(p); }
  void operator()(strata_module_t *p) const { strata_module_release(p); }
  void operator()(strata_buffer_view_t *p) const {
    strata_buffer_view_release(p);
  }
};

/// A handle that is released when the owner goes out of scope.
template <typename T> using Owned = std::unique_ptr<T, Release>;

} // namespace strata

#endif // STRATA_RUNTIME_HPP
