// RUN: strata-opt %s --strata-memref-copy-to-linalg | FileCheck %s
// RUN: strata-opt %s --strata-memref-copy-to-linalg="vectorize-up-to=8" | FileCheck %s --check-prefix=VEC

// CHECK-LABEL: func.func @strided_copy
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%{{.*}} : memref<2x2xf32, strided<[4, 1], offset: 1>>) outs(%{{.*}} : memref<2x2xf32>)
// With vectorization, a copy of at most 8 elements is one transfer pair;
// a larger one and a copy of booleans stay linalg.copy.
// VEC-LABEL: func.func @strided_copy
// VEC-NOT: linalg.copy
// VEC: %[[V:.*]] = vector.transfer_read %{{.*}} : memref<2x2xf32, strided<[4, 1], offset: 1>>, vector<2x2xf32>
// VEC: vector.transfer_write %[[V]], %{{.*}} : vector<2x2xf32>, memref<2x2xf32>
func.func @strided_copy(%a: memref<4x4xf32>, %b: memref<2x2xf32>) {
  %s = memref.subview %a[0, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 1>>
  memref.copy %s, %b : memref<2x2xf32, strided<[4, 1], offset: 1>> to memref<2x2xf32>
  return
}

// VEC-LABEL: func.func @large_and_boolean
// VEC-NOT: vector.
// VEC: linalg.copy ins(%{{.*}} : memref<4x4xf32>)
// VEC: linalg.copy ins(%{{.*}} : memref<4xi1>)
func.func @large_and_boolean(%a: memref<4x4xf32>, %b: memref<4x4xf32>, %c: memref<4xi1>, %d: memref<4xi1>) {
  memref.copy %a, %b : memref<4x4xf32> to memref<4x4xf32>
  memref.copy %c, %d : memref<4xi1> to memref<4xi1>
  return
}

// A copy of a tile onto itself (equal subviews of one buffer, as
// bufferization leaves where a loop writes its tile of the result in
// place) is dropped; one onto another tile of the same buffer is not.
// CHECK-LABEL: func.func @onto_itself
// CHECK: %[[OTHER:.*]] = memref.subview %arg0[%arg1, 1]
// CHECK-NOT: linalg.copy
// CHECK: linalg.copy ins(%{{.*}} : memref<2x2xf32, strided<[4, 1], offset: ?>>) outs(%[[OTHER]] : memref<2x2xf32, strided<[4, 1], offset: ?>>)
// CHECK-NOT: linalg.copy
func.func @onto_itself(%a: memref<4x4xf32>, %i: index) {
  %s = memref.subview %a[%i, 0] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: ?>>
  %t = memref.subview %a[%i, 0] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: ?>>
  %u = memref.subview %a[%i, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: ?>>
  memref.copy %s, %t : memref<2x2xf32, strided<[4, 1], offset: ?>> to memref<2x2xf32, strided<[4, 1], offset: ?>>
  memref.copy %a, %a : memref<4x4xf32> to memref<4x4xf32>
  memref.copy %s, %u : memref<2x2xf32, strided<[4, 1], offset: ?>> to memref<2x2xf32, strided<[4, 1], offset: ?>>
  return
}
