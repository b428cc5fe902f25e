// RUN: strata-opt %s --allow-unregistered-dialect --split-input-file --pass-pipeline="builtin.module(schedule.executable(strata-cpu-distribute-workgroups{max-workgroups=4}),canonicalize)" | FileCheck %s

// A kernel whose work is one forall runs it over workgroups: with 4, the
// 8x2 loop hands out its first dim, 2 rows of tiles per workgroup (the
// second dim a plain loop inside), through a trailing workgroup id; the
// 3-iteration loop gets 3. A kernel with more to do than its loop, or with
// no loop, is one workgroup.
// CHECK: schedule.export @rows(read, write) workgroups [4, 1, 1]
// CHECK: schedule.export @small(write) workgroups [3, 1, 1]
// CHECK: schedule.export @more(read, write) workgroups [1, 1, 1]
// CHECK: schedule.export @sequential(read) workgroups [1, 1, 1]
// CHECK: schedule.export @shared_scratch(write) workgroups [1, 1, 1]
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[X:.*]]: memref<8x32xf32>, %[[T:.*]]: memref<8x32xf32>, %[[WG:.*]]: index)
// CHECK: %[[BEGIN:.*]] = arith.muli %[[WG]], %c2
// CHECK: %[[NEXT:.*]] = arith.addi %[[BEGIN]], %c2
// CHECK: %[[END:.*]] = arith.minui %[[NEXT]], %c8
// CHECK: scf.for %[[I:.*]] = %[[BEGIN]] to %[[END]] step %c1
// CHECK: %[[ROW:.*]] = arith.remui %[[I]], %c8
// CHECK: scf.for %[[J:.*]] = %c0 to %c2 step %c1
// CHECK: %[[V:.*]] = memref.subview %[[X]][%[[ROW]], 0] [1, 32] [1, 1]
// CHECK: "test.tile"(%[[V]], %[[T]], %[[ROW]], %[[J]])
// CHECK-NOT: scf.forall
// CHECK-LABEL: func.func @small
// CHECK-SAME: %{{.*}}: index)
// CHECK-LABEL: func.func @more
// CHECK-SAME: (%{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>)
// CHECK: scf.forall
// CHECK: "test.after"
// CHECK-LABEL: func.func @sequential
// CHECK-SAME: (%{{.*}}: memref<4xf32>)
// CHECK-LABEL: func.func @shared_scratch
// CHECK: scf.forall
schedule.executable @cpu target("cpu") device(0) {
  schedule.export @rows(read, write)
  schedule.export @small(write)
  schedule.export @more(read, write)
  schedule.export @sequential(read)
  schedule.export @shared_scratch(write) scratch [16]
  builtin.module {
    func.func @rows(%x: memref<8x32xf32>, %t: memref<8x32xf32>) {
      %s = memref.alloca() : memref<4xf32>
      scf.forall (%i, %j) in (8, 2) {
        %v = memref.subview %x[%i, 0] [1, 32] [1, 1] : memref<8x32xf32> to memref<1x32xf32, strided<[32, 1], offset: ?>>
        "test.tile"(%v, %t, %i, %j) : (memref<1x32xf32, strided<[32, 1], offset: ?>>, memref<8x32xf32>, index, index) -> ()
      }
      return
    }
    func.func @small(%y: memref<3xf32>) {
      scf.forall (%i) in (3) {
        "test.small"(%y, %i) : (memref<3xf32>, index) -> ()
      }
      return
    }
    func.func @more(%x: memref<4xf32>, %y: memref<4xf32>) {
      scf.forall (%i) in (4) {
        "test.use"(%x, %i) : (memref<4xf32>, index) -> ()
      }
      "test.after"(%y) : (memref<4xf32>) -> ()
      return
    }
    func.func @sequential(%x: memref<4xf32>) {
      "test.op"(%x) : (memref<4xf32>) -> ()
      return
    }
    // Scratch that the loop touches would be shared by every workgroup.
    func.func @shared_scratch(%y: memref<4xf32>, %s: memref<4xf32>) {
      scf.forall (%i) in (4) {
        "test.use"(%y, %s, %i) : (memref<4xf32>, memref<4xf32>, index) -> ()
      }
      return
    }
  }
}
