/*===- compile-and-run.c - the compiler's C API, used from C --------------===*
 *
 * Compiles an MLIR model held in memory with strata_compile, loads the
 * artifact bytes with the runtime's strata_module_load_memory and runs it;
 * then shows that a bad model comes back as diagnostics text. Built as C99;
 * compiler-c-api.test runs it.
 *
 *===----------------------------------------------------------------------===*/

#include "strata-c/Compiler.h"
#include "strata/runtime.h"

#include <stdio.h>
#include <string.h>

static const char kModel[] =
    "func.func @scale(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
    "  %c = strata.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>\n"
    "  %0 = strata.mul %x, %c : (tensor<4xf32>, tensor<4xf32>) -> "
    "tensor<4xf32>\n"
    "  return %0 : tensor<4xf32>\n"
    "}\n";

static const char kBadModel[] =
    "func.func @bad(%x: tensor<4xf32>) -> tensor<3xf32> {\n"
    "  %0 = strata.relu %x : (tensor<4xf32>) -> tensor<3xf32>\n"
    "  return %0 : tensor<3xf32>\n"
    "}\n";

/* An imported op's place: its node's name in the model file. */
static const char kBadIndexModel[] =
    "func.func @g(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {\n"
    "  %i = strata.constant dense<[0, 7]> : tensor<2xi64>\n"
    "  %0 = strata.gather %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, "
    "tensor<2xi64>) -> tensor<2x2xf32> loc(\"pick\"(\"model.onnx\":0:0))\n"
    "  return %0 : tensor<2x2xf32>\n"
    "}\n";

static int failed(strata_status_t status) {
  if (!status)
    return 0;
  fprintf(stderr, "error: %s\n", strata_status_message(status));
  strata_status_free(status);
  return 1;
}

int main(void) {
  strata_compile_options_t options;
  strata_compile_options_init(&options);
  options.opt_level = 3;
  strata_compile_result_t compiled =
      strata_compile(kModel, strlen(kModel), STRATA_MODEL_MLIR, &options);
  if (!strata_compile_result_ok(compiled)) {
    fprintf(stderr, "compile failed:\n%s",
            strata_compile_result_diagnostics(compiled));
    return 1;
  }
  size_t size = 0;
  const void *bytes = strata_compile_result_data(compiled, &size);
  printf("artifact: %s\n", size > 64 ? "ok" : "too small");

  strata_instance_t *instance = NULL;
  strata_device_t *device = NULL;
  strata_module_t *module = NULL;
  strata_buffer_view_t *x = NULL, *y = NULL;
  float data[4] = {10, 20, 30, 40};
  const int64_t shape[1] = {4};
  int error = failed(strata_instance_create(&instance)) ||
              failed(strata_device_create(instance, "cpu", &device)) ||
              failed(strata_module_load_memory(device, bytes, size, &module)) ||
              failed(strata_buffer_view_wrap(STRATA_DTYPE_F32, shape, 1, data,
                                             sizeof(data), &x));
  strata_compile_result_free(compiled);
  if (!error) {
    strata_buffer_view_t *inputs[1] = {x};
    error = failed(strata_module_invoke(module, NULL, inputs, 1, &y, 1));
  }
  if (!error) {
    const float *result = strata_buffer_view_data(y);
    printf("result: %g %g %g %g\n", result[0], result[1], result[2], result[3]);
  }
  strata_buffer_view_release(y);
  strata_buffer_view_release(x);
  strata_module_release(module);
  strata_device_release(device);
  strata_instance_release(instance);

  /* A model that does not verify: no artifact, and the reason as text. */
  strata_compile_result_t bad =
      strata_compile(kBadModel, strlen(kBadModel), STRATA_MODEL_MLIR, NULL);
  size_t badSize = 1;
  printf("bad model: ok=%d data=%s size=%zu\n", strata_compile_result_ok(bad),
         strata_compile_result_data(bad, &badSize) ? "set" : "null", badSize);
  printf("%s", strata_compile_result_diagnostics(bad));
  strata_compile_result_free(bad);

  /* An index out of range, named by its node. */
  bad = strata_compile(kBadIndexModel, strlen(kBadIndexModel),
                       STRATA_MODEL_MLIR, NULL);
  printf("%s", strata_compile_result_diagnostics(bad));
  strata_compile_result_free(bad);

  /* A format the enum does not have, and a negative level. */
  bad = strata_compile(kModel, strlen(kModel), (strata_model_format_t)7, NULL);
  printf("%s", strata_compile_result_diagnostics(bad));
  strata_compile_result_free(bad);
  options.opt_level = -1;
  bad = strata_compile(kModel, strlen(kModel), STRATA_MODEL_MLIR, &options);
  printf("%s", strata_compile_result_diagnostics(bad));
  strata_compile_result_free(bad);
  options.opt_level = 2;

  /* An unknown target. */
  options.target = "tpu";
  bad = strata_compile(kModel, strlen(kModel), STRATA_MODEL_MLIR, &options);
  printf("%s", strata_compile_result_diagnostics(bad));
  strata_compile_result_free(bad);

  /* Options a caller did not initialize. */
  options.struct_size = 0;
  bad = strata_compile(kModel, strlen(kModel), STRATA_MODEL_MLIR, &options);
  printf("%s", strata_compile_result_diagnostics(bad));
  strata_compile_result_free(bad);
  return error;
}
