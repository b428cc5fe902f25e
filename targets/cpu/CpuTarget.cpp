//===- CpuTarget.cpp - the x86-64 host target -----------------------------===//
//
// Before dispatch formation, convolutions and contractions are rewritten
// for the cpu's register blocks; each executable's kernels are then tiled,
// vectorized, bufferized and lowered to the LLVM dialect, translated to
// LLVM IR, optimized into an x86-64 object for the host CPU and linked by
// ld.lld into one ELF shared object. The runtime's cpu device dlopens it
// and calls the `strata_*` entry points the KernelABI pass generated.
//
//===----------------------------------------------------------------------===//

#include "targets/cpu/CpuTarget.h"

#include "passes/Pipelines/Pipelines.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

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

/// Sets the pipelines' options: the opt level, and the host's vector
/// width unless `vector-bits` says otherwise.
void setPipelineOptions(const TargetOptions &options,
                        CpuPipelineOptions &pipeline) {
  pipeline.optLevel = options.optLevel;
  auto bits = options.options.find("vector-bits");
  if (bits != options.options.end()) {
    pipeline.vectorBits = std::stoul(bits->second);
    return;
  }
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  pipeline.vectorBits = features.lookup("avx512f") ? 512
                        : features.lookup("avx")   ? 256
                                                   : 128;
}

std::string hostFeatures() {
  std::string features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures()) {
    if (!features.empty())
      features += ",";
    features += (feature.second ? "+" : "-") + feature.first().str();
  }
  return features;
}

class CpuTarget : public TargetBackend {
public:
  llvm::StringRef name() const override { return "cpu"; }

  void registerDialects(DialectRegistry &registry) const override {
    registerPipelineDialects(registry);
    registerBuiltinDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
  }

  LogicalResult checkOptions(const TargetOptions &options,
                             Location loc) const override {
    for (const auto &[key, value] : options.options) {
      if (key != "vector-bits")
        return emitError(loc) << "target 'cpu' has no option '" << key
                              << "' (known: vector-bits)";
      if (value != "128" && value != "256" && value != "512")
        return emitError(loc) << "target 'cpu': vector-bits must be 128, "
                              << "256 or 512, not '" << value << "'";
    }
    return success();
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
    FailureOr<std::string> object =
        emitObject(executable.getInnerModule(), options);
    if (failed(object))
      return failure();
    FailureOr<std::vector<uint8_t>> library =
        link(*object, executable.getLoc());
    if (failed(library))
      return failure();
    return SerializedExecutable{"elf-x86_64-so", std::move(*library)};
  }

private:
  FailureOr<std::string> emitObject(ModuleOp module,
                                    const TargetOptions &options) const {
    Location loc = module.getLoc();
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::LLVMContext llvmContext;
    std::unique_ptr<llvm::Module> llvmModule =
        translateModuleToLLVMIR(module, llvmContext, "strata");
    if (!llvmModule)
      return emitError(loc, "cannot translate the kernels to LLVM IR");

    llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
    std::string error;
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target)
      return emitError(loc, "no LLVM target for the host: ") << error;
    auto codegenLevel = options.optLevel == 0   ? llvm::CodeGenOptLevel::None
                        : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                        : options.optLevel == 2
                            ? llvm::CodeGenOptLevel::Default
                            : llvm::CodeGenOptLevel::Aggressive;
    // Like clang's -ffp-contract=fast: a multiply feeding an add becomes
    // one FMA, which is what the register-blocked contractions are built
    // for. -O0 keeps IEEE multiply-then-add.
    llvm::TargetOptions machineOptions;
    if (options.optLevel > 0)
      machineOptions.AllowFPOpFusion = llvm::FPOpFusion::Fast;
    std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
        triple, llvm::sys::getHostCPUName(), hostFeatures(), machineOptions,
        llvm::Reloc::PIC_, std::nullopt, codegenLevel));
    if (!machine)
      return emitError(loc, "cannot create a target machine for ")
             << triple.str();
    llvmModule->setTargetTriple(triple);
    llvmModule->setDataLayout(machine->createDataLayout());

    if (llvm::Error err = makeOptimizingTransformer(
            options.optLevel, /*sizeLevel=*/0, machine.get())(llvmModule.get()))
      return emitError(loc, "LLVM optimization failed: ")
             << llvm::toString(std::move(err));

    llvm::SmallString<0> object;
    {
      llvm::raw_svector_ostream stream(object);
      llvm::legacy::PassManager codegen;
      if (machine->addPassesToEmitFile(codegen, stream, nullptr,
                                       llvm::CodeGenFileType::ObjectFile))
        return emitError(loc, "the host target cannot emit object files");
      codegen.run(*llvmModule);
    }
    return std::string(object.str());
  }

  /// Links `object` into a shared object with ld.lld. Unresolved libc/libm
  /// symbols (malloc, expf, ...) bind when the runtime dlopens it.
  FailureOr<std::vector<uint8_t>> link(const std::string &object,
                                       Location loc) const {
    llvm::ErrorOr<std::string> lld =
        llvm::sys::findProgramByName("ld.lld", {STRATA_LLD_DIR});
    if (!lld)
      return emitError(loc, "cannot find ld.lld (install lld-22)");
    TempFile input, output;
    int fd;
    if (llvm::sys::fs::createTemporaryFile("strata-kernels", "o", fd,
                                           input.path) ||
        llvm::sys::fs::createTemporaryFile("strata-kernels", "so", output.path))
      return emitError(loc, "cannot create temporary files for linking");
    {
      llvm::raw_fd_ostream stream(fd, /*shouldClose=*/true);
      stream << object;
    }
    SmallVector<StringRef> args = {
        *lld,          "-shared", "--build-id=none", "-z",
        "noexecstack", "-o",      output.path,       input.path};
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
