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

def StrataWidenF16Pass : Pass<"strata-widen-f16", "func::FuncOp"> {
  let summary = "Compute f16 and bf16 ops in f32, rounding only where the model asks";
  let description = [{
    Rebuilds every strata op that has f16 or bf16 operands on f32 values:
    each such value entering the chain is cast to f32 once, a widened op's
    f32 result feeds the next widened op directly, and the rounding back
    happens only for users that are not widened: the model's own casts, the
    function's results, ops whose attributes or result types tie them to
    the narrow type. The model's explicit casts keep their rounding. This is
    the cpu target's default (it computes both in f32 anyway, as
    onnxruntime's cpu provider does; bf16 without AVX512-BF16 would take a
    conversion call per op); `--target-option=f16=strict` skips it and
    rounds after every op.

    ```mlir
    // Before
    %m = strata.matmul %x, %w : (tensor<4x8xf16>, tensor<8x8xf16>) -> tensor<4x8xf16>
    %t = strata.tanh %m : (tensor<4x8xf16>) -> tensor<4x8xf16>
    // After
    %xw = strata.cast %x : (tensor<4x8xf16>) -> tensor<4x8xf32>
    %ww = strata.cast %w : (tensor<8x8xf16>) -> tensor<8x8xf32>
    %m = strata.matmul %xw, %ww : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
    %t = strata.tanh %m : (tensor<4x8xf32>) -> tensor<4x8xf32>
    %r = strata.cast %t : (tensor<4x8xf32>) -> tensor<4x8xf16>
    ```
  }];
}

#endif // STRATA_TRANSFORMS_PASSES_TD
