/*===- strata-c/Compiler.h - the compiler's C API -------------------------===*\
|*                                                                            *|
|* Compiles a model held in memory (ONNX, JSON graph or MLIR text) to the     *|
|* bytes of a .strata artifact, which the runtime (strata/runtime.h) loads.   *|
|* Diagnostics come back as text; nothing is printed.                         *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef STRATA_C_COMPILER_H
#define STRATA_C_COMPILER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum strata_model_format {
  STRATA_MODEL_ONNX = 0,
  STRATA_MODEL_JSON = 1,
  STRATA_MODEL_MLIR = 2,
  STRATA_MODEL_SCALESIM = 3, /* a SCALE-Sim topology CSV */
  /* Not a format: makes the enum hold any 32-bit value a C caller passes,
   * so an unknown one is reported rather than undefined. */
  STRATA_MODEL_FORMAT_MAX_ENUM = 0x7fffffff,
} strata_model_format_t;

typedef struct strata_compile_options {
  /* sizeof(strata_compile_options_t) as the caller was compiled; set by
   * strata_compile_options_init. Lets the struct grow without breaking
   * callers built against an older header. */
  size_t struct_size;
  /* Target name: "cpu". NULL means "cpu". */
  const char *target;
  /* 0 to 3. */
  int opt_level;
} strata_compile_options_t;

/* Options with their defaults: target "cpu", opt level 2, and
 * struct_size. */
void strata_compile_options_init(strata_compile_options_t *options);

typedef struct strata_compile_result *strata_compile_result_t;

/* Compiles the `size` bytes at `model`. Never returns NULL, except when out
 * of memory; check strata_compile_result_ok(). */
strata_compile_result_t strata_compile(const void *model, size_t size,
                                       strata_model_format_t format,
                                       const strata_compile_options_t *options);

/* 1 if compilation succeeded, else 0. */
int strata_compile_result_ok(strata_compile_result_t result);

/* The artifact bytes (NULL with *size 0 after a failure); owned by result. */
const void *strata_compile_result_data(strata_compile_result_t result,
                                       size_t *size);

/* Every diagnostic as text, one per line ("" if none); owned by result. */
const char *strata_compile_result_diagnostics(strata_compile_result_t result);

void strata_compile_result_free(strata_compile_result_t result);

#ifdef __cplusplus
}
#endif

#endif /* STRATA_C_COMPILER_H */
