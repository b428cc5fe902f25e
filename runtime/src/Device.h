//===- Device.h - the interface every device implements ---------*- C++ -*-===//
//
// The runtime core (loader, buffers, schedule) talks to devices only
// through this interface, modelled on IREE's HAL: a device owns its buffers
// and moves data in and out of them, loads executables from blobs, and runs
// command buffers in which dispatches, copies and fills were recorded with
// barriers between dependent commands. A new device adds a folder under
// runtime/devices/ and one line to Device.cpp; runtime/devices/null/ is the
// skeleton to start from.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SRC_DEVICE_H
#define STRATA_RUNTIME_SRC_DEVICE_H

#include "runtime/artifact/Artifact.h"
#include "strata/runtime.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace strata::runtime {

/// Device code loaded from one of an artifact's executables.
class Executable {
public:
  virtual ~Executable() = default;
};

/// Memory a device owns (or host memory it was given to use).
class Buffer {
public:
  explicit Buffer(uint64_t size) : byteSize(size) {}
  virtual ~Buffer() = default;
  uint64_t size() const { return byteSize; }

private:
  uint64_t byteSize;
};

/// A byte range of a buffer, as a command uses it. The core checks every
/// range against its buffer before it records a command.
struct Binding {
  Buffer *buffer = nullptr;
  uint64_t offset = 0;
  uint64_t length = 0;
};

/// Commands recorded for one submission. Commands between two barriers may
/// run in any order or at once; a barrier makes everything before it
/// finish, and its writes visible, before anything after it starts.
class CommandBuffer {
public:
  virtual ~CommandBuffer() = default;

  /// Runs kernel `kernel` of `executable` once per workgroup id in the grid
  /// `workgroups`, with `bindings` (one per kernel binding) and the
  /// kernel's push constants.
  virtual strata_status_t dispatch(Executable &executable, uint32_t kernel,
                                   const uint32_t workgroups[3],
                                   const std::vector<Binding> &bindings,
                                   const std::vector<uint32_t> &pushConstants,
                                   const std::string &label) = 0;
  /// Copies `size` bytes between two ranges of the device's buffers.
  virtual strata_status_t copy(const Binding &src, const Binding &dst,
                               const std::string &label) = 0;
  /// Fills `dst` with the little-endian bytes of `pattern`, repeated.
  virtual strata_status_t fill(const Binding &dst, uint32_t pattern,
                               const std::string &label) = 0;
  virtual void barrier() = 0;
};

/// Named counters a device reports; names are static strings.
using Stats = std::vector<std::pair<const char *, uint64_t>>;

/// One command as a device ran it: the step's label, the kind of command
/// ("dispatch", "copy", "fill"), when it started and how long it took, in
/// microseconds of the steady clock.
struct TraceEvent {
  std::string label;
  const char *category;
  uint64_t startUs, durationUs;
};

class Device {
public:
  virtual ~Device() = default;

  /// The name strata_device_create knows the device by; also the target
  /// name of the artifacts it runs.
  virtual const char *name() const = 0;

  /// Sets option `key` (see docs/runtime.md for each device's). Unknown
  /// keys and bad values fail with a message that names them. Every device
  /// has "trace" ("1" records a TraceEvent per command it runs, "0" stops);
  /// a device handles its own keys and passes the rest here.
  virtual strata_status_t setOption(const std::string &key,
                                    const std::string &value);
  /// The value of option `key` as text, or a status if there is none.
  virtual strata_status_t getOption(const std::string &key,
                                    std::string *value) const;

  /// Whether commands are traced; devices check it when they run one.
  bool tracing() const { return traceOn.load(std::memory_order_relaxed); }
  /// Adds an event to the trace; safe from any thread.
  void record(TraceEvent event);
  /// The events so far, in the order they were recorded.
  std::vector<TraceEvent> trace() const;
  void clearTrace();

  /// The device's own counters, beyond the ones the core keeps for every
  /// device (dispatches, copies, transfers, ...).
  virtual Stats stats() const { return {}; }
  virtual void resetStats() {}

  /// The most push constants one dispatch may carry.
  virtual size_t maxPushConstants() const = 0;

  /// Refuses an executable whose blob is not in `format`, the one format
  /// the device loads (for loadExecutable).
  strata_status_t checkFormat(const artifact::ExecutableSpec &spec,
                              const char *format) const;

  /// Loads executable `spec` from its blob bytes and resolves every kernel,
  /// so that dispatch cannot fail to find one; rejects formats, workgroup
  /// sizes or shared memory the device cannot run. Messages need no
  /// prefix; the caller names the executable.
  virtual strata_status_t loadExecutable(const artifact::ExecutableSpec &spec,
                                         const uint8_t *blob, size_t size,
                                         std::unique_ptr<Executable> *out) = 0;

  /// A new buffer of `size` bytes whose contents are unspecified.
  virtual strata_status_t allocate(uint64_t size, artifact::MemoryKind memory,
                                   std::unique_ptr<Buffer> *out) = 0;
  /// A buffer that uses `size` bytes of host memory at `data` in place,
  /// valid while the caller keeps that memory; `*out` stays null where the
  /// device cannot (its memory is not the host's, or `data` is not aligned
  /// as its kernels need), and the core then allocates and transfers.
  virtual strata_status_t wrapHostMemory(void *data, uint64_t size,
                                         std::unique_ptr<Buffer> *out) = 0;
  /// Copies host memory into a buffer range and back; both return once the
  /// bytes have arrived.
  virtual strata_status_t upload(const Binding &dst, const void *data) = 0;
  virtual strata_status_t download(const Binding &src, void *data) = 0;

  virtual strata_status_t
  createCommandBuffer(std::unique_ptr<CommandBuffer> *out) = 0;
  /// Runs `commands` and returns when all of them have finished.
  virtual strata_status_t submit(CommandBuffer &commands) = 0;

private:
  std::atomic<bool> traceOn{false};
  mutable std::mutex traceMutex;
  std::vector<TraceEvent> events;
};

/// Microseconds on the steady clock, the trace's time base.
uint64_t traceClockUs();

/// Creates a device; returns a status if the device cannot run here.
using DeviceFactory = strata_status_t (*)(std::unique_ptr<Device> *out);

/// The devices strata_device_create knows, in the order it lists them.
struct DeviceEntry {
  const char *name;
  DeviceFactory create;
};
const DeviceEntry *deviceRegistry(size_t *count);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SRC_DEVICE_H
