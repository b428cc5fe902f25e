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
