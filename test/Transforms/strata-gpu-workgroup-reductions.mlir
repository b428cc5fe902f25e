// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-workgroup-reductions),canonicalize,cse)' \
// RUN:   | FileCheck %s
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-workgroup-reductions{subgroup-reduce=false}),canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=TREE

// A row of 1000 elements per workgroup: each of 64 invocations folds
// every 64th element (exp, then add) into a partial from 0; a subgroup
// reduction combines each subgroup's, lane 0 of each subgroup writes its
// total to workgroup memory, and invocation 0 folds those into the
// output's initial value.
// CHECK-LABEL: func.func @rowsum
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: scf.forall
// CHECK:   %[[PARTIALS:.*]] = memref.alloc() : memref<64xf32, #gpu.address_space<workgroup>>
// CHECK:   scf.forall (%[[T:.*]]) in (64) {
// CHECK:     %[[P:.*]] = scf.for %[[K:.*]] = %[[T]] to %c1000 step %c64 iter_args(%[[ACC:.*]] = %[[ZERO]])
// CHECK:       memref.load %{{.*}}[%c0, %[[K]]]
// CHECK:       math.exp
// CHECK:       arith.addf %[[ACC]]
// CHECK:     %[[S:.*]] = gpu.subgroup_reduce add %[[P]] : (f32) -> f32
// CHECK:     %[[LANE:.*]] = gpu.lane_id
// CHECK:     %[[SG:.*]] = gpu.subgroup_id
// CHECK:     scf.if
// CHECK:       memref.store %[[S]], %[[PARTIALS]][%[[SG]]]
// CHECK:     gpu.barrier
// CHECK:     %[[N:.*]] = gpu.num_subgroups
// CHECK:     scf.if
// CHECK:       %[[INIT:.*]] = memref.load %{{.*}}[%c0]
// CHECK:       %[[TOTAL:.*]] = scf.for %{{.*}} = %c0 to %[[N]] step %c1 iter_args(%{{.*}} = %[[INIT]])
// CHECK:       memref.store %[[TOTAL]]
// CHECK:   } {mapping = [#gpu.thread<linear_dim_0>]}

// Without subgroup arithmetic: halving trees, 32 down to 1, a barrier
// after each (seven in all).
// TREE-LABEL: func.func @rowsum
// TREE-NOT: gpu.subgroup_reduce
// TREE: memref.store %{{.*}}, %[[PARTIALS:.*]][%[[T:.*]]] : memref<64xf32, #gpu.address_space<workgroup>>
// TREE: gpu.barrier
// TREE: arith.cmpi ult, %[[T]], %c32
// TREE: gpu.barrier
// TREE: arith.cmpi ult, %[[T]], %c16
// TREE-COUNT-5: gpu.barrier
// TREE-NOT: gpu.barrier
// TREE-LABEL: func.func @window_max
func.func @rowsum(%x: memref<4x1000xf32>, %o: memref<4xf32>) {
  scf.forall (%i) in (4) {
    %sx = memref.subview %x[%i, 0] [1, 1000] [1, 1] : memref<4x1000xf32> to memref<1x1000xf32, strided<[1000, 1], offset: ?>>
    %so = memref.subview %o[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%sx : memref<1x1000xf32, strided<[1000, 1], offset: ?>>) outs(%so : memref<1xf32, strided<[1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %e = math.exp %in : f32
      %s = arith.addf %out, %e : f32
      linalg.yield %s : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A maximum over two reduced loops (7 x 7) starts from -inf, reads them
// row-major, and reduces with maximumf.
// CHECK-LABEL: func.func @window_max
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: scf.for %[[K:.*]] = %{{.*}} to %c49 step %c64 iter_args(%{{.*}} = %[[NEG]])
// CHECK:   %[[W:.*]] = arith.remui %[[K]], %c7
// CHECK:   %[[H:.*]] = arith.divui %[[K]], %c7
// CHECK:   memref.load %{{.*}}[%c0, %[[H]], %[[W]]]
// CHECK: gpu.subgroup_reduce maximumf
func.func @window_max(%x: memref<8x7x7xf32>, %o: memref<8xf32>) {
  scf.forall (%i) in (8) {
    %sx = memref.subview %x[%i, 0, 0] [1, 7, 7] [1, 1, 1] : memref<8x7x7xf32> to memref<1x7x7xf32, strided<[49, 7, 1], offset: ?>>
    %so = memref.subview %o[%i] [1] [1] : memref<8xf32> to memref<1xf32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0)>], iterator_types = ["parallel", "reduction", "reduction"]} ins(%sx : memref<1x7x7xf32, strided<[49, 7, 1], offset: ?>>) outs(%so : memref<1xf32, strided<[1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %out, %in : f32
      linalg.yield %m : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A payload that uses the accumulator twice has no single combiner: it
// stays a loop nest for the workgroup to share.
// CHECK-LABEL: func.func @no_combiner
// CHECK: linalg.generic
// CHECK-NOT: gpu.thread
func.func @no_combiner(%x: memref<2x64xf32>, %o: memref<2xf32>) {
  scf.forall (%i) in (2) {
    %sx = memref.subview %x[%i, 0] [1, 64] [1, 1] : memref<2x64xf32> to memref<1x64xf32, strided<[64, 1], offset: ?>>
    %so = memref.subview %o[%i] [1] [1] : memref<2xf32> to memref<1xf32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%sx : memref<1x64xf32, strided<[64, 1], offset: ?>>) outs(%so : memref<1xf32, strided<[1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.mulf %out, %out : f32
      %s = arith.addf %m, %in : f32
      linalg.yield %s : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A dot product of f16 rows: the partials are f32 sums of exact products
// of widened factors (so the subgroups combine them), and invocation 0
// widens the output's initial value, adds the subgroups' totals in f32
// and rounds once, at the store.
// CHECK-LABEL: func.func @dot_f16
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PARTIALS:.*]] = memref.alloc() : memref<64xf32, #gpu.address_space<workgroup>>
// CHECK: scf.for %{{.*}} iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (f32)
// CHECK:   %[[A:.*]] = memref.load {{.*}} : memref<1x4096xf16, {{.*}}>
// CHECK:   %[[B:.*]] = memref.load {{.*}} : memref<1x4096xf16, {{.*}}>
// CHECK:   %[[AF:.*]] = arith.extf %[[A]] : f16 to f32
// CHECK:   %[[BF:.*]] = arith.extf %[[B]] : f16 to f32
// CHECK:   %[[P:.*]] = arith.mulf %[[AF]], %[[BF]] : f32
// CHECK:   arith.addf %[[ACC]], %[[P]] : f32
// CHECK: gpu.subgroup_reduce add %{{.*}} : (f32) -> f32
// CHECK: %[[INIT:.*]] = memref.load %{{.*}} : memref<1xf16, {{.*}}>
// CHECK: %[[START:.*]] = arith.extf %[[INIT]] : f16 to f32
// CHECK: %[[TOTAL:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[START]]) -> (f32)
// CHECK: %[[R:.*]] = arith.truncf %[[TOTAL]] : f32 to f16
// CHECK: memref.store %[[R]]
func.func @dot_f16(%x: memref<2x4096xf16>, %y: memref<2x4096xf16>, %o: memref<2xf16>) {
  scf.forall (%i) in (2) {
    %sx = memref.subview %x[%i, 0] [1, 4096] [1, 1] : memref<2x4096xf16> to memref<1x4096xf16, strided<[4096, 1], offset: ?>>
    %sy = memref.subview %y[%i, 0] [1, 4096] [1, 1] : memref<2x4096xf16> to memref<1x4096xf16, strided<[4096, 1], offset: ?>>
    %so = memref.subview %o[%i] [1] [1] : memref<2xf16> to memref<1xf16, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%sx, %sy : memref<1x4096xf16, strided<[4096, 1], offset: ?>>, memref<1x4096xf16, strided<[4096, 1], offset: ?>>) outs(%so : memref<1xf16, strided<[1], offset: ?>>) {
    ^bb0(%a: f16, %b: f16, %out: f16):
      %m = arith.mulf %a, %b : f16
      %s = arith.addf %out, %m : f16
      linalg.yield %s : f16
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A total (no output loop, so strata-gpu-tile-and-fuse gave it no tile)
// of at least 32 elements at the top of its kernel gets a workgroup tile
// of its own; a shorter one is left to one invocation.
// CHECK-LABEL: func.func @totals
// CHECK:      scf.forall (%{{.*}}) in (1) {
// CHECK:        scf.forall (%[[T:.*]]) in (64) {
// CHECK:          scf.for %{{.*}} = %[[T]] to %c1000 step %c64
// CHECK:          gpu.subgroup_reduce add
// CHECK:        } {mapping = [#gpu.thread<linear_dim_0>]}
// CHECK:      } {mapping = [#gpu.block<linear_dim_0>]}
// CHECK-NEXT: linalg.reduce ins(%{{.*}} : memref<31xf32>)
// CHECK-NOT:  scf.forall
func.func @totals(%x: memref<1000xf32>, %o: memref<f32>, %y: memref<31xf32>, %p: memref<f32>) {
  linalg.reduce ins(%x : memref<1000xf32>) outs(%o : memref<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  linalg.reduce ins(%y : memref<31xf32>) outs(%p : memref<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// A row's maximum whose tile fills its output with -inf just before (the
// views between touch no memory): invocation 0 folds the partials into
// -inf itself, and the fill, its store and the load back go.
// CHECK-LABEL: func.func @rowmax_after_fill
// CHECK-DAG: %[[LOWEST:.*]] = arith.constant 0xFF800000 : f32
// CHECK-NOT: linalg.fill
// CHECK:     gpu.num_subgroups
// CHECK:     scf.if
// CHECK-NEXT:  %[[TOTAL:.*]] = scf.for %{{.*}} = %c0 to %{{.*}} step %c1 iter_args(%{{.*}} = %[[LOWEST]])
// CHECK:       memref.store %[[TOTAL]]
func.func @rowmax_after_fill(%x: memref<4x1000xf32>, %o: memref<4xf32>) {
  %lowest = arith.constant 0xFF800000 : f32
  scf.forall (%i) in (4) {
    %so = memref.subview %o[%i] [1] [1] : memref<4xf32> to memref<1xf32, strided<[1], offset: ?>>
    linalg.fill ins(%lowest : f32) outs(%so : memref<1xf32, strided<[1], offset: ?>>)
    %sx = memref.subview %x[%i, 0] [1, 1000] [1, 1] : memref<4x1000xf32> to memref<1x1000xf32, strided<[1000, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%sx : memref<1x1000xf32, strided<[1000, 1], offset: ?>>) outs(%so : memref<1xf32, strided<[1], offset: ?>>) {
    ^bb0(%in: f32, %out: f32):
      %m = arith.maximumf %out, %in : f32
      linalg.yield %m : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// Partial sums add in another order than the payload: an i32 sum's nsw
// flag, true of the sequential fold, no longer holds and goes, in the
// invocations' folds and in the final one.
// CHECK-LABEL: func.func @int_sum_nsw
// CHECK:     scf.for
// CHECK:       arith.addi %{{[^ ]*}}, %{{[^ ]*}} : i32
// CHECK:     gpu.subgroup_reduce add
// CHECK:     scf.for
// CHECK:       arith.addi %{{[^ ]*}}, %{{[^ ]*}} : i32
// CHECK-NOT: overflow
// CHECK-LABEL: return
// TREE-LABEL: func.func @int_sum_nsw
// TREE-NOT: overflow
// TREE-LABEL: return
func.func @int_sum_nsw(%x: memref<4x1000xi32>, %o: memref<4xi32>) {
  scf.forall (%i) in (4) {
    %sx = memref.subview %x[%i, 0] [1, 1000] [1, 1] : memref<4x1000xi32> to memref<1x1000xi32, strided<[1000, 1], offset: ?>>
    %so = memref.subview %o[%i] [1] [1] : memref<4xi32> to memref<1xi32, strided<[1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%sx : memref<1x1000xi32, strided<[1000, 1], offset: ?>>) outs(%so : memref<1xi32, strided<[1], offset: ?>>) {
    ^bb0(%in: i32, %out: i32):
      %s = arith.addi %out, %in overflow<nsw> : i32
      linalg.yield %s : i32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}
