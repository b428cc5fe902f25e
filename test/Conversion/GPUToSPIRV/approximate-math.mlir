// RUN: strata-opt %s --strata-spirv-approximate-math | FileCheck %s

// erf becomes a polynomial of arithmetic that SPIR-V has.
// CHECK-LABEL: func.func @erf
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK: return
func.func @erf(%x: f32) -> f32 {
  %y = math.erf %x : f32
  return %y : f32
}

// trunc is a ceil below zero and a floor otherwise.
// CHECK-LABEL: func.func @trunc
// CHECK-NOT: math.trunc
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X:.*]], %{{.*}} : f32
// CHECK: %[[CEIL:.*]] = math.ceil %[[X]] : f32
// CHECK: %[[FLOOR:.*]] = math.floor %[[X]] : f32
// CHECK: arith.select %[[NEG]], %[[CEIL]], %[[FLOOR]] : f32
func.func @trunc(%x: f32) -> f32 {
  %y = math.trunc %x : f32
  return %y : f32
}
