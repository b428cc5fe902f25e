// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_transpose
// CHECK: tensor.collapse_shape
// CHECK: tensor.expand_shape
// CHECK: linalg.transpose {{.*}} permutation = [1, 0]
func.func @reshape_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = strata.reshape %x {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = strata.transpose %0 {perm = array<i64: 1, 0>} : (tensor<6x4xf32>) -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 3] [2, 1] [1, 1]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %0 = strata.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Positive steps are a strided extract_slice; starts are clamped.
// CHECK-LABEL: func.func @slice_strided
// CHECK: tensor.extract_slice %{{.*}}[1, 0] [2, 3] [2, 1] : tensor<5x3xf32> to tensor<2x3xf32>
func.func @slice_strided(%x: tensor<5x3xf32>) -> tensor<2x3xf32> {
  %0 = strata.slice %x {starts = array<i64: 1>, ends = array<i64: 100>, axes = array<i64: 0>, steps = array<i64: 2>} : (tensor<5x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A negative step reads through computed indices.
// CHECK-LABEL: func.func @slice_reversed
// CHECK: linalg.index 0
// CHECK: arith.muli
// CHECK: tensor.extract
func.func @slice_reversed(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = strata.slice %x {starts = array<i64: -1>, ends = array<i64: -100>, steps = array<i64: -1>} : (tensor<5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// Negative indices count from the end of the axis; the result is clamped
// into [0, 3], so that a bad index reads the nearest row, not past the
// tensor.
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic
// CHECK: ^bb0(%[[I:.*]]: i64,
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[SIZE:.*]] = arith.constant 4 : i64
// CHECK: %[[NEG:.*]] = arith.cmpi slt, %[[I]], %[[ZERO]] : i64
// CHECK: %[[UP:.*]] = arith.addi %[[I]], %[[SIZE]] : i64
// CHECK: %[[W:.*]] = arith.select %[[NEG]], %[[UP]], %[[I]] : i64
// CHECK: %[[LOW:.*]] = arith.maxsi %[[W]], %[[ZERO]] : i64
// CHECK: %[[C:.*]] = arith.minsi %[[LOW]], %c3_i64 : i64
// CHECK: %[[AT:.*]] = arith.index_cast %[[C]] : i64 to index
// CHECK: tensor.extract %{{.*}}[%[[AT]], %{{.*}}] : tensor<4x5xf32>
func.func @gather(%x: tensor<4x5xf32>, %i: tensor<2xi64>) -> tensor<2x5xf32> {
  %0 = strata.gather %x, %i {axis = 0 : i64} : (tensor<4x5xf32>, tensor<2xi64>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// An i32 index into an axis longer than 2^31 - 1 is widened first, so that
// the wrap cannot overflow.
// CHECK-LABEL: func.func @gather_long_axis
// CHECK: ^bb0(%[[I:.*]]: i32,
// CHECK: %[[WIDE:.*]] = arith.extsi %[[I]] : i32 to i64
// CHECK: arith.constant 3000000000 : i64
// CHECK: arith.cmpi slt, %[[WIDE]]
func.func @gather_long_axis(%x: tensor<3000000000xi8>, %i: tensor<2xi32>) -> tensor<2xi8> {
  %0 = strata.gather %x, %i {axis = 0 : i64} : (tensor<3000000000xi8>, tensor<2xi32>) -> tensor<2xi8>
  return %0 : tensor<2xi8>
}

// -----

// CHECK-LABEL: func.func @pad_reflect
// CHECK: arith.subi
// CHECK: arith.select
// CHECK: tensor.extract
func.func @pad_reflect(%x: tensor<3xf32>) -> tensor<5xf32> {
  %0 = strata.pad %x {pads = array<i64: 1, 1>, mode = "reflect"} : (tensor<3xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @expand
// CHECK: linalg.generic {indexing_maps = [#[[$B]]
func.func @expand(%x: tensor<1x3xf32>) -> tensor<4x3xf32> {
  %0 = strata.expand %x {shape = array<i64: 4, 3>} : (tensor<1x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK: linalg.generic
// CHECK: ^bb0(%[[I:.*]]: i32,
// CHECK: %[[W:.*]] = arith.select %{{.*}}, %{{.*}}, %[[I]] : i32
// CHECK: %[[LOW:.*]] = arith.maxsi %[[W]], %c0_i32 : i32
// CHECK: %[[C:.*]] = arith.minsi %[[LOW]], %c2_i32 : i32
// CHECK: %[[AT:.*]] = arith.index_cast %[[C]] : i32 to index
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[AT]]] : tensor<2x3xf32>
func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x2xi32>) -> tensor<2x2xf32> {
  %0 = strata.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}
