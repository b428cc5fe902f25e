// RUN: strata-opt %s --strata-cpu-flatten-empty-boundaries | FileCheck %s

// Empty tensors of rank other than 1 cross a kernel's boundary as rank 1;
// a non-empty or rank-1 one stays as it is, and so do private functions.
// CHECK-LABEL: func.func @kernel
// CHECK-SAME: (%[[A:.*]]: tensor<0xf32>, %[[B:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<0xi8>) -> (tensor<0xf32>, tensor<4xf32>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[A]] {{\[\[}}0, 1]] output_shape [2, 0] : tensor<0xf32> into tensor<2x0xf32>
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[E]] {{\[\[}}0, 1]] : tensor<2x0xf32> into tensor<0xf32>
// CHECK: return %[[R]], %[[B]]
func.func @kernel(%a: tensor<2x0xf32>, %b: tensor<4xf32>, %c: tensor<0xi8>) -> (tensor<2x0xf32>, tensor<4xf32>) {
  return %a, %b : tensor<2x0xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func private @helper(%{{.*}}: tensor<0x3xf32>)
func.func private @helper(%a: tensor<0x3xf32>) {
  return
}
