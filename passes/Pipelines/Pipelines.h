//===- Pipelines.h - the per-target pass pipelines --------------*- C++ -*-===//
//
// Each stage of compilation is a named pipeline, so `strata-opt` replays
// exactly what `strata-compile` runs:
//   strata-to-linalg    strata ops -> fused linalg on tensors
//   strata-cpu-codegen  linalg on tensors -> LLVM dialect with the cpu ABI
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_PIPELINES_PIPELINES_H
#define STRATA_PASSES_PIPELINES_PIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::strata {

struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  Option<unsigned> optLevel{*this, "opt-level",
                            llvm::cl::desc("Optimization level, 0 to 3"),
                            llvm::cl::init(2)};
  Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width the cpu tiles for"),
      llvm::cl::init(256)};
};

/// strata -> linalg on tensors; from -O1 on, elementwise producers and
/// consumers are fused.
void buildStrataToLinalgPipeline(OpPassManager &pm,
                                 const PipelineOptions &options);

/// linalg on tensors -> LLVM dialect: from -O2 on tile, fuse and vectorize;
/// bufferize, lower to loops, convert to LLVM with bare-pointer memrefs,
/// and add the cpu kernel ABI.
void buildCpuCodegenPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Adds the dialects the pipelines produce, and the interface models that
/// bufferization and tiling need, to `registry`.
void registerPipelineDialects(DialectRegistry &registry);

/// Registers `strata-to-linalg` and `strata-cpu-codegen` with strata-opt.
void registerStrataPipelines();

} // namespace mlir::strata

#endif // STRATA_PASSES_PIPELINES_PIPELINES_H
