//===- Artifact.h - the .strata artifact: model, writer, reader -*- C++ -*-===//
//
// The in-memory model of a .strata artifact (docs/artifact-format.md), shared
// by the compiler, which fills it and serializes it, and the runtime, which
// parses and validates a file into it. Plain C++17 with no exceptions in the
// interface and no MLIR/LLVM, so both sides can link it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_ARTIFACT_ARTIFACT_H
#define STRATA_RUNTIME_ARTIFACT_ARTIFACT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::artifact {

/// The 8 bytes every artifact starts with.
inline constexpr char kMagic[8] = {'\x89', 'S', 'T', 'R', 'A', 'T', 'A', '\n'};
/// The file format version this library writes and reads.
inline constexpr uint32_t kFormatVersion = 4;
/// The manifest's "format" field.
inline constexpr const char *kFormatName = "strata-artifact";
/// Size of the fixed header; also the alignment of every blob.
inline constexpr uint32_t kHeaderSize = 64;
inline constexpr uint64_t kBlobAlignment = 64;
/// Where the compiler starts every binding within its buffer; GPU kernels
/// are compiled to rely on it, and the cuda device checks it.
inline constexpr uint64_t kBindingAlignment = 64;

/// Bytes per element of a dtype name (f32, i64, i1, ...); -1 if unknown.
int64_t dtypeSize(std::string_view dtype);

/// The 64-bit FNV-1a hash of `size` bytes: the checksum of the manifest and
/// of every blob.
uint64_t checksum(const uint8_t *data, size_t size);

/// A function input or output: static shape, dims >= 0.
struct TensorSpec {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
};

/// Byte size of `tensor` (dims times dtype size); false on an unknown dtype,
/// a negative dim or overflow.
bool tensorByteSize(const TensorSpec &tensor, uint64_t *bytes);

/// Where a buffer's memory lives on its device.
enum class MemoryKind {
  /// The device's own memory, fastest for its kernels; the host reaches it
  /// only through upload and download.
  Device,
  /// Host memory the device can read and write (staging, mapped memory).
  Host,
};

/// How a kernel uses one of its bindings.
enum class Access { Read, Write, ReadWrite };

/// One buffer of a function's schedule.
struct BufferSpec {
  enum class Kind { Input, Output, Transient, Constant };
  Kind kind = Kind::Transient;
  /// Input or output index (Input and Output only).
  uint32_t index = 0;
  /// Size in bytes.
  uint64_t size = 0;
  /// The blob that holds the data (Constant only).
  int64_t blob = -1;
  /// The device slot whose memory holds the buffer.
  uint32_t device = 0;
  MemoryKind memory = MemoryKind::Device;
};

/// A byte range of a buffer, as a dispatch binds it.
struct BindingSpec {
  uint32_t buffer = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
  /// The tensor the range holds, where the compiler recorded it (empty
  /// dtype otherwise; scratch has none), for tools that inspect a step's
  /// results.
  std::string dtype;
  std::vector<int64_t> shape;
};

/// One step of a function's schedule, run in order.
struct StepSpec {
  enum class Op { Dispatch, Copy, Fill };
  Op op = Op::Dispatch;
  /// The layer or op the step came from, for reports and traces.
  std::string name;
  /// Dispatch: kernel `kernel` of executable `executable` over `workgroups`,
  /// with one binding per kernel binding and the kernel's push constants.
  uint32_t executable = 0, kernel = 0;
  uint32_t workgroups[3] = {1, 1, 1};
  std::vector<BindingSpec> bindings;
  std::vector<uint32_t> pushConstants;
  /// Dispatch: kernels of the same executable that run after `kernel`, in
  /// order, each after a barrier and with the same bindings and push
  /// constants (a GPU kernel whose steps each need all of the one before,
  /// split at its steps).
  struct Phase {
    uint32_t kernel = 0;
    uint32_t workgroups[3] = {1, 1, 1};
  };
  std::vector<Phase> then;
  /// Copy: `size` bytes from `src` at `srcOffset` to `dst` at `dstOffset`;
  /// the buffers may live on different devices. Fill: `size` bytes of `dst`
  /// from `dstOffset` on with the little-endian bytes of `fillPattern`,
  /// repeated.
  uint32_t src = 0, dst = 0;
  uint64_t srcOffset = 0, dstOffset = 0;
  uint64_t size = 0;
  uint32_t fillPattern = 0;
};

/// A TMA tensor map through which a cuda kernel reads one binding: the
/// binding's bytes as a dense row-major tensor of `dtype` and `shape`,
/// copied in boxes of `box` elements into shared memory swizzled in rows
/// of `swizzle` bytes (0: not swizzled), zeros past the shape. The device
/// encodes it for each dispatch and writes it to the kernel module's
/// global `symbol` before the launch.
struct TensorMapSpec {
  uint32_t binding = 0;
  std::string symbol;
  std::string dtype;
  std::vector<int64_t> shape;
  std::vector<uint32_t> box;
  uint32_t swizzle = 0;
};

/// The most dims a tensor map has (the driver's limit).
inline constexpr size_t kMaxTensorMapRank = 5;

/// One entry point of an executable: the contract every device shares.
struct KernelSpec {
  std::string name;
  /// The symbol that implements it (cpu: an exported function).
  std::string symbol;
  /// How the kernel uses each of its bindings, in binding order.
  std::vector<Access> bindings;
  /// Invocations of one workgroup (threads of a block on a GPU; 1x1x1 on
  /// the cpu, where a workgroup is one call).
  uint32_t workgroupSize[3] = {1, 1, 1};
  /// Number of 32-bit push constants every dispatch of it passes.
  uint32_t pushConstants = 0;
  /// Workgroup (shared) memory one workgroup uses, in bytes.
  uint64_t sharedMemory = 0;
  /// The tensor maps it reads bindings through (cuda only).
  std::vector<TensorMapSpec> tensorMaps;
};

/// Device code in one blob, e.g. format "elf-x86_64-so" for the cpu device.
struct ExecutableSpec {
  /// The device slot that runs it.
  uint32_t device = 0;
  std::string format;
  uint32_t blob = 0;
  std::vector<KernelSpec> kernels;
  /// The processor the code was compiled for, for messages (cpu: an LLVM
  /// cpu name); may be empty.
  std::string processor;
  /// Instruction-set features the code uses, which the device checks at
  /// load (cpu: LLVM's names, from runtime/devices/cpu/CpuFeatures.h).
  std::vector<std::string> features;
};

/// A device the artifact runs on: a slot that the loader binds to a device
/// of the runtime whose name is `target`.
struct DeviceSpec {
  std::string target;
};

/// An entry point of the model: its signature, buffers and schedule.
struct FunctionSpec {
  std::string name;
  std::vector<TensorSpec> inputs, outputs;
  std::vector<BufferSpec> buffers;
  std::vector<StepSpec> schedule;
};

/// A whole artifact. `blobs` holds the bytes of executables and constants.
struct ArtifactSpec {
  std::string producer;
  std::vector<DeviceSpec> devices;
  std::vector<ExecutableSpec> executables;
  std::vector<FunctionSpec> functions;
  std::vector<std::vector<uint8_t>> blobs;
};

/// The manifest spelling of an access, a memory kind, a buffer kind and a
/// step op.
const char *accessName(Access access);
const char *memoryKindName(MemoryKind kind);
const char *bufferKindName(BufferSpec::Kind kind);
const char *stepOpName(StepSpec::Op op);

/// A byte range of a buffer that a step reads or writes.
struct BufferUse {
  uint32_t buffer;
  uint64_t offset, length;
  bool written;
};

/// The ranges `step` reads and writes: a dispatch's bindings as its
/// kernel's access says (a read-write binding twice), a copy's source and
/// destination, a fill's destination.
std::vector<BufferUse> stepUses(const ArtifactSpec &spec, const StepSpec &step);

/// "step 3 (dispatch 'conv1')": how messages name a step.
std::string stepLabel(size_t index, const StepSpec &step);

/// Whether `access` reads or writes.
inline bool reads(Access access) { return access != Access::Write; }
inline bool writes(Access access) { return access != Access::Read; }

/// The device slot a step runs on: a dispatch's executable's, a fill's
/// destination's, a copy's source's (a copy between two devices is a
/// transfer that both take part in).
uint32_t stepDevice(const ArtifactSpec &spec, const FunctionSpec &function,
                    const StepSpec &step);

/// A blob inside a parsed file's bytes.
struct BlobView {
  const uint8_t *data = nullptr;
  uint64_t size = 0;
};

/// Checks everything about `spec` that the loader checks about a manifest
/// (names, dtypes, indices, sizes, counts). Sets `*error` to a one-line
/// message and returns false on the first problem.
bool validate(const ArtifactSpec &spec, std::string *error);

/// The artifact file for `spec`: deterministic, byte-identical for equal
/// specs. Does not validate; call validate() first.
std::vector<uint8_t> serialize(const ArtifactSpec &spec);

/// Parses and fully validates the `size` bytes at `data`, checksums
/// included. On success fills `*out` with `blobs` left empty and `*blobs`
/// with views into `data`; on failure sets `*error` to a one-line message.
bool parseView(const uint8_t *data, size_t size, ArtifactSpec *out,
               std::vector<BlobView> *blobs, std::string *error);

/// Like parseView() but copies the blobs into `out->blobs`.
bool parse(const uint8_t *data, size_t size, ArtifactSpec *out,
           std::string *error);

/// Writes `bytes` to `path` through a temporary file in the same directory,
/// fsync and rename, so `path` is never half-written. "-" writes stdout.
bool writeFileAtomically(const std::string &path,
                         const std::vector<uint8_t> &bytes, std::string *error);

} // namespace strata::artifact

#endif // STRATA_RUNTIME_ARTIFACT_ARTIFACT_H
