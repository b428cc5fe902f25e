//===- CpuTarget.cpp - the x86-64 host target -----------------------------===//
//
// LLVM dialect -> LLVM IR -> optimized x86-64 object for the host CPU ->
// ELF shared object linked by ld.lld. The runtime's cpu device dlopens it
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

  void buildPipeline(OpPassManager &pm,
                     const TargetOptions &options) const override {
    PipelineOptions pipeline;
    pipeline.optLevel = options.optLevel;
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    pipeline.vectorBits = features.lookup("avx512f") ? 512
                          : features.lookup("avx")   ? 256
                                                     : 128;
    buildCpuCodegenPipeline(pm, pipeline);
  }

  FailureOr<Executable> serialize(ModuleOp module,
                                  const TargetOptions &options) const override {
    Location loc = module.getLoc();
    Executable executable;
    executable.format = "elf-x86_64-so";
    // Dispatches run in the order the dispatch formation gave them
    // (`strata.dispatch`); a lone kernel has none.
    SmallVector<std::pair<int64_t, KernelInfo>> ordered;
    module.walk([&](LLVM::LLVMFuncOp func) {
      StringRef symbol = func.getSymName();
      if (func.isExternal() || !symbol.starts_with("strata_"))
        return;
      StringRef kernelName = symbol.drop_front(strlen("strata_"));
      auto kernel = module.lookupSymbol<LLVM::LLVMFuncOp>(kernelName);
      auto attr = [&](StringRef name) {
        return kernel ? kernel->getAttrOfType<DenseI64ArrayAttr>(name)
                      : DenseI64ArrayAttr();
      };
      // Pointer arguments are bindings; a trailing integer is the
      // workgroup id.
      uint32_t bindings = 0;
      if (kernel)
        bindings = llvm::count_if(kernel.getArgumentTypes(), [](Type type) {
          return isa<LLVM::LLVMPointerType>(type);
        });
      KernelInfo info{kernelName.str(), symbol.str(), bindings, {}};
      if (DenseI64ArrayAttr sizes = attr("strata.transients"))
        info.transients.assign(sizes.asArrayRef().begin(),
                               sizes.asArrayRef().end());
      int64_t position = ordered.size();
      if (DenseI64ArrayAttr dispatch = attr("strata.dispatch")) {
        position = dispatch[0];
        info.workgroups = dispatch[1];
      }
      ordered.push_back({position, std::move(info)});
    });
    llvm::sort(ordered, [](const auto &a, const auto &b) {
      return a.first < b.first;
    });
    for (auto &entry : ordered)
      executable.kernels.push_back(std::move(entry.second));

    FailureOr<std::string> object = emitObject(module, options);
    if (failed(object))
      return failure();
    FailureOr<std::vector<uint8_t>> library = link(*object, loc);
    if (failed(library))
      return failure();
    executable.bytes = std::move(*library);
    return executable;
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
    auto codegenLevel = options.optLevel == 0 ? llvm::CodeGenOptLevel::None
                        : options.optLevel == 1
                            ? llvm::CodeGenOptLevel::Less
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
    llvm::ErrorOr<std::string> lld = llvm::sys::findProgramByName(
        "ld.lld", {STRATA_LLD_DIR});
    if (!lld)
      return emitError(loc, "cannot find ld.lld (install lld-22)");
    TempFile input, output;
    int fd;
    if (llvm::sys::fs::createTemporaryFile("strata-kernels", "o", fd,
                                           input.path) ||
        llvm::sys::fs::createTemporaryFile("strata-kernels", "so",
                                           output.path))
      return emitError(loc, "cannot create temporary files for linking");
    {
      llvm::raw_fd_ostream stream(fd, /*shouldClose=*/true);
      stream << object;
    }
    SmallVector<StringRef> args = {*lld,       "-shared",  "--build-id=none",
                                   "-z",       "noexecstack", "-o",
                                   output.path, input.path};
    std::string message;
    int status = llvm::sys::ExecuteAndWait(*lld, args, std::nullopt, {}, 0, 0,
                                           &message);
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
