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

// Negative indices count from the end of the axis.
// CHECK-LABEL: func.func @gather
// CHECK: arith.index_cast
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<4x5xf32>
func.func @gather(%x: tensor<4x5xf32>, %i: tensor<2xi64>) -> tensor<2x5xf32> {
  %0 = strata.gather %x, %i {axis = 0 : i64} : (tensor<4x5xf32>, tensor<2xi64>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
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
