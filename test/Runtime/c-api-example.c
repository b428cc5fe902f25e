/*===- c-api-example.c - the runtime's C API, used from C -----------------===*
 *
 * Loads an artifact onto the cpu device, runs its only function on two 2x3
 * f32 inputs and prints the output. Built as C, so the header stays plain
 * C; docs/runtime.md shows this file and c-api.test runs it.
 *
 *===----------------------------------------------------------------------===*/

#include "strata/runtime.h"

#include <stdio.h>

/* Prints and frees a failed status; returns whether there was one. */
static int failed(strata_status_t status) {
  if (!status)
    return 0;
  fprintf(stderr, "error: %s\n", strata_status_message(status));
  strata_status_free(status);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s MODEL.strata\n", argv[0]);
    return 1;
  }
  strata_instance_t *instance = NULL;
  strata_device_t *device = NULL;
  strata_module_t *module = NULL;
  strata_buffer_view_t *a = NULL, *b = NULL, *sum = NULL;
  float dataA[6] = {1, 2, 3, 4, 5, 6}, dataB[6] = {10, 20, 30, 40, 50, 60};
  const int64_t shape[2] = {2, 3};

  int error = failed(strata_instance_create(&instance)) ||
              failed(strata_device_create(instance, "cpu", &device)) ||
              failed(strata_module_load_file(device, argv[1], &module)) ||
              failed(strata_buffer_view_wrap(STRATA_DTYPE_F32, shape, 2, dataA,
                                             sizeof(dataA), &a)) ||
              failed(strata_buffer_view_wrap(STRATA_DTYPE_F32, shape, 2, dataB,
                                             sizeof(dataB), &b));
  if (!error) {
    /* A NULL output is allocated by the runtime and returned. */
    strata_buffer_view_t *inputs[2] = {a, b};
    error = failed(strata_module_invoke(module, NULL, inputs, 2, &sum, 1));
  }
  if (!error) {
    const float *result = strata_buffer_view_data(sum);
    for (int i = 0; i < 6; ++i)
      printf("%g%s", result[i], i == 5 ? "\n" : " ");
  }

  strata_buffer_view_release(sum);
  strata_buffer_view_release(b);
  strata_buffer_view_release(a);
  strata_module_release(module);
  strata_device_release(device);
  strata_instance_release(instance);
  return error;
}
