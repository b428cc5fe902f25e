// RUN: strata-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(strata-fold-casts-into-contractions))' | FileCheck %s

// A matmul of two widened i8 tensors reads them narrow and widens each
// element in its body; the casts die.

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: %[[X:.*]]: tensor<4x6xi8>, %[[W:.*]]: tensor<6x5xi8>
// CHECK-NOT: arith.extsi
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[W]] : tensor<4x6xi8>, tensor<6x5xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %[[IN1:.*]]: i8, %[[OUT:.*]]: i32):
// CHECK-DAG: %[[A:.*]] = arith.extsi %[[IN]] : i8 to i32
// CHECK-DAG: %[[B:.*]] = arith.extsi %[[IN1]] : i8 to i32
// CHECK: arith.muli %[[A]], %[[B]] : i32
func.func @matmul(%x: tensor<4x6xi8>, %w: tensor<6x5xi8>) -> tensor<4x5xi32> {
  %zero = arith.constant 0 : i32
  %ex = tensor.empty() : tensor<4x6xi32>
  %xi = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x6xi8>) outs(%ex : tensor<4x6xi32>) {
  ^bb0(%in: i8, %out: i32):
    %0 = arith.extsi %in : i8 to i32
    linalg.yield %0 : i32
  } -> tensor<4x6xi32>
  %ew = tensor.empty() : tensor<6x5xi32>
  %wi = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w : tensor<6x5xi8>) outs(%ew : tensor<6x5xi32>) {
  ^bb0(%in: i8, %out: i32):
    %0 = arith.extsi %in : i8 to i32
    linalg.yield %0 : i32
  } -> tensor<6x5xi32>
  %e = tensor.empty() : tensor<4x5xi32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<4x5xi32>) -> tensor<4x5xi32>
  %y = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%xi, %wi : tensor<4x6xi32>, tensor<6x5xi32>) outs(%f : tensor<4x5xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.muli %in, %in_0 : i32
    %1 = arith.addi %out, %0 : i32
    linalg.yield %1 : i32
  } -> tensor<4x5xi32>
  return %y : tensor<4x5xi32>
}

// -----

// Through a reshape and a zero pad (a padded convolution's input), rebuilt
// on the i8 tensor; a constant whose values fit in i8 becomes an i8 one,
// and one that does not (300) stays as it is.

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @padded(
// CHECK-SAME: %[[X:.*]]: tensor<12xi8>
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : i8
// CHECK-DAG: %[[FITS:.*]] = arith.constant dense<{{\[\[}}1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi8>
// CHECK-DAG: %[[WIDE:.*]] = arith.constant dense<{{\[\[}}1, 300], [3, 4], [-5, 6]]> : tensor<3x2xi32>
// CHECK: %[[R:.*]] = tensor.expand_shape %[[X]] {{.*}} : tensor<12xi8> into tensor<4x3xi8>
// CHECK: %[[P:.*]] = tensor.pad %[[R]] low[1, 0] high[1, 0]
// CHECK: tensor.yield %[[Z]] : i8
// CHECK: } : tensor<4x3xi8> to tensor<6x3xi8>
// CHECK: linalg.generic {{.*}} ins(%[[P]], %[[FITS]] : tensor<6x3xi8>, tensor<3x2xi8>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[WIDE]] : tensor<6x3xi8>, tensor<3x2xi32>)
func.func @padded(%x: tensor<12xi8>) -> (tensor<6x2xi32>, tensor<6x2xi32>) {
  %zero = arith.constant 0 : i32
  %fits = arith.constant dense<[[1, -2], [3, 4], [-5, 6]]> : tensor<3x2xi32>
  %wide = arith.constant dense<[[1, 300], [3, 4], [-5, 6]]> : tensor<3x2xi32>
  %ex = tensor.empty() : tensor<12xi32>
  %xi = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<12xi8>) outs(%ex : tensor<12xi32>) {
  ^bb0(%in: i8, %out: i32):
    %0 = arith.extsi %in : i8 to i32
    linalg.yield %0 : i32
  } -> tensor<12xi32>
  %r = tensor.expand_shape %xi [[0, 1]] output_shape [4, 3] : tensor<12xi32> into tensor<4x3xi32>
  %p = tensor.pad %r low[1, 0] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : i32
  } : tensor<4x3xi32> to tensor<6x3xi32>
  %e = tensor.empty() : tensor<6x2xi32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<6x2xi32>) -> tensor<6x2xi32>
  %y = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %fits : tensor<6x3xi32>, tensor<3x2xi32>) outs(%f : tensor<6x2xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.muli %in, %in_0 : i32
    %1 = arith.addi %out, %0 : i32
    linalg.yield %1 : i32
  } -> tensor<6x2xi32>
  %z = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%p, %wide : tensor<6x3xi32>, tensor<3x2xi32>) outs(%f : tensor<6x2xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %0 = arith.muli %in, %in_0 : i32
    %1 = arith.addi %out, %0 : i32
    linalg.yield %1 : i32
  } -> tensor<6x2xi32>
  return %y, %z : tensor<6x2xi32>, tensor<6x2xi32>
}
