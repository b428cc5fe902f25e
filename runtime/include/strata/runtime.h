/*===- strata/runtime.h - the Strata runtime C API -----------------*- C -*-===*
 *
 * Loads .strata artifacts (docs/artifact-format.md) onto a device and runs
 * their functions. Plain C with opaque handles; see docs/runtime.md.
 *
 * Objects and lifetimes: an instance owns the device registry; a device is
 * created from an instance by name; a module is an artifact loaded onto a
 * device. Every object is reference counted: *_create and *_load return
 * one reference, *_retain adds one and *_release drops one. A module keeps
 * its device and a device its instance alive, so they may be released in
 * any order.
 *
 * Errors: every function that can fail returns a strata_status_t, NULL on
 * success. A non-NULL status carries a code and a one-line message and must
 * be freed with strata_status_free.
 *
 *===----------------------------------------------------------------------===*/

#ifndef STRATA_RUNTIME_H
#define STRATA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define STRATA_API __attribute__((visibility("default")))
#else
#define STRATA_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/*===----------------------------------------------------------------------===*
 * Status
 *===----------------------------------------------------------------------===*/

/** What kind of failure a status reports. */
typedef enum strata_status_code_t {
  /** A bad argument: a NULL handle, an input that does not match the
   *  function's signature, an unknown device or function name. */
  STRATA_STATUS_INVALID_ARGUMENT = 1,
  /** A file that cannot be read or written. */
  STRATA_STATUS_IO_ERROR = 2,
  /** An artifact that fails validation. */
  STRATA_STATUS_INVALID_ARTIFACT = 3,
  /** The device cannot run what it was given (format, symbol, option). */
  STRATA_STATUS_UNSUPPORTED = 4,
  /** A kernel returned a non-zero code. */
  STRATA_STATUS_KERNEL_FAILED = 5,
  /** Memory ran out. */
  STRATA_STATUS_OUT_OF_MEMORY = 6,
  /* Keeps the enum 32-bit wide, like strata_dtype_t. Not a code. */
  STRATA_STATUS_MAX_ENUM = 0x7fffffff,
} strata_status_code_t;

/** NULL on success; otherwise an error to read and free. */
typedef struct strata_status_s *strata_status_t;

/** The status's code; 0 for NULL (success). */
STRATA_API strata_status_code_t strata_status_code(strata_status_t status);

/** The status's one-line message, owned by the status; "ok" for NULL. */
STRATA_API const char *strata_status_message(strata_status_t status);

/** Frees `status`; NULL is a no-op. */
STRATA_API void strata_status_free(strata_status_t status);

/*===----------------------------------------------------------------------===*
 * Element types
 *===----------------------------------------------------------------------===*/

/** Element types; the manifest spells them as strata_dtype_name gives. */
typedef enum strata_dtype_t {
  STRATA_DTYPE_F16 = 1,
  STRATA_DTYPE_BF16 = 2,
  STRATA_DTYPE_F32 = 3,
  STRATA_DTYPE_F64 = 4,
  STRATA_DTYPE_I1 = 5, /* bool, one byte per element, 0 or 1 */
  STRATA_DTYPE_I8 = 6,
  STRATA_DTYPE_I16 = 7,
  STRATA_DTYPE_I32 = 8,
  STRATA_DTYPE_I64 = 9,
  STRATA_DTYPE_U8 = 10,
  STRATA_DTYPE_U16 = 11,
  STRATA_DTYPE_U32 = 12,
  STRATA_DTYPE_U64 = 13,
  /* Makes every int32_t value representable, so C++ code may check a
   * value that a C caller passed. Not a dtype. */
  STRATA_DTYPE_MAX_ENUM = 0x7fffffff,
} strata_dtype_t;

/** "f32", "i1", ...; NULL for a value outside the enum. */
STRATA_API const char *strata_dtype_name(strata_dtype_t dtype);

/** Bytes per element; 0 for a value outside the enum. */
STRATA_API size_t strata_dtype_size(strata_dtype_t dtype);

/** The dtype spelled `name`; an INVALID_ARGUMENT status if none is. */
STRATA_API strata_status_t strata_dtype_from_name(const char *name,
                                                  strata_dtype_t *out_dtype);

/*===----------------------------------------------------------------------===*
 * Instance and devices
 *===----------------------------------------------------------------------===*/

typedef struct strata_instance_s strata_instance_t;
typedef struct strata_device_s strata_device_t;

/** Creates an instance, which knows the available devices. */
STRATA_API strata_status_t strata_instance_create(strata_instance_t **out);
/** Adds a reference to `instance`. */
STRATA_API void strata_instance_retain(strata_instance_t *instance);
/** Drops a reference; the last one frees the instance. NULL is a no-op. */
STRATA_API void strata_instance_release(strata_instance_t *instance);

/** Number of device names strata_device_create accepts. */
STRATA_API size_t
strata_instance_device_count(const strata_instance_t *instance);

/** The `index`th device name ("cpu", ...); NULL if out of range. */
STRATA_API const char *
strata_instance_device_name(const strata_instance_t *instance, size_t index);

/** One device option, e.g. {"threads", "4"}; docs/runtime.md lists each
 *  device's keys. */
typedef struct strata_device_option_t {
  const char *key;
  const char *value;
} strata_device_option_t;

/** Options for strata_device_create_with_options. */
typedef struct strata_device_options_t {
  /** sizeof(strata_device_options_t) as the caller was compiled; set by
   *  strata_device_options_init. Lets the struct grow without breaking
   *  callers built against an older header. */
  size_t struct_size;
  const strata_device_option_t *options;
  size_t option_count;
} strata_device_options_t;

/** Sets `options` to no options, with struct_size filled in. */
STRATA_API void strata_device_options_init(strata_device_options_t *options);

/** Creates the device called `name`, e.g. "cpu". An unknown name fails with
 *  "unknown device 'xyz' (available: cpu, null)". */
STRATA_API strata_status_t strata_device_create(strata_instance_t *instance,
                                                const char *name,
                                                strata_device_t **out);

/** Like strata_device_create, then sets each option in order; an unknown
 *  key or a bad value fails the creation. `options` may be NULL. */
STRATA_API strata_status_t strata_device_create_with_options(
    strata_instance_t *instance, const char *name,
    const strata_device_options_t *options, strata_device_t **out);

/** Adds a reference to `device`. */
STRATA_API void strata_device_retain(strata_device_t *device);
/** Drops a reference; the last one frees the device (and its thread pool).
 *  NULL is a no-op. */
STRATA_API void strata_device_release(strata_device_t *device);

/** The device's name. */
STRATA_API const char *strata_device_name(const strata_device_t *device);

/** Sets option `key` to `value`, e.g. "threads" to "4" on the cpu device
 *  (how many threads run a dispatch's workgroups; "0" restores the
 *  default: STRATA_CPU_THREADS, else one per hardware thread), or "trace"
 *  to "1" on any device (see strata_device_query_trace). Must not be called
 *  while the device runs a function. */
STRATA_API strata_status_t strata_device_set_option(strata_device_t *device,
                                                    const char *key,
                                                    const char *value);

/** Writes option `key`'s value as text, NUL-terminated, into the
 *  `capacity` bytes at `buffer`; fails if it does not fit. */
STRATA_API strata_status_t
strata_device_get_option(const strata_device_t *device, const char *key,
                         char *buffer, size_t capacity);

/** One counter of a device. `name` is a static string. */
typedef struct strata_device_stat_t {
  const char *name;
  uint64_t value;
} strata_device_stat_t;

/** The device's counters since it was created or last reset: every device
 *  counts "submissions", "dispatches", "workgroups", "copies", "fills",
 *  "barriers", "uploads", "upload_bytes", "downloads" and "download_bytes";
 *  a device may add its own. Writes at most `capacity` entries to `out`
 *  (which may be NULL when `capacity` is 0) and the number it has to
 *  `*count`, so that a first call with capacity 0 sizes the array. */
STRATA_API strata_status_t strata_device_query_stats(
    const strata_device_t *device, strata_device_stat_t *out, size_t capacity,
    size_t *count);

/** Sets every counter of the device to 0 and empties its trace. */
STRATA_API void strata_device_reset_stats(strata_device_t *device);

/** The commands the device ran while its option "trace" was "1", as a JSON
 *  array of Chrome trace events (chrome://tracing, Perfetto): one complete
 *  ("ph": "X") event per dispatch, copy and fill, named after its step
 *  ("step 3 (dispatch '/conv1/Conv')"), with "cat" the kind of command and
 *  "ts"/"dur" in microseconds. Writes it NUL-terminated into the
 *  `capacity` bytes at `buffer` (which may be NULL when `capacity` is 0)
 *  if it fits, and its length (without the NUL) to `*size`, so that a
 *  first call with capacity 0 sizes the buffer. */
STRATA_API strata_status_t strata_device_query_trace(
    const strata_device_t *device, char *buffer, size_t capacity, size_t *size);

/*===----------------------------------------------------------------------===*
 * Buffer views
 *===----------------------------------------------------------------------===*/

/** A dense, row-major host tensor: dtype, shape and data. Its data is
 *  either caller memory (strata_buffer_view_wrap) or owned by the view and
 *  64-byte aligned (strata_buffer_view_allocate). Not reference counted. */
typedef struct strata_buffer_view_s strata_buffer_view_t;

/** A view of `data_size` bytes of caller memory at `data`, which must stay
 *  valid and unchanged by others while the view is in use. `data_size`
 *  must equal the shape's element count times the dtype size; `data` may be
 *  NULL when that is 0. */
STRATA_API strata_status_t strata_buffer_view_wrap(strata_dtype_t dtype,
                                                   const int64_t *shape,
                                                   size_t rank, void *data,
                                                   size_t data_size,
                                                   strata_buffer_view_t **out);

/** A view that owns new zeroed, 64-byte aligned memory for its shape. */
STRATA_API strata_status_t
strata_buffer_view_allocate(strata_dtype_t dtype, const int64_t *shape,
                            size_t rank, strata_buffer_view_t **out);

/** Frees the view (and its memory if it owns it); NULL is a no-op. */
STRATA_API void strata_buffer_view_release(strata_buffer_view_t *view);

/** The view's dtype. */
STRATA_API strata_dtype_t
strata_buffer_view_dtype(const strata_buffer_view_t *view);
/** The view's rank (0 for a scalar). */
STRATA_API size_t strata_buffer_view_rank(const strata_buffer_view_t *view);
/** The size of dim `index`; -1 if `index` is out of range. */
STRATA_API int64_t strata_buffer_view_dim(const strata_buffer_view_t *view,
                                          size_t index);
/** The view's data, row-major. */
STRATA_API void *strata_buffer_view_data(const strata_buffer_view_t *view);
/** The size of the view's data in bytes. */
STRATA_API size_t
strata_buffer_view_byte_size(const strata_buffer_view_t *view);

/*===----------------------------------------------------------------------===*
 * Modules
 *===----------------------------------------------------------------------===*/

typedef struct strata_module_s strata_module_t;

/** Reads, validates and loads the artifact at `path` onto `device`, which
 *  runs every device slot of the artifact (each slot's target must be the
 *  device's name): every blob's checksum is verified and every kernel
 *  resolved before it returns. Messages start with the path. */
STRATA_API strata_status_t strata_module_load_file(strata_device_t *device,
                                                   const char *path,
                                                   strata_module_t **out);

/** Like strata_module_load_file for `size` bytes at `data`, which are
 *  copied; the caller may free them on return. */
STRATA_API strata_status_t strata_module_load_memory(strata_device_t *device,
                                                     const void *data,
                                                     size_t size,
                                                     strata_module_t **out);

/** Options for loading a module that spans several devices. */
typedef struct strata_module_load_options_t {
  /** sizeof(strata_module_load_options_t) as the caller was compiled; set
   *  by strata_module_load_options_init. */
  size_t struct_size;
  /** Device slot i of the artifact runs on devices[i]; device_count must
   *  equal the artifact's slot count and each device's name the slot's
   *  target. One device may serve several slots. */
  strata_device_t *const *devices;
  size_t device_count;
} strata_module_load_options_t;

/** Sets `options` to no devices, with struct_size filled in. */
STRATA_API void
strata_module_load_options_init(strata_module_load_options_t *options);

/** Like strata_module_load_file and strata_module_load_memory, on the
 *  devices of `options`. The runtime moves data between the devices where
 *  the schedule copies from one to another. */
STRATA_API strata_status_t strata_module_load_file_with_options(
    const strata_module_load_options_t *options, const char *path,
    strata_module_t **out);
STRATA_API strata_status_t strata_module_load_memory_with_options(
    const strata_module_load_options_t *options, const void *data, size_t size,
    strata_module_t **out);

/** The artifact's device slots and the target each needs ("cpu", ...);
 *  NULL if `slot` is out of range. */
STRATA_API size_t strata_module_device_count(const strata_module_t *module);
STRATA_API const char *
strata_module_device_target(const strata_module_t *module, size_t slot);

/** Adds a reference to `module`. */
STRATA_API void strata_module_retain(strata_module_t *module);
/** Drops a reference; the last one unloads the module's device code. NULL
 *  is a no-op. */
STRATA_API void strata_module_release(strata_module_t *module);

/** Number of functions, and the name of each (owned by the module). */
STRATA_API size_t strata_module_function_count(const strata_module_t *module);
STRATA_API const char *
strata_module_function_name(const strata_module_t *module, size_t function);

/** A function input or output as the manifest declares it. The pointers
 *  are owned by the module. */
typedef struct strata_tensor_spec_t {
  const char *name;
  strata_dtype_t dtype;
  size_t rank;
  const int64_t *dims;
} strata_tensor_spec_t;

/** Number of inputs and outputs of function `function` (0 if out of
 *  range). */
STRATA_API size_t strata_module_input_count(const strata_module_t *module,
                                            size_t function);
STRATA_API size_t strata_module_output_count(const strata_module_t *module,
                                             size_t function);

/** The spec of input or output `index` of function `function`. */
STRATA_API strata_status_t
strata_module_input_spec(const strata_module_t *module, size_t function,
                         size_t index, strata_tensor_spec_t *out);
STRATA_API strata_status_t
strata_module_output_spec(const strata_module_t *module, size_t function,
                          size_t index, strata_tensor_spec_t *out);

/** Runs function `function_name` (NULL: the module's only function).
 *  `inputs` must match the function's inputs in count, dtype, rank and every
 *  dim; they are read, never written. Each entry of `outputs` is either a
 *  view that matches the output the same way, which receives the result, or
 *  NULL, which is replaced by a new view that the caller must release.
 *  Outputs must not overlap inputs or each other. On failure the NULL
 *  entries of `outputs` stay NULL. Several threads may invoke one module at
 *  once; submissions to one cpu device are then taken in turn. */
STRATA_API strata_status_t
strata_module_invoke(strata_module_t *module, const char *function_name,
                     strata_buffer_view_t *const *inputs, size_t input_count,
                     strata_buffer_view_t **outputs, size_t output_count);

/** One result of one step, as strata_module_invoke_observed hands it to
 *  its observer. */
typedef struct strata_step_result_t {
  /** The step's index in the function's schedule, and its name (the layer
   *  it came from). */
  size_t step;
  const char *step_name;
  /** "dispatch", "copy" or "fill". */
  const char *kind;
  /** Which of the step's results this is (a dispatch may have several). */
  size_t result;
  /** The result's bytes, typed as the artifact records (u8 and its byte
   *  size where it records nothing); valid during the call only. */
  const strata_buffer_view_t *view;
} strata_step_result_t;

typedef void (*strata_step_observer_t)(void *user,
                                       const strata_step_result_t *result);

/** Like strata_module_invoke, but runs one step at a time and calls
 *  `observer` with every result of every step once the step has finished
 *  (intermediate buffers are reused by later steps, so each is read as soon
 *  as it is written). Slower than strata_module_invoke: for tools that
 *  compare or inspect what each step computes. */
STRATA_API strata_status_t strata_module_invoke_observed(
    strata_module_t *module, const char *function_name,
    strata_buffer_view_t *const *inputs, size_t input_count,
    strata_buffer_view_t **outputs, size_t output_count,
    strata_step_observer_t observer, void *user);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* STRATA_RUNTIME_H */
