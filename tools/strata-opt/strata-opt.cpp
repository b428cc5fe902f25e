//===- strata-opt.cpp - the strata optimizer driver -----------------------===//
//
// mlir-opt for Strata: the strata and schedule dialects, the upstream
// dialects its pipelines produce, the project's passes and its named
// pipelines.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleDialect.h"
#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/Transforms/Passes.h"
#include "passes/Passes.h"
#include "passes/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Dialect/SPIRV/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::strata::StrataDialect,
                  mlir::strata::schedule::ScheduleDialect>();
  mlir::strata::registerPipelineDialects(registry);

  // The upstream passes the pipelines are made of, so each step replays.
  mlir::registerTransformsPasses();
  mlir::registerConversionPasses();
  mlir::bufferization::registerBufferizationPasses();
  mlir::registerGPUPasses();
  mlir::registerLinalgPasses();
  mlir::arith::registerArithPasses();
  mlir::memref::registerMemRefPasses();
  mlir::registerSCFPasses();
  mlir::spirv::registerSPIRVPasses();
  mlir::strata::registerStrataTransformsPasses();
  mlir::strata::registerStrataConversionPasses();
  mlir::strata::registerStrataPipelines();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Strata optimizer driver\n", registry));
}
