//===- BufferView.cpp - C API: host tensors -------------------------------===//
//
// Dense row-major host tensors for inputs and outputs: caller memory
// wrapped in place, or 64-byte aligned memory the view owns.
//
//===----------------------------------------------------------------------===//

#include "runtime/src/Handles.h"
#include "runtime/src/Status.h"

using namespace strata::runtime;

namespace {

constexpr size_t kMaxViewRank = 64;

strata_status_t invalid(const std::string &message) {
  return makeStatus(STRATA_STATUS_INVALID_ARGUMENT, message);
}

/// Checks dtype and shape and computes the byte size.
strata_status_t checkShape(strata_dtype_t dtype, const int64_t *shape,
                           size_t rank, uint64_t *bytes) {
  size_t elementSize = strata_dtype_size(dtype);
  if (elementSize == 0)
    return invalid("invalid dtype " + std::to_string(int(dtype)));
  if (rank > kMaxViewRank)
    return invalid("rank " + std::to_string(rank) + " exceeds the limit of " +
                   std::to_string(kMaxViewRank));
  if (rank > 0 && !shape)
    return invalid("shape is NULL but rank is " + std::to_string(rank));
  uint64_t total = elementSize;
  for (size_t d = 0; d < rank; ++d) {
    if (shape[d] < 0)
      return invalid("dim " + std::to_string(d) + " is " +
                     std::to_string(shape[d]) + "; dims must be >= 0");
    if (__builtin_mul_overflow(total, static_cast<uint64_t>(shape[d]), &total))
      return invalid("the shape's byte size overflows");
  }
  if (total > SIZE_MAX)
    return invalid("the shape's byte size overflows");
  *bytes = total;
  return nullptr;
}

strata_buffer_view_s *newView(strata_dtype_t dtype, const int64_t *shape,
                              size_t rank, uint64_t bytes) {
  auto *view = new strata_buffer_view_s;
  view->dtype = dtype;
  view->shape.assign(shape, shape + rank);
  view->byteSize = static_cast<size_t>(bytes);
  return view;
}

} // namespace

extern "C" {

strata_status_t strata_buffer_view_wrap(strata_dtype_t dtype,
                                        const int64_t *shape, size_t rank,
                                        void *data, size_t data_size,
                                        strata_buffer_view_t **out) {
  if (!out)
    return invalid("out is NULL");
  return guard([&]() -> strata_status_t {
    uint64_t bytes;
    if (strata_status_t status = checkShape(dtype, shape, rank, &bytes))
      return status;
    if (data_size != bytes)
      return invalid("data size " + std::to_string(data_size) +
                     " does not match the shape, which needs " +
                     std::to_string(bytes) + " bytes");
    if (!data && bytes != 0)
      return invalid("data is NULL");
    strata_buffer_view_s *view = newView(dtype, shape, rank, bytes);
    view->data = data;
    *out = view;
    return nullptr;
  });
}

strata_status_t strata_buffer_view_allocate(strata_dtype_t dtype,
                                            const int64_t *shape, size_t rank,
                                            strata_buffer_view_t **out) {
  if (!out)
    return invalid("out is NULL");
  return guard([&]() -> strata_status_t {
    uint64_t bytes;
    if (strata_status_t status = checkShape(dtype, shape, rank, &bytes))
      return status;
    std::unique_ptr<strata_buffer_view_s> view(
        newView(dtype, shape, rank, bytes));
    if (!view->storage.allocate(bytes, /*zero=*/true))
      return makeStatus(STRATA_STATUS_OUT_OF_MEMORY,
                        "cannot allocate " + std::to_string(bytes) +
                            " bytes for a buffer view");
    view->data = view->storage.data();
    *out = view.release();
    return nullptr;
  });
}

void strata_buffer_view_release(strata_buffer_view_t *view) { delete view; }

strata_dtype_t strata_buffer_view_dtype(const strata_buffer_view_t *view) {
  return view->dtype;
}

size_t strata_buffer_view_rank(const strata_buffer_view_t *view) {
  return view->shape.size();
}

int64_t strata_buffer_view_dim(const strata_buffer_view_t *view, size_t index) {
  return index < view->shape.size() ? view->shape[index] : -1;
}

void *strata_buffer_view_data(const strata_buffer_view_t *view) {
  return view->data;
}

size_t strata_buffer_view_byte_size(const strata_buffer_view_t *view) {
  return view->byteSize;
}

} // extern "C"
