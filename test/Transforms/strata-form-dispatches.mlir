// RUN: strata-opt %s --allow-unregistered-dialect --split-input-file --strata-form-dispatches="max-workgroups=4" --canonicalize | FileCheck %s

// Each forall becomes a dispatch over workgroups, the ops between them a
// single-workgroup dispatch; the entry function goes. With 4 workgroups,
// the 8x2 forall hands out its first dim, 2 rows of tiles per workgroup
// (the second dim a plain loop inside); the 3-iteration forall gets 3.
// CHECK-NOT: func.func @model(
// CHECK-LABEL: func.func @model_dispatch_0
// CHECK-SAME: (%[[X:.*]]: memref<8x32xf32>, %{{.*}}: memref<8x32xf32>, %[[T:.*]]: memref<8x32xf32>, %[[WG:.*]]: index)
// CHECK-SAME: attributes {strata.dispatch = array<i64: 0, 4>}
// CHECK: %[[BEGIN:.*]] = arith.muli %[[WG]], %c2
// CHECK: %[[NEXT:.*]] = arith.addi %[[BEGIN]], %c2
// CHECK: %[[END:.*]] = arith.minui %[[NEXT]], %c8
// CHECK: scf.for %[[I:.*]] = %[[BEGIN]] to %[[END]] step %c1
// CHECK: %[[ROW:.*]] = arith.remui %[[I]], %c8
// CHECK: scf.for %[[J:.*]] = %c0 to %c2 step %c1
// CHECK: %[[V:.*]] = memref.subview %[[X]][%[[ROW]], 0] [1, 32] [1, 1]
// CHECK: "test.tile"(%[[V]], %[[T]], %[[ROW]], %[[J]])
// CHECK-LABEL: func.func @model_dispatch_1
// CHECK-SAME: (%{{.*}}: memref<8x32xf32>, %[[Y:.*]]: memref<8x32xf32>, %[[T:.*]]: memref<8x32xf32>)
// CHECK-SAME: attributes {strata.dispatch = array<i64: 1, 1>}
// CHECK: memref.copy %[[T]], %[[Y]]
// CHECK: "test.after"
// CHECK-LABEL: func.func @model_dispatch_2
// CHECK-SAME: attributes {strata.dispatch = array<i64: 2, 3>}
// CHECK: "test.small"
func.func @model(%x: memref<8x32xf32>, %y: memref<8x32xf32>, %t: memref<8x32xf32>) {
  %cst = arith.constant 1.0 : f32
  scf.forall (%i, %j) in (8, 2) {
    %v = memref.subview %x[%i, 0] [1, 32] [1, 1] : memref<8x32xf32> to memref<1x32xf32, strided<[32, 1], offset: ?>>
    "test.tile"(%v, %t, %i, %j) : (memref<1x32xf32, strided<[32, 1], offset: ?>>, memref<8x32xf32>, index, index) -> ()
  }
  memref.copy %t, %y : memref<8x32xf32> to memref<8x32xf32>
  "test.after"(%cst) : (f32) -> ()
  scf.forall (%i) in (3) {
    "test.small"(%i) : (index) -> ()
  }
  return
}

// -----

// A value that one step makes and a later one uses, a stack buffer two
// steps share, and a function without a forall stay whole.
// CHECK-LABEL: func.func @crossing
// CHECK-NOT: strata.dispatch
// CHECK: scf.forall
// CHECK-LABEL: func.func @shared_stack
// CHECK-NOT: strata.dispatch
// CHECK: memref.alloca
// CHECK-LABEL: func.func @sequential
// CHECK-NOT: strata.dispatch
func.func @crossing(%x: memref<4xf32>) {
  %v = "test.make"() : () -> f32
  scf.forall (%i) in (4) {
    "test.use"(%v, %i) : (f32, index) -> ()
  }
  return
}

func.func @shared_stack(%x: memref<4xf32>) {
  %s = memref.alloca() : memref<4xf32>
  scf.forall (%i) in (4) {
    "test.write"(%s, %i) : (memref<4xf32>, index) -> ()
  }
  "test.read"(%s) : (memref<4xf32>) -> ()
  return
}

func.func @sequential(%x: memref<4xf32>) {
  "test.op"(%x) : (memref<4xf32>) -> ()
  return
}
