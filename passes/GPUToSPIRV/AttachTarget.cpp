//===- AttachTarget.cpp - kernels for one Vulkan target environment -------===//
//
// Upstream's GPU->SPIR-V conversion reads the target environment from the
// module and the workgroup size from each kernel's entry-point ABI; this
// pass sets both, and first rejects the types the environment cannot
// hold. Converted anyway, an f16 buffer without 16-bit storage is typed
// f32 and computes garbage that still validates.
//
//===----------------------------------------------------------------------===//

#include "passes/GPUToSPIRV/VulkanTargets.h"
#include "passes/Passes.h"
#include "passes/Utils/MemorySpace.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"

namespace mlir::strata {

#define GEN_PASS_DEF_STRATASPIRVATTACHTARGETPASS
#define GEN_PASS_DEF_STRATASPIRVWIDENBARRIERSPASS
#include "passes/Passes.h.inc"

namespace {

/// The capabilities `type` needs, in memory (`stored`) or in registers;
/// empty when it needs none.
SmallVector<spirv::Capability> neededCapabilities(Type type, bool stored) {
  using spirv::Capability;
  if (auto memref = dyn_cast<MemRefType>(type))
    return neededCapabilities(memref.getElementType(), /*stored=*/true);
  if (auto vector = dyn_cast<VectorType>(type))
    return neededCapabilities(vector.getElementType(), stored);
  SmallVector<Capability> needs;
  if (type.isF16()) {
    needs.push_back(Capability::Float16);
    if (stored)
      needs.push_back(Capability::StorageBuffer16BitAccess);
  } else if (type.isF64()) {
    needs.push_back(Capability::Float64);
  } else if (type.isInteger(64)) {
    needs.push_back(Capability::Int64);
  } else if (type.isInteger(16)) {
    needs.push_back(Capability::Int16);
    if (stored)
      needs.push_back(Capability::StorageBuffer16BitAccess);
  } else if (type.isInteger(8) || (stored && type.isInteger(1))) {
    // Booleans are stored a byte each, as the runtime lays them out.
    needs.push_back(Capability::Int8);
    if (stored)
      needs.push_back(Capability::StorageBuffer8BitAccess);
  }
  return needs;
}

struct StrataSpirvAttachTargetPass
    : impl::StrataSpirvAttachTargetPassBase<StrataSpirvAttachTargetPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const VulkanTarget *preset = lookupVulkanTarget(target);
    if (!preset) {
      module.emitError("unknown Vulkan target '")
          << target << "' (known: " << vulkanTargetNames() << ")";
      return signalPassFailure();
    }
    auto env = cast<spirv::TargetEnvAttr>(
        parseAttribute(preset->targetEnv, &getContext()));
    module->setAttr(spirv::getTargetEnvAttrName(), env);
    spirv::TargetEnv targetEnv(env);

    WalkResult result = module.walk([&](gpu::GPUFuncOp kernel) {
      if (!kernel.isKernel())
        return WalkResult::advance();
      if (failed(checkTypes(kernel, targetEnv)))
        return WalkResult::interrupt();
      std::optional<ArrayRef<int32_t>> size = kernel.getKnownBlockSize();
      if (!size) {
        kernel.emitError("kernel @")
            << kernel.getName() << " has no known workgroup size";
        return WalkResult::interrupt();
      }
      // An invocation's own scratch is a Function variable in SPIR-V, a
      // workgroup's buffer a Workgroup one.
      kernel.walk([&](memref::AllocaOp alloca) {
        setMemorySpace(alloca.getResult(),
                       spirv::StorageClassAttr::get(
                           &getContext(), spirv::StorageClass::Function));
      });
      kernel.walk([&](memref::AllocOp alloc) {
        if (isWorkgroupMemory(alloc.getType()))
          setMemorySpace(alloc.getResult(),
                         spirv::StorageClassAttr::get(
                             &getContext(), spirv::StorageClass::Workgroup));
      });
      kernel->setAttr(spirv::getEntryPointABIAttrName(),
                      spirv::getEntryPointABIAttr(&getContext(), *size));
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

  /// Reports the first value, or constant kept in the kernel, that the
  /// target environment cannot hold.
  LogicalResult checkTypes(gpu::GPUFuncOp kernel, const spirv::TargetEnv &env) {
    auto check = [&](Type type, Location loc) -> LogicalResult {
      if (type.isBF16() || (isa<MemRefType>(type) &&
                            cast<MemRefType>(type).getElementType().isBF16()))
        return emitError(loc, "kernel @")
               << kernel.getName() << " uses " << type
               << ", which Vulkan SPIR-V has no type for";
      for (spirv::Capability needed :
           neededCapabilities(type, /*stored=*/false))
        if (!env.allows(needed))
          return emitError(loc, "kernel @")
                 << kernel.getName() << " uses " << type
                 << ", which needs the SPIR-V capability "
                 << spirv::stringifyCapability(needed)
                 << ", and Vulkan target '" << target << "' lacks it";
      return success();
    };
    for (BlockArgument arg : kernel.getArguments())
      if (failed(check(arg.getType(), kernel.getLoc())))
        return failure();
    WalkResult result = kernel.walk([&](Operation *op) {
      if (isa<memref::GetGlobalOp>(op)) {
        op->emitError("kernel @")
            << kernel.getName()
            << " reads a constant kept in device code, which SPIR-V kernels "
               "cannot hold; such constants must be schedule buffers";
        return WalkResult::interrupt();
      }
      for (Type type : op->getResultTypes())
        if (failed(check(type, op->getLoc())))
          return WalkResult::interrupt();
      return WalkResult::advance();
    });
    return failure(result.wasInterrupted());
  }
};

/// Barriers between a kernel's steps order storage-buffer accesses too;
/// upstream's gpu.barrier lowering orders workgroup memory only.
struct StrataSpirvWidenBarriersPass
    : impl::StrataSpirvWidenBarriersPassBase<StrataSpirvWidenBarriersPass> {
  void runOnOperation() override {
    getOperation().walk([](spirv::ControlBarrierOp barrier) {
      barrier.setMemorySemantics(barrier.getMemorySemantics() |
                                 spirv::MemorySemantics::UniformMemory);
    });
  }
};

} // namespace
} // namespace mlir::strata
