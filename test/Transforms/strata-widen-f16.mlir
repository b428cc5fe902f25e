// RUN: strata-opt %s --strata-widen-f16 --split-input-file | FileCheck %s

// A chain of f16 ops computes in f32: one cast in per f16 input, none
// between the ops, and the result rounded to f16 once, where the function
// returns it.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf16>, %[[W:.*]]: tensor<8x8xf16>)
// CHECK-DAG: %[[XW:.*]] = strata.cast %[[X]] : (tensor<4x8xf16>) -> tensor<4x8xf32>
// CHECK-DAG: %[[WW:.*]] = strata.cast %[[W]] : (tensor<8x8xf16>) -> tensor<8x8xf32>
// CHECK: %[[M:.*]] = strata.matmul %[[XW]], %[[WW]] : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[T:.*]] = strata.tanh %[[M]] : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[A:.*]] = strata.add %[[T]], %[[XW]] : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[R:.*]] = strata.cast %[[A]] : (tensor<4x8xf32>) -> tensor<4x8xf16>
// CHECK: return %[[R]]
func.func @chain(%x: tensor<4x8xf16>, %w: tensor<8x8xf16>) -> tensor<4x8xf16> {
  %m = strata.matmul %x, %w : (tensor<4x8xf16>, tensor<8x8xf16>) -> tensor<4x8xf16>
  %t = strata.tanh %m : (tensor<4x8xf16>) -> tensor<4x8xf16>
  %a = strata.add %t, %x : (tensor<4x8xf16>, tensor<4x8xf16>) -> tensor<4x8xf16>
  return %a : tensor<4x8xf16>
}

// -----

// The model's own casts keep their rounding: the f32 -> f16 cast feeds the
// widened relu through a cast back, and the relu's f16 value reaches the
// explicit cast to f32 rounded. Ops without f16 operands are left alone;
// a comparison takes the f32 values and keeps its i1 result.
// CHECK-LABEL: func.func @model_casts
// CHECK: %[[H:.*]] = strata.cast %arg0 : (tensor<4xf32>) -> tensor<4xf16>
// CHECK: %[[HW:.*]] = strata.cast %[[H]] : (tensor<4xf16>) -> tensor<4xf32>
// CHECK: %[[R:.*]] = strata.relu %[[HW]] : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[RH:.*]] = strata.cast %[[R]] : (tensor<4xf32>) -> tensor<4xf16>
// CHECK: %[[OUT:.*]] = strata.cast %[[RH]] : (tensor<4xf16>) -> tensor<4xf32>
// CHECK: %[[N:.*]] = strata.neg %arg0 : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[C:.*]] = strata.less %[[R]], %[[HW]] : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
// CHECK: return %[[OUT]], %[[N]], %[[C]]
func.func @model_casts(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xi1>) {
  %h = strata.cast %x : (tensor<4xf32>) -> tensor<4xf16>
  %r = strata.relu %h : (tensor<4xf16>) -> tensor<4xf16>
  %out = strata.cast %r : (tensor<4xf16>) -> tensor<4xf32>
  %n = strata.neg %x : (tensor<4xf32>) -> tensor<4xf32>
  %c = strata.less %r, %h : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xi1>
  return %out, %n, %c : tensor<4xf32>, tensor<4xf32>, tensor<4xi1>
}

// -----

// bf16 chains widen the same way: one cast in per input, one rounding
// where the function returns the result.
// CHECK-LABEL: func.func @bf16
// CHECK-DAG: %[[XW:.*]] = strata.cast %arg0 : (tensor<4x8xbf16>) -> tensor<4x8xf32>
// CHECK-DAG: %[[WW:.*]] = strata.cast %arg1 : (tensor<8x8xbf16>) -> tensor<8x8xf32>
// CHECK: %[[M:.*]] = strata.matmul %[[XW]], %[[WW]] : (tensor<4x8xf32>, tensor<8x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[E:.*]] = strata.exp %[[M]] : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK: %[[R:.*]] = strata.cast %[[E]] : (tensor<4x8xf32>) -> tensor<4x8xbf16>
// CHECK: return %[[R]]
func.func @bf16(%x: tensor<4x8xbf16>, %w: tensor<8x8xbf16>) -> tensor<4x8xbf16> {
  %m = strata.matmul %x, %w : (tensor<4x8xbf16>, tensor<8x8xbf16>) -> tensor<4x8xbf16>
  %e = strata.exp %m : (tensor<4x8xbf16>) -> tensor<4x8xbf16>
  return %e : tensor<4x8xbf16>
}
