// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-promote-contractions),canonicalize,cse)' \
// RUN:   | FileCheck %s
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-promote-contractions{workgroup-memory-bytes=200}))' \
// RUN:   | FileCheck %s --check-prefix=SMALL
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-promote-contractions{vector-width=4}),canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=VEC
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-promote-contractions{workgroup-memory-bytes=4200}))' \
// RUN:   | FileCheck %s --check-prefix=FREED

// A workgroup's 32 x 32 matmul tile: 64 invocations of 4 x 4 accumulators
// (rows and columns strided by 8), 16 steps of k of both operands staged
// in workgroup memory per iteration, a barrier on each side of the
// arithmetic, and the accumulators stored once at the end.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.forall
// CHECK:   %[[A:.*]] = memref.alloc() : memref<16x32xf32, #gpu.address_space<workgroup>>
// CHECK:   %[[B:.*]] = memref.alloc() : memref<16x32xf32, #gpu.address_space<workgroup>>
// CHECK:   scf.forall (%[[T:.*]]) in (64) {
// CHECK:     %[[ROW:.*]] = arith.divui %[[T]], %c8
// CHECK:     %[[COL:.*]] = arith.remui %[[T]], %c8
// CHECK-COUNT-16: memref.load %subview_1
// CHECK:     %[[ACC:.*]]:16 = scf.for %[[K0:.*]] = %c0 to %c32 step %c16 iter_args(
// CHECK:       scf.for %[[E:.*]] = %[[T]] to %c512 step %c64 {
// CHECK:         %[[S:.*]] = arith.remui %[[E]], %c16
// CHECK:         %[[P:.*]] = arith.divui %[[E]], %c16
// CHECK:         memref.load %subview[
// CHECK:         memref.store %{{.*}}, %[[A]][%[[S]], %[[P]]]
// CHECK:       scf.for %[[E:.*]] = %[[T]] to %c512 step %c64 {
// CHECK:         memref.store %{{.*}}, %[[B]][
// CHECK:       gpu.barrier
// CHECK:       scf.for %[[K:.*]] = %c0 to %c16 step %c1 iter_args(
// CHECK:         memref.load %[[A]][%[[K]], %[[ROW]]]
// CHECK-COUNT-3: memref.load %[[A]]
// CHECK-COUNT-4: memref.load %[[B]]
// CHECK-COUNT-16: arith.addf
// CHECK:       gpu.barrier
// CHECK-COUNT-16: memref.store %[[ACC]]
// CHECK:   } {mapping = [#gpu.thread<linear_dim_0>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}

// With vector-width=4, each copy loads 4 consecutive elements as one
// vector: A along k (4 steps of one row, 128 copies), B along its columns
// (4 columns of one step); each element is stored on its own.
// VEC-LABEL: func.func @matmul
// VEC:       scf.for %[[E:.*]] = %{{.*}} to %c128 step %c64 {
// VEC:         %[[S:.*]] = arith.remui %[[E]], %c4
// VEC:         %[[P:.*]] = arith.divui %[[E]], %c4
// VEC:         %[[S4:.*]] = arith.muli %[[S]], %c4
// VEC:         %[[VA:.*]] = vector.load %subview[%{{.*}}, %{{.*}}] : memref<32x32xf32, strided<[32, 1], offset: ?>>, vector<4xf32>
// VEC-COUNT-4: vector.extract %[[VA]]
// VEC:         memref.store %{{.*}}, %{{.*}}[%[[S4]], %[[P]]]
// VEC:       scf.for %{{.*}} = %{{.*}} to %c128 step %c64 {
// VEC:         vector.load %subview_0[%{{.*}}, %{{.*}}] : memref<32x32xf32, strided<[64, 1], offset: ?>>, vector<4xf32>
// VEC:       gpu.barrier

// A tile whose steps of k do not fit the workgroup memory stays as it was.
// SMALL-LABEL: func.func @matmul
// SMALL: linalg.matmul
// SMALL-NOT: gpu.thread
func.func @matmul(%a: memref<64x32xf32>, %b: memref<32x64xf32>, %c: memref<64x64xf32>) {
  scf.forall (%i, %j) = (0, 0) to (64, 64) step (32, 32) {
    %sa = memref.subview %a[%i, 0] [32, 32] [1, 1] : memref<64x32xf32> to memref<32x32xf32, strided<[32, 1], offset: ?>>
    %sb = memref.subview %b[0, %j] [32, 32] [1, 1] : memref<32x64xf32> to memref<32x32xf32, strided<[64, 1], offset: ?>>
    %sc = memref.subview %c[%i, %j] [32, 32] [1, 1] : memref<64x64xf32> to memref<32x32xf32, strided<[64, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<32x32xf32, strided<[32, 1], offset: ?>>, memref<32x32xf32, strided<[64, 1], offset: ?>>) outs(%sc : memref<32x32xf32, strided<[64, 1], offset: ?>>)
  } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
  return
}

// -----

// A convolution is an implicit GEMM: rows are the (n, oh, ow) positions,
// columns the output channels, and k the (c, kh, kw) window, whose image
// reads `oh + kh`. Its 12 steps divide k = 36. The tile's accumulator
// buffer, which the copy after it reads, moves to workgroup memory; the
// 32 invocations of 1 x 4 accumulators leave the other 32 idle but for
// the copies.
// The image's innermost dimension is read at `ow + kw`, not one loop: no
// vector copies.
// VEC-LABEL: func.func @conv
// VEC-NOT: vector.load
// CHECK-LABEL: func.func @conv
// CHECK: scf.forall
// CHECK:   %[[ACC:.*]] = memref.alloc() : memref<1x8x4x4xf32, #gpu.address_space<workgroup>>
// CHECK:   memref.alloc() : memref<12x16xf32, #gpu.address_space<workgroup>>
// CHECK:   memref.alloc() : memref<12x8xf32, #gpu.address_space<workgroup>>
// CHECK:   scf.forall (%[[T:.*]]) in (64) {
// CHECK:     %[[ACTIVE:.*]] = arith.cmpi ult, %[[T]], %c32
// CHECK:     scf.for %{{.*}} = %c0 to %c36 step %c12
// CHECK:       affine.apply #map(
// CHECK:     scf.if %[[ACTIVE]] {
// CHECK-COUNT-4: memref.store %{{.*}}, %[[ACC]]
// CHECK:   linalg.copy ins(%[[ACC]]
func.func @conv(%x: memref<1x4x6x6xf32>, %w: memref<8x4x3x3xf32>, %o: memref<1x8x4x4xf32>) {
  scf.forall (%f) = (0) to (8) step (8) {
    %so = memref.subview %o[0, %f, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1] : memref<1x8x4x4xf32> to memref<1x8x4x4xf32, strided<[128, 16, 4, 1], offset: ?>>
    %sw = memref.subview %w[%f, 0, 0, 0] [8, 4, 3, 3] [1, 1, 1, 1] : memref<8x4x3x3xf32> to memref<8x4x3x3xf32, strided<[36, 9, 3, 1], offset: ?>>
    %acc = memref.alloc() : memref<1x8x4x4xf32>
    linalg.conv_2d_nchw_fchw ins(%x, %sw : memref<1x4x6x6xf32>, memref<8x4x3x3xf32, strided<[36, 9, 3, 1], offset: ?>>) outs(%acc : memref<1x8x4x4xf32>)
    linalg.copy ins(%acc : memref<1x8x4x4xf32>) outs(%so : memref<1x8x4x4xf32, strided<[128, 16, 4, 1], offset: ?>>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A 1x1 convolution reads its image along the output positions (the
// window's loops of one iteration read index 0): each copy loads 4
// consecutive positions of one channel and stores them as 4 positions of
// one step of k. The weights' innermost dimension is the window's: no
// vector copies.
// VEC-LABEL: func.func @pointwise
// SMALL-LABEL: func.func @pointwise
// VEC:       scf.for %[[E:.*]] = %{{.*}} to %c64 step %c64 {
// VEC:         %[[IN:.*]] = arith.remui %[[E]], %c8
// VEC:         %[[STEP:.*]] = arith.divui %[[E]], %c8
// VEC:         %[[POS:.*]] = arith.muli %[[IN]], %c4
// VEC:         %[[V:.*]] = vector.load %{{.*}} : memref<1x8x4x8xf32>, vector<4xf32>
// VEC-COUNT-4: vector.extract %[[V]]
// VEC:         memref.store %{{.*}}, %{{.*}}[%[[STEP]], %[[POS]]]
// VEC:         %[[POS1:.*]] = arith.addi %[[POS]], %c1
// VEC:         memref.store %{{.*}}, %{{.*}}[%[[STEP]], %[[POS1]]]
// VEC:       scf.for
// VEC-NOT:     vector.load
// VEC:       gpu.barrier
func.func @pointwise(%x: memref<1x8x4x8xf32>, %w: memref<16x8x1x1xf32>, %o: memref<1x16x4x8xf32>) {
  scf.forall (%f) = (0) to (16) step (16) {
    %so = memref.subview %o[0, %f, 0, 0] [1, 16, 4, 8] [1, 1, 1, 1] : memref<1x16x4x8xf32> to memref<1x16x4x8xf32, strided<[512, 32, 8, 1], offset: ?>>
    %sw = memref.subview %w[%f, 0, 0, 0] [16, 8, 1, 1] [1, 1, 1, 1] : memref<16x8x1x1xf32> to memref<16x8x1x1xf32, strided<[8, 1, 1, 1], offset: ?>>
    linalg.conv_2d_nchw_fchw ins(%x, %sw : memref<1x8x4x8xf32>, memref<16x8x1x1xf32, strided<[8, 1, 1, 1], offset: ?>>) outs(%so : memref<1x16x4x8xf32, strided<[512, 32, 8, 1], offset: ?>>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// Contractions outside a workgroup's tile are left alone.
// CHECK-LABEL: func.func @untiled
// CHECK: scf.forall
// CHECK:   linalg.matmul
// CHECK-NOT: gpu.thread
func.func @untiled(%a: memref<8x4xf32>, %b: memref<4x8xf32>, %c: memref<8x8xf32>) {
  scf.forall (%i) in (2) {
    linalg.matmul ins(%a, %b : memref<8x4xf32>, memref<4x8xf32>) outs(%c : memref<8x8xf32>)
  }
  return
}

// -----

// A bias copied into the tile's buffer starts the accumulators, and the
// elementwise op that reads the buffer is the tile's epilogue: each
// invocation's accumulators start at the bias of its 4 columns, loaded
// once each; it applies the ReLU to each result and stores it into the
// op's output. The buffer and the ops around the GEMM are gone.
// The two staged panels take 4 KiB: they fit 4200 bytes only because the
// 4 KiB buffer goes.
// FREED-LABEL: func.func @epilogue
// FREED: gpu.barrier
// FREED-NOT: linalg.matmul
// CHECK-LABEL: func.func @epilogue
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref<32x32xf32, #gpu.address_space<workgroup>>
// CHECK:   scf.forall (%[[T:.*]]) in (64) {
// CHECK:     %[[COL:.*]] = arith.remui %[[T]], %c8
// CHECK:     %[[BIAS:.*]] = memref.load %arg2[%[[COL]]] : memref<32xf32>
// CHECK:     %[[ACC:.*]]:16 = scf.for {{.*}} iter_args(%{{.*}} = %[[BIAS]],
// CHECK:     %[[RELU:.*]] = arith.maximumf %[[ACC]]#0, %{{.*}} : f32
// CHECK-COUNT-15: arith.maximumf
// CHECK-NOT: memref.load
// CHECK:     memref.store %[[RELU]], %arg3[%{{.*}}, %[[COL]]] : memref<32x32xf32>
// CHECK-COUNT-15: memref.store
// CHECK-NOT: linalg.generic
func.func @epilogue(%a: memref<32x32xf32>, %b: memref<32x32xf32>, %bias: memref<32xf32>, %c: memref<32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  scf.forall (%i) = (0) to (32) step (32) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<32x32xf32>
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<32xf32>) outs(%t : memref<32x32xf32>) {
    ^bb0(%x: f32, %out: f32):
      linalg.yield %x : f32
    }
    linalg.matmul ins(%a, %b : memref<32x32xf32>, memref<32x32xf32>) outs(%t : memref<32x32xf32>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<32x32xf32>) outs(%c : memref<32x32xf32>) {
    ^bb0(%x: f32, %out: f32):
      %r = arith.maximumf %x, %zero : f32
      linalg.yield %r : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// An f16 tile keeps its sums in f32 and rounds each once, as it stores it:
// the f16 bias starts them, widened; the staged f16 elements are widened
// for exact products; the ReLU after the tile reads the rounded sum.
// CHECK-LABEL: func.func @f16_sums
// CHECK:   scf.forall (%[[T:.*]]) in (64) {
// CHECK:     %[[BIAS:.*]] = memref.load %arg2[%{{.*}}] : memref<32xf16>
// CHECK:     %[[START:.*]] = arith.extf %[[BIAS]] : f16 to f32
// CHECK:     %[[ACC:.*]]:16 = scf.for {{.*}} iter_args(%{{.*}} = %[[START]],
// CHECK:       scf.for {{.*}} -> (f32, f32,
// CHECK:         %[[A:.*]] = memref.load %{{.*}} : memref<16x32xf16, #gpu.address_space<workgroup>>
// CHECK:         %[[WA:.*]] = arith.extf %[[A]] : f16 to f32
// CHECK:         %[[P:.*]] = arith.mulf %[[WA]], %{{.*}} : f32
// CHECK:         arith.addf %{{.*}}, %[[P]] : f32
// CHECK:     %[[R:.*]] = arith.truncf %[[ACC]]#0 : f32 to f16
// CHECK:     %[[RELU:.*]] = arith.maximumf %[[R]], %{{.*}} : f16
// CHECK:     memref.store %[[RELU]], %arg3[%{{.*}}] : memref<32x32xf16>
func.func @f16_sums(%a: memref<32x32xf16>, %b: memref<32x32xf16>, %bias: memref<32xf16>, %c: memref<32x32xf16>) {
  %zero = arith.constant 0.0 : f16
  scf.forall (%i) = (0) to (32) step (32) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<32x32xf16>
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<32xf16>) outs(%t : memref<32x32xf16>) {
    ^bb0(%x: f16, %out: f16):
      linalg.yield %x : f16
    }
    linalg.matmul ins(%a, %b : memref<32x32xf16>, memref<32x32xf16>) outs(%t : memref<32x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<32x32xf16>) outs(%c : memref<32x32xf16>) {
    ^bb0(%x: f16, %out: f16):
      %r = arith.maximumf %x, %zero : f16
      linalg.yield %r : f16
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}
