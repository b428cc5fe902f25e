//===- CpuTarget.cpp - the x86-64 host target -----------------------------===//
//
// Before dispatch formation, convolutions and contractions are rewritten
// for the cpu's register blocks; each executable's kernels are then tiled,
// vectorized, bufferized and lowered to the LLVM dialect, translated to
// LLVM IR, optimized into x86-64 objects for the chosen cpu (CpuModel.h;
// the host's by default) and linked by ld.lld into one ELF shared object. The
// runtime's cpu device dlopens it and calls the `strata_*` entry points the
// KernelABI pass generated.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuTarget.h"
#include "targets/cpu/CpuModel.h"
#include "targets/cpu/EmitObjects.h"

#include "dialects/Strata/Transforms/Passes.h"
#include "passes/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::strata {
namespace {

/// A temporary file removed when it goes out of scope.
struct TempFile {
  llvm::SmallString<128> path;
  ~TempFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};

/// The model of checked options; checkOptions() reported any error.
CpuModel modelOf(const TargetOptions &options) {
  std::string error;
  FailureOr<CpuModel> model = resolveCpuModel(options, error);
  if (failed(model))
    llvm::report_fatal_error(llvm::Twine("target 'cpu': ") + error);
  return *model;
}

void setPipelineOptions(const TargetOptions &options,
                        CpuPipelineOptions &pipeline) {
  CpuModel model = modelOf(options);
  pipeline.optLevel = options.optLevel;
  pipeline.vectorBits = model.vectorBits;
  pipeline.vectorRegisters = model.vectorRegisters;
  pipeline.l2Bytes = model.l2Bytes;
}

class CpuTarget : public TargetBackend {
public:
  llvm::StringRef name() const override { return "cpu"; }

  void registerDialects(DialectRegistry &registry) const override {
    registerPipelineDialects(registry);
    registerBuiltinDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
  }

  std::vector<std::string> optionKeys() const override {
    return {"cpu", "f16", "vector-bits"};
  }

  LogicalResult checkOptions(const TargetOptions &options,
                             Location loc) const override {
    for (const auto &[key, value] : options.options) {
      if (key != "vector-bits" && key != "cpu" && key != "f16")
        return emitError(loc) << "target 'cpu' has no option '" << key
                              << "' (known: cpu, f16, vector-bits)";
      if (key == "f16" && value != "f32" && value != "strict")
        return emitError(loc) << "target 'cpu': f16 must be f32 (compute "
                              << "f16 chains in f32) or strict (round after "
                              << "every op), not '" << value << "'";
      if (key == "vector-bits" && value != "128" && value != "256" &&
          value != "512")
        return emitError(loc) << "target 'cpu': vector-bits must be 128, "
                              << "256 or 512, not '" << value << "'";
    }
    std::string error;
    if (failed(resolveCpuModel(options, error)))
      return emitError(loc) << "target 'cpu': " << error;
    return success();
  }

  void buildStrataPipeline(OpPassManager &pm,
                           const TargetOptions &options) const override {
    if (options.lookup("f16", "") != "strict")
      pm.addNestedPass<func::FuncOp>(createStrataWidenF16Pass());
  }

  void
  buildGlobalOptimizationPipeline(OpPassManager &pm,
                                  const TargetOptions &options) const override {
    CpuPipelineOptions pipeline;
    setPipelineOptions(options, pipeline);
    buildCpuGlobalOptimizationPipeline(pm, pipeline);
  }

  void buildExecutablePipeline(OpPassManager &pm,
                               const TargetOptions &options) const override {
    CpuPipelineOptions pipeline;
    setPipelineOptions(options, pipeline);
    buildCpuCodegenPipeline(pm, pipeline);
  }

  FailureOr<SerializedExecutable>
  serializeExecutable(schedule::ExecutableOp executable,
                      const TargetOptions &options) const override {
    CpuModel model = modelOf(options);
    FailureOr<EmittedCode> code = emitObjects(
        executable.getInnerModule(), model, options.optLevel, options.listings);
    if (failed(code))
      return failure();
    FailureOr<std::vector<uint8_t>> library =
        link(code->objects, executable.getLoc());
    if (failed(library))
      return failure();
    SerializedExecutable result;
    result.format = "elf-x86_64-so";
    result.bytes = std::move(*library);
    result.processor = model.cpu;
    result.features = model.requiredFeatures();
    if (options.listings)
      result.listings.emplace_back(".s", std::move(code->assembly));
    return result;
  }

private:
  /// Links `objects`, in order, into a shared object with ld.lld, with the
  /// compiler-rt builtins LLVM calls for conversions the cpu has no
  /// instruction for (kept local to the library). Unresolved libc/libm
  /// symbols (malloc, expf, ...) bind when the runtime dlopens it.
  FailureOr<std::vector<uint8_t>> link(const std::vector<std::string> &objects,
                                       Location loc) const {
    llvm::ErrorOr<std::string> lld =
        llvm::sys::findProgramByName("ld.lld", {STRATA_LLD_DIR});
    if (!lld)
      return emitError(loc, "cannot find ld.lld (install lld-22)");
    std::vector<TempFile> inputs(objects.size());
    TempFile output;
    if (llvm::sys::fs::createTemporaryFile("strata-kernels", "so", output.path))
      return emitError(loc, "cannot create temporary files for linking");
    SmallVector<StringRef> args = {*lld,       "-shared",     "--build-id=none",
                                   "-z",       "noexecstack", "-o",
                                   output.path};
    for (auto [object, input] : llvm::zip(objects, inputs)) {
      int fd;
      if (llvm::sys::fs::createTemporaryFile("strata-kernels", "o", fd,
                                             input.path))
        return emitError(loc, "cannot create temporary files for linking");
      llvm::raw_fd_ostream stream(fd, /*shouldClose=*/true);
      stream << object;
      args.push_back(input.path);
    }
    args.append({"--exclude-libs=ALL", STRATA_CLANG_RT_BUILTINS});
    std::string message;
    int status =
        llvm::sys::ExecuteAndWait(*lld, args, std::nullopt, {}, 0, 0, &message);
    if (status != 0)
      return emitError(loc, "ld.lld failed (status ")
             << status << ")" << (message.empty() ? "" : ": ") << message;
    auto library = llvm::MemoryBuffer::getFile(output.path);
    if (!library)
      return emitError(loc, "cannot read the linked kernels: ")
             << library.getError().message();
    StringRef bytes = (*library)->getBuffer();
    return std::vector<uint8_t>(bytes.begin(), bytes.end());
  }
};

} // namespace

std::unique_ptr<TargetBackend> createCpuTarget() {
  return std::make_unique<CpuTarget>();
}

} // namespace mlir::strata
