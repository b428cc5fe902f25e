//===- TargetBackend.h - the interface every target implements --*- C++ -*-===//
//
// A target turns linalg on tensors into one executable blob: it adds its
// pipeline to a pass manager and serializes the result. Targets register by
// name; a new one adds a folder here and one under runtime/devices/.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_TARGETBACKEND_H
#define STRATA_TARGETS_TARGETBACKEND_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::strata {

struct TargetOptions {
  /// 0 to 3, as -O0..-O3.
  unsigned optLevel = 2;
};

/// One entry point of an executable, called through the device's ABI.
struct KernelInfo {
  std::string name;
  std::string symbol;
  uint32_t bindings = 0;
  /// Byte sizes of the trailing bindings that are scratch memory (the
  /// kernel's intermediates), in binding order.
  std::vector<uint64_t> transients;
  /// Workgroups the dispatch of this kernel runs (along x).
  uint32_t workgroups = 1;
};

/// Device code for one blob of the artifact.
struct Executable {
  std::string format;
  std::vector<uint8_t> bytes;
  std::vector<KernelInfo> kernels;
};

class TargetBackend {
public:
  virtual ~TargetBackend() = default;
  virtual llvm::StringRef name() const = 0;
  /// Adds the passes from linalg on tensors to what serialize() takes.
  virtual void buildPipeline(OpPassManager &pm,
                             const TargetOptions &options) const = 0;
  /// Adds the dialects and interfaces the pipeline and serialize() need.
  virtual void registerDialects(DialectRegistry &registry) const = 0;
  /// Emits the executable; reports failures on the module's context.
  virtual FailureOr<Executable> serialize(ModuleOp module,
                                          const TargetOptions &options) const = 0;
};

/// The target called `name`, or null.
const TargetBackend *lookupTargetBackend(llvm::StringRef name);

/// Every registered target's name, for messages.
std::vector<std::string> targetBackendNames();

} // namespace mlir::strata

#endif // STRATA_TARGETS_TARGETBACKEND_H
