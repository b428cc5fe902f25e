// RUN: strata-opt %s -canonicalize -split-input-file | FileCheck %s

// Every strata folder and canonicalization pattern, with the cases that must
// not fold next to the ones that do.

// CHECK-LABEL: func @cast_identity
func.func @cast_identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK-NEXT: return %arg0
  %0 = strata.cast %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @cast_constants
func.func @cast_constants() -> (tensor<3xi32>, tensor<2xf32>, tensor<2xi32>, tensor<2xi32>, tensor<3xi1>, tensor<2xf16>, tensor<i8>) {
  // Float to int truncates toward zero.
  // CHECK-DAG: strata.constant dense<[-2, 2, 0]> : tensor<3xi32>
  %f = strata.constant dense<[-2.7, 2.7, 0.5]> : tensor<3xf32>
  %0 = strata.cast %f : (tensor<3xf32>) -> tensor<3xi32>
  // Unsigned sources convert as unsigned.
  // CHECK-DAG: strata.constant dense<[2.550000e+02, 1.000000e+00]> : tensor<2xf32>
  %u = strata.constant dense<[255, 1]> : tensor<2xui8>
  %1 = strata.cast %u : (tensor<2xui8>) -> tensor<2xf32>
  // CHECK-DAG: strata.constant dense<[255, 1]> : tensor<2xi32>
  %2 = strata.cast %u : (tensor<2xui8>) -> tensor<2xi32>
  // CHECK-DAG: strata.constant dense<[-1, 1]> : tensor<2xi32>
  %s = strata.constant dense<[-1, 1]> : tensor<2xi8>
  %3 = strata.cast %s : (tensor<2xi8>) -> tensor<2xi32>
  // To bool means non-zero.
  // CHECK-DAG: strata.constant dense<[true, true, false]> : tensor<3xi1>
  %4 = strata.cast %0 : (tensor<3xi32>) -> tensor<3xi1>
  // CHECK-DAG: strata.constant dense<[6.550400e+04, 1.000000e+00]> : tensor<2xf16>
  %g = strata.constant dense<[65504.0, 1.0]> : tensor<2xf32>
  %5 = strata.cast %g : (tensor<2xf32>) -> tensor<2xf16>
  // Out of range: undefined, so left for run time.
  // CHECK-DAG: %[[BIG:.*]] = strata.constant dense<1.000000e+03> : tensor<f32>
  // CHECK-DAG: strata.cast %[[BIG]] : (tensor<f32>) -> tensor<i8>
  %b = strata.constant dense<1000.0> : tensor<f32>
  %6 = strata.cast %b : (tensor<f32>) -> tensor<i8>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<3xi32>, tensor<2xf32>, tensor<2xi32>, tensor<2xi32>, tensor<3xi1>, tensor<2xf16>, tensor<i8>
}

// -----

// CHECK-LABEL: func @add_identity
func.func @add_identity(%i: tensor<4xi64>, %f: tensor<4xf32>) -> (tensor<4xi64>, tensor<4xf32>, tensor<4xf32>, tensor<2x4xi64>) {
  %zi = strata.constant dense<0> : tensor<i64>
  %mz = strata.constant dense<-0.0> : tensor<f32>
  %pz = strata.constant dense<0.0> : tensor<f32>
  %zz = strata.constant dense<0> : tensor<2x4xi64>
  %0 = strata.add %i, %zi : (tensor<4xi64>, tensor<i64>) -> tensor<4xi64>
  %1 = strata.add %f, %mz : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // x + 0.0 turns -0.0 into 0.0, and broadcasting changes the type: neither folds.
  // CHECK-DAG: %[[ADDF:.*]] = strata.add %arg1, %{{.*}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = strata.add %f, %pz : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  // CHECK-DAG: %[[ADDB:.*]] = strata.add %arg0, %{{.*}} : (tensor<4xi64>, tensor<2x4xi64>) -> tensor<2x4xi64>
  %3 = strata.add %i, %zz : (tensor<4xi64>, tensor<2x4xi64>) -> tensor<2x4xi64>
  // CHECK: return %arg0, %arg1, %[[ADDF]], %[[ADDB]]
  return %0, %1, %2, %3 : tensor<4xi64>, tensor<4xf32>, tensor<4xf32>, tensor<2x4xi64>
}

// -----

// CHECK-LABEL: func @arith_constants
func.func @arith_constants() -> (tensor<3xi64>, tensor<3xi64>, tensor<2x3xi64>, tensor<2xf32>, tensor<3xi64>, tensor<2xui8>) {
  %a = strata.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = strata.constant dense<[[10], [20]]> : tensor<2x1xi64>
  %two = strata.constant dense<2> : tensor<i64>
  // CHECK-DAG: strata.constant dense<[3, 4, 5]> : tensor<3xi64>
  %0 = strata.add %a, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  // CHECK-DAG: strata.constant dense<[-1, 0, 1]> : tensor<3xi64>
  %1 = strata.sub %a, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  // Broadcasting of both operands.
  // CHECK-DAG: strata.constant dense<{{\[\[}}10, 20, 30], [20, 40, 60]]> : tensor<2x3xi64>
  %2 = strata.mul %a, %b : (tensor<3xi64>, tensor<2x1xi64>) -> tensor<2x3xi64>
  // CHECK-DAG: strata.constant dense<[7.500000e-01, -2.000000e+00]> : tensor<2xf32>
  %f = strata.constant dense<[1.5, -4.0]> : tensor<2xf32>
  %g = strata.constant dense<2.0> : tensor<2xf32>
  %3 = strata.div %f, %g : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // Signed integer division truncates toward zero.
  // CHECK-DAG: strata.constant dense<[-3, 3, 0]> : tensor<3xi64>
  %n = strata.constant dense<[-7, 7, 1]> : tensor<3xi64>
  %4 = strata.div %n, %two : (tensor<3xi64>, tensor<i64>) -> tensor<3xi64>
  // CHECK-DAG: strata.constant dense<[127, 1]> : tensor<2xui8>
  %u = strata.constant dense<[254, 3]> : tensor<2xui8>
  %u2 = strata.constant dense<2> : tensor<2xui8>
  %5 = strata.div %u, %u2 : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  return %0, %1, %2, %3, %4, %5 : tensor<3xi64>, tensor<3xi64>, tensor<2x3xi64>, tensor<2xf32>, tensor<3xi64>, tensor<2xui8>
}

// -----

// CHECK-LABEL: func @div_by_zero
func.func @div_by_zero() -> tensor<2xi32> {
  // CHECK: %[[D:.*]] = strata.div
  // CHECK: return %[[D]]
  %a = strata.constant dense<[1, 2]> : tensor<2xi32>
  %z = strata.constant dense<[1, 0]> : tensor<2xi32>
  %0 = strata.div %a, %z : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func @identities
func.func @identities(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>) {
  %one = strata.constant dense<1.0> : tensor<f32>
  %zero = strata.constant dense<0.0> : tensor<f32>
  %izero = strata.constant dense<0> : tensor<i32>
  %0 = strata.mul %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = strata.div %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = strata.pow %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = strata.sub %x, %zero : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %4 = strata.sub %i, %izero : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
  %5 = strata.max %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %6 = strata.min %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK-NEXT: return %arg0, %arg0, %arg0, %arg0, %arg1, %arg0, %arg0
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @max_min_constants
func.func @max_min_constants() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xi8>, tensor<2xui8>) {
  %a = strata.constant dense<[0x7FC00000, 1.0]> : tensor<2xf32>
  %b = strata.constant dense<[2.0, 3.0]> : tensor<2xf32>
  // NaN propagates.
  // CHECK-DAG: strata.constant dense<[0x7FC00000, 3.000000e+00]> : tensor<2xf32>
  %0 = strata.max %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // CHECK-DAG: strata.constant dense<[0x7FC00000, 1.000000e+00]> : tensor<2xf32>
  %1 = strata.min %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  // Signedness decides: -1 < 1 as i8, 255 > 1 as ui8.
  // CHECK-DAG: strata.constant dense<[1, 5]> : tensor<2xi8>
  %s = strata.constant dense<[-1, 5]> : tensor<2xi8>
  %s1 = strata.constant dense<1> : tensor<2xi8>
  %2 = strata.max %s, %s1 : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
  // CHECK-DAG: strata.constant dense<1> : tensor<2xui8>
  %u = strata.constant dense<[255, 5]> : tensor<2xui8>
  %u1 = strata.constant dense<1> : tensor<2xui8>
  %3 = strata.min %u, %u1 : (tensor<2xui8>, tensor<2xui8>) -> tensor<2xui8>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2xf32>, tensor<2xi8>, tensor<2xui8>
}

// -----

// CHECK-LABEL: func @compare_constants
func.func @compare_constants() -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<2xi1>) {
  %a = strata.constant dense<[1.0, 2.0, 3.0, 0x7FC00000]> : tensor<4xf32>
  %b = strata.constant dense<2.0> : tensor<f32>
  // Comparisons with NaN are false.
  // CHECK-DAG: strata.constant dense<[false, true, false, false]> : tensor<4xi1>
  %0 = strata.equal %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK-DAG: strata.constant dense<[false, false, true, false]> : tensor<4xi1>
  %1 = strata.greater %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK-DAG: strata.constant dense<[false, true, true, false]> : tensor<4xi1>
  %2 = strata.greater_equal %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK-DAG: strata.constant dense<[true, false, false, false]> : tensor<4xi1>
  %3 = strata.less %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // CHECK-DAG: strata.constant dense<[true, true, false, false]> : tensor<4xi1>
  %4 = strata.less_equal %a, %b : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
  // Unsigned: 255 > 1.
  // CHECK-DAG: strata.constant dense<[true, false]> : tensor<2xi1>
  %u = strata.constant dense<[255, 0]> : tensor<2xui8>
  %one = strata.constant dense<1> : tensor<ui8>
  %5 = strata.greater %u, %one : (tensor<2xui8>, tensor<ui8>) -> tensor<2xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<2xi1>
}

// -----

// CHECK-LABEL: func @unary_chains
func.func @unary_chains(%x: tensor<4xf32>, %u: tensor<4xui8>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xui8>, tensor<4xui8>, tensor<4xf32>) {
  // CHECK-DAG: %[[ABS:.*]] = strata.abs %arg0
  // CHECK-DAG: %[[RELU:.*]] = strata.relu %arg0
  %n = strata.neg %x : (tensor<4xf32>) -> tensor<4xf32>
  %0 = strata.neg %n : (tensor<4xf32>) -> tensor<4xf32>
  %a = strata.abs %x : (tensor<4xf32>) -> tensor<4xf32>
  %1 = strata.abs %a : (tensor<4xf32>) -> tensor<4xf32>
  %r = strata.relu %x : (tensor<4xf32>) -> tensor<4xf32>
  %2 = strata.relu %r : (tensor<4xf32>) -> tensor<4xf32>
  %3 = strata.abs %u : (tensor<4xui8>) -> tensor<4xui8>
  %4 = strata.relu %u : (tensor<4xui8>) -> tensor<4xui8>
  %5 = strata.clip %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: return %arg0, %[[ABS]], %[[RELU]], %arg1, %arg1, %arg0
  return %0, %1, %2, %3, %4, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xui8>, tensor<4xui8>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @unary_constants
func.func @unary_constants() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) {
  %c = strata.constant dense<[-1.5, 0.0, 2.0]> : tensor<3xf32>
  // CHECK-DAG: strata.constant dense<[1.500000e+00, -0.000000e+00, -2.000000e+00]> : tensor<3xf32>
  %0 = strata.neg %c : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK-DAG: strata.constant dense<[1.500000e+00, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %1 = strata.abs %c : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK-DAG: strata.constant dense<[0.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %2 = strata.relu %c : (tensor<3xf32>) -> tensor<3xf32>
  // CHECK-DAG: strata.constant dense<[0, 7]> : tensor<2xi32>
  %i = strata.constant dense<[-3, 7]> : tensor<2xi32>
  %3 = strata.relu %i : (tensor<2xi32>) -> tensor<2xi32>
  return %0, %1, %2, %3 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>
}

// -----

// CHECK-LABEL: func @rounding
func.func @rounding(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %c = strata.constant dense<[-1.5, 0.5, 2.5, 0x7FC00000]> : tensor<4xf32>
  // CHECK-DAG: strata.constant dense<[-2.000000e+00, 0.000000e+00, 2.000000e+00, 0x7FC00000]> : tensor<4xf32>
  %0 = strata.floor %c : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK-DAG: strata.constant dense<[-1.000000e+00, 1.000000e+00, 3.000000e+00, 0x7FC00000]> : tensor<4xf32>
  %1 = strata.ceil %c : (tensor<4xf32>) -> tensor<4xf32>
  // Halves go to the even neighbour.
  // CHECK-DAG: strata.constant dense<[0.000000e+00, 2.000000e+00, -2.000000e+00, 4.000000e+00]> : tensor<4xf32>
  %h = strata.constant dense<[0.5, 1.5, -2.5, 3.7]> : tensor<4xf32>
  %2 = strata.round %h : (tensor<4xf32>) -> tensor<4xf32>
  // A repeated rounding is the first one.
  // CHECK-DAG: %[[FLOOR:.*]] = strata.floor %arg0
  // CHECK: return {{.*}}, {{.*}}, {{.*}}, %[[FLOOR]]
  %f = strata.floor %x : (tensor<4xf32>) -> tensor<4xf32>
  %3 = strata.floor %f : (tensor<4xf32>) -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @where
func.func @where(%x: tensor<4xf32>, %y: tensor<4xf32>, %c: tensor<4xi1>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %t = strata.constant dense<true> : tensor<i1>
  %f = strata.constant dense<false> : tensor<4xi1>
  %0 = strata.where %t, %x, %y : (tensor<i1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = strata.where %f, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = strata.where %c, %x, %x : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK-NEXT: return %arg0, %arg1, %arg0
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @transpose
func.func @transpose(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3x4x2xf32>, tensor<4x2xf32>) {
  %0 = strata.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  // Two transposes compose into one.
  // CHECK-DAG: %[[T:.*]] = strata.transpose %arg0 {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %a = strata.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = strata.transpose %a {perm = array<i64: 2, 0, 1>} : (tensor<4x2x3xf32>) -> tensor<3x4x2xf32>
  // CHECK-DAG: %[[S:.*]] = strata.constant dense<5.000000e+00> : tensor<4x2xf32>
  %s = strata.constant dense<5.0> : tensor<2x4xf32>
  %2 = strata.transpose %s {perm = array<i64: 1, 0>} : (tensor<2x4xf32>) -> tensor<4x2xf32>
  // CHECK: return %arg0, %[[T]], %[[S]]
  return %0, %1, %2 : tensor<2x3x4xf32>, tensor<3x4x2xf32>, tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func @reshape
func.func @reshape(%x: tensor<2x3xf32>, %d: tensor<?x3xf32>) -> (tensor<2x3xf32>, tensor<3x2xi64>, tensor<6xf32>, tensor<?x3xf32>) {
  %0 = strata.reshape %x {shape = array<i64: 2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-DAG: %[[C:.*]] = strata.constant dense<{{\[\[}}1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
  %c = strata.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %1 = strata.reshape %c {shape = array<i64: 3, -1>} : (tensor<2x3xi64>) -> tensor<3x2xi64>
  // A chain of reshape-like ops with a static end collapses into one reshape.
  // CHECK-DAG: %[[R:.*]] = strata.reshape %arg0 {allowzero = true, shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xf32>
  %u = strata.unsqueeze %x {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %f = strata.flatten %u {axis = 1 : i64} : (tensor<1x2x3xf32>) -> tensor<1x6xf32>
  %2 = strata.reshape %f {shape = array<i64: -1>} : (tensor<1x6xf32>) -> tensor<6xf32>
  // A dynamic result keeps its reshape: it may not be an identity.
  // CHECK-DAG: %[[D:.*]] = strata.reshape %arg1 {shape = array<i64: -1, 3>}
  %3 = strata.reshape %d {shape = array<i64: -1, 3>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  // CHECK: return %arg0, %[[C]], %[[R]], %[[D]]
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<3x2xi64>, tensor<6xf32>, tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func @squeeze_unsqueeze
func.func @squeeze_unsqueeze(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xi64>, tensor<1x2xi64>) {
  %0 = strata.squeeze %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-DAG: %[[S:.*]] = strata.constant dense<[4, 5]> : tensor<2xi64>
  %c = strata.constant dense<[[4, 5]]> : tensor<1x2xi64>
  %1 = strata.squeeze %c {axes = array<i64: 0>} : (tensor<1x2xi64>) -> tensor<2xi64>
  // CHECK-DAG: %[[U:.*]] = strata.constant dense<{{\[\[}}4, 5]]> : tensor<1x2xi64>
  %2 = strata.unsqueeze %1 {axes = array<i64: 0>} : (tensor<2xi64>) -> tensor<1x2xi64>
  // CHECK: return %arg0, %[[S]], %[[U]]
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2xi64>, tensor<1x2xi64>
}

// -----

// CHECK-LABEL: func @concat
func.func @concat(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<4xi64>, tensor<2x3xi32>) {
  %0 = strata.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // The shape arithmetic of an ONNX import: [n, c] ++ [h, w].
  // CHECK-DAG: %[[S:.*]] = strata.constant dense<[1, 3, 224, 224]> : tensor<4xi64>
  %a = strata.constant dense<[1, 3]> : tensor<2xi64>
  %e = strata.constant dense<> : tensor<0xi64>
  %b = strata.constant dense<[224, 224]> : tensor<2xi64>
  %1 = strata.concat %a, %e, %b {axis = 0 : i64} : (tensor<2xi64>, tensor<0xi64>, tensor<2xi64>) -> tensor<4xi64>
  // CHECK-DAG: %[[M:.*]] = strata.constant dense<{{\[\[}}1, 2, 7], [3, 4, 8]]> : tensor<2x3xi32>
  %m = strata.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %n = strata.constant dense<[[7], [8]]> : tensor<2x1xi32>
  %2 = strata.concat %m, %n {axis = -1 : i64} : (tensor<2x2xi32>, tensor<2x1xi32>) -> tensor<2x3xi32>
  // CHECK: return %arg0, %[[S]], %[[M]]
  return %0, %1, %2 : tensor<2x3xf32>, tensor<4xi64>, tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func @slice
func.func @slice(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2xi64>, tensor<2x1xi32>, tensor<4xf32>) {
  %0 = strata.slice %x {starts = array<i64: 0>, ends = array<i64: 9223372036854775807>} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK-DAG: %[[A:.*]] = strata.constant dense<[4, 2]> : tensor<2xi64>
  %c = strata.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
  %1 = strata.slice %c {starts = array<i64: -1>, ends = array<i64: -9223372036854775807>, steps = array<i64: -2>} : (tensor<4xi64>) -> tensor<2xi64>
  // CHECK-DAG: %[[B:.*]] = strata.constant dense<{{\[\[}}2], [5]]> : tensor<2x1xi32>
  %m = strata.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %2 = strata.slice %m {starts = array<i64: 1>, ends = array<i64: 2>, axes = array<i64: 1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
  // Reversal keeps the shape but is no identity.
  // CHECK-DAG: %[[R:.*]] = strata.slice %arg0
  %3 = strata.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775807>, steps = array<i64: -1>} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: return %arg0, %[[A]], %[[B]], %[[R]]
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<2xi64>, tensor<2x1xi32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @pad_expand
func.func @pad_expand(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2x3xf32>, tensor<4x3xf32>) {
  %0 = strata.pad %x {pads = array<i64: 0, 0, 0, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = strata.expand %x {shape = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK-DAG: %[[E:.*]] = strata.expand %arg0
  %2 = strata.expand %x {shape = array<i64: 2, 1, 1>} : (tensor<2x3xf32>) -> tensor<2x2x3xf32>
  // CHECK-DAG: %[[S:.*]] = strata.constant dense<1.000000e+00> : tensor<4x3xf32>
  %s = strata.constant dense<1.0> : tensor<3xf32>
  %3 = strata.expand %s {shape = array<i64: 4, 1>} : (tensor<3xf32>) -> tensor<4x3xf32>
  // CHECK: return %arg0, %arg0, %[[E]], %[[S]]
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x2x3xf32>, tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func @gather
func.func @gather() -> (tensor<i64>, tensor<2x2xi32>, tensor<2xi64>) {
  // The batch size out of a shape: a scalar index removes the axis.
  // CHECK-DAG: %[[N:.*]] = strata.constant dense<2> : tensor<i64>
  %shape = strata.constant dense<[2, 3, 4]> : tensor<3xi64>
  %zero = strata.constant dense<0> : tensor<i64>
  %0 = strata.gather %shape, %zero : (tensor<3xi64>, tensor<i64>) -> tensor<i64>
  // Negative indices count from the end; axis 1 picks columns.
  // CHECK-DAG: %[[M:.*]] = strata.constant dense<{{\[\[}}3, 1], [6, 4]]> : tensor<2x2xi32>
  %m = strata.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %idx = strata.constant dense<[-1, 0]> : tensor<2xi64>
  %1 = strata.gather %m, %idx {axis = 1 : i64} : (tensor<2x3xi32>, tensor<2xi64>) -> tensor<2x2xi32>
  // An out-of-range index is left for run time to report.
  // CHECK-DAG: %[[G:.*]] = strata.gather
  %bad = strata.constant dense<[0, 3]> : tensor<2xi64>
  %2 = strata.gather %shape, %bad : (tensor<3xi64>, tensor<2xi64>) -> tensor<2xi64>
  // CHECK: return %[[N]], %[[M]], %[[G]]
  return %0, %1, %2 : tensor<i64>, tensor<2x2xi32>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func @not_not
func.func @not_not(%b: tensor<4xi1>) -> tensor<4xi1> {
  %0 = strata.not %b : (tensor<4xi1>) -> tensor<4xi1>
  %1 = strata.not %0 : (tensor<4xi1>) -> tensor<4xi1>
  // CHECK-NEXT: return %arg0
  return %1 : tensor<4xi1>
}
