// RUN: strata-opt %s --pass-pipeline='builtin.module(func.func(strata-widen-accumulators))' | FileCheck %s

// A bf16 matmul that sums in bf16 sums in f32 from an f32 zero fill, its
// operands widened in the body, and rounds to bf16 once after it. An f32
// matmul is left as it is.

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @bf16(
// CHECK-SAME: %[[X:.*]]: tensor<4x6xbf16>, %[[W:.*]]: tensor<6x5xbf16>
// CHECK-DAG: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<4x5xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4x5xf32>)
// CHECK: %[[S:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[W]] : tensor<4x6xbf16>, tensor<6x5xbf16>) outs(%[[F]] : tensor<4x5xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: bf16, %[[IN1:.*]]: bf16, %[[OUT:.*]]: f32):
// CHECK-NEXT: %[[A:.*]] = arith.extf %[[IN]] : bf16 to f32
// CHECK-NEXT: %[[B:.*]] = arith.extf %[[IN1]] : bf16 to f32
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f32
// CHECK-NEXT: %[[R:.*]] = arith.addf %[[OUT]], %[[P]] : f32
// CHECK-NEXT: linalg.yield %[[R]] : f32
// CHECK: linalg.generic {{.*}} ins(%[[S]] : tensor<4x5xf32>) outs(%{{.*}} : tensor<4x5xbf16>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK-LABEL: func.func @f32(
// CHECK-NOT: arith.extf
// CHECK-NOT: arith.truncf
// CHECK: return
func.func @bf16(%x: tensor<4x6xbf16>, %w: tensor<6x5xbf16>) -> tensor<4x5xbf16> {
  %zero = arith.constant 0.0 : bf16
  %e = tensor.empty() : tensor<4x5xbf16>
  %f = linalg.fill ins(%zero : bf16) outs(%e : tensor<4x5xbf16>) -> tensor<4x5xbf16>
  %y = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x6xbf16>, tensor<6x5xbf16>) outs(%f : tensor<4x5xbf16>) {
  ^bb0(%in: bf16, %in_0: bf16, %out: bf16):
    %0 = arith.mulf %in, %in_0 : bf16
    %1 = arith.addf %out, %0 : bf16
    linalg.yield %1 : bf16
  } -> tensor<4x5xbf16>
  return %y : tensor<4x5xbf16>
}

func.func @f32(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x5xf32>) -> tensor<4x5xf32>
  %y = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x6xf32>, tensor<6x5xf32>) outs(%f : tensor<4x5xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}
