// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file | FileCheck %s

// Reduce with the dims dropped, restore the kept size-1 dims with a reshape,
// then divide by the count.
// CHECK-LABEL: func.func @reduce_mean_keepdims
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK-SAME: outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: tensor.expand_shape {{.*}} : tensor<8xf32> into tensor<2x1x4xf32>
// CHECK: arith.constant 3.000000e+00 : f32
// CHECK: arith.divf
func.func @reduce_mean_keepdims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = strata.reduce_mean %x {axes = array<i64: -2>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// An unsigned max starts from 0 and compares unsigned.
// CHECK-LABEL: func.func @reduce_max_unsigned
// CHECK: arith.constant 0 : i8
// CHECK: arith.maxui
func.func @reduce_max_unsigned(%x: tensor<4x5xui8>) -> tensor<4xui8> {
  %0 = strata.reduce_max %x {axes = array<i64: 1>, keepdims = false} : (tensor<4x5xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// Two results: the running best value and its index; ties keep the first.
// CHECK-LABEL: func.func @argmax
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: linalg.index 1
// CHECK: arith.cmpf ogt
// CHECK: linalg.yield %{{.*}}, %{{.*}} : f32, i64
func.func @argmax(%x: tensor<3x4xf32>) -> tensor<3x1xi64> {
  %0 = strata.argmax %x {axis = -1 : i64} : (tensor<3x4xf32>) -> tensor<3x1xi64>
  return %0 : tensor<3x1xi64>
}

// -----

// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @softmax(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %0 = strata.softmax %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Channel operands are reshaped to C x 1 x 1 to broadcast over dim 1.
// CHECK-LABEL: func.func @batch_norm
// CHECK: tensor.expand_shape {{.*}} : tensor<8xf32> into tensor<8x1x1xf32>
// CHECK: math.sqrt
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>, %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = strata.batch_norm %x, %s, %b, %m, %v : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @cumsum_reverse_exclusive
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpi sgt
func.func @cumsum_reverse_exclusive(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = strata.cumsum %x {axis = 0 : i64, exclusive = true, reverse = true} : (tensor<5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
