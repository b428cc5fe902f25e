// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file | FileCheck %s

// Scatters write in order: one loop over the updates, carrying the result.
// An index is wrapped, then clamped into the axis; an update whose index
// was out of range writes back the old value.
// CHECK-LABEL: func.func @scatter_elements_add
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<3x3xf32>)
// CHECK:   %[[I:.*]] = tensor.extract %{{.*}} : tensor<1x2xi64>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[SIZE:.*]] = arith.constant 3 : i64
// CHECK:   %[[NEG:.*]] = arith.cmpi slt, %[[I]], %[[ZERO]] : i64
// CHECK:   %[[UP:.*]] = arith.addi %[[I]], %[[SIZE]] : i64
// CHECK:   %[[W:.*]] = arith.select %[[NEG]], %[[UP]], %[[I]] : i64
// CHECK:   %[[VALID:.*]] = arith.cmpi ult, %[[W]], %[[SIZE]] : i64
// CHECK:   %[[LOW:.*]] = arith.maxsi %[[W]], %[[ZERO]] : i64
// CHECK:   %[[LAST:.*]] = arith.constant 2 : i64
// CHECK:   %[[C:.*]] = arith.minsi %[[LOW]], %[[LAST]] : i64
// CHECK:   %[[AT:.*]] = arith.index_cast %[[C]] : i64 to index
// CHECK:   %[[U:.*]] = tensor.extract %{{.*}} : tensor<1x2xf32>
// CHECK:   %[[OLD:.*]] = tensor.extract %[[ACC]][%{{.*}}, %[[AT]]]
// CHECK:   %[[SUM:.*]] = arith.addf %[[OLD]], %[[U]]
// CHECK:   %[[NEW:.*]] = arith.select %[[VALID]], %[[SUM]], %[[OLD]] : f32
// CHECK:   tensor.insert %[[NEW]] into %[[ACC]][%{{.*}}, %[[AT]]]
func.func @scatter_elements_add(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> tensor<3x3xf32> {
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_nd
// CHECK: scf.for
// CHECK:   %[[VALID:.*]] = arith.cmpi ult, %{{.*}}, %c8_i64 : i64
// CHECK-NOT: arith.addf
// CHECK:   %[[OLD:.*]] = tensor.extract %{{.*}} : tensor<8xf32>
// CHECK:   %[[NEW:.*]] = arith.select %[[VALID]], %{{.*}}, %[[OLD]] : f32
// CHECK:   tensor.insert %[[NEW]]
func.func @scatter_nd(%d: tensor<8xf32>, %i: tensor<4x1xi64>, %u: tensor<4xf32>) -> tensor<8xf32> {
  %0 = strata.scatter_nd %d, %i, %u : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// An update is dropped unless every index of its tuple is in range.
// CHECK-LABEL: func.func @scatter_nd_pairs
// CHECK:   %[[ROW:.*]] = arith.cmpi ult, %{{.*}}, %c4_i32 : i32
// CHECK:   %[[COL:.*]] = arith.cmpi ult, %{{.*}}, %c5_i32 : i32
// CHECK:   %[[BOTH:.*]] = arith.andi %[[ROW]], %[[COL]] : i1
// CHECK:   arith.select %[[BOTH]], %{{.*}}, %{{.*}} : f32
func.func @scatter_nd_pairs(%d: tensor<4x5xf32>, %i: tensor<3x2xi32>, %u: tensor<3xf32>) -> tensor<4x5xf32> {
  %0 = strata.scatter_nd %d, %i, %u : (tensor<4x5xf32>, tensor<3x2xi32>, tensor<3xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @gather_nd
// CHECK: linalg.generic
// CHECK: tensor.extract %{{.*}} : tensor<2x2xi64>
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}} : tensor<2x2xi64>
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}} : tensor<2x2xf32>
func.func @gather_nd(%d: tensor<2x2xf32>, %i: tensor<2x2xi64>) -> tensor<2xf32> {
  %0 = strata.gather_nd %d, %i : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Rank every element, then pick the element of each rank below k.
// CHECK-LABEL: func.func @topk
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: linalg.yield %{{.*}}, %{{.*}} : f32, i64
func.func @topk(%x: tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %v, %i = strata.topk %x {k = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// Taps are computed at compile time: nearest upsampling by 2 reads index
// o / 2, with weight 1.
// CHECK-LABEL: func.func @resize_nearest
// CHECK: arith.constant dense<{{\[\[}}0], [0], [1], [1]]> : tensor<4x1xi64>
// CHECK: linalg.generic
// CHECK: tensor.extract
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  %0 = strata.resize %x {sizes = array<i64: 1, 1, 4, 4>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>, coordinate_transformation_mode = "asymmetric", nearest_mode = "floor"} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// Linear taps in the common coordinate modes follow onnxruntime's cpu
// kernel: the coordinate is clamped to the input, so the left edge reads
// [0, 1] with weights [1, 0] and the right edge [2, 2] with a half each.
// Each product and sum rounds on its own (no FMA contraction).
// CHECK-LABEL: func.func @resize_linear
// CHECK: arith.constant dense<{{\[\[}}0, 1], [0, 1], [0, 1], [1, 2], [1, 2], [2, 2]]> : tensor<6x2xi64>
// CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00], [7.500000e-01, 2.500000e-01], [2.500000e-01, 7.500000e-01], [7.500000e-01, 2.500000e-01], [2.500000e-01, 7.500000e-01], [5.000000e-01, 5.000000e-01]]> : tensor<6x2xf32>
// CHECK: %[[A:.*]] = arith.mulf {{.*}} {strata.no_contract} : f32
// CHECK: %[[B:.*]] = arith.mulf {{.*}} {strata.no_contract} : f32
// CHECK: arith.addf %[[A]], %[[B]] {strata.no_contract} : f32
func.func @resize_linear(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x6xf32> {
  %0 = strata.resize %x {sizes = array<i64: 1, 1, 3, 6>, scales = array<f32: 1.0, 1.0, 1.0, 2.0>, mode = "linear", coordinate_transformation_mode = "half_pixel"} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x6xf32>
  return %0 : tensor<1x1x3x6xf32>
}
