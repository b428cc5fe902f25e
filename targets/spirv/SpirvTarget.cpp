//===- SpirvTarget.cpp - the Vulkan target --------------------------------===//
//
// Each executable's kernels go through the shared GPU pipeline and
// upstream's GPU->SPIR-V conversion for the chosen Vulkan preset
// (passes/GPUToSPIRV/VulkanTargets.h) into one spirv.module with an entry
// point per kernel, serialized as the blob. The blob records the preset
// and the capabilities the module declares, which the runtime's vulkan
// device checks against the device at load.
//
//===----------------------------------------------------------------------===//

#include "targets/spirv/SpirvTarget.h"

#include "passes/GPUToSPIRV/VulkanTargets.h"
#include "passes/Pipelines/Pipelines.h"

#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Target/SPIRV/Serialization.h"

namespace mlir::strata {
namespace {

constexpr llvm::StringLiteral kTargetKey = "vulkan-target";

std::string presetOf(const TargetOptions &options) {
  return options.lookup(kTargetKey, kDefaultVulkanTarget);
}

class SpirvTarget : public TargetBackend {
public:
  llvm::StringRef name() const override { return "vulkan"; }

  void registerDialects(DialectRegistry &registry) const override {
    registerPipelineDialects(registry);
  }

  std::vector<std::string> optionKeys() const override {
    return {kTargetKey.str()};
  }

  LogicalResult checkOptions(const TargetOptions &options,
                             Location loc) const override {
    for (const auto &[key, value] : options.options)
      if (key != kTargetKey)
        return emitError(loc) << "target 'vulkan' has no option '" << key
                              << "' (known: " << kTargetKey << ")";
    if (!lookupVulkanTarget(presetOf(options)))
      return emitError(loc)
             << "target 'vulkan': unknown vulkan-target '" << presetOf(options)
             << "' (known: " << vulkanTargetNames() << ")";
    return success();
  }

  int64_t minHostConstantBytes() const override { return 1; }

  void buildExecutablePipeline(OpPassManager &pm,
                               const TargetOptions &options) const override {
    VulkanPipelineOptions pipeline;
    pipeline.vulkanTarget = presetOf(options);
    buildVulkanCodegenPipeline(pm, pipeline);
  }

  FailureOr<SerializedExecutable>
  serializeExecutable(schedule::ExecutableOp executable,
                      const TargetOptions &options) const override {
    auto modules = executable.getInnerModule().getOps<spirv::ModuleOp>();
    if (!llvm::hasSingleElement(modules))
      return executable.emitError("expected one spirv.module after the "
                                  "vulkan pipeline");
    spirv::ModuleOp module = *modules.begin();
    SerializedExecutable result;
    result.format = "spirv";
    result.processor = presetOf(options);
    // A module without entry points is not valid SPIR-V for Vulkan; an
    // executable without kernels is an empty blob.
    if (module.getOps<spirv::EntryPointOp>().empty())
      return result;
    SmallVector<uint32_t> words;
    if (failed(spirv::serialize(module, words)))
      return failure();
    const auto *bytes = reinterpret_cast<const uint8_t *>(words.data());
    result.bytes.assign(bytes, bytes + words.size() * sizeof(uint32_t));
    if (std::optional<spirv::VerCapExtAttr> triple = module.getVceTriple())
      for (spirv::Capability capability : triple->getCapabilities())
        result.features.push_back(spirv::stringifyCapability(capability).str());
    if (options.listings)
      result.listings.emplace_back(
          ".spv", std::string(result.bytes.begin(), result.bytes.end()));
    return result;
  }
};

} // namespace

std::unique_ptr<TargetBackend> createSpirvTarget() {
  return std::make_unique<SpirvTarget>();
}

} // namespace mlir::strata
