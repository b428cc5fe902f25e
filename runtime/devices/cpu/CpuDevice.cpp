//===- CpuDevice.cpp - the cpu device -------------------------------------===//
//
// An executable's shared object is written to an anonymous memfd and
// dlopen'ed through /proc/self/fd, so nothing touches the file system; a
// temporary file is the fallback where memfds or /proc are missing. The fd
// stays open while the library is loaded: glibc recognizes loaded libraries
// by path, and a reused fd number must not alias an earlier library.
//
//===----------------------------------------------------------------------===//

#include "runtime/devices/cpu/CpuDevice.h"
#include "runtime/devices/cpu/CpuFeatures.h"
#include "runtime/devices/cpu/HostMemory.h"
#include "runtime/devices/cpu/ThreadPool.h"
#include "runtime/src/Status.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

namespace strata::runtime {

namespace {

using KernelFunction = int32_t (*)(void *const *bindings, uint32_t wgX,
                                   uint32_t wgY, uint32_t wgZ);

std::string fdPath(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

/// Whether a loaded library already goes by `path`.
bool pathInUse(const std::string &path) {
  void *loaded = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
  if (loaded)
    ::dlclose(loaded);
  return loaded != nullptr;
}

class CpuExecutable : public Executable {
public:
  ~CpuExecutable() override {
    if (library)
      ::dlclose(library);
    // A library that stays loaded (linked with -z nodelete, or opened again
    // elsewhere) keeps its /proc/self/fd name: keep the fd too, so that its
    // number is not reused for another library.
    if (fd >= 0 && !pathInUse(fdPath(fd)))
      ::close(fd);
  }

  void *library = nullptr;
  int fd = -1;
  std::vector<KernelFunction> kernels;
  std::vector<std::string> kernelNames;
};

strata_status_t unsupported(const std::string &message) {
  return makeStatus(STRATA_STATUS_UNSUPPORTED, message);
}

/// Refuses code that uses instructions this host lacks: it would die of
/// SIGILL in the middle of a call.
strata_status_t checkFeatures(const artifact::ExecutableSpec &spec) {
  for (const std::string &feature : spec.features) {
    std::optional<bool> present = hostHasCpuFeature(feature);
    if (!present)
      return unsupported("needs the cpu feature '" + feature +
                         "', which this runtime cannot check");
    if (!*present)
      return unsupported(
          "compiled for cpu '" + spec.processor + "', needs '" + feature +
          "', which this host (" + hostCpuBrand() +
          ") lacks; recompile with --target-option=cpu=native, or for a "
          "cpu this host implements (e.g. cpu=x86-64-v3)");
  }
  return nullptr;
}

bool writeAll(int fd, const uint8_t *data, size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR)
      continue;
    if (written <= 0)
      return false;
    data += written;
    size -= static_cast<size_t>(written);
  }
  return true;
}

/// Checks the ELF header, so a wrong blob gets a better message than
/// dlopen's.
strata_status_t checkElf(const uint8_t *blob, size_t size) {
  constexpr size_t kElfHeaderSize = 64;
  constexpr uint8_t kElfMagic[4] = {0x7f, 'E', 'L', 'F'};
  if (size < kElfHeaderSize || std::memcmp(blob, kElfMagic, 4) != 0)
    return unsupported("blob is not an ELF file");
  if (blob[4] != 2 || blob[5] != 1)
    return unsupported("blob is not a 64-bit little-endian ELF file");
  uint16_t type = blob[16] | (blob[17] << 8);
  uint16_t machine = blob[18] | (blob[19] << 8);
  if (type != 3 /*ET_DYN*/)
    return unsupported("blob is an ELF file but not a shared object");
  if (machine != 62 /*EM_X86_64*/)
    return unsupported("blob is an ELF shared object for machine " +
                       std::to_string(machine) + ", not x86-64");
  return nullptr;
}

/// dlopens `blob` from a memfd, or from a temporary file where that fails
/// or the memfd's path already names a loaded library.
strata_status_t openLibrary(const uint8_t *blob, size_t size,
                            CpuExecutable *exe) {
  int fd = ::memfd_create("strata-executable", MFD_CLOEXEC);
  if (fd >= 0) {
    std::string path = fdPath(fd);
    if (writeAll(fd, blob, size) && ::access(path.c_str(), R_OK) == 0 &&
        !pathInUse(path)) {
      exe->fd = fd;
      exe->library = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!exe->library)
        return unsupported(std::string("dlopen failed: ") + ::dlerror());
      return nullptr;
    }
    ::close(fd);
  }

  const char *dir = std::getenv("TMPDIR");
  std::string path =
      std::string(dir && *dir ? dir : "/tmp") + "/strata-executable-XXXXXX";
  fd = ::mkstemp(path.data());
  if (fd < 0)
    return makeStatus(STRATA_STATUS_IO_ERROR,
                      "cannot create a temporary file for the shared object: " +
                          std::string(std::strerror(errno)));
  bool written = writeAll(fd, blob, size);
  ::close(fd);
  if (written)
    exe->library = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  // The mapping outlives the name.
  ::unlink(path.c_str());
  if (!written)
    return makeStatus(STRATA_STATUS_IO_ERROR,
                      "cannot write the shared object to '" + path + "'");
  if (!exe->library)
    return unsupported(std::string("dlopen failed: ") + ::dlerror());
  return nullptr;
}

/// Threads from STRATA_CPU_THREADS, else the hardware's.
strata_status_t defaultThreads(uint32_t *threads) {
  const char *env = std::getenv("STRATA_CPU_THREADS");
  if (env && *env) {
    char *end = nullptr;
    errno = 0;
    unsigned long value = std::strtoul(env, &end, 10);
    if (*end != '\0' || errno != 0 || value == 0 || value > 4096 ||
        env[0] == '-')
      return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                        "STRATA_CPU_THREADS='" + std::string(env) +
                            "' is not a thread count in [1, 4096]");
    *threads = static_cast<uint32_t>(value);
    return nullptr;
  }
  *threads = std::max(1u, std::thread::hardware_concurrency());
  return nullptr;
}

/// Parses a thread count option: "0" (the default) or 1..4096.
strata_status_t parseThreads(const std::string &value, uint32_t *threads) {
  char *end = nullptr;
  errno = 0;
  unsigned long parsed = std::strtoul(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0 || parsed > 4096 ||
      value[0] == '-')
    return makeStatus(STRATA_STATUS_INVALID_ARGUMENT,
                      "option 'threads': '" + value +
                          "' is not a thread count in [0, 4096] (0: default)");
  *threads = static_cast<uint32_t>(parsed);
  if (*threads == 0)
    return defaultThreads(threads);
  return nullptr;
}

class CpuDevice;

/// Dispatches call the kernel once per workgroup, on the device's pool.
class CpuCommandBuffer : public HostCommandBuffer {
public:
  explicit CpuCommandBuffer(CpuDevice &device);
  strata_status_t dispatch(Executable &executable, uint32_t kernel,
                           const uint32_t workgroups[3],
                           const std::vector<Binding> &bindings,
                           const std::vector<uint32_t> &pushConstants,
                           const std::string &label) override;

private:
  CpuDevice &device;
};

class CpuDevice : public HostMemoryDevice {
public:
  explicit CpuDevice(uint32_t threads) : threadCount(threads) {}

  const char *name() const override { return "cpu"; }

  strata_status_t setOption(const std::string &key,
                            const std::string &value) override {
    if (key != "threads")
      return Device::setOption(key, value);
    uint32_t threads;
    if (strata_status_t status = parseThreads(value, &threads))
      return status;
    std::lock_guard<std::mutex> lock(poolMutex);
    threadCount = threads;
    pool.reset();
    return nullptr;
  }

  strata_status_t getOption(const std::string &key,
                            std::string *value) const override {
    if (key != "threads")
      return Device::getOption(key, value);
    *value = std::to_string(threadCount.load());
    return nullptr;
  }

  // The kernel ABI has no push constant argument.
  size_t maxPushConstants() const override { return 0; }

  strata_status_t loadExecutable(const artifact::ExecutableSpec &spec,
                                 const uint8_t *blob, size_t size,
                                 std::unique_ptr<Executable> *out) override {
    if (strata_status_t status = checkFormat(spec, "elf-x86_64-so"))
      return status;
#if !defined(__x86_64__)
    return unsupported("format 'elf-x86_64-so' needs an x86-64 host");
#endif
    for (const artifact::KernelSpec &kernel : spec.kernels) {
      const uint32_t *size = kernel.workgroupSize;
      if (size[0] != 1 || size[1] != 1 || size[2] != 1)
        return unsupported(
            "kernel '" + kernel.name + "': workgroup size " +
            std::to_string(size[0]) + "x" + std::to_string(size[1]) + "x" +
            std::to_string(size[2]) + "; a cpu workgroup is one call (1x1x1)");
    }
    if (strata_status_t status = checkFeatures(spec))
      return status;
    if (strata_status_t status = checkElf(blob, size))
      return status;
    auto exe = std::make_unique<CpuExecutable>();
    if (strata_status_t status = openLibrary(blob, size, exe.get()))
      return status;
    for (const artifact::KernelSpec &kernel : spec.kernels) {
      ::dlerror();
      void *symbol = ::dlsym(exe->library, kernel.symbol.c_str());
      if (!symbol)
        return unsupported("kernel '" + kernel.name + "': symbol '" +
                           kernel.symbol + "' not found in the shared object");
      exe->kernels.push_back(reinterpret_cast<KernelFunction>(symbol));
      exe->kernelNames.push_back(kernel.name);
    }
    *out = std::move(exe);
    return nullptr;
  }

  strata_status_t
  createCommandBuffer(std::unique_ptr<CommandBuffer> *out) override {
    *out = std::make_unique<CpuCommandBuffer>(*this);
    return nullptr;
  }

  strata_status_t submit(CommandBuffer &commands) override {
    return static_cast<CpuCommandBuffer &>(commands).run();
  }

  /// Runs every workgroup of one dispatch; returns when all have finished.
  strata_status_t run(const CpuExecutable &exe, uint32_t kernel,
                      const uint32_t workgroups[3],
                      const std::vector<void *> &bindings,
                      const std::string &label) {
    KernelFunction function = exe.kernels[kernel];
    const uint64_t x = workgroups[0], y = workgroups[1], z = workgroups[2];
    const uint64_t total = x * y * z; // validated to stay far below 2^64
    std::atomic<int32_t> failure{0};
    std::atomic<uint64_t> failedAt{0};
    auto run = [&](uint64_t id) {
      int32_t code = function(bindings.data(), static_cast<uint32_t>(id % x),
                              static_cast<uint32_t>(id / x % y),
                              static_cast<uint32_t>(id / (x * y)));
      if (code == 0)
        return true;
      int32_t none = 0;
      if (failure.compare_exchange_strong(none, code))
        failedAt = id;
      return false;
    };

    if (threadCount <= 1 || total <= 1) {
      for (uint64_t id = 0; id < total && run(id); ++id) {
      }
    } else {
      std::lock_guard<std::mutex> lock(poolMutex);
      if (!pool)
        pool = std::make_unique<ThreadPool>(threadCount);
      pool->parallelFor(total, run);
    }
    if (int32_t code = failure.load()) {
      uint64_t id = failedAt.load();
      return makeStatus(STRATA_STATUS_KERNEL_FAILED,
                        label + ": kernel '" + exe.kernelNames[kernel] +
                            "' failed with code " + std::to_string(code) +
                            " in workgroup (" + std::to_string(id % x) + ", " +
                            std::to_string(id / x % y) + ", " +
                            std::to_string(id / (x * y)) + ")");
    }
    return nullptr;
  }

private:
  std::mutex poolMutex; // one dispatch on the pool at a time
  std::atomic<uint32_t> threadCount;
  std::unique_ptr<ThreadPool> pool; // made at the first parallel dispatch
};

CpuCommandBuffer::CpuCommandBuffer(CpuDevice &device)
    : HostCommandBuffer(device), device(device) {}

strata_status_t CpuCommandBuffer::dispatch(Executable &executable,
                                           uint32_t kernel,
                                           const uint32_t workgroups[3],
                                           const std::vector<Binding> &bindings,
                                           const std::vector<uint32_t> &,
                                           const std::string &label) {
  auto &exe = static_cast<CpuExecutable &>(executable);
  std::vector<void *> pointers;
  pointers.reserve(bindings.size());
  for (const Binding &binding : bindings)
    pointers.push_back(hostAddress(binding));
  std::array<uint32_t, 3> grid = {workgroups[0], workgroups[1], workgroups[2]};
  CpuDevice *cpu = &device;
  add(label, "dispatch",
      [cpu, &exe, kernel, grid, pointers = std::move(pointers), label] {
        return cpu->run(exe, kernel, grid.data(), pointers, label);
      });
  return nullptr;
}

} // namespace

strata_status_t createCpuDevice(std::unique_ptr<Device> *out) {
  uint32_t threads;
  if (strata_status_t status = defaultThreads(&threads))
    return status;
  *out = std::make_unique<CpuDevice>(threads);
  return nullptr;
}

} // namespace strata::runtime
