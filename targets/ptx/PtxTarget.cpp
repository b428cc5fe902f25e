//===- PtxTarget.cpp - the cuda target ------------------------------------===//
//
// Each executable's kernels go through the shared GPU pipeline and
// upstream's GPU->NVVM conversion for one architecture
// (passes/GPUToNVVM/CudaTargets.h) into one gpu.module, serialized as PTX
// by LLVM's NVPTX backend; with cuda-cubin, upstream's NVVM target also
// assembles it (in process), so that a load needs no JIT. The blob records the
// architecture, which the runtime's cuda device checks against the GPU at load.
//
//===----------------------------------------------------------------------===//

#include "targets/ptx/PtxTarget.h"

#include "passes/GPUToNVVM/CudaTargets.h"
#include "passes/Pipelines/Pipelines.h"
#include "targets/ptx/SerializePtx.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringExtras.h"

#include <array>

namespace mlir::strata {
namespace {

constexpr llvm::StringLiteral kArchKey = "cuda-arch";
constexpr llvm::StringLiteral kCubinKey = "cuda-cubin";
constexpr llvm::StringLiteral kToolkitKey = "cuda-toolkit";
constexpr llvm::StringLiteral kTensorCoresKey = "cuda-tensor-cores";
constexpr llvm::StringLiteral kTf32Key = "cuda-allow-tf32";
constexpr llvm::StringLiteral kWgmmaKey = "cuda-wgmma";
constexpr llvm::StringLiteral kTmaKey = "cuda-tma";
constexpr llvm::StringLiteral kStagesKey = "cuda-wgmma-stages";
constexpr std::array<llvm::StringLiteral, 8> kKeys = {
    kArchKey, kCubinKey, kToolkitKey, kTensorCoresKey,
    kTf32Key, kWgmmaKey, kTmaKey,     kStagesKey};
/// The options that are switches.
constexpr std::array<llvm::StringLiteral, 5> kSwitches = {
    kCubinKey, kTensorCoresKey, kTf32Key, kWgmmaKey, kTmaKey};

std::string archOf(const TargetOptions &options) {
  return options.lookup(kArchKey, kDefaultCudaArch);
}

class PtxTarget : public TargetBackend {
public:
  llvm::StringRef name() const override { return "cuda"; }

  void registerDialects(DialectRegistry &registry) const override {
    registerPipelineDialects(registry);
    registerPtxSerialization(registry);
  }

  std::vector<std::string> optionKeys() const override {
    return {kKeys.begin(), kKeys.end()};
  }

  LogicalResult checkOptions(const TargetOptions &options,
                             Location loc) const override {
    for (const auto &[key, value] : options.options) {
      if (!llvm::is_contained(kKeys, key))
        return emitError(loc)
               << "target 'cuda' has no option '" << key
               << "' (known: " << llvm::join(optionKeys(), ", ") << ")";
      if (llvm::is_contained(kSwitches, key) && value != "0" && value != "1")
        return emitError(loc) << "target 'cuda': " << key
                              << " must be 0 or 1, not '" << value << "'";
    }
    if (!lookupCudaArch(archOf(options)))
      return emitError(loc)
             << "target 'cuda': unknown cuda-arch '" << archOf(options)
             << "' (known: " << cudaArchNames() << ")";
    std::string stages = options.lookup(kStagesKey, "0");
    if (stages != "0" && stages != "2" && stages != "3" && stages != "4")
      return emitError(loc)
             << "target 'cuda': " << kStagesKey
             << " must be 2, 3 or 4 (or 0, chosen), not '" << stages << "'";
    if (options.lookup(kWgmmaKey, "0") == "1" && archOf(options) != "sm_90a")
      return emitError(loc)
             << "target 'cuda': " << kWgmmaKey
             << "=1 needs cuda-arch=sm_90a, not '" << archOf(options) << "'";
    return success();
  }

  int64_t minHostConstantBytes() const override { return 1; }

  void buildExecutablePipeline(OpPassManager &pm,
                               const TargetOptions &options) const override {
    CudaPipelineOptions pipeline;
    pipeline.cudaArch = archOf(options);
    pipeline.tensorCores = options.lookup(kTensorCoresKey, "1") == "1";
    pipeline.allowTf32 = options.lookup(kTf32Key, "0") == "1";
    pipeline.wgmma = options.lookup(kWgmmaKey, "0") == "1";
    pipeline.tma = options.lookup(kTmaKey, "1") == "1";
    pipeline.wgmmaStages = std::stoll(options.lookup(kStagesKey, "0"));
    buildCudaCodegenPipeline(pm, pipeline);
  }

  FailureOr<SerializedExecutable>
  serializeExecutable(schedule::ExecutableOp executable,
                      const TargetOptions &options) const override {
    auto modules = executable.getInnerModule().getOps<gpu::GPUModuleOp>();
    if (!llvm::hasSingleElement(modules))
      return executable.emitError("expected one gpu.module after the cuda "
                                  "pipeline");
    gpu::GPUModuleOp module = *modules.begin();
    SerializedExecutable result;
    result.processor = archOf(options);
    std::string toolkit = options.lookup(kToolkitKey, defaultCudaToolkit());
    bool cubin = options.lookup(kCubinKey, "0") == "1";
    result.format = cubin ? "cubin" : "ptx";
    // An executable without kernels is an empty blob.
    if (llvm::none_of(module.getOps<LLVM::LLVMFuncOp>(), isNvvmKernel))
      return result;
    // The PTX also for a cubin: its check refuses calls nothing defines.
    FailureOr<std::string> ptx = serializeToPtx(module, toolkit);
    if (failed(ptx))
      return failure();
    if (cubin) {
      FailureOr<std::vector<uint8_t>> binary =
          serializeToCubin(module, toolkit);
      if (failed(binary))
        return failure();
      result.bytes = std::move(*binary);
    } else {
      result.bytes.assign(ptx->begin(), ptx->end());
    }
    if (options.listings)
      result.listings.emplace_back(".ptx", *ptx);
    return result;
  }
};

} // namespace

std::unique_ptr<TargetBackend> createPtxTarget() {
  return std::make_unique<PtxTarget>();
}

} // namespace mlir::strata
