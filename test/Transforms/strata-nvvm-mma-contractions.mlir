// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-nvvm-mma-contractions),canonicalize,cse)' \
// RUN:   | FileCheck %s
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-nvvm-mma-contractions{allow-tf32=1}),canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=TF32
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-nvvm-mma-contractions{workgroup-memory-bytes=4096}))' \
// RUN:   | FileCheck %s --check-prefix=SMALL

// A 64 x 32 f16 tile with an f16 output: the output tile is widened into
// f32 accumulators in workgroup memory; the 4 warps form a 2 x 2 grid of
// 32 x 16 warp tiles, each 2 x 2 blocks of 16 x 8 held in registers; each
// 32 steps of k are staged k-innermost in rows padded to 40 elements, and
// read by ldmatrix (x4 for A, x2 for B) into two m16n8k16 mma.syncs per
// block; the f32 sums are rounded to f16 once, at the end.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: %[[A:.*]] = memref.alloc() : memref<64x40xf16, #gpu.address_space<workgroup>>
// CHECK: %[[B:.*]] = memref.alloc() : memref<32x40xf16, #gpu.address_space<workgroup>>
// CHECK: %[[C:.*]] = memref.alloc() : memref<64x32xf32, #gpu.address_space<workgroup>>
// CHECK: scf.forall (%[[T:.*]]) in (128) {
// CHECK:   scf.for %{{.*}} = %[[T]] to %c2048 step %c128 {
// CHECK:     %[[V:.*]] = memref.load %subview_1
// CHECK:     %[[W:.*]] = arith.extf %[[V]] : f16 to f32
// CHECK:     memref.store %[[W]], %[[C]]
// CHECK:   gpu.barrier
// CHECK:   %[[LANE:.*]] = gpu.lane_id
// CHECK-COUNT-8: vector.load %[[C]]
// CHECK:   %[[ACC:.*]]:4 = scf.for %[[K0:.*]] = %c0 to %c64 step %c32 iter_args(
// CHECK:     scf.for %[[E:.*]] = %[[T]] to %c2048 step %c128 {
// CHECK:       %[[S:.*]] = arith.remui %[[E]], %c32
// CHECK:       %[[P:.*]] = arith.divui %[[E]], %c32
// CHECK:       %[[K:.*]] = arith.addi %[[K0]], %[[S]]
// CHECK:       %[[X:.*]] = memref.load %subview[%[[P]], %[[K]]]
// CHECK:       memref.store %[[X]], %[[A]][%[[P]], %[[S]]]
// CHECK:     scf.for %[[E:.*]] = %[[T]] to %c1024 step %c128 {
// CHECK:       %[[P:.*]] = arith.remui %[[E]], %c32
// CHECK:       %[[S:.*]] = arith.divui %[[E]], %c32
// CHECK:       memref.store %{{.*}}, %[[B]][%[[P]], %[[S]]]
// CHECK:     gpu.barrier
// CHECK-COUNT-2: nvgpu.ldmatrix %[[A]]{{.*}} {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-2: nvgpu.ldmatrix %[[B]]{{.*}} {numTiles = 2 : i32, transpose = false}
// CHECK-COUNT-4: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK-COUNT-2: nvgpu.ldmatrix %[[A]]
// CHECK-COUNT-2: nvgpu.ldmatrix %[[B]]
// CHECK-COUNT-4: nvgpu.mma.sync
// CHECK:     gpu.barrier
// CHECK:     scf.yield
// CHECK-COUNT-8: vector.store %{{.*}}, %[[C]]
// CHECK:   gpu.barrier
// CHECK:   scf.for %{{.*}} = %[[T]] to %c2048 step %c128 {
// CHECK:     %[[V:.*]] = memref.load %[[C]]
// CHECK:     %[[N:.*]] = arith.truncf %[[V]] : f32 to f16
// CHECK:     memref.store %[[N]], %subview_1
// CHECK: } {mapping = [#gpu.thread<linear_dim_0>]}
// CHECK-NOT: vector.contract
// CHECK-NOT: linalg.matmul

// Without room for the staged steps and the accumulators, the tile is
// left for strata-gpu-promote-contractions.
// SMALL-LABEL: func.func @matmul_f16
// SMALL: linalg.matmul
// SMALL-NOT: nvgpu
func.func @matmul_f16(%a: memref<128x64xf16>, %b: memref<64x64xf16>, %c: memref<128x64xf16>) {
  scf.forall (%i, %j) = (0, 0) to (128, 64) step (64, 32) {
    %sa = memref.subview %a[%i, 0] [64, 64] [1, 1] : memref<128x64xf16> to memref<64x64xf16, strided<[64, 1], offset: ?>>
    %sb = memref.subview %b[0, %j] [64, 32] [1, 1] : memref<64x64xf16> to memref<64x32xf16, strided<[64, 1], offset: ?>>
    %sc = memref.subview %c[%i, %j] [64, 32] [1, 1] : memref<128x64xf16> to memref<64x32xf16, strided<[64, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<64x64xf16, strided<[64, 1], offset: ?>>, memref<64x32xf16, strided<[64, 1], offset: ?>>) outs(%sc : memref<64x32xf16, strided<[64, 1], offset: ?>>)
  } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
  return
}

// -----

// bf16, which nvgpu's mma.sync lacks, is staged as f16 bits and multiplied
// by NVVM's bf16 mma.sync, each fragment row one 32-bit register. k = 40
// is two stagings of 32 steps, the steps past 40 stored as zero.
// CHECK-LABEL: func.func @matmul_bf16
// CHECK: scf.for %[[K0:.*]] = %c0 to %c64 step %c32
// CHECK:   %[[K:.*]] = arith.addi %[[K0]]
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %[[K]], %c40
// CHECK:   %[[LAST:.*]] = arith.minui %[[K]], %c39
// CHECK:   %[[X:.*]] = memref.load %{{.*}}[%{{.*}}, %[[LAST]]] : memref<32x40xbf16>
// CHECK:   %[[BITS:.*]] = arith.bitcast %[[X]] : bf16 to f16
// CHECK:   arith.select %[[IN]], %[[BITS]], %cst
// CHECK:   vector.bitcast %{{.*}} : vector<2xf16> to vector<1xi32>
// CHECK:   nvvm.mma.sync A[{{.*}}, {{.*}}, {{.*}}, {{.*}}]  B[{{.*}}, {{.*}}]  C[{{.*}}, {{.*}}, {{.*}}, {{.*}}]
// CHECK-SAME: multiplicandAPtxType = #nvvm.mma_type<bf16>, multiplicandBPtxType = #nvvm.mma_type<bf16>, shape = #nvvm.shape<m = 16, n = 8, k = 16>
// CHECK-NOT: nvgpu.mma.sync
func.func @matmul_bf16(%a: memref<32x40xbf16>, %b: memref<40x16xbf16>, %c: memref<32x16xf32>) {
  scf.forall (%i) = (0) to (32) step (32) {
    linalg.matmul ins(%a, %b : memref<32x40xbf16>, memref<40x16xbf16>) outs(%c : memref<32x16xf32>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// f32 stays on the SIMT path unless tf32 is allowed; then each block is
// two m16n8k8 mma.syncs per 16 steps staged.
// CHECK-LABEL: func.func @matmul_f32
// CHECK: linalg.matmul
// CHECK-NOT: nvgpu
// TF32-LABEL: func.func @matmul_f32
// TF32: memref.alloc() : memref<32x20xf32, #gpu.address_space<workgroup>>
// TF32-COUNT-2: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 8], tf32Enabled} : (vector<4x1xf32>, vector<2x1xf32>, vector<2x2xf32>) -> vector<2x2xf32>
// TF32-NOT: linalg.matmul
func.func @matmul_f32(%a: memref<32x16xf32>, %b: memref<16x16xf32>, %c: memref<32x16xf32>) {
  scf.forall (%i) = (0) to (32) step (32) {
    linalg.matmul ins(%a, %b : memref<32x16xf32>, memref<16x16xf32>) outs(%c : memref<32x16xf32>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A 24 x 12 tile is rounded up to 32 x 16: the staged buffers and the
// accumulators have the rounding's rows and columns, which only the
// copies skip (24 x 12 = 288 outputs; 24 and 12 rows of the 16 steps).
// Its 2 x 2 blocks are one per warp.
// CHECK-LABEL: func.func @rounded
// CHECK: memref.alloc() : memref<32x24xf16, #gpu.address_space<workgroup>>
// CHECK: memref.alloc() : memref<16x24xf16, #gpu.address_space<workgroup>>
// CHECK: memref.alloc() : memref<32x16xf32, #gpu.address_space<workgroup>>
// CHECK: scf.for %{{.*}} to %c288 step %c128
// CHECK: scf.for %{{.*}} to %c384 step %c128
// CHECK: scf.for %{{.*}} to %c192 step %c128
// CHECK: nvgpu.mma.sync
// CHECK-NOT: nvgpu.mma.sync
// CHECK: scf.for %{{.*}} to %c288 step %c128
func.func @rounded(%a: memref<24x16xf16>, %b: memref<16x12xf16>, %c: memref<24x12xf32>) {
  scf.forall (%i) = (0) to (24) step (24) {
    linalg.matmul ins(%a, %b : memref<24x16xf16>, memref<16x12xf16>) outs(%c : memref<24x12xf32>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// Tiles whose 16 x 8 blocks would be less than half used, payloads other
// than a multiply-add, and mixed input types stay as they were.
// CHECK-LABEL: func.func @thin
// CHECK: linalg.matmul
// CHECK-LABEL: func.func @max_plus
// CHECK: linalg.generic
// CHECK-LABEL: func.func @mixed
// CHECK: linalg.matmul
// CHECK-NOT: nvgpu
// TF32-LABEL: func.func @thin
func.func @thin(%a: memref<4x16xf16>, %b: memref<16x16xf16>, %c: memref<4x16xf32>) {
  scf.forall (%i) = (0) to (4) step (4) {
    linalg.matmul ins(%a, %b : memref<4x16xf16>, memref<16x16xf16>) outs(%c : memref<4x16xf32>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

func.func @max_plus(%a: memref<32x16xf16>, %b: memref<16x16xf16>, %c: memref<32x16xf16>) {
  scf.forall (%i) = (0) to (32) step (32) {
    linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<32x16xf16>, memref<16x16xf16>) outs(%c : memref<32x16xf16>) {
    ^bb0(%x: f16, %y: f16, %acc: f16):
      %s = arith.addf %x, %y : f16
      %m = arith.maximumf %acc, %s : f16
      linalg.yield %m : f16
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

func.func @mixed(%a: memref<32x16xf16>, %b: memref<16x16xf32>, %c: memref<32x16xf32>) {
  scf.forall (%i) = (0) to (32) step (32) {
    linalg.matmul ins(%a, %b : memref<32x16xf16>, memref<16x16xf32>) outs(%c : memref<32x16xf32>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}
