//===- Pipelines.h - the named pass pipelines -------------------*- C++ -*-===//
//
// Each stage of compilation is a named pipeline, so `strata-opt` replays
// exactly what `strata-compile` runs:
//   strata-to-linalg      strata ops -> fused linalg on tensors
//   strata-cpu-global-opt cpu rewrites before dispatch formation: im2col,
//                         packed contractions
//   strata-cpu-codegen    on each schedule.executable: its kernels -> LLVM
//                         dialect with the cpu ABI, exports completed
//   strata-vulkan-codegen on each schedule.executable: its kernels -> one
//                         spirv.module, exports completed
// Dispatch formation between the two cpu stages is the pass
// strata-form-dispatch-regions.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_PIPELINES_PIPELINES_H
#define STRATA_PASSES_PIPELINES_PIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::strata {

struct StrataToLinalgOptions
    : public PassPipelineOptions<StrataToLinalgOptions> {
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("Optimization level, 0 to 3"),
                            llvm::cl::init(2)};
};

struct CpuPipelineOptions : public PassPipelineOptions<CpuPipelineOptions> {
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("Optimization level, 0 to 3"),
                            llvm::cl::init(2)};
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width the cpu tiles for"),
      llvm::cl::init(256)};
  Option<unsigned> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Number of vector registers the register block uses"),
      llvm::cl::init(16)};
  Option<int64_t> l2Bytes{
      *this, "l2-bytes",
      llvm::cl::desc("L2 cache size in bytes the contractions are ordered for"),
      llvm::cl::init(1 << 20)};
};

struct VulkanPipelineOptions
    : public PassPipelineOptions<VulkanPipelineOptions> {
  Option<std::string> vulkanTarget{
      *this, "vulkan-target",
      llvm::cl::desc("Vulkan target preset: desktop, lavapipe or minimal"),
      llvm::cl::init("desktop")};
};

struct CudaPipelineOptions : public PassPipelineOptions<CudaPipelineOptions> {
  Option<std::string> cudaArch{
      *this, "cuda-arch",
      llvm::cl::desc("NVIDIA architecture: sm_80, sm_86, sm_89, sm_90, sm_90a"),
      llvm::cl::init("sm_80")};
  Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("Compute f16 and bf16 GEMM tiles on the tensor cores"),
      llvm::cl::init(true)};
  Option<bool> allowTf32{
      *this, "allow-tf32",
      llvm::cl::desc("Compute f32 GEMM tiles in tf32 on the tensor cores"),
      llvm::cl::init(false)};
  Option<bool> wgmma{
      *this, "wgmma",
      llvm::cl::desc("Compute f16 and bf16 GEMM tiles with wgmma (sm_90a)"),
      llvm::cl::init(false)};
  Option<bool> tma{*this, "tma",
                   llvm::cl::desc("Load wgmma tiles' K-major inputs with TMA"),
                   llvm::cl::init(true)};
  Option<int64_t> wgmmaStages{
      *this, "wgmma-stages",
      llvm::cl::desc("Slots of wgmma tiles that TMA loads (2 to 4; 0: the "
                     "most that let two tiles share an SM)"),
      llvm::cl::init(0)};
};

/// strata -> linalg on tensors; from -O1 on, elementwise producers and
/// consumers are fused.
void buildStrataToLinalgPipeline(OpPassManager &pm,
                                 const StrataToLinalgOptions &options);

/// From -O2 on, convolutions as im2col + matmul and packed contractions,
/// on the whole module before dispatch formation.
void buildCpuGlobalOptimizationPipeline(OpPassManager &pm,
                                        const CpuPipelineOptions &options);

/// `pm` is anchored on a schedule.executable: from -O2 on tile, fuse and
/// vectorize its kernels; bufferize, turn scratch into bindings, spread a
/// kernel's tile loop over workgroups, convert to LLVM with bare-pointer
/// memrefs and add the cpu kernel ABI, recording all of it in the exports.
void buildCpuCodegenPipeline(OpPassManager &pm,
                             const CpuPipelineOptions &options);

/// `pm` is anchored on a schedule.executable: tile each kernel's roots to
/// one element per iteration with producers fused (GEMMs to a workgroup's
/// tile, staged in at most `workgroupMemoryBytes` of workgroup memory;
/// long reductions to a workgroup per output element, with subgroup
/// operations if `subgroupReduce`; staged copies load up to `vectorWidth`
/// elements at once), bufferize, lower linalg to loops, turn
/// scratch into bindings, and make each kernel a gpu.func whose steps run
/// over `workgroupSize` invocations per workgroup. Shared by the GPU
/// targets; `addContractionPasses`, when given, adds a target's own passes
/// for GEMM tiles, which run before the shared staging, and
/// `tensorCores` (with `tensorCoreF32`) sizes the tiles of the GEMMs those
/// put on the tensor cores (strata-gpu-tile-and-fuse's options).
void buildGpuCodegenPipeline(
    OpPassManager &pm, int64_t workgroupSize, int64_t workgroupMemoryBytes,
    bool subgroupReduce, int64_t vectorWidth = 1,
    llvm::function_ref<void(OpPassManager &)> addContractionPasses = {},
    llvm::StringRef tensorCores = "", bool tensorCoreF32 = false);

/// `pm` is anchored on a schedule.executable: the GPU pipeline for the
/// Vulkan preset's workgroup size, then SPIR-V for its environment, one
/// spirv.module with an entry point per kernel.
void buildVulkanCodegenPipeline(OpPassManager &pm,
                                const VulkanPipelineOptions &options);

/// `pm` is anchored on a schedule.executable: the GPU pipeline for the
/// architecture (GEMM tiles on the tensor cores unless disabled), then
/// NVVM, one gpu.module with a kernel per dispatch.
void buildCudaCodegenPipeline(OpPassManager &pm,
                              const CudaPipelineOptions &options);

/// Adds the dialects the pipelines produce, and the interface models that
/// bufferization and tiling need, to `registry`.
void registerPipelineDialects(DialectRegistry &registry);

/// Registers the named pipelines with strata-opt.
void registerStrataPipelines();

} // namespace mlir::strata

#endif // STRATA_PASSES_PIPELINES_PIPELINES_H
