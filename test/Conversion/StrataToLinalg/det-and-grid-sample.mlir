// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file | FileCheck %s

// det: each matrix, widened to f64, is factored in place with partial
// pivoting in scf.for loops that carry the matrix and the determinant.
// CHECK-LABEL: func.func @det
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2x3x3xf32>) outs(%{{.*}} : tensor<2x3x3xf64>)
// CHECK: arith.extf
// CHECK: scf.for %[[B:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<2xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%[[B]], 0, 0] [1, 3, 3] [1, 1, 1] : tensor<2x3x3xf64> to tensor<3x3xf64>
// CHECK: scf.for {{.*}} -> (tensor<3x3xf64>, f64)
// The pivot search keeps the largest |a[i, k]| and its row.
// CHECK: scf.for {{.*}} -> (f64, index)
// CHECK: math.absf
// CHECK: arith.cmpf ogt
// A row swap flips the sign; a zero pivot is not divided by.
// CHECK: arith.negf
// CHECK: arith.cmpf oeq
// CHECK: arith.divf
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK: tensor.insert
func.func @det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = strata.det %x : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// grid_sample, bilinear with zero padding: one generic over the output; the
// grid's (x, y) are read with tensor.extract and unnormalized, and each of
// the four taps is zero outside the image.
// CHECK-LABEL: func.func @bilinear_zeros
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK-COUNT-2: tensor.extract %{{.*}} : tensor<1x3x3x2xf32>
// CHECK-COUNT-2: math.floor
// CHECK-COUNT-4: tensor.extract %{{.*}} : tensor<1x2x4x5xf32>
func.func @bilinear_zeros(%x: tensor<1x2x4x5xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = strata.grid_sample %x, %g {mode = "bilinear", padding_mode = "zeros"} : (tensor<1x2x4x5xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Nearest rounds half to even; bicubic reads 16 taps; reflection folds the
// coordinates with trunc.
// CHECK-LABEL: func.func @nearest_and_bicubic
// CHECK: math.roundeven
// CHECK: linalg.generic
// CHECK: math.trunc
// CHECK-COUNT-16: tensor.extract %{{.*}} : tensor<1x1x4x4xf32>
func.func @nearest_and_bicubic(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %0 = strata.grid_sample %x, %g {mode = "nearest", padding_mode = "border", align_corners = true} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  %1 = strata.grid_sample %x, %g {mode = "bicubic", padding_mode = "reflection"} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0, %1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
