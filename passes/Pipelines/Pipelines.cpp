//===- Pipelines.cpp - the per-target pass pipelines ----------------------===//
//
// The passes of each named pipeline, in order, with the reasons for the
// order where it matters.
//
//===----------------------------------------------------------------------===//

#include "passes/Pipelines/Pipelines.h"

#include "dialects/Schedule/IR/ScheduleOps.h"
#include "dialects/Systolic/IR/SystolicOps.h"

#include "passes/Cpu/TileAndVectorize/RegisterBlock.h"
#include "passes/GPUToNVVM/CudaTargets.h"
#include "passes/GPUToSPIRV/VulkanTargets.h"
#include "passes/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/GPUToSPIRV/GPUToSPIRVPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/AllocationOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVDialect.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/Transforms/Passes.h"
#include "mlir/Dialect/Tensor/IR/TensorInferTypeOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace mlir::strata {

namespace {

/// Kernels on tensors to kernels on identity-layout buffers that write
/// their results to trailing arguments, in place where they can.
void addBufferizePasses(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addNestedPass<func::FuncOp>(createStrataReshapedResultsInPlacePass());
  pm.addPass(createCanonicalizerPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
}

} // namespace

void buildStrataToLinalgPipeline(OpPassManager &pm,
                                 const StrataToLinalgOptions &options) {
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createConvertStrataToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  if (options.optLevel > 0) {
    pm.addPass(createStrataExactRoundingInputsPass());
    pm.addPass(createStrataFuseElementwisePass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
}

void buildCpuGlobalOptimizationPipeline(OpPassManager &pm,
                                        const CpuPipelineOptions &options) {
  if (options.optLevel < 2)
    return;
  StrataConvToMatmulPassOptions im2col;
  im2col.vectorBits = options.vectorBits;
  im2col.vectorRegisters = options.vectorRegisters;
  pm.addNestedPass<func::FuncOp>(createStrataConvToMatmulPass(im2col));
  StrataPackContractionsPassOptions packing;
  packing.vectorBits = options.vectorBits;
  packing.vectorRegisters = options.vectorRegisters;
  packing.l2Bytes = options.l2Bytes;
  pm.addNestedPass<func::FuncOp>(createStrataPackContractionsPass(packing));
  pm.addPass(createCanonicalizerPass());
}

void buildCpuCodegenPipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options) {
  OpPassManager &tensors = pm.nest<ModuleOp>();
  tensors.addPass(createStrataCpuFlattenEmptyBoundariesPass());
  if (options.optLevel >= 2) {
    StrataTileAndVectorizePassOptions tiling;
    tiling.vectorBits = options.vectorBits;
    tiling.vectorRegisters = options.vectorRegisters;
    tiling.l2Bytes = options.l2Bytes;
    tensors.addNestedPass<func::FuncOp>(
        createStrataTileAndVectorizePass(tiling));
    tensors.addPass(createCanonicalizerPass());
    tensors.addPass(createCSEPass());
    tensors.addNestedPass<func::FuncOp>(createStrataHoistVectorTransfersPass());
    tensors.addPass(createCanonicalizerPass());
  }
  addBufferizePasses(tensors);
  bufferization::buildBufferDeallocationPipeline(tensors);
  StrataMemRefCopyToLinalgPassOptions copies;
  if (options.optLevel >= 2)
    copies.vectorizeUpTo = kMaxVectorElements;
  tensors.addPass(createStrataMemRefCopyToLinalgPass(copies));
  tensors.addPass(createStrataOrderGlobalsPass());

  // Scratch and workgroups are part of each kernel's contract.
  pm.addPass(createStrataTransientBuffersPass());
  if (options.optLevel >= 2)
    pm.addPass(createStrataCpuDistributeWorkgroupsPass());

  OpPassManager &llvm = pm.nest<ModuleOp>();
  if (options.optLevel >= 2)
    llvm.addPass(createConvertVectorToSCFPass(
        VectorTransferToSCFOptions().enableFullUnroll()));
  llvm.addPass(createConvertLinalgToLoopsPass());
  llvm.addPass(createLowerAffinePass());
  llvm.addPass(createSCFToControlFlowPass());
  llvm.addPass(memref::createExpandStridedMetadataPass());
  llvm.addPass(createLowerAffinePass());
  // Math first: libm calls on vectors unroll into vector ops that the
  // vector conversion then lowers.
  llvm.addPass(createConvertMathToLLVMPass());
  llvm.addPass(createConvertMathToLibmPass());
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  vectorToLLVM.vectorContractLowering =
      vector::VectorContractLowering::OuterProduct;
  llvm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  llvm.addPass(createFinalizeMemRefToLLVMConversionPass());
  // f32 <-> bf16 in integer ops: x86 without AVX512-BF16 has no
  // instruction, and the libgcc helper is not something kernels link.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  llvm.addPass(arith::createArithExpandOpsPass(expand));
  llvm.addPass(createArithToLLVMConversionPass());
  llvm.addPass(createConvertIndexToLLVMPass());
  llvm.addPass(createConvertControlFlowToLLVMPass());
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  llvm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  llvm.addPass(createUBToLLVMConversionPass());
  llvm.addPass(createReconcileUnrealizedCastsPass());
  if (options.optLevel > 0)
    llvm.addPass(createStrataCpuFPContractPass());
  pm.addPass(createStrataCpuKernelABIPass());
  pm.nest<ModuleOp>().addPass(createCanonicalizerPass());
}

void buildGpuCodegenPipeline(
    OpPassManager &pm, int64_t workgroupSize, int64_t workgroupMemoryBytes,
    bool subgroupReduce, int64_t vectorWidth,
    llvm::function_ref<void(OpPassManager &)> addContractionPasses,
    llvm::StringRef tensorCores, bool tensorCoreF32) {
  OpPassManager &tensors = pm.nest<ModuleOp>();
  StrataGpuTileAndFusePassOptions tiling;
  tiling.workgroupSize = workgroupSize;
  tiling.workgroupMemoryBytes = workgroupMemoryBytes;
  tiling.tensorCores = tensorCores.str();
  tiling.tensorCoreF32 = tensorCoreF32;
  tensors.addNestedPass<func::FuncOp>(createStrataGpuTileAndFusePass(tiling));
  tensors.addPass(createCanonicalizerPass());
  tensors.addPass(createCSEPass());
  addBufferizePasses(tensors);
  tensors.addPass(createStrataMemRefCopyToLinalgPass());
  if (addContractionPasses)
    addContractionPasses(tensors);
  StrataGpuPromoteContractionsPassOptions promotion;
  promotion.workgroupSize = workgroupSize;
  promotion.workgroupMemoryBytes = workgroupMemoryBytes;
  promotion.vectorWidth = vectorWidth;
  tensors.addNestedPass<func::FuncOp>(
      createStrataGpuPromoteContractionsPass(promotion));
  StrataGpuWorkgroupReductionsPassOptions reductions;
  reductions.workgroupSize = workgroupSize;
  reductions.subgroupReduce = subgroupReduce;
  tensors.addNestedPass<func::FuncOp>(
      createStrataGpuWorkgroupReductionsPass(reductions));
  tensors.addNestedPass<func::FuncOp>(createStrataGpuSerialReductionsPass());
  tensors.addPass(createConvertLinalgToParallelLoopsPass());
  tensors.addPass(createCanonicalizerPass());

  pm.addPass(createStrataTransientBuffersPass());
  StrataGpuDistributePassOptions distribute;
  distribute.workgroupSize = workgroupSize;
  pm.addPass(createStrataGpuDistributePass(distribute));

  // Inside each invocation, loops are sequential and views are folded into
  // the loads and stores, whose indices become plain arithmetic.
  OpPassManager &kernels = pm.nest<ModuleOp>().nest<gpu::GPUModuleOp>();
  kernels.addPass(createForallToForLoopPass());
  kernels.addPass(createParallelForToNestedForsPass());
  kernels.addPass(memref::createFoldMemRefAliasOpsPass());
  kernels.addPass(createStrataGpuRemoveEmptyBuffersPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(arith::createArithExpandOpsPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
}

void buildVulkanCodegenPipeline(OpPassManager &pm,
                                const VulkanPipelineOptions &options) {
  const VulkanTarget *target = lookupVulkanTarget(options.vulkanTarget);
  // Staged copies load 16 bytes at a time, from bindings retyped as
  // vectors where every load of them is aligned.
  buildGpuCodegenPipeline(pm, target ? target->workgroupSize : 64,
                          target ? target->workgroupMemoryBytes : 16384,
                          target && target->subgroupArithmetic,
                          /*vectorWidth=*/4);
  OpPassManager &kernels = pm.nest<ModuleOp>().nest<gpu::GPUModuleOp>();
  kernels.addPass(createStrataSpirvVectorizeBindingsPass());
  kernels.addPass(memref::createFoldMemRefAliasOpsPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createCanonicalizerPass());
  OpPassManager &module = pm.nest<ModuleOp>();
  StrataSpirvAttachTargetPassOptions attach;
  attach.target = options.vulkanTarget;
  module.addPass(createStrataSpirvAttachTargetPass(attach));
  // Math before the GPU conversion, which would otherwise leave it.
  module.addNestedPass<gpu::GPUModuleOp>(createStrataSpirvApproximateMathPass());
  module.addNestedPass<gpu::GPUModuleOp>(createConvertMathToSPIRVPass());
  module.addPass(createConvertGPUToSPIRVPass());
  module.addPass(createStrataSpirvWidenBarriersPass());
  module.addPass(createStrataSpirvShareWorkgroupMemoryPass());
  module.addNestedPass<spirv::ModuleOp>(
      spirv::createSPIRVLowerABIAttributesPass());
  module.addNestedPass<spirv::ModuleOp>(spirv::createSPIRVUpdateVCEPass());
}

void buildCudaCodegenPipeline(OpPassManager &pm,
                              const CudaPipelineOptions &options) {
  const CudaArch *arch = lookupCudaArch(options.cudaArch);
  if (!arch)
    arch = lookupCudaArch(kDefaultCudaArch);
  bool wgmma = options.wgmma && llvm::StringRef(arch->name) == "sm_90a";
  buildGpuCodegenPipeline(
      pm, arch->workgroupSize, arch->workgroupMemoryBytes,
      /*subgroupReduce=*/true, /*vectorWidth=*/1,
      [&](OpPassManager &tensors) {
        if (!options.tensorCores)
          return;
        StrataNvvmMmaContractionsPassOptions mma;
        mma.workgroupSize = arch->workgroupSize;
        // Past 48 KiB, the runtime opts the kernel in.
        mma.workgroupMemoryBytes = arch->maxWorkgroupMemoryBytes;
        mma.allowTf32 = options.allowTf32;
        mma.wgmma = wgmma;
        mma.tma = options.tma;
        mma.wgmmaStages = options.wgmmaStages;
        tensors.addPass(createStrataNvvmMmaContractionsPass(mma));
      },
      !options.tensorCores ? ""
      : wgmma              ? "wgmma"
                           : "mma-sync",
      options.allowTf32);
  OpPassManager &module = pm.nest<ModuleOp>();
  GpuNVVMAttachTargetOptions attach;
  attach.chip = arch->name;
  attach.features = arch->ptxFeature;
  attach.optLevel = 3;
  module.addPass(createGpuNVVMAttachTarget(attach));
  OpPassManager &kernels = module.nest<gpu::GPUModuleOp>();
  kernels.addPass(createStrataNvvmPrepareKernelsPass());
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(createConvertNVGPUToNVVMPass());
  // Bindings are static memrefs: each is one pointer, as the cuda device
  // passes them.
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.useBarePtrCallConv = true;
  kernels.addPass(createConvertGpuOpsToNVVMOps(nvvm));
  // Math that libdevice lacks (trunc, ...) as LLVM intrinsics.
  kernels.addPass(createConvertMathToLLVMPass());
  kernels.addPass(createConvertNVVMToLLVMPass());
  kernels.addPass(createArithToLLVMConversionPass());
  kernels.addPass(createConvertIndexToLLVMPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
}

void registerPipelineDialects(DialectRegistry &registry) {
  registry.insert<schedule::ScheduleDialect, systolic::SystolicDialect,
                  affine::AffineDialect, arith::ArithDialect,
                  bufferization::BufferizationDialect, cf::ControlFlowDialect,
                  func::FuncDialect, gpu::GPUDialect, linalg::LinalgDialect,
                  spirv::SPIRVDialect, LLVM::LLVMDialect, NVVM::NVVMDialect,
                  math::MathDialect, memref::MemRefDialect, scf::SCFDialect,
                  tensor::TensorDialect, vector::VectorDialect>();
  // convert-gpu-to-nvvm lowers the other dialects of a kernel through
  // their ConvertToLLVM interfaces.
  arith::registerConvertArithToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  index::registerConvertIndexToLLVMInterface(registry);
  registerConvertMemRefToLLVMInterface(registry);
  registerConvertNVVMToLLVMInterface(registry);
  vector::registerConvertVectorToLLVMInterface(registry);
  ub::registerConvertUBToLLVMInterface(registry);
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  linalg::registerBufferizableOpInterfaceExternalModels(registry);
  linalg::registerTilingInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerInferTypeOpInterfaceExternalModels(registry);
  tensor::registerTilingInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerSubsetOpInterfaceExternalModels(registry);
}

void registerStrataPipelines() {
  PassPipelineRegistration<StrataToLinalgOptions>(
      "strata-to-linalg", "Lower strata ops to fused linalg on tensors",
      buildStrataToLinalgPipeline);
  PassPipelineRegistration<CpuPipelineOptions>(
      "strata-cpu-global-opt",
      "Rewrite convolutions and contractions for the cpu before dispatch "
      "formation",
      buildCpuGlobalOptimizationPipeline);
  PassPipelineRegistration<CpuPipelineOptions>(
      "strata-cpu-codegen",
      "Compile every schedule.executable's kernels to LLVM with the cpu ABI",
      [](OpPassManager &pm, const CpuPipelineOptions &options) {
        buildCpuCodegenPipeline(pm.nest<schedule::ExecutableOp>(), options);
      });
  PassPipelineRegistration<CudaPipelineOptions>(
      "strata-cuda-codegen",
      "Compile every schedule.executable's kernels to one NVVM gpu.module",
      [](OpPassManager &pm, const CudaPipelineOptions &options) {
        buildCudaCodegenPipeline(pm.nest<schedule::ExecutableOp>(), options);
      });
  PassPipelineRegistration<VulkanPipelineOptions>(
      "strata-vulkan-codegen",
      "Compile every schedule.executable's kernels to one SPIR-V module",
      [](OpPassManager &pm, const VulkanPipelineOptions &options) {
        buildVulkanCodegenPipeline(pm.nest<schedule::ExecutableOp>(), options);
      });
}

} // namespace mlir::strata
