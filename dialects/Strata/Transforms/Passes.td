//===- Passes.td - strata dialect passes ------------------*- tablegen -*-===//
//
// Passes that transform strata IR in place, before any lowering.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TRANSFORMS_PASSES_TD
#define STRATA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def StrataRefineShapesPass : Pass<"strata-refine-shapes", "ModuleOp"> {
  let summary = "Propagate static shapes through strata ops";
  let description = [{
    Re-runs every strata op's type inference in program order and narrows
    each result type to what inference proves (a `?` becomes a static size
    where the operands determine it). Dimensions that are already static are
    kept. Users outside the strata dialect keep seeing the old type through
    a `tensor.cast`. A function's result types are narrowed too, unless
    something in the module calls it, in which case `func.return` gets the
    cast. Run it after specializing function arguments to make a
    dynamically shaped import static.

    ```mlir
    // Before
    %0 = strata.relu %x : (tensor<2x3xf32>) -> tensor<?x3xf32>
    // After
    %0 = strata.relu %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::func::FuncDialect", "::mlir::tensor::TensorDialect"
  ];
}

#endif // STRATA_TRANSFORMS_PASSES_TD
