// RUN: strata-opt %s --strata-order-globals | FileCheck %s

// Private globals move to the top in the order of their first use and are
// renamed in that order; a public global and its name stay.
// CHECK:      memref.global "private" constant @__constant_2xf32 : memref<2xf32> = dense<1.000000e+00>
// CHECK-NEXT: memref.global "private" constant @__constant_2xf32_1 : memref<2xf32> = dense<2.000000e+00>
// CHECK-NEXT: memref.global "private" constant @__constant_4xf32 : memref<4xf32> = dense<3.000000e+00>
// CHECK:      memref.global @__constant_2xf32_7 : memref<2xf32>
// CHECK-LABEL: func.func @first
// CHECK:       memref.get_global @__constant_2xf32 :
// CHECK:       memref.get_global @__constant_2xf32_1 :
// CHECK-LABEL: func.func @second
// CHECK:       memref.get_global @__constant_4xf32 :
// CHECK:       memref.get_global @__constant_2xf32 :
memref.global "private" constant @__constant_4xf32_3 : memref<4xf32> = dense<3.0>
memref.global "private" constant @__constant_2xf32_2 : memref<2xf32> = dense<2.0>
memref.global @__constant_2xf32_7 : memref<2xf32>
memref.global "private" constant @__constant_2xf32 : memref<2xf32> = dense<1.0>
func.func @first() -> (memref<2xf32>, memref<2xf32>) {
  %0 = memref.get_global @__constant_2xf32 : memref<2xf32>
  %1 = memref.get_global @__constant_2xf32_2 : memref<2xf32>
  return %0, %1 : memref<2xf32>, memref<2xf32>
}
func.func @second() -> (memref<4xf32>, memref<2xf32>) {
  %0 = memref.get_global @__constant_4xf32_3 : memref<4xf32>
  %1 = memref.get_global @__constant_2xf32 : memref<2xf32>
  return %0, %1 : memref<4xf32>, memref<2xf32>
}
