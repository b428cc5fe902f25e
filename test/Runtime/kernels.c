/*===- kernels.c - hand-written kernels for the runtime tests -------------===//
 *
 * A shared object that follows the cpu kernel ABI the way compiled kernels
 * do (docs/artifact-format.md), so the runtime and strata-run are tested
 * without the compiler. One workgroup handles one element: workgroup x of
 * a 1-D grid.
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

/* out[x] = a[x] + b[x] over f32; a - b in the variant build, a different
 * shared object with the same symbols. */
EXPORT int32_t strata_test_add_f32(void *const *bindings, uint32_t x,
                                   uint32_t y, uint32_t z) {
  const float *a = bindings[0], *b = bindings[1];
  float *out = bindings[2];
#ifdef STRATA_TEST_KERNELS_VARIANT
  out[x] = a[x] - b[x];
#else
  out[x] = a[x] + b[x];
#endif
  return 0;
}

/* out[x] = a[x] * b[x] over f32. */
EXPORT int32_t strata_test_mul_f32(void *const *bindings, uint32_t x,
                                   uint32_t y, uint32_t z) {
  const float *a = bindings[0], *b = bindings[1];
  float *out = bindings[2];
  out[x] = a[x] * b[x];
  return 0;
}

/* out[x] = -a[x] over i64. */
EXPORT int32_t strata_test_negate_i64(void *const *bindings, uint32_t x,
                                      uint32_t y, uint32_t z) {
  const int64_t *a = bindings[0];
  int64_t *out = bindings[1];
  out[x] = -a[x];
  return 0;
}

/* Fails with code 7 in workgroup 3 and succeeds elsewhere. */
EXPORT int32_t strata_test_fail(void *const *bindings, uint32_t x, uint32_t y,
                                uint32_t z) {
  return x == 3 ? 7 : 0;
}

/* Records its workgroup id: out[(z * 4 + y) * 4 + x] = 1 + x + 10*y + 100*z,
 * for a grid of up to 4x4xN. */
EXPORT int32_t strata_test_grid_i32(void *const *bindings, uint32_t x,
                                    uint32_t y, uint32_t z) {
  int32_t *out = bindings[0];
  out[(z * 4 + y) * 4 + x] = (int32_t)(1 + x + 10 * y + 100 * z);
  return 0;
}
