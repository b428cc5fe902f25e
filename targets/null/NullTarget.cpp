//===- NullTarget.cpp - the target whose code computes nothing ------------===//
//
// The skeleton a new target is cloned from, paired with the runtime's null
// device: it compiles nothing, so its executables are empty blobs of
// format "null" whose kernels keep the contract dispatch formation gave
// them (one workgroup each). An artifact for it runs the whole schedule,
// with every transfer and barrier, without computing. A new target copies
// this folder, fills in each method and adds its line to
// TargetRegistry.cpp.
//
//===----------------------------------------------------------------------===//

#include "targets/null/NullTarget.h"

namespace mlir::strata {
namespace {

class NullTarget : public TargetBackend {
public:
  llvm::StringRef name() const override { return "null"; }

  /// A real target registers the dialects its pipelines produce and the
  /// translations its serialization uses.
  void registerDialects(DialectRegistry &) const override {}

  /// A real target lowers the executable's kernels to device code here and
  /// fills in each export: the function that implements it, its workgroup
  /// count and size, its scratch, push constants and shared memory.
  void buildExecutablePipeline(OpPassManager &,
                               const TargetOptions &) const override {}

  /// A real target emits the binary its runtime device loads.
  FailureOr<SerializedExecutable>
  serializeExecutable(schedule::ExecutableOp,
                      const TargetOptions &) const override {
    SerializedExecutable blob;
    blob.format = "null";
    return blob;
  }
};

} // namespace

std::unique_ptr<TargetBackend> createNullTarget() {
  return std::make_unique<NullTarget>();
}

} // namespace mlir::strata
