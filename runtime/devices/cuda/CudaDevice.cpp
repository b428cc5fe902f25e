//===- CudaDevice.cpp - kernels through the CUDA driver API ---------------===//
//
// One primary context on the GPU that STRATA_CUDA_DEVICE names (an index,
// or part of its name; else GPU 0). An executable is one CUmodule loaded
// from PTX (JIT-compiled by the driver) or a cubin, with every kernel
// resolved at load. A command buffer is a list of commands that submit()
// issues in order on one stream and then waits for: stream order is
// stronger than the core's barriers, so they need nothing more. A kernel
// takes one device pointer per binding (the cuda target's bare-pointer
// ABI), its block size from the export, and the export's shared memory
// as dynamic shared memory (the cuda target puts all of a kernel's there);
// past the 48 KiB every kernel may use, the kernel is opted in at load.
// A kernel that reads bindings through TMA tensor maps finds each in a
// global of its module: each dispatch encodes the maps for its bindings,
// and the launch copies them there first, on the stream. Since one module
// global serves every dispatch, submissions of such kernels take turns.
//
//===----------------------------------------------------------------------===//

#include "runtime/devices/cuda/CudaDevice.h"
#include "runtime/devices/cuda/CudaDriver.h"
#include "runtime/src/Status.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <mutex>

namespace strata::runtime {

namespace {

using namespace cuda;

/// Shared memory any kernel may use; beyond it, a kernel opts in.
constexpr uint64_t kSharedMemoryWithoutOptIn = 48 * 1024;

strata_status_t unsupported(const std::string &message) {
  return makeStatus(STRATA_STATUS_UNSUPPORTED, message);
}

/// The driver and the context every object of one device uses.
struct Context {
  Driver driver;
  CUdevice device = 0;
  CUcontext context = nullptr;
  std::string name;
  int major = 0, minor = 0, maxThreads = 0, maxSharedMemory = 0;
  /// Held by a submission that writes tensor maps into module globals.
  std::mutex tensorMapWrites;

  ~Context() {
    if (context)
      driver.cuDevicePrimaryCtxRelease_v2(device);
  }

  /// A status for a failed driver call, naming the call and the error;
  /// null for success.
  strata_status_t
  check(CUresult result, const char *call,
        strata_status_code_t code = STRATA_STATUS_KERNEL_FAILED) const {
    if (result == CUDA_SUCCESS)
      return nullptr;
    return makeStatus(code, std::string(call) +
                                " failed: " + driver.describe(result));
  }

  /// Makes the context current on the calling thread, as every driver
  /// call on it needs.
  strata_status_t makeCurrent() const {
    return check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
  }
};

class CudaExecutable : public Executable {
public:
  explicit CudaExecutable(std::shared_ptr<Context> context)
      : context(std::move(context)) {}
  ~CudaExecutable() override {
    if (module && context->makeCurrent() == nullptr)
      context->driver.cuModuleUnload(module);
  }

  std::shared_ptr<Context> context;
  CUmodule module = nullptr;
  struct Kernel {
    std::string name;
    CUfunction function;
    unsigned block[3];
    unsigned sharedMemory;
    /// Its tensor maps, and the module global each is read from.
    std::vector<artifact::TensorMapSpec> tensorMaps;
    std::vector<CUdeviceptr> tensorMapGlobals;
  };
  std::vector<Kernel> kernels;
};

class CudaBuffer : public Buffer {
public:
  CudaBuffer(uint64_t size, std::shared_ptr<Context> context)
      : Buffer(size), context(std::move(context)) {}
  ~CudaBuffer() override {
    if (pointer && context->makeCurrent() == nullptr)
      context->driver.cuMemFree_v2(pointer);
  }

  std::shared_ptr<Context> context;
  CUdeviceptr pointer = 0;
};

CUdeviceptr address(const Binding &binding) {
  return static_cast<CudaBuffer *>(binding.buffer)->pointer + binding.offset;
}

/// "bf16 64x128 in boxes of 64x64, swizzle 128", for messages.
std::string describeTensorMap(const artifact::TensorMapSpec &map) {
  auto dims = [](const auto &values) {
    std::string text;
    for (size_t d = 0; d < values.size(); ++d)
      text += (d ? "x" : "") + std::to_string(values[d]);
    return text;
  };
  return "binding " + std::to_string(map.binding) + ": " + map.dtype + " " +
         dims(map.shape) + " in boxes of " + dims(map.box) + ", swizzle " +
         std::to_string(map.swizzle);
}

/// The driver's data type for `dtype` (one of the artifact's names).
int tensorMapDataType(const std::string &dtype) {
  static const std::pair<const char *, int> kTypes[] = {
      {"f16", CU_TENSOR_MAP_DATA_TYPE_FLOAT16},
      {"bf16", CU_TENSOR_MAP_DATA_TYPE_BFLOAT16},
      {"f32", CU_TENSOR_MAP_DATA_TYPE_FLOAT32},
      {"f64", CU_TENSOR_MAP_DATA_TYPE_FLOAT64},
      {"i32", CU_TENSOR_MAP_DATA_TYPE_INT32},
      {"u32", CU_TENSOR_MAP_DATA_TYPE_UINT32},
      {"i64", CU_TENSOR_MAP_DATA_TYPE_INT64},
      {"u64", CU_TENSOR_MAP_DATA_TYPE_UINT64},
      {"i16", CU_TENSOR_MAP_DATA_TYPE_UINT16},
      {"u16", CU_TENSOR_MAP_DATA_TYPE_UINT16}};
  for (const auto &[name, type] : kTypes)
    if (dtype == name)
      return type;
  return CU_TENSOR_MAP_DATA_TYPE_UINT8; // i1, i8, u8
}

/// Commands as closures over the stream they are issued on, each with the
/// label and category the trace records.
class CudaCommandBuffer : public CommandBuffer {
public:
  explicit CudaCommandBuffer(Context &context) : context(context) {}

  strata_status_t dispatch(Executable &executable, uint32_t kernel,
                           const uint32_t workgroups[3],
                           const std::vector<Binding> &bindings,
                           const std::vector<uint32_t> &,
                           const std::string &label) override {
    const CudaExecutable::Kernel &k =
        static_cast<CudaExecutable &>(executable).kernels[kernel];
    std::vector<CUdeviceptr> pointers;
    for (size_t i = 0; i < bindings.size(); ++i) {
      if (bindings[i].offset % artifact::kBindingAlignment)
        return makeStatus(STRATA_STATUS_INVALID_ARTIFACT,
                          "kernel '" + k.name + "': binding " +
                              std::to_string(i) + " starts at byte " +
                              std::to_string(bindings[i].offset) +
                              " of its buffer, not at a multiple of " +
                              std::to_string(artifact::kBindingAlignment) +
                              ", as the kernel's code assumes");
      pointers.push_back(address(bindings[i]));
    }
    std::vector<CUtensorMap> maps(k.tensorMaps.size());
    for (size_t m = 0; m < maps.size(); ++m)
      if (strata_status_t status =
              encode(k, m, pointers[k.tensorMaps[m].binding], &maps[m]))
        return status;
    writesTensorMaps |= !maps.empty();
    unsigned grid[3] = {workgroups[0], workgroups[1], workgroups[2]};
    commands.push_back(
        {label, "dispatch",
         [this, k, pointers, maps, grid](CUstream stream) mutable {
           for (size_t m = 0; m < maps.size(); ++m)
             if (CUresult result = context.driver.cuMemcpyHtoDAsync_v2(
                     k.tensorMapGlobals[m], &maps[m], sizeof(CUtensorMap),
                     stream))
               return result;
           std::vector<void *> params;
           for (CUdeviceptr &pointer : pointers)
             params.push_back(&pointer);
           return context.driver.cuLaunchKernel(
               k.function, grid[0], grid[1], grid[2], k.block[0], k.block[1],
               k.block[2], k.sharedMemory, stream, params.data(), nullptr);
         }});
    return nullptr;
  }

  strata_status_t copy(const Binding &src, const Binding &dst,
                       const std::string &label) override {
    CUdeviceptr from = address(src), to = address(dst);
    uint64_t length = src.length;
    commands.push_back({label, "copy", [this, from, to, length](CUstream s) {
                          return context.driver.cuMemcpyDtoDAsync_v2(to, from,
                                                                     length, s);
                        }});
    return nullptr;
  }

  strata_status_t fill(const Binding &dst, uint32_t pattern,
                       const std::string &label) override {
    CUdeviceptr to = address(dst);
    uint64_t length = dst.length;
    bool bytewise = (pattern & 0xff) * 0x01010101u == pattern;
    if (!bytewise && (length % 4 || to % 4))
      return unsupported("a 4-byte pattern over " + std::to_string(length) +
                         " bytes that are not whole aligned words");
    commands.push_back(
        {label, "fill", [this, to, length, pattern, bytewise](CUstream s) {
           return bytewise ? context.driver.cuMemsetD8Async(to, pattern & 0xff,
                                                            length, s)
                           : context.driver.cuMemsetD32Async(to, pattern,
                                                             length / 4, s);
         }});
    return nullptr;
  }

  void barrier() override {}

  struct Command {
    std::string label;
    const char *category;
    std::function<CUresult(CUstream)> issue;
  };
  Context &context;
  std::vector<Command> commands;
  bool writesTensorMaps = false;

private:
  /// Encodes tensor map `m` of kernel `k` for the binding at `base`: the
  /// driver takes dims and boxes innermost first, and the byte strides of
  /// all dims but the innermost, which is dense.
  strata_status_t encode(const CudaExecutable::Kernel &k, size_t m,
                         CUdeviceptr base, CUtensorMap *out) const {
    const artifact::TensorMapSpec &map = k.tensorMaps[m];
    size_t rank = map.shape.size();
    std::vector<unsigned long long> dims(rank), strides(rank - 1);
    std::vector<unsigned> box(rank), elementStrides(rank, 1);
    unsigned long long stride = artifact::dtypeSize(map.dtype);
    for (size_t d = 0; d < rank; ++d) {
      size_t from = rank - 1 - d;
      dims[d] = static_cast<unsigned long long>(map.shape[from]);
      box[d] = map.box[from];
      if (d > 0)
        strides[d - 1] = stride;
      stride *= dims[d];
    }
    int swizzle = map.swizzle == 128  ? CU_TENSOR_MAP_SWIZZLE_128B
                  : map.swizzle == 64 ? CU_TENSOR_MAP_SWIZZLE_64B
                  : map.swizzle == 32 ? CU_TENSOR_MAP_SWIZZLE_32B
                                      : CU_TENSOR_MAP_SWIZZLE_NONE;
    CUresult result = context.driver.cuTensorMapEncodeTiled(
        out, tensorMapDataType(map.dtype), static_cast<unsigned>(rank),
        reinterpret_cast<void *>(base), dims.data(), strides.data(), box.data(),
        elementStrides.data(), CU_TENSOR_MAP_INTERLEAVE_NONE, swizzle,
        CU_TENSOR_MAP_L2_PROMOTION_L2_128B, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
    if (result == CUDA_SUCCESS)
      return nullptr;
    return makeStatus(STRATA_STATUS_UNSUPPORTED,
                      "kernel '" + k.name + "': tensor map " +
                          std::to_string(m) + " (" + describeTensorMap(map) +
                          "): cuTensorMapEncodeTiled failed: " +
                          context.driver.describe(result));
  }
};

/// "sm_90a" -> 9, 0 and architecture-specific; false when `processor` is
/// not of that form.
bool parseArch(const std::string &processor, int *major, int *minor,
               bool *specific) {
  if (processor.size() < 5 || processor.compare(0, 3, "sm_") != 0 ||
      !std::isdigit(static_cast<unsigned char>(processor[3])))
    return false;
  int number = std::atoi(processor.c_str() + 3);
  *major = number / 10;
  *minor = number % 10;
  *specific = processor.back() == 'a';
  return number >= 10;
}

class CudaDevice : public Device {
public:
  explicit CudaDevice(std::shared_ptr<Context> context)
      : context(std::move(context)) {}

  const char *name() const override { return "cuda"; }

  /// Kernels take their bindings only.
  size_t maxPushConstants() const override { return 0; }

  strata_status_t loadExecutable(const artifact::ExecutableSpec &spec,
                                 const uint8_t *blob, size_t size,
                                 std::unique_ptr<Executable> *out) override {
    if (spec.format != "ptx" && spec.format != "cubin")
      return unsupported("format '" + spec.format +
                         "' is not supported by the cuda device (supported: "
                         "ptx, cubin)");
    if (strata_status_t status = checkArch(spec))
      return status;
    if (strata_status_t status = context->makeCurrent())
      return status;
    auto executable = std::make_unique<CudaExecutable>(context);
    if (size == 0 && spec.kernels.empty()) {
      *out = std::move(executable);
      return nullptr;
    }
    // PTX is text the driver wants NUL-terminated; the blob is not.
    std::vector<char> image(blob, blob + size);
    if (spec.format == "ptx")
      image.push_back('\0');
    char log[4096] = {0};
    int options[] = {CU_JIT_ERROR_LOG_BUFFER,
                     CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {log, reinterpret_cast<void *>(sizeof(log))};
    CUresult loaded = context->driver.cuModuleLoadDataEx(
        &executable->module, image.data(), 2, options, values);
    if (loaded != CUDA_SUCCESS)
      return unsupported("loading the " + spec.format + " for " +
                         spec.processor + " on " + gpu() +
                         " failed: " + context->driver.describe(loaded) +
                         (log[0] ? std::string(": ") + log : ""));
    for (const artifact::KernelSpec &kernel : spec.kernels) {
      uint64_t threads = uint64_t{kernel.workgroupSize[0]} *
                         kernel.workgroupSize[1] * kernel.workgroupSize[2];
      if (threads > static_cast<uint64_t>(context->maxThreads))
        return unsupported("kernel '" + kernel.symbol + "': a block of " +
                           std::to_string(threads) + " threads, and " + gpu() +
                           " runs at most " +
                           std::to_string(context->maxThreads));
      if (kernel.sharedMemory > static_cast<uint64_t>(context->maxSharedMemory))
        return unsupported("kernel '" + kernel.symbol +
                           "': " + std::to_string(kernel.sharedMemory) +
                           " bytes of shared memory, and " + gpu() + " has " +
                           std::to_string(context->maxSharedMemory) +
                           " per block");
      CudaExecutable::Kernel &k = executable->kernels.emplace_back();
      k.name = kernel.symbol;
      for (int d = 0; d < 3; ++d)
        k.block[d] = kernel.workgroupSize[d];
      k.sharedMemory = static_cast<unsigned>(kernel.sharedMemory);
      if (strata_status_t status = context->check(
              context->driver.cuModuleGetFunction(
                  &k.function, executable->module, kernel.symbol.c_str()),
              ("cuModuleGetFunction('" + kernel.symbol + "')").c_str(),
              STRATA_STATUS_INVALID_ARTIFACT))
        return status;
      if (kernel.sharedMemory > kSharedMemoryWithoutOptIn)
        if (strata_status_t status = context->check(
                context->driver.cuFuncSetAttribute(
                    k.function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                    static_cast<int>(kernel.sharedMemory)),
                ("kernel '" + kernel.symbol + "': cuFuncSetAttribute(" +
                 std::to_string(kernel.sharedMemory) +
                 " bytes of dynamic shared memory)")
                    .c_str(),
                STRATA_STATUS_UNSUPPORTED))
          return status;
      if (strata_status_t status = findTensorMaps(*executable, kernel, &k))
        return status;
    }
    *out = std::move(executable);
    return nullptr;
  }

  strata_status_t allocate(uint64_t size, artifact::MemoryKind,
                           std::unique_ptr<Buffer> *out) override {
    if (strata_status_t status = context->makeCurrent())
      return status;
    auto buffer = std::make_unique<CudaBuffer>(size, context);
    // Zero-byte buffers still get a distinct address.
    CUresult result = context->driver.cuMemAlloc_v2(
        &buffer->pointer, std::max<uint64_t>(size, 1));
    if (result != CUDA_SUCCESS) {
      size_t free = 0, total = 0;
      context->driver.cuMemGetInfo_v2(&free, &total);
      return makeStatus(STRATA_STATUS_OUT_OF_MEMORY,
                        "allocating " + std::to_string(size) + " bytes on " +
                            gpu() +
                            " failed: " + context->driver.describe(result) +
                            " (" + std::to_string(free) + " of " +
                            std::to_string(total) + " bytes free)");
    }
    *out = std::move(buffer);
    return nullptr;
  }

  /// Kernels read device memory only; the core stages host memory.
  strata_status_t wrapHostMemory(void *, uint64_t,
                                 std::unique_ptr<Buffer> *) override {
    return nullptr;
  }

  strata_status_t upload(const Binding &dst, const void *data) override {
    if (strata_status_t status = context->makeCurrent())
      return status;
    return context->check(
        context->driver.cuMemcpyHtoD_v2(address(dst), data, dst.length),
        "cuMemcpyHtoD");
  }

  strata_status_t download(const Binding &src, void *data) override {
    if (strata_status_t status = context->makeCurrent())
      return status;
    return context->check(
        context->driver.cuMemcpyDtoH_v2(data, address(src), src.length),
        "cuMemcpyDtoH");
  }

  strata_status_t
  createCommandBuffer(std::unique_ptr<CommandBuffer> *out) override {
    *out = std::make_unique<CudaCommandBuffer>(*context);
    return nullptr;
  }

  /// Issues every command on a stream of its own and waits for it. While
  /// tracing, each command is waited for on its own, so that its time is
  /// its alone.
  strata_status_t submit(CommandBuffer &commands) override {
    if (strata_status_t status = context->makeCurrent())
      return status;
    CUstream stream = nullptr;
    auto &buffer = static_cast<CudaCommandBuffer &>(commands);
    std::unique_lock<std::mutex> turn(context->tensorMapWrites,
                                      std::defer_lock);
    if (buffer.writesTensorMaps)
      turn.lock();
    if (strata_status_t status = context->check(
            context->driver.cuStreamCreate(&stream, 0), "cuStreamCreate"))
      return status;
    strata_status_t status = nullptr;
    for (const auto &command : buffer.commands) {
      uint64_t start = traceClockUs();
      CUresult result = command.issue(stream);
      if (result == CUDA_SUCCESS && tracing())
        result = context->driver.cuStreamSynchronize(stream);
      if (result != CUDA_SUCCESS) {
        status =
            makeStatus(STRATA_STATUS_KERNEL_FAILED,
                       std::string(command.category) + " '" + command.label +
                           "' failed: " + context->driver.describe(result));
        break;
      }
      if (tracing())
        record(
            {command.label, command.category, start, traceClockUs() - start});
    }
    CUresult synced = context->driver.cuStreamSynchronize(stream);
    if (!status && synced != CUDA_SUCCESS)
      status = makeStatus(STRATA_STATUS_KERNEL_FAILED,
                          "a kernel failed on " + gpu() + ": " +
                              context->driver.describe(synced));
    context->driver.cuStreamDestroy_v2(stream);
    return status;
  }

private:
  std::string gpu() const {
    return context->name + " (sm_" + std::to_string(context->major) +
           std::to_string(context->minor) + ")";
  }

  /// Resolves the module global of each of `kernel`'s tensor maps.
  strata_status_t findTensorMaps(const CudaExecutable &executable,
                                 const artifact::KernelSpec &kernel,
                                 CudaExecutable::Kernel *k) const {
    if (kernel.tensorMaps.empty())
      return nullptr;
    if (!context->driver.cuTensorMapEncodeTiled)
      return unsupported("kernel '" + kernel.symbol +
                         "' reads its bindings through tensor maps, and the "
                         "CUDA driver '" +
                         context->driver.path +
                         "' lacks cuTensorMapEncodeTiled (CUDA 12 or newer "
                         "has it)");
    k->tensorMaps = kernel.tensorMaps;
    for (const artifact::TensorMapSpec &map : kernel.tensorMaps) {
      CUdeviceptr global = 0;
      size_t bytes = 0;
      if (strata_status_t status = context->check(
              context->driver.cuModuleGetGlobal_v2(
                  &global, &bytes, executable.module, map.symbol.c_str()),
              ("kernel '" + kernel.symbol + "': cuModuleGetGlobal('" +
               map.symbol + "')")
                  .c_str(),
              STRATA_STATUS_INVALID_ARTIFACT))
        return status;
      if (bytes != sizeof(CUtensorMap))
        return makeStatus(STRATA_STATUS_INVALID_ARTIFACT,
                          "kernel '" + kernel.symbol + "': the global '" +
                              map.symbol + "' of its tensor map holds " +
                              std::to_string(bytes) + " bytes, not " +
                              std::to_string(sizeof(CUtensorMap)));
      k->tensorMapGlobals.push_back(global);
    }
    return nullptr;
  }

  /// Refuses code this GPU cannot run: PTX for a newer architecture, a
  /// cubin of another major version (or for a newer minor), and
  /// architecture-specific code (sm_90a) anywhere but on its own.
  strata_status_t checkArch(const artifact::ExecutableSpec &spec) const {
    int major = 0, minor = 0;
    bool specific = false;
    if (!parseArch(spec.processor, &major, &minor, &specific))
      return makeStatus(STRATA_STATUS_INVALID_ARTIFACT,
                        "the executable names no CUDA architecture ('" +
                            spec.processor + "')");
    int have = context->major * 10 + context->minor, need = major * 10 + minor;
    bool runs =
        specific || spec.format == "cubin"
            ? major == context->major &&
                  (specific ? minor == context->minor : minor <= context->minor)
            : need <= have;
    if (runs)
      return nullptr;
    return unsupported(
        "the artifact (built for --target-option=cuda-arch=" + spec.processor +
        ", " + spec.format + ") cannot run on " + gpu() +
        (have < 80 ? std::string("; the cuda target builds for sm_80 and newer")
                   : "; recompile with --target-option=cuda-arch=sm_" +
                         std::to_string(have)));
  }

  std::shared_ptr<Context> context;
};

std::string lower(std::string text) {
  for (char &c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

} // namespace

strata_status_t createCudaDevice(std::unique_ptr<Device> *out) {
  auto context = std::make_shared<Context>();
  Driver &driver = context->driver;
  std::string error;
  if (!driver.load(&error))
    return unsupported(error);
  if (strata_status_t status =
          context->check(driver.cuInit(0), "cuInit", STRATA_STATUS_UNSUPPORTED))
    return status;
  int count = 0;
  if (strata_status_t status =
          context->check(driver.cuDeviceGetCount(&count), "cuDeviceGetCount",
                         STRATA_STATUS_UNSUPPORTED))
    return status;
  if (count == 0)
    return unsupported("the CUDA driver sees no GPU");
  std::vector<std::string> names(count);
  std::string listed;
  for (int i = 0; i < count; ++i) {
    CUdevice device = 0;
    char name[256] = {0};
    if (driver.cuDeviceGet(&device, i) == CUDA_SUCCESS)
      driver.cuDeviceGetName(name, sizeof(name) - 1, device);
    names[i] = name;
    listed += (i ? ", " : "") + std::to_string(i) + ": " + names[i];
  }
  int chosen = 0;
  const char *wanted = std::getenv("STRATA_CUDA_DEVICE");
  if (wanted && *wanted) {
    chosen = -1;
    char *end = nullptr;
    unsigned long index = std::strtoul(wanted, &end, 10);
    if (*end == '\0' && index < static_cast<unsigned long>(count))
      chosen = static_cast<int>(index);
    for (int i = 0; chosen < 0 && i < count; ++i)
      if (lower(names[i]).find(lower(wanted)) != std::string::npos)
        chosen = i;
    if (chosen < 0)
      return unsupported(std::string("STRATA_CUDA_DEVICE='") + wanted +
                         "' names none of the GPUs (" + listed + ")");
  }
  context->name = names[chosen];
  const std::pair<int, int *> attributes[] = {
      {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, &context->major},
      {CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, &context->minor},
      {CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK, &context->maxThreads},
      {CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
       &context->maxSharedMemory}};
  if (strata_status_t status =
          context->check(driver.cuDeviceGet(&context->device, chosen),
                         "cuDeviceGet", STRATA_STATUS_UNSUPPORTED))
    return status;
  for (const auto &[attribute, value] : attributes)
    if (strata_status_t status = context->check(
            driver.cuDeviceGetAttribute(value, attribute, context->device),
            "cuDeviceGetAttribute", STRATA_STATUS_UNSUPPORTED))
      return status;
  if (strata_status_t status = context->check(
          driver.cuDevicePrimaryCtxRetain(&context->context, context->device),
          "cuDevicePrimaryCtxRetain", STRATA_STATUS_UNSUPPORTED))
    return status;
  *out = std::make_unique<CudaDevice>(std::move(context));
  return nullptr;
}

} // namespace strata::runtime
