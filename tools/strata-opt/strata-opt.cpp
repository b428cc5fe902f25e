//===- strata-opt.cpp - the strata optimizer driver -----------------------===//
//
// mlir-opt for Strata: the strata dialect, the upstream dialects its
// pipelines produce, and the project's passes.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::strata::StrataDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::tensor::TensorDialect>();

  mlir::registerTransformsPasses();
  mlir::strata::registerStrataTransformsPasses();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Strata optimizer driver\n", registry));
}
