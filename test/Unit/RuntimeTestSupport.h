//===- RuntimeTestSupport.h - runtime C API test helpers -------*- C++ -*-===//
//
// Owned handles, status messages, a cpu device and module loading from a
// spec, shared by the runtime's Catch2 tests.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TEST_UNIT_RUNTIMETESTSUPPORT_H
#define STRATA_TEST_UNIT_RUNTIMETESTSUPPORT_H

#include "strata/runtime.hpp"
#include "test/Runtime/TestArtifacts.h"

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

namespace strata::testing {

/// The message of `status`, which is then freed ("ok" for success).
inline std::string message(strata_status_t status) {
  std::string text = strata_status_message(status);
  strata_status_free(status);
  return text;
}

#define REQUIRE_OK(expr) REQUIRE(message(expr) == "ok")

using ::strata::Owned;

/// An instance and a device: the cpu with `threads` threads, or the
/// device called `name`.
struct Runtime {
  explicit Runtime(uint32_t threads = 1) : Runtime("cpu") {
    REQUIRE_OK(strata_device_set_option(device.get(), "threads",
                                        std::to_string(threads).c_str()));
  }
  explicit Runtime(const char *name) {
    strata_instance_t *rawInstance = nullptr;
    REQUIRE_OK(strata_instance_create(&rawInstance));
    instance.reset(rawInstance);
    device = create(name);
  }

  /// Another device of the instance.
  Owned<strata_device_t> create(const char *name) {
    strata_device_t *raw = nullptr;
    REQUIRE_OK(strata_device_create(instance.get(), name, &raw));
    return Owned<strata_device_t>(raw);
  }

  /// Loads `spec` from memory onto the device; the status's message or "ok".
  std::string load(const artifact::ArtifactSpec &spec,
                   Owned<strata_module_t> *out) {
    std::vector<uint8_t> bytes = artifact::serialize(spec);
    strata_module_t *module = nullptr;
    std::string result = message(strata_module_load_memory(
        device.get(), bytes.data(), bytes.size(), &module));
    out->reset(module);
    return result;
  }

  Owned<strata_module_t> mustLoad(const artifact::ArtifactSpec &spec) {
    Owned<strata_module_t> module;
    REQUIRE(load(spec, &module) == "ok");
    return module;
  }

  Owned<strata_instance_t> instance;
  Owned<strata_device_t> device;
};

inline Owned<strata_buffer_view_t> wrap(strata_dtype_t dtype,
                                        std::vector<int64_t> shape, void *data,
                                        size_t size) {
  strata_buffer_view_t *view = nullptr;
  REQUIRE_OK(strata_buffer_view_wrap(dtype, shape.data(), shape.size(), data,
                                     size, &view));
  return Owned<strata_buffer_view_t>(view);
}

inline Owned<strata_buffer_view_t> wrap(std::vector<int64_t> shape,
                                        std::vector<float> &data) {
  return wrap(STRATA_DTYPE_F32, shape, data.data(), data.size() * 4);
}

inline const float *floats(strata_buffer_view_t *view) {
  return static_cast<const float *>(strata_buffer_view_data(view));
}

} // namespace strata::testing

#endif // STRATA_TEST_UNIT_RUNTIMETESTSUPPORT_H
