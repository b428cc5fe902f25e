// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-serial-reductions),canonicalize,cse)' \
// RUN:   | FileCheck %s

// A matrix-vector product of f16: each of the 8 outputs is loaded once,
// carried in f32 through the loop over k as the sum of exact products of
// widened factors, rounded once and stored once.
// CHECK-LABEL: func.func @matvec_f16
// CHECK:      scf.parallel (%[[N:.*]]) = (%c0) to (%c8) step (%c1) {
// CHECK-NEXT:   %[[INIT:.*]] = memref.load %{{.*}}[%c0, %[[N]]] : memref<1x8xf16>
// CHECK-NEXT:   %[[START:.*]] = arith.extf %[[INIT]] : f16 to f32
// CHECK-NEXT:   %[[SUM:.*]] = scf.for %[[K:.*]] = %c0 to %c4096 step %c1 iter_args(%[[ACC:.*]] = %[[START]]) -> (f32) {
// CHECK-NEXT:     %[[X:.*]] = memref.load %{{.*}}[%c0, %[[K]]] : memref<1x4096xf16>
// CHECK-NEXT:     %[[W:.*]] = memref.load %{{.*}}[%[[K]], %[[N]]] : memref<4096x8xf16>
// CHECK-NEXT:     %[[XF:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK-NEXT:     %[[WF:.*]] = arith.extf %[[W]] : f16 to f32
// CHECK-NEXT:     %[[P:.*]] = arith.mulf %[[XF]], %[[WF]] : f32
// CHECK-NEXT:     %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f32
// CHECK-NEXT:     scf.yield %[[S]] : f32
// CHECK-NEXT:   }
// CHECK-NEXT:   %[[R:.*]] = arith.truncf %[[SUM]] : f32 to f16
// CHECK-NEXT:   memref.store %[[R]], %{{.*}}[%c0, %[[N]]] : memref<1x8xf16>
// CHECK-NEXT:   scf.reduce
func.func @matvec_f16(%x: memref<1x4096xf16>, %w: memref<4096x8xf16>, %o: memref<1x8xf16>) {
  linalg.matmul ins(%x, %w : memref<1x4096xf16>, memref<4096x8xf16>) outs(%o : memref<1x8xf16>)
  return
}

// -----

// f32 keeps its payload as it is, operand order too (so the sums are
// bitwise those of a loop through memory); two reduction loops carry the
// accumulator between them.
// CHECK-LABEL: func.func @rowsum_f32
// CHECK:      scf.parallel (%[[I:.*]]) = (%c0) to (%c4) step (%c1) {
// CHECK-NEXT:   %[[INIT:.*]] = memref.load %{{.*}}[%[[I]]] : memref<4xf32>
// CHECK-NEXT:   %[[OUTER:.*]] = scf.for %[[J:.*]] = %c0 to %c6 step %c1 iter_args(%[[A:.*]] = %[[INIT]]) -> (f32) {
// CHECK-NEXT:     %[[INNER:.*]] = scf.for %[[K:.*]] = %c0 to %c10 step %c1 iter_args(%[[B:.*]] = %[[A]]) -> (f32) {
// CHECK-NEXT:       %[[X:.*]] = memref.load %{{.*}}[%[[I]], %[[J]], %[[K]]]
// CHECK-NEXT:       %[[E:.*]] = math.exp %[[X]] : f32
// CHECK-NEXT:       %[[S:.*]] = arith.addf %[[E]], %[[B]] : f32
// CHECK-NEXT:       scf.yield %[[S]] : f32
// CHECK:        scf.yield %[[INNER]] : f32
// CHECK:      memref.store %[[OUTER]], %{{.*}}[%[[I]]] : memref<4xf32>
// CHECK-NOT:  memref.store
// CHECK:      return
func.func @rowsum_f32(%x: memref<4x6x10xf32>, %o: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0)>], iterator_types = ["parallel", "reduction", "reduction"]} ins(%x : memref<4x6x10xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    %s = arith.addf %e, %out : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A total of bf16 (no parallel loop, so no scf.parallel) is summed in f32.
// CHECK-LABEL: func.func @total_bf16
// CHECK-NOT:  scf.parallel
// CHECK:      %[[INIT:.*]] = memref.load %{{.*}}[] : memref<bf16>
// CHECK-NEXT: %[[START:.*]] = arith.extf %[[INIT]] : bf16 to f32
// CHECK-NEXT: %[[SUM:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[START]]) -> (f32) {
// CHECK-NEXT:   %[[X:.*]] = memref.load
// CHECK-NEXT:   %[[XF:.*]] = arith.extf %[[X]] : bf16 to f32
// CHECK-NEXT:   %[[S:.*]] = arith.addf %[[ACC]], %[[XF]] : f32
// CHECK:      %[[R:.*]] = arith.truncf %[[SUM]] : f32 to bf16
// CHECK-NEXT: memref.store %[[R]], %{{.*}}[] : memref<bf16>
func.func @total_bf16(%x: memref<100xbf16>, %o: memref<bf16>) {
  linalg.reduce ins(%x : memref<100xbf16>) outs(%o : memref<bf16>) dimensions = [0]
    (%in: bf16, %acc: bf16) {
      %s = arith.addf %in, %acc : bf16
      linalg.yield %s : bf16
    }
  return
}

// -----

// A maximum is exact in any type: f16 throughout.
// CHECK-LABEL: func.func @max_f16
// CHECK-NOT:  arith.extf
// CHECK:      scf.for {{.*}} -> (f16)
// CHECK:        arith.maximumf {{.*}} : f16
// CHECK-NOT:  arith.truncf
// CHECK:      return
func.func @max_f16(%x: memref<3x40xf16>, %o: memref<3xf16>) {
  linalg.reduce ins(%x : memref<3x40xf16>) outs(%o : memref<3xf16>) dimensions = [1]
    (%in: f16, %acc: f16) {
      %s = arith.maximumf %in, %acc : f16
      linalg.yield %s : f16
    }
  return
}

// -----

// A scalar input is used as it is, widened like a loaded one.
// CHECK-LABEL: func.func @scaled_sum
// CHECK-SAME: %{{[^:]*}}: memref<4x8xf16>, %[[S:[^:]*]]: f16
// CHECK:      scf.for
// CHECK:        %[[X:.*]] = memref.load
// CHECK:        %[[XF:.*]] = arith.extf %[[X]] : f16 to f32
// CHECK:        %[[SF:.*]] = arith.extf %[[S]] : f16 to f32
// CHECK:        arith.mulf %[[XF]], %[[SF]] : f32
func.func @scaled_sum(%x: memref<4x8xf16>, %s: f16, %o: memref<4xf16>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x, %s : memref<4x8xf16>, f16) outs(%o : memref<4xf16>) {
  ^bb0(%in: f16, %scale: f16, %out: f16):
    %m = arith.mulf %in, %scale : f16
    %a = arith.addf %out, %m : f16
    linalg.yield %a : f16
  }
  return
}

// -----

// Left to convert-linalg-to-parallel-loops: a payload that reads a loop
// index, a dynamic shape, an op without a reduction loop, an output that
// moves with a reduction loop, one that a parallel loop does not move
// (its iterations fold into the same element), and an input that reads
// the output (through a view, or a transpose).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT:  scf.
// CHECK:      linalg.generic
// CHECK:        linalg.index 1
// CHECK:      linalg.reduce
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT:  scf.
func.func @left_alone(%x: memref<4x8xf32>, %o: memref<4xf32>, %d: memref<?x8xf32>, %od: memref<?xf32>, %e: memref<4x8xf32>) {
  // Reads a loop index.
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x8xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %i = linalg.index 1 : index
    %c = arith.index_cast %i : index to i32
    %f = arith.sitofp %c : i32 to f32
    %m = arith.mulf %in, %f : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  }
  // Dynamic.
  linalg.reduce ins(%d : memref<?x8xf32>) outs(%od : memref<?xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  // No reduction.
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<4x8xf32>) outs(%e : memref<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  // The output moves with the reduction loop.
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x8xf32>) outs(%e : memref<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  // The parallel loop does not move the output.
  %o0 = memref.subview %o[0] [1] [1] : memref<4xf32> to memref<f32, strided<[], offset: 0>>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x8xf32>) outs(%o0 : memref<f32, strided<[], offset: 0>>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  // An input reads the output.
  %col = memref.subview %e[0, 0] [4, 1] [1, 1] : memref<4x8xf32> to memref<4xf32, strided<[8]>>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%e : memref<4x8xf32>) outs(%col : memref<4xf32, strided<[8]>>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  %t = memref.transpose %e (i, j) -> (j, i) : memref<4x8xf32> to memref<8x4xf32, strided<[1, 8]>>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%t : memref<8x4xf32, strided<[1, 8]>>) outs(%col : memref<4xf32, strided<[8]>>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A fill of the whole output just before the reduction, with only views
// between, is where the fold starts: its stores and the loads back go.
// CHECK-LABEL: func.func @after_fill
// CHECK:      %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT:  linalg.fill
// CHECK:      scf.parallel (%[[N:.*]]) = (%c0) to (%c8) step (%c1) {
// CHECK-NEXT:   scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]]) -> (f32) {
// CHECK-NOT:    memref.load %{{.*}} : memref<1x8xf16
// CHECK:        scf.yield
// CHECK:      memref.store %{{.*}}, %{{.*}}[%c0, %[[N]]] : memref<1x8xf16, strided<[16, 1], offset: ?>>
func.func @after_fill(%x: memref<1x4096xf16>, %w: memref<4096x8xf16>, %o: memref<1x16xf16>, %i: index) {
  %zero = arith.constant 0.0 : f16
  %view = memref.subview %o[0, %i] [1, 8] [1, 1] : memref<1x16xf16> to memref<1x8xf16, strided<[16, 1], offset: ?>>
  linalg.fill ins(%zero : f16) outs(%view : memref<1x8xf16, strided<[16, 1], offset: ?>>)
  %wv = memref.subview %w[0, 0] [4096, 8] [1, 1] : memref<4096x8xf16> to memref<4096x8xf16, strided<[8, 1]>>
  linalg.matmul ins(%x, %wv : memref<1x4096xf16>, memref<4096x8xf16, strided<[8, 1]>>) outs(%view : memref<1x8xf16, strided<[16, 1], offset: ?>>)
  return
}

// -----

// A store between the fill and the reduction may change what the fill
// wrote (the buffers may alias): the fill stays, and the fold starts from
// the output's elements.
// CHECK-LABEL: func.func @store_after_fill
// CHECK:      linalg.fill
// CHECK:      memref.store
// CHECK:      scf.parallel
// CHECK-NEXT:   memref.load %{{.*}} : memref<1x8xf32>
func.func @store_after_fill(%x: memref<1x64xf32>, %w: memref<64x8xf32>, %o: memref<1x8xf32>, %other: memref<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  linalg.fill ins(%zero : f32) outs(%o : memref<1x8xf32>)
  memref.store %zero, %other[%c0] : memref<4xf32>
  linalg.matmul ins(%x, %w : memref<1x64xf32>, memref<64x8xf32>) outs(%o : memref<1x8xf32>)
  return
}
