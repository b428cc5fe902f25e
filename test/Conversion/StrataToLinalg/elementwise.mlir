// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file | FileCheck %s

// Numpy broadcasting: the size-1 and missing dims read index 0 / nothing.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #[[$ROW]], #[[$ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK:   arith.addf
func.func @add_broadcast(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = strata.add %a, %b : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Unsigned tensors become signless; the ops keep the unsigned semantics.
// CHECK-LABEL: func.func @unsigned_div(%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK: arith.divui
func.func @unsigned_div(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = strata.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0 : tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @signed_div
// CHECK: arith.divsi
func.func @signed_div(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = strata.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.cmpf une
func.func @casts(%a: tensor<4xui8>) -> (tensor<4xi32>, tensor<4xi1>) {
  %0 = strata.cast %a : (tensor<4xui8>) -> tensor<4xf32>
  %1 = strata.cast %0 : (tensor<4xf32>) -> tensor<4xi32>
  %2 = strata.cast %0 : (tensor<4xf32>) -> tensor<4xi1>
  return %1, %2 : tensor<4xi32>, tensor<4xi1>
}

// -----

// Python's `%` for integers: the remainder is fixed up to the divisor's sign.
// CHECK-LABEL: func.func @python_mod
// CHECK: %[[REM:.*]] = arith.remsi
// CHECK: %[[SUM:.*]] = arith.addi %[[REM]]
// CHECK: arith.select %{{.*}}, %[[SUM]], %[[REM]]
func.func @python_mod(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = strata.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @clip_and_relu
// CHECK: arith.minimumf
// CHECK: arith.maximumf
// CHECK: arith.maxsi
func.func @clip_and_relu(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = strata.clip %x {min = 0.0, max = 6.0} : (tensor<4xf32>) -> tensor<4xf32>
  %1 = strata.relu %i : (tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// Transcendental ops on f16 compute in f32.
// CHECK-LABEL: func.func @exp_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: math.exp %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @exp_f16(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = strata.exp %x : (tensor<4xf16>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// CHECK-LABEL: func.func @where_and_compare
// CHECK: arith.cmpi ugt
// CHECK: arith.select
func.func @where_and_compare(%a: tensor<4xui16>, %b: tensor<4xui16>, %x: tensor<4xf32>, %y: tensor<f32>) -> tensor<4xf32> {
  %c = strata.greater %a, %b : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xi1>
  %0 = strata.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @constant_unsigned
// CHECK: arith.constant dense<[1, -1]> : tensor<2xi8>
func.func @constant_unsigned() -> tensor<2xui8> {
  %0 = strata.constant dense<[1, 255]> : tensor<2xui8>
  return %0 : tensor<2xui8>
}
