// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(gpu.module(strata-spirv-vectorize-bindings))' \
// RUN:   | FileCheck %s

// Every read of %a is a 4-element vector at a column that is a multiple of
// 4 on every path (a loop counter from 0 in steps of 4, plus 4 times a
// remainder): %a becomes a buffer of vectors, each load one of them. %b
// is also read by a scalar load, and %c at a column that may be any
// (an invocation id): their vector loads become scalar loads, and a
// constant extract reads its element directly.
// CHECK-LABEL: gpu.func @k(
// CHECK-SAME: %[[A:.*]]: memref<8x4xvector<4xf32>>, %[[B:.*]]: memref<8x16xf32>, %[[C:.*]]: memref<8x16xf32>
// CHECK: scf.for %[[K:.*]] = %c0 to %c16 step %c4
// CHECK:   %[[COL:.*]] = arith.addi %[[K]], %{{.*}}
// CHECK:   %[[Q:.*]] = arith.divui %[[COL]], %c4
// CHECK:   %[[VA:.*]] = memref.load %[[A]][%{{.*}}, %[[Q]]] : memref<8x4xvector<4xf32>>
// CHECK:   vector.extract %[[VA]][1]
// CHECK-NOT: vector.load
// CHECK-COUNT-4: memref.load %[[B]][%{{.*}}, %{{.*}}] : memref<8x16xf32>
// CHECK:   memref.load %[[B]][%{{.*}}, %[[K]]]
// CHECK-COUNT-4: memref.load %[[C]]
// CHECK:   vector.from_elements
gpu.module @m {
  gpu.func @k(%a: memref<8x16xf32>, %b: memref<8x16xf32>, %c: memref<8x16xf32>, %o: memref<8xvector<4xf32>>, %p: memref<8xf32>) kernel {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %c16 = arith.constant 16 : index
    %t = gpu.thread_id x
    %row = arith.remui %t, %c4 : index
    %r4 = arith.remui %t, %c3 : index
    %off = arith.muli %r4, %c4 : index
    scf.for %k = %c0 to %c16 step %c4 {
      %col = arith.addi %k, %off : index
      %va = vector.load %a[%row, %col] : memref<8x16xf32>, vector<4xf32>
      %x = vector.extract %va[1] : f32 from vector<4xf32>
      %vb = vector.load %b[%row, %col] : memref<8x16xf32>, vector<4xf32>
      %y = vector.extract %vb[1] : f32 from vector<4xf32>
      %s = memref.load %b[%row, %k] : memref<8x16xf32>
      %z = arith.addf %x, %y : f32
      %w = arith.addf %z, %s : f32
      %vc = vector.load %c[%row, %t] : memref<8x16xf32>, vector<4xf32>
      memref.store %vc, %o[%row] : memref<8xvector<4xf32>>
      memref.store %w, %p[%row] : memref<8xf32>
    }
    gpu.return
  }
}
