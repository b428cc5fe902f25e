//===- TargetBackend.h - the interface every target implements --*- C++ -*-===//
//
// A target compiles and serializes one schedule.executable at a time: it
// may add passes on linalg on tensors before dispatch formation (as IREE's
// global optimizations do), adds the passes that turn an executable's
// kernels into device code and fill in their exports, and serializes the
// result into one blob. Targets register by name; a new one adds a folder
// here and one under runtime/devices/, and a line in TargetRegistry.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_TARGETBACKEND_H
#define STRATA_TARGETS_TARGETBACKEND_H

#include "dialects/Schedule/IR/ScheduleOps.h"

#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mlir::strata {

struct TargetOptions {
  /// 0 to 3, as -O0..-O3.
  unsigned optLevel = 2;
  /// Options of the target itself (`--target-option=KEY=VALUE`); each
  /// target checks its own keys in checkOptions().
  std::map<std::string, std::string> options;
  /// Whether serializeExecutable also returns listings of the device code
  /// (--dump-stages writes them).
  bool listings = false;

  /// The value of option `key`, or `fallback` when it is not given.
  std::string lookup(llvm::StringRef key, llvm::StringRef fallback) const {
    auto it = options.find(key.str());
    return it == options.end() ? fallback.str() : it->second;
  }
};

/// The device code of one executable.
struct SerializedExecutable {
  /// The blob's format, which the device that runs it knows.
  std::string format;
  std::vector<uint8_t> bytes;
  /// What the code was built for, and the instruction-set features it
  /// needs, which the device checks at load; empty when it needs none.
  std::string processor;
  std::vector<std::string> features;
  /// Readable forms of the code, e.g. {".s", assembly}, when asked for.
  std::vector<std::pair<std::string, std::string>> listings;
};

class TargetBackend {
public:
  virtual ~TargetBackend() = default;
  /// The target's name, also the runtime device's that runs its code.
  virtual llvm::StringRef name() const = 0;
  /// Adds the dialects and interfaces the pipelines and serialize need.
  virtual void registerDialects(DialectRegistry &registry) const = 0;
  /// The keys of `--target-option` this target takes; in a compile for
  /// several targets each one gets only its own.
  virtual std::vector<std::string> optionKeys() const { return {}; }
  /// Reports an unknown key or a bad value of `options.options`.
  virtual LogicalResult checkOptions(const TargetOptions &options,
                                     Location loc) const;
  /// Passes on the strata IR of the whole module, before it is lowered:
  /// the target's arithmetic policy (e.g. f16 chains computed in f32); none
  /// by default.
  virtual void buildStrataPipeline(OpPassManager &pm,
                                   const TargetOptions &options) const {}
  /// Passes on the whole module, on linalg on tensors, before dispatch
  /// formation; none by default.
  virtual void
  buildGlobalOptimizationPipeline(OpPassManager &pm,
                                  const TargetOptions &options) const {}
  /// The target whose device runs the kernels this one cannot (an
  /// accelerator's host), as the last device slot when this target is
  /// compiled for alone; none by default.
  virtual llvm::StringRef hostFallback() const { return {}; }
  /// Passes on the schedule between dispatch formation and placement that
  /// mark the dispatches this target cannot run (`schedule.fallback`), when
  /// it has a host fallback.
  virtual void buildFallbackPipeline(OpPassManager &pm,
                                     const TargetOptions &options) const {}
  /// Dense constants of at least this many bytes are buffers of the
  /// schedule rather than data inside kernels (GPU kernels hold none).
  virtual int64_t minHostConstantBytes() const { return 1024; }
  /// Whether a pooling after a contraction must be a step of its own (the
  /// target runs one and not the other).
  virtual bool separatesPooling() const { return false; }
  /// Passes anchored on a schedule.executable of this target that compile
  /// its kernels and complete their exports (workgroups, scratch, the
  /// function that implements each).
  virtual void buildExecutablePipeline(OpPassManager &pm,
                                       const TargetOptions &options) const = 0;
  /// Emits the compiled executable's device code; reports failures on its
  /// context.
  virtual FailureOr<SerializedExecutable>
  serializeExecutable(schedule::ExecutableOp executable,
                      const TargetOptions &options) const = 0;
};

/// The target called `name`, or null.
const TargetBackend *lookupTargetBackend(llvm::StringRef name);

/// Every registered target's name, for messages.
std::vector<std::string> targetBackendNames();

} // namespace mlir::strata

#endif // STRATA_TARGETS_TARGETBACKEND_H
