// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions,canonicalize,cse)' \
// RUN:   | FileCheck %s
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{allow-tf32=1},canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=TF32
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{workgroup-memory-bytes=4096})' \
// RUN:   | FileCheck %s --check-prefix=SMALL
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{wgmma=1 workgroup-memory-bytes=16384},canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=WGMMA
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{wgmma=1 tma=0},canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=WGMMA64
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{wgmma=1 workgroup-memory-bytes=232448},canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=TMA
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{wgmma=1 workgroup-memory-bytes=232448 wgmma-stages=2},canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=TMA2
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{wgmma=1 workgroup-memory-bytes=232448 wgmma-stages=4},canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=TMA4
// RUN: not strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{wgmma=1 wgmma-stages=5})' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=STAGES
// STAGES: error: strata-nvvm-mma-contractions: wgmma-stages must be 0 (chosen) or 2 to 4, not 5
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(strata-nvvm-mma-contractions{workgroup-memory-bytes=30000},canonicalize,cse)' \
// RUN:   | FileCheck %s --check-prefix=TWO

// A 64 x 32 f16 tile with an f16 output: the output tile is widened into
// f32 accumulators in workgroup memory; the 4 warps form a 2 x 2 grid of
// 32 x 16 warp tiles, each 2 x 2 blocks of 16 x 8 held in registers; the
// f32 sums are rounded to f16 once, at the end.
// Both inputs are contiguous rows (A along k, B along n), so cp.async
// copies 8 elements at a time as they lie into three slots: A as
// [slot][m][k], B as [slot][k][n], rows padded to 40. Steps 0-31 and
// 32-63 are fetched before the loop, one group each; each step fetches
// the 32 steps two on (past k = 64, zeros) into the slot the step before
// read, waits until only the two latest groups may be pending (its own
// has landed), and reads them with ldmatrix (B transposed) into two
// m16n8k16 mma.syncs per block.
// CHECK-LABEL: func.func @matmul_f16
// CHECK: %[[C:.*]] = memref.alloc() : memref<64x32xf32, #gpu.address_space<workgroup>>
// CHECK: %[[A:.*]] = memref.alloc() : memref<3x64x40xf16, #gpu.address_space<workgroup>>
// CHECK: %[[B:.*]] = memref.alloc() : memref<3x32x40xf16, #gpu.address_space<workgroup>>
// CHECK: scf.forall (%[[T:.*]]) in (128) {
// CHECK:   scf.for %{{.*}} = %[[T]] to %c2048 step %c128 {
// CHECK:     %[[V:.*]] = memref.load %subview_1
// CHECK:     %[[W:.*]] = arith.extf %[[V]] : f16 to f32
// CHECK:     memref.store %[[W]], %[[C]]
// CHECK:   %[[ROW:.*]] = affine.apply #{{.*}}(%[[T]])
// CHECK:   %[[COL:.*]] = affine.apply #{{.*}}(%[[T]])
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %[[COL]], %c64
// CHECK:   %[[K:.*]] = arith.select %[[IN]], %[[COL]], %c0
// CHECK:   %[[N:.*]] = arith.select %[[IN]], %c8, %c0
// CHECK:   %[[X:.*]] = nvgpu.device_async_copy %subview[%[[ROW]], %[[K]]], %[[A]][%c0, %[[ROW]], %[[COL]]], 8, %[[N]] {bypassL1}
// CHECK:   %[[Y:.*]] = nvgpu.device_async_copy %subview[
// CHECK:   %[[Z:.*]] = nvgpu.device_async_copy %subview_0[{{.*}}], %[[B]][%c0,
// CHECK:   nvgpu.device_async_create_group %[[X]], %[[Y]], %[[Z]]
// CHECK:   nvgpu.device_async_copy %subview[{{.*}}], %[[A]][%c1,
// CHECK:   %[[SECOND:.*]] = nvgpu.device_async_create_group
// CHECK:   gpu.barrier
// CHECK:   %[[LANE:.*]] = gpu.lane_id
// CHECK-COUNT-8: vector.load %[[C]]
// CHECK:   %[[ACC:.*]]:4 = scf.for %[[K0:.*]] = %c0 to %c64 step %c32 iter_args(
// CHECK:     %[[NEXT:.*]] = arith.addi %[[K0]], %c64
// CHECK:     %[[OTHER:.*]] = affine.apply #{{.*}}(%[[K0]])
// CHECK:     nvgpu.device_async_copy %subview[{{.*}}], %[[A]][%[[OTHER]],
// CHECK:     nvgpu.device_async_copy %subview[{{.*}}], %[[A]][%[[OTHER]],
// CHECK:     nvgpu.device_async_copy %subview_0[{{.*}}], %[[B]][%[[OTHER]],
// CHECK:     %[[G:.*]] = nvgpu.device_async_create_group
// CHECK:     nvgpu.device_async_wait %[[G]] {numGroups = 2 : i32}
// CHECK:     gpu.barrier
// CHECK:     %[[SLOT:.*]] = affine.apply #{{.*}}(%[[K0]])
// CHECK-COUNT-2: nvgpu.ldmatrix %[[A]][%[[SLOT]], {{.*}}] {numTiles = 4 : i32, transpose = false}
// CHECK-COUNT-2: nvgpu.ldmatrix %[[B]][%[[SLOT]], {{.*}}] {numTiles = 2 : i32, transpose = true}
// CHECK-COUNT-4: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// CHECK-COUNT-2: nvgpu.ldmatrix %[[A]]
// CHECK-COUNT-2: nvgpu.ldmatrix %[[B]]
// CHECK-COUNT-4: nvgpu.mma.sync
// CHECK:     gpu.barrier
// CHECK:     scf.yield
// CHECK:   nvgpu.device_async_wait %[[SECOND]] {numGroups = 0 : i32}
// CHECK-COUNT-8: vector.store %{{.*}}, %[[C]]
// CHECK:   gpu.barrier
// CHECK:   scf.for %{{.*}} = %[[T]] to %c2048 step %c128 {
// CHECK:     %[[V:.*]] = memref.load %[[C]]
// CHECK:     %[[R:.*]] = arith.truncf %[[V]] : f32 to f16
// CHECK:     memref.store %[[R]], %subview_1
// CHECK: } {mapping = [#gpu.thread<linear_dim_0>]}
// CHECK-NOT: vector.contract
// CHECK-NOT: linalg.matmul

// With wgmma (sm_90a), the warpgroup takes the 64 rows at once. Each
// thread's 16 accumulators are an LLVM struct, read straight from the
// output and carried by the loop. Both inputs are staged K-major in 8 x 8
// core matrices, element (position p, step s) at [slot][p / 8][s / 8]
// [p % 8][s % 8], loaded 16 bytes at a time (A along k, B along n), every
// load before the first store; the stores are made visible to the tensor
// cores' async proxy. Each 16 steps are one m64n32k16 wgmma whose
// descriptors hold the shared address / 16, LBO = 128 bytes between core
// matrices along k and SBO = 512 bytes between them along rows
// (137439477760 = 8 << 16 | 32 << 32); slot 1 starts 4096 bytes (A) and
// 2048 bytes (B) on. While the wgmmas run, the threads stage the next
// steps into the other slot.
// In 16 KiB, two slots of 32 steps fit (12 KiB); in 48 KiB, two of 64
// (24 KiB), whose core matrices are 1024 bytes apart along rows
// (274878431232 = 8 << 16 | 64 << 32): here all of k, one step.
// WGMMA64-LABEL: func.func @matmul_f16
// WGMMA64: memref.alloc() : memref<2x8x8x8x8xf16, #gpu.address_space<workgroup>>
// WGMMA64: memref.alloc() : memref<2x4x8x8x8xf16, #gpu.address_space<workgroup>>
// WGMMA64-NOT: scf.for {{.*}} iter_args
// WGMMA64: arith.ori %{{.*}}, %c274878431232_i64
// WGMMA64-COUNT-4: nvvm.wgmma.mma_async
// WGMMA64: nvvm.wgmma.commit.group.sync.aligned
// WGMMA64: nvvm.wgmma.wait.group.sync.aligned 0
// WGMMA-LABEL: func.func @matmul_f16
// WGMMA: %[[OUT:.*]] = memref.subview %arg2
// WGMMA: %[[A:.*]] = memref.alloc() : memref<2x8x4x8x8xf16, #gpu.address_space<workgroup>>
// WGMMA: %[[B:.*]] = memref.alloc() : memref<2x4x4x8x8xf16, #gpu.address_space<workgroup>>
// WGMMA: scf.forall
// WGMMA: memref.load %[[OUT]]
// WGMMA: arith.extf
// WGMMA: llvm.insertvalue
// WGMMA: %[[PA:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// WGMMA: %[[BASEA:.*]] = arith.index_cast %[[PA]] : index to i64
// WGMMA: vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<128x64xf16>, vector<8xf16>
// WGMMA: vector.load %arg0[{{.*}}] {alignment = 16 : i64} : memref<128x64xf16>, vector<8xf16>
// WGMMA: vector.load %arg1[{{.*}}] {alignment = 16 : i64} : memref<64x64xf16>, vector<8xf16>
// WGMMA-COUNT-16: memref.store %{{.*}}, %[[A]][%c0,
// WGMMA-COUNT-8: memref.store %{{.*}}, %[[B]][%c0,
// WGMMA: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// WGMMA: gpu.barrier
// WGMMA: scf.for %[[K0:.*]] = %c0 to %c64 step %c32 iter_args(%[[ACC:.*]] = %{{.*}}) -> (!llvm.struct<(f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32)>)
// WGMMA:   %[[SLOT:.*]] = arith.index_cast %{{.*}} : index to i64
// WGMMA:   %[[OFFSET:.*]] = arith.muli %[[SLOT]], %c4096_i64
// WGMMA:   %[[SLOTA:.*]] = arith.addi %[[BASEA]], %[[OFFSET]]
// WGMMA:   arith.muli %[[SLOT]], %c2048_i64
// WGMMA:   nvvm.wgmma.fence.aligned
// WGMMA:   %[[LOW:.*]] = arith.andi %[[SLOTA]], %c262143_i64
// WGMMA:   %[[FIELD:.*]] = arith.shrui %[[LOW]], %c4_i64
// WGMMA:   %[[DA:.*]] = arith.ori %[[FIELD]], %c137439477760_i64
// WGMMA:   %[[D:.*]] = nvvm.wgmma.mma_async %[[DA]], %{{.*}}, %[[ACC]], <m = 64, n = 32, k = 16>, D[<f32>, <one>], A[<f16>, <one>, <row>], B[<f16>, <one>, <col>]
// WGMMA:   %[[D2:.*]] = nvvm.wgmma.mma_async %{{.*}}, %{{.*}}, %[[D]], <m = 64, n = 32, k = 16>
// WGMMA:   nvvm.wgmma.commit.group.sync.aligned
// WGMMA:   %[[MORE:.*]] = arith.cmpi ult, %{{.*}}, %c64
// WGMMA:   scf.if %[[MORE]] {
// WGMMA:     vector.load %arg0
// WGMMA:     vector.load %arg1
// WGMMA:     memref.store %{{.*}}, %[[A]][%[[NEXT:[^,]*]],
// WGMMA:     memref.store %{{.*}}, %[[B]][%[[NEXT]],
// WGMMA:     nvvm.fence.proxy
// WGMMA:   }
// WGMMA:   nvvm.wgmma.wait.group.sync.aligned 0
// WGMMA:   gpu.barrier
// WGMMA:   scf.yield %[[D2]]
// WGMMA: %[[R:.*]] = llvm.extractvalue
// WGMMA: %[[H:.*]] = arith.truncf %[[R]] : f32 to f16
// WGMMA: memref.store %[[H]], %[[OUT]]
// The 32-row tiles below are not a whole group: they keep mma.sync.
// WGMMA64-LABEL: func.func @matmul_bf16
// WGMMA-LABEL: func.func @matmul_bf16
// WGMMA-NOT: wgmma
// WGMMA: nvvm.mma.sync

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
// by NVVM's bf16 mma.sync, each fragment row one 32-bit register. B's 16
// columns are 64 copies of 8 elements per 32 steps, which 128 invocations
// cannot share evenly: both inputs are copied element by element,
// k-innermost, into one slot. k = 40 is two stagings of 32 steps, the
// steps past 40 stored as zero.
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

// bf16 copied by cp.async: the bytes are copied as bf16 and read as f16.
// CHECK-LABEL: func.func @matmul_bf16_async
// CHECK: %[[RAW:.*]] = memref.alloc() : memref<15360xi8, #gpu.address_space<workgroup>>
// CHECK: %[[COPIED:.*]] = memref.view %[[RAW]][%c0][] : memref<15360xi8, #gpu.address_space<workgroup>> to memref<3x64x40xbf16, #gpu.address_space<workgroup>>
// CHECK: %[[READ:.*]] = memref.view %[[RAW]][%c0][] : memref<15360xi8, #gpu.address_space<workgroup>> to memref<3x64x40xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_copy %{{.*}}, %[[COPIED]][
// CHECK: nvgpu.ldmatrix %[[READ]][
// CHECK: nvvm.mma.sync {{.*}} multiplicandAPtxType = #nvvm.mma_type<bf16>
func.func @matmul_bf16_async(%a: memref<64x64xbf16>, %b: memref<64x32xbf16>, %c: memref<64x32xf32>) {
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.matmul ins(%a, %b : memref<64x64xbf16>, memref<64x32xbf16>) outs(%c : memref<64x32xf32>)
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
// CHECK: memref.alloc() : memref<32x16xf32, #gpu.address_space<workgroup>>
// CHECK: memref.alloc() : memref<32x24xf16, #gpu.address_space<workgroup>>
// CHECK: memref.alloc() : memref<16x24xf16, #gpu.address_space<workgroup>>
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

// -----

// A wgmma tile of 28 columns is rounded up to 32: the accumulators of
// columns 28 to 31 start at zero (their reads clamped into the tile) and
// are never stored.
// CHECK-LABEL: func.func @wgmma_rounded
// TF32-LABEL: func.func @wgmma_rounded
// SMALL-LABEL: func.func @wgmma_rounded
// WGMMA-LABEL: func.func @wgmma_rounded
// WGMMA: %[[INSIDE:.*]] = arith.cmpi ult, %[[COLUMN:.*]], %c28
// WGMMA: %[[CLAMPED:.*]] = arith.minui %[[COLUMN]], %c27
// WGMMA: %[[X:.*]] = memref.load %{{.*}}[%{{.*}}, %[[CLAMPED]]]
// WGMMA: %[[F:.*]] = arith.extf %[[X]]
// WGMMA: arith.select %[[INSIDE]], %[[F]], %cst
// WGMMA: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 32, k = 16>
// WGMMA: scf.if %[[INSIDE]] {
// WGMMA:   arith.truncf
// WGMMA:   memref.store
// WGMMA: }
func.func @wgmma_rounded(%a: memref<64x64xf16>, %b: memref<64x28xf16>, %c: memref<64x28xf16>) {
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x28xf16>) outs(%c : memref<64x28xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A fill right before the GEMM gives the accumulators their start: the
// fill is gone, and the output is only written, never read back.
// CHECK-LABEL: func.func @filled
// CHECK-DAG: %[[START:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: scf.forall
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.*}}) in (128)
// CHECK-NOT: memref.load %arg2
// CHECK: memref.store %[[START]], %{{.*}} : memref<64x32xf32, #gpu.address_space<workgroup>>
// CHECK-NOT: memref.load %arg2
// CHECK: nvgpu.mma.sync
// CHECK: memref.store %{{.*}}, %arg2
// TF32-LABEL: func.func @filled
// SMALL-LABEL: func.func @filled
// WGMMA64-LABEL: func.func @filled
// WGMMA-LABEL: func.func @filled
// WGMMA-DAG: %[[START:.*]] = arith.constant 1.500000e+00 : f32
// WGMMA: scf.forall
// WGMMA-NOT: linalg.fill
// WGMMA: scf.forall (%{{.*}}) in (128)
// WGMMA-NOT: memref.load %arg2
// WGMMA: llvm.insertvalue %[[START]]
// WGMMA-NOT: memref.load %arg2
// WGMMA: nvvm.wgmma.mma_async
// WGMMA: memref.store %{{.*}}, %arg2
func.func @filled(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %c: memref<64x32xf16>) {
  %start = arith.constant 1.5 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%start : f16) outs(%c : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%c : memref<64x32xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// k = 40: no step count of 64, 32 or 16 divides it, so two slots of 48
// steps (40 rounded up to 16) are copied element by element, the steps
// past 40 stored as zero.
// CHECK-LABEL: func.func @wgmma_ragged
// TF32-LABEL: func.func @wgmma_ragged
// SMALL-LABEL: func.func @wgmma_ragged
// WGMMA-LABEL: func.func @wgmma_ragged
// WGMMA64-LABEL: func.func @wgmma_ragged
// WGMMA64: memref.alloc() : memref<2x8x6x8x8xf16, #gpu.address_space<workgroup>>
// WGMMA64-NOT: vector.load
// WGMMA64: %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %c40
// WGMMA64: %[[LAST:.*]] = arith.minui %{{.*}}, %c39
// WGMMA64: memref.load %arg0[%{{.*}}, %[[LAST]]]
// WGMMA64: arith.select %[[IN]]
// WGMMA64: nvvm.wgmma.mma_async
func.func @wgmma_ragged(%a: memref<64x40xf16>, %b: memref<40x32xf16>, %c: memref<64x32xf16>) {
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.matmul ins(%a, %b : memref<64x40xf16>, memref<40x32xf16>) outs(%c : memref<64x32xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A's rows start 4 elements into the buffer's: 16-byte loads all the
// same, but not declared aligned (the alignment is not known). B's
// columns start at a multiple of 8, the loop's step: aligned.
// CHECK-LABEL: func.func @wgmma_unaligned
// TF32-LABEL: func.func @wgmma_unaligned
// SMALL-LABEL: func.func @wgmma_unaligned
// WGMMA-LABEL: func.func @wgmma_unaligned
// WGMMA64-LABEL: func.func @wgmma_unaligned
// WGMMA64: vector.load %arg0[{{[^]]*}}] : memref<64x72xf16>, vector<8xf16>
// WGMMA64: vector.load %arg1[{{[^]]*}}] {alignment = 16 : i64} : memref<64x64xf16>, vector<8xf16>
func.func @wgmma_unaligned(%a: memref<64x72xf16>, %b: memref<64x64xf16>, %c: memref<64x64xf16>) {
  scf.forall (%j) = (0) to (64) step (32) {
    %sa = memref.subview %a[0, 4] [64, 64] [1, 1] : memref<64x72xf16> to memref<64x64xf16, strided<[72, 1], offset: 4>>
    %sb = memref.subview %b[0, %j] [64, 32] [1, 1] : memref<64x64xf16> to memref<64x32xf16, strided<[64, 1], offset: ?>>
    %sc = memref.subview %c[0, %j] [64, 32] [1, 1] : memref<64x64xf16> to memref<64x32xf16, strided<[64, 1], offset: ?>>
    linalg.matmul ins(%sa, %sb : memref<64x64xf16, strided<[72, 1], offset: 4>>, memref<64x32xf16, strided<[64, 1], offset: ?>>) outs(%sc : memref<64x32xf16, strided<[64, 1], offset: ?>>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// The fill stays where the GEMM also reads the filled buffer (B is C).
// CHECK-LABEL: func.func @filled_and_read
// CHECK: linalg.fill
// CHECK: memref.load %arg1
// TF32-LABEL: func.func @filled_and_read
// SMALL-LABEL: func.func @filled_and_read
// WGMMA64-LABEL: func.func @filled_and_read
// WGMMA-LABEL: func.func @filled_and_read
// WGMMA: linalg.fill
// WGMMA: memref.load %arg1
func.func @filled_and_read(%a: memref<64x64xf16>, %c: memref<64x64xf16>) {
  %start = arith.constant 1.5 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.fill ins(%start : f16) outs(%c : memref<64x64xf16>)
    linalg.matmul ins(%a, %c : memref<64x64xf16>, memref<64x64xf16>) outs(%c : memref<64x64xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// k = 128: four steps of 32, the slot of step k0 at (k0 / 32) mod 3 and
// the fetch two steps on into ((k0 / 32) + 2) mod 3 (as canonicalized:
// x - ((x + 2) floordiv 3) * 3 + 2). k = 32, a single
// step, has nothing to fetch ahead: two slots.
// CHECK-DAG: #[[$SLOT:.*]] = affine_map<(d0) -> ((d0 floordiv 32) mod 3)>
// CHECK-DAG: #[[$AHEAD:.*]] = affine_map<(d0) -> (d0 floordiv 32 - ((d0 floordiv 32 + 2) floordiv 3) * 3 + 2)>
// CHECK-LABEL: func.func @long_and_short
// CHECK: %[[A:.*]] = memref.alloc() : memref<3x64x40xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_copy %{{.*}}, %[[A]][%c0,
// CHECK: nvgpu.device_async_copy %{{.*}}, %[[A]][%c1,
// CHECK: scf.for %[[K0:.*]] = %c0 to %c128 step %c32
// CHECK:   %[[NEXT:.*]] = affine.apply #[[$AHEAD]](%[[K0]])
// CHECK:   nvgpu.device_async_copy %{{.*}}, %[[A]][%[[NEXT]],
// CHECK:   nvgpu.device_async_wait %{{.*}} {numGroups = 2 : i32}
// CHECK:   %[[NOW:.*]] = affine.apply #[[$SLOT]](%[[K0]])
// CHECK:   nvgpu.ldmatrix %[[A]][%[[NOW]],
// CHECK: memref.alloc() : memref<2x64x40xf16, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
// TF32-LABEL: func.func @long_and_short
// SMALL-LABEL: func.func @long_and_short
// WGMMA64-LABEL: func.func @long_and_short
// WGMMA-LABEL: func.func @long_and_short
// Where three slots do not fit (31232 bytes with the accumulators), two.
// TWO-LABEL: func.func @long_and_short
// TWO: memref.alloc() : memref<2x64x40xf16, #gpu.address_space<workgroup>>
// TWO: nvgpu.device_async_wait %{{.*}} {numGroups = 1 : i32}
func.func @long_and_short(%a: memref<64x128xf16>, %b: memref<128x32xf16>, %c: memref<64x32xf16>,
                          %x: memref<64x32xf16>, %y: memref<32x32xf16>, %z: memref<64x32xf16>) {
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.matmul ins(%a, %b : memref<64x128xf16>, memref<128x32xf16>) outs(%c : memref<64x32xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.matmul ins(%x, %y : memref<64x32xf16>, memref<32x32xf16>) outs(%z : memref<64x32xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// TMA loads both inputs of a wgmma tile of 64-step slots whose rows are
// K-major in a whole binding (B as [n][k], a Gemm with transB): each a
// 128-byte global the runtime fills with its tensor map, recorded in the
// function's schedule.tensor_maps; slots 1024-byte aligned in buffers with
// room to round up; invocation 0 sets up one mbarrier per slot, tells it
// the 32 KiB to come and issues both boxes; everyone waits on the slot's
// phase; the descriptors name the 128-byte swizzle (layout 1 in bits
// 62-63), 1024 bytes between groups of 8 rows, and step 32 bytes a k16.
// Nothing is staged by the threads. Three slots of 32 KiB, the most that
// leave room for a second tile on the SM, so TMA loads two slots ahead:
// both before the loop, and each iteration the slot two on, into the one
// the iteration before read. (Needs 98 KiB: opted in.) Asked for, two
// slots, or four.
// CHECK-LABEL: func.func @wgmma_tma
// TF32-LABEL: func.func @wgmma_tma
// SMALL-LABEL: func.func @wgmma_tma
// Without room for 64-step slots, the threads stage 16 at a time.
// WGMMA-LABEL: func.func @wgmma_tma
// WGMMA-NOT: schedule.tensor_maps
// WGMMA-NOT: nvvm.cp.async.bulk
// WGMMA: nvvm.wgmma.mma_async
// WGMMA64-LABEL: func.func @wgmma_tma
// TMA-DAG: llvm.mlir.global external @wgmma_tma_tensor_map_a("\00{{(\\00)*}}") {addr_space = 4 : i32, alignment = 64 : i64}
// TMA-DAG: llvm.mlir.global external @wgmma_tma_tensor_map_b("\00{{(\\00)*}}") {addr_space = 4 : i32, alignment = 64 : i64}
// TMA-LABEL: func.func @wgmma_tma
// TMA-SAME: schedule.tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "wgmma_tma_tensor_map_a", element = bf16, shape = [256, 128], box = [128, 64], swizzle = 128>, #schedule.tensor_map<binding = 1, symbol = "wgmma_tma_tensor_map_b", element = bf16, shape = [128, 128], box = [128, 64], swizzle = 128>]
// TMA-DAG: %[[MA:.*]] = llvm.mlir.addressof @wgmma_tma_tensor_map_a : !llvm.ptr<4>
// TMA-DAG: %[[MB:.*]] = llvm.mlir.addressof @wgmma_tma_tensor_map_b : !llvm.ptr<4>
// TMA: %[[A:.*]] = memref.alloc() : memref<25088xbf16, #gpu.address_space<workgroup>>
// TMA: %[[B:.*]] = memref.alloc() : memref<25088xbf16, #gpu.address_space<workgroup>>
// TMA: %[[BARS:.*]] = memref.alloc() : memref<3xi64, #gpu.address_space<workgroup>>
// TMA: scf.forall (%[[T:.*]]) in (128)
// TMA: %[[LEADER:.*]] = arith.cmpi eq, %[[T]], %c0
// TMA-COUNT-3: nvvm.mbarrier.init %{{.*}}, %c1_i32, predicate = %[[LEADER]]
// TMA-NOT: nvvm.mbarrier.init
// TMA: nvvm.fence.mbarrier.init
// TMA: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// TMA: %[[PA:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// TMA: %[[RA:.*]] = arith.addi %{{.*}}, %c1023_i64
// TMA: arith.andi %[[RA]], %c-1024_i64
// TMA: nvvm.mbarrier.arrive.expect_tx %[[BAR0:.*]], %c32768_i32, predicate = %[[LEADER]]
// TMA: llvm.addrspacecast %[[MA]] : !llvm.ptr<4> to !llvm.ptr
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR0]], box[%c0_i32, %{{.*}}] predicate = %[[LEADER]]
// TMA: llvm.addrspacecast %[[MB]] : !llvm.ptr<4> to !llvm.ptr
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR0]], box[%c0_i32, %c0_i32] predicate = %[[LEADER]]
// TMA: nvvm.mbarrier.arrive.expect_tx %[[BAR1:.*]], %c32768_i32, predicate = %[[LEADER]]
// TMA: %[[A1:.*]] = arith.addi %{{.*}}, %c16384_i64
// TMA: %[[PA1:.*]] = llvm.inttoptr %[[A1]]
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %[[PA1]], %{{.*}}, %[[BAR1]], box[%c64_i32, %{{.*}}] predicate = %[[LEADER]]
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %[[BAR1]], box[%c64_i32, %c0_i32] predicate = %[[LEADER]]
// TMA-NOT: nvvm.fence.proxy
// TMA: gpu.barrier
// TMA: scf.for %[[K0:.*]] = %c0 to %c128 step %c64
// TMA:   %[[LATER:.*]] = arith.addi %[[K0]], %c128
// TMA:   %[[MORE:.*]] = arith.cmpi ult, %[[LATER]], %c128
// TMA:   scf.if %[[MORE]]
// TMA:     nvvm.mbarrier.arrive.expect_tx
// TMA:     nvvm.cp.async.bulk.tensor.shared.cluster.global
// TMA:     nvvm.cp.async.bulk.tensor.shared.cluster.global
// TMA:   nvvm.mbarrier.try_wait.parity %{{.*}}, %{{.*}}, %c10000000_i32
// TMA:   nvvm.wgmma.fence.aligned
// TMA:   arith.ori %{{.*}}, %c4611686293305360384_i64
// TMA-COUNT-8: nvvm.wgmma.mma_async {{.*}} <m = 64, n = 128, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <col>]
// TMA-NOT: scf.if
// TMA:   nvvm.wgmma.wait.group.sync.aligned 0
// TMA:   gpu.barrier
// TMA-COUNT-3: nvvm.mbarrier.inval
// TMA-NOT: nvvm.mbarrier.inval
// TMA2-LABEL: func.func @wgmma_tma
// TMA2: memref.alloc() : memref<16896xbf16, #gpu.address_space<workgroup>>
// TMA2: memref.alloc() : memref<16896xbf16, #gpu.address_space<workgroup>>
// TMA2: memref.alloc() : memref<2xi64, #gpu.address_space<workgroup>>
// TMA2-COUNT-2: nvvm.mbarrier.init
// TMA2-NOT: nvvm.mbarrier.init
// TMA2: nvvm.mbarrier.arrive.expect_tx
// TMA2-NOT: nvvm.mbarrier.arrive.expect_tx
// TMA2: scf.for %[[K0:.*]] = %c0 to %c128 step %c64
// TMA2:   %[[LATER:.*]] = arith.addi %[[K0]], %c64
// TMA2:   %[[MORE:.*]] = arith.cmpi ult, %[[LATER]], %c128
// TMA2:   scf.if %[[MORE]]
// TMA2:     nvvm.mbarrier.arrive.expect_tx
// TMA4-LABEL: func.func @wgmma_tma
// TMA4: memref.alloc() : memref<33280xbf16, #gpu.address_space<workgroup>>
// TMA4: memref.alloc() : memref<33280xbf16, #gpu.address_space<workgroup>>
// TMA4: memref.alloc() : memref<4xi64, #gpu.address_space<workgroup>>
// TMA4-COUNT-4: nvvm.mbarrier.init
func.func @wgmma_tma(%a: memref<256x128xbf16>, %b: memref<128x128xbf16>, %c: memref<256x128xf32>) {
  scf.forall (%i) = (0) to (256) step (128) {
    %sa = memref.subview %a[%i, 0] [128, 128] [1, 1] : memref<256x128xbf16> to memref<128x128xbf16, strided<[128, 1], offset: ?>>
    %sc = memref.subview %c[%i, 0] [128, 128] [1, 1] : memref<256x128xf32> to memref<128x128xf32, strided<[128, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%sa, %b : memref<128x128xbf16, strided<[128, 1], offset: ?>>, memref<128x128xbf16>) outs(%sc : memref<128x128xf32, strided<[128, 1], offset: ?>>) {
    ^bb0(%x: bf16, %y: bf16, %acc: f32):
      %xe = arith.extf %x : bf16 to f32
      %ye = arith.extf %y : bf16 to f32
      %p = arith.mulf %xe, %ye : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A plain matmul's B, [k][n], is N-major: TMA loads it in boxes of 64
// steps x 64 columns, two per slot 8 KiB apart, whose descriptors have
// the boxes LBO apart (8192 bytes), 1024 bytes between groups of 8 steps,
// and start 2048 bytes further for each 16 steps; wgmma reads B
// transposed (<row>).
// CHECK-LABEL: func.func @wgmma_tma_n_major
// TF32-LABEL: func.func @wgmma_tma_n_major
// SMALL-LABEL: func.func @wgmma_tma_n_major
// WGMMA-LABEL: func.func @wgmma_tma_n_major
// WGMMA64-LABEL: func.func @wgmma_tma_n_major
// TMA-LABEL: func.func @wgmma_tma_n_major
// TMA-SAME: schedule.tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "wgmma_tma_n_major_tensor_map_a", element = bf16, shape = [128, 256], box = [128, 64], swizzle = 128>, #schedule.tensor_map<binding = 1, symbol = "wgmma_tma_n_major_tensor_map_b", element = bf16, shape = [256, 256], box = [64, 64], swizzle = 128>]
// TMA: scf.forall (%[[J:.*]]) = (0) to (256) step (128)
// TMA: %[[B:.*]] = memref.alloc() : memref<25088xbf16, #gpu.address_space<workgroup>>
// TMA: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %{{.*}}, box[%c0_i32, %c0_i32]
// TMA: %[[N0:.*]] = arith.index_cast %[[J]] : index to i32
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %{{.*}}, box[%[[N0]], %c0_i32]
// TMA: %[[J64:.*]] = arith.addi %[[J]], %c64
// TMA: %[[N1:.*]] = arith.index_cast %[[J64]] : index to i32
// TMA: %[[SECOND:.*]] = arith.addi %{{.*}}, %c8192_i64
// TMA: %[[P:.*]] = llvm.inttoptr %[[SECOND]]
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %[[P]], %{{.*}}, %{{.*}}, box[%[[N1]], %c0_i32]
// TMA: scf.for
// TMA:   arith.ori %{{.*}}, %c4611686293338849280_i64
// TMA:   nvvm.wgmma.mma_async {{.*}} <m = 64, n = 128, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <row>], B[<bf16>, <one>, <row>]
// TMA:   arith.addi %{{.*}}, %c2048_i64
func.func @wgmma_tma_n_major(%a: memref<128x256xbf16>, %b: memref<256x256xbf16>, %c: memref<128x256xf32>) {
  scf.forall (%j) = (0) to (256) step (128) {
    %sb = memref.subview %b[0, %j] [256, 128] [1, 1] : memref<256x256xbf16> to memref<256x128xbf16, strided<[256, 1], offset: ?>>
    %sc = memref.subview %c[0, %j] [128, 128] [1, 1] : memref<128x256xf32> to memref<128x128xf32, strided<[256, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %sb : memref<128x256xbf16>, memref<256x128xbf16, strided<[256, 1], offset: ?>>) outs(%sc : memref<128x128xf32, strided<[256, 1], offset: ?>>) {
    ^bb0(%x: bf16, %y: bf16, %acc: f32):
      %xe = arith.extf %x : bf16 to f32
      %ye = arith.extf %y : bf16 to f32
      %p = arith.mulf %xe, %ye : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A Gemm with transA reads A as [k][m], M-major: TMA loads it in boxes of
// 64 steps x 64 rows, one per group of 64 rows, 8 KiB apart; each group's
// descriptor starts at its box (the second 8192 bytes on), with 1024 bytes
// between groups of 8 steps and 2048 bytes more for each 16 steps; wgmma
// reads A transposed (<col>).
// CHECK-LABEL: func.func @wgmma_tma_m_major
// TF32-LABEL: func.func @wgmma_tma_m_major
// SMALL-LABEL: func.func @wgmma_tma_m_major
// WGMMA-LABEL: func.func @wgmma_tma_m_major
// WGMMA64-LABEL: func.func @wgmma_tma_m_major
// TMA2-LABEL: func.func @wgmma_tma_m_major
// TMA4-LABEL: func.func @wgmma_tma_m_major
// TMA-LABEL: func.func @wgmma_tma_m_major
// TMA-SAME: schedule.tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "wgmma_tma_m_major_tensor_map_a", element = bf16, shape = [256, 256], box = [64, 64], swizzle = 128>, #schedule.tensor_map<binding = 1, symbol = "wgmma_tma_m_major_tensor_map_b", element = bf16, shape = [256, 128], box = [64, 64], swizzle = 128>]
// TMA: scf.forall (%[[I:.*]]) = (0) to (256) step (128)
// TMA: %[[A:.*]] = memref.alloc() : memref<25088xbf16, #gpu.address_space<workgroup>>
// TMA: nvvm.mbarrier.arrive.expect_tx %{{.*}}, %c32768_i32
// TMA: %[[M0:.*]] = arith.index_cast %[[I]] : index to i32
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %{{.*}}, %{{.*}}, %{{.*}}, box[%[[M0]], %c0_i32]
// TMA: %[[I64:.*]] = arith.addi %[[I]], %c64
// TMA: %[[M1:.*]] = arith.index_cast %[[I64]] : index to i32
// TMA: %[[SECOND:.*]] = arith.addi %{{.*}}, %c8192_i64
// TMA: %[[P:.*]] = llvm.inttoptr %[[SECOND]]
// TMA: nvvm.cp.async.bulk.tensor.shared.cluster.global %[[P]], %{{.*}}, %{{.*}}, box[%[[M1]], %c0_i32]
// TMA: scf.for
// TMA:   nvvm.mbarrier.try_wait.parity
// TMA:   %[[SLOTA:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// TMA:   %[[SLOTB:.*]] = arith.addi %{{.*}}, %{{.*}} : i64
// TMA:   nvvm.wgmma.fence.aligned
// TMA:   arith.andi %[[SLOTB]], %c262143_i64
// TMA:   %[[DA0:.*]] = arith.andi %[[SLOTA]], %c262143_i64
// TMA:   %[[DA1:.*]] = arith.shrui %[[DA0]], %c4_i64
// TMA:   %[[DA:.*]] = arith.ori %[[DA1]], %c4611686293338849280_i64
// TMA:   nvvm.wgmma.mma_async %[[DA]], {{.*}} <m = 64, n = 128, k = 16>, D[<f32>, <one>], A[<bf16>, <one>, <col>], B[<bf16>, <one>, <row>]
// TMA:   %[[G1:.*]] = arith.addi %[[SLOTA]], %c8192_i64
// TMA:   arith.andi %[[G1]], %c262143_i64
// TMA:   nvvm.wgmma.mma_async {{.*}} A[<bf16>, <one>, <col>], B[<bf16>, <one>, <row>]
// TMA:   arith.addi %[[SLOTA]], %c2048_i64
func.func @wgmma_tma_m_major(%a: memref<256x256xbf16>, %b: memref<256x128xbf16>, %c: memref<256x128xf32>) {
  scf.forall (%i) = (0) to (256) step (128) {
    %sa = memref.subview %a[0, %i] [256, 128] [1, 1] : memref<256x256xbf16> to memref<256x128xbf16, strided<[256, 1], offset: ?>>
    %sc = memref.subview %c[%i, 0] [128, 128] [1, 1] : memref<256x128xf32> to memref<128x128xf32, strided<[128, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%sa, %b : memref<256x128xbf16, strided<[256, 1], offset: ?>>, memref<256x128xbf16>) outs(%sc : memref<128x128xf32, strided<[128, 1], offset: ?>>) {
    ^bb0(%x: bf16, %y: bf16, %acc: f32):
      %xe = arith.extf %x : bf16 to f32
      %ye = arith.extf %y : bf16 to f32
      %p = arith.mulf %xe, %ye : f32
      %s = arith.addf %acc, %p : f32
      linalg.yield %s : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// An elementwise op that reads the GEMM's result from a workgroup buffer
// becomes the tile's epilogue: as the tile stores each f32 sum, rounded to
// the buffer's f16, it adds the bias, applies the relu and widens the
// result into the op's output. The buffer and the op are gone.
// CHECK-LABEL: func.func @epilogue
// CHECK-NOT: memref.alloc() {alignment = 64 : i64}
// CHECK: nvgpu.mma.sync
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK:   %[[ROW:.*]] = arith.divui %{{.*}}, %c32
// CHECK:   %[[COL:.*]] = arith.remui %{{.*}}, %c32
// CHECK:   %[[SUM:.*]] = memref.load %{{.*}}[%[[ROW]], %[[COL]]] : memref<64x32xf32, #gpu.address_space<workgroup>>
// CHECK:   %[[ROUNDED:.*]] = arith.truncf %[[SUM]] : f32 to f16
// CHECK:   %[[BIAS:.*]] = memref.load %arg2[%[[COL]]] : memref<32xf16>
// CHECK:   %[[BIASED:.*]] = arith.addf %[[ROUNDED]], %[[BIAS]] : f16
// CHECK:   %[[RELU:.*]] = arith.maximumf %[[BIASED]], %{{.*}} : f16
// CHECK:   %[[WIDE:.*]] = arith.extf %[[RELU]] : f16 to f32
// CHECK:   memref.store %[[WIDE]], %arg3[%[[ROW]], %[[COL]]] : memref<64x32xf32>
// CHECK-NOT: linalg.generic
func.func @epilogue(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %bias: memref<32xf16>, %c: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.fill ins(%zero : f16) outs(%t : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    %sc = memref.subview %c[0, 0] [64, 32] [1, 1] : memref<64x32xf32> to memref<64x32xf32, strided<[32, 1]>>
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t, %bias : memref<64x32xf16>, memref<32xf16>) outs(%sc : memref<64x32xf32, strided<[32, 1]>>) {
    ^bb0(%x: f16, %y: f16, %out: f32):
      %s = arith.addf %x, %y : f16
      %r = arith.maximumf %s, %zero : f16
      %e = arith.extf %r : f16 to f32
      linalg.yield %e : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// The epilogue reads the buffer through a permutation, reads its own
// output and asks for its loop indices: the element at (row, column) of
// the tile is its loops' (column, row).
// CHECK-LABEL: func.func @epilogue_transposed
// CHECK: scf.for
// CHECK: scf.for
// CHECK:   %[[ROW:.*]] = arith.divui %{{.*}}, %c32
// CHECK:   %[[COL:.*]] = arith.remui %{{.*}}, %c32
// CHECK:   memref.load %arg2[%[[COL]], %[[ROW]]] : memref<32x64xf32>
// CHECK:   arith.index_cast %[[COL]] : index to i32
// CHECK:   memref.store %{{.*}}, %arg2[%[[COL]], %[[ROW]]] : memref<32x64xf32>
// CHECK-NOT: linalg.generic
func.func @epilogue_transposed(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %c: memref<32x64xf32>) {
  %zero = arith.constant 0.0 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.fill ins(%zero : f16) outs(%t : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(n, m) -> (m, n)>, affine_map<(n, m) -> (n, m)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x32xf16>) outs(%c : memref<32x64xf32>) {
    ^bb0(%x: f16, %out: f32):
      %n = linalg.index 0 : index
      %ni = arith.index_cast %n : index to i32
      %nf = arith.sitofp %ni : i32 to f32
      %e = arith.extf %x : f16 to f32
      %s = arith.addf %e, %nf : f32
      %o = arith.addf %s, %out : f32
      linalg.yield %o : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A generic that copies (broadcasts) a bias into the GEMM's output, as a
// convolution's does, is its start: the accumulators start at the bias,
// and the buffer has no other use left.
// CHECK-LABEL: func.func @epilogue_from_copy
// CHECK-NOT: memref.alloc() {alignment = 64 : i64}
// CHECK: scf.for
// CHECK:   %[[ROW:.*]] = arith.divui %{{.*}}, %c32
// CHECK:   %[[COL:.*]] = arith.remui %{{.*}}, %c32
// CHECK:   %[[BIAS:.*]] = memref.load %arg2[%[[ROW]]] : memref<64xf16>
// CHECK:   %[[START:.*]] = arith.extf %[[BIAS]] : f16 to f32
// CHECK:   memref.store %[[START]], %{{.*}}[%[[ROW]], %[[COL]]] : memref<64x32xf32, #gpu.address_space<workgroup>>
// CHECK: nvgpu.mma.sync
// CHECK: arith.maximumf
// CHECK: memref.store %{{.*}}, %arg3
// CHECK-NOT: linalg.generic
func.func @epilogue_from_copy(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %bias: memref<64xf16>, %c: memref<64x32xf16>) {
  %zero = arith.constant 0.0 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<64xf16>) outs(%t : memref<64x32xf16>) {
    ^bb0(%x: f16, %out: f16):
      linalg.yield %x : f16
    }
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x32xf16>) outs(%c : memref<64x32xf16>) {
    ^bb0(%x: f16, %out: f16):
      %r = arith.maximumf %x, %zero : f16
      linalg.yield %r : f16
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A buffer that something else reads too stays, and so does its reader.
// CHECK-LABEL: func.func @epilogue_read_twice
// CHECK: %[[T:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
// CHECK: nvgpu.mma.sync
// CHECK: memref.store %{{.*}}, %[[T]]
// CHECK: linalg.generic {{.*}} ins(%[[T]]
// CHECK: linalg.copy ins(%[[T]]
func.func @epilogue_read_twice(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %c: memref<64x32xf32>, %d: memref<64x32xf16>) {
  %zero = arith.constant 0.0 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.fill ins(%zero : f16) outs(%t : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x32xf16>) outs(%c : memref<64x32xf32>) {
    ^bb0(%x: f16, %out: f32):
      %e = arith.extf %x : f16 to f32
      linalg.yield %e : f32
    }
    linalg.copy ins(%t : memref<64x32xf16>) outs(%d : memref<64x32xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A store between the GEMM and its reader keeps them apart: the reader
// reads what the store wrote.
// CHECK-LABEL: func.func @epilogue_after_store
// CHECK: %[[T:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
// CHECK: nvgpu.mma.sync
// CHECK: memref.store %{{.*}}, %[[T]]
// CHECK: memref.store %{{.*}}, %arg2[%c0, %c0]
// CHECK: linalg.generic {{.*}} ins(%[[T]]
func.func @epilogue_after_store(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %c: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f16
  %one = arith.constant 1.0 : f32
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.fill ins(%zero : f16) outs(%t : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    memref.store %one, %c[%i, %i] : memref<64x32xf32>
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x32xf16>) outs(%c : memref<64x32xf32>) {
    ^bb0(%x: f16, %out: f32):
      %e = arith.extf %x : f16 to f32
      %s = arith.addf %e, %out : f32
      linalg.yield %s : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A wgmma tile applies its epilogue straight from the registers. Without
// the 32 KiB bf16 buffer, the tile has room for three slots (two with it).
// TMA-LABEL: func.func @wgmma_epilogue
// TMA-NOT: memref.alloc() {alignment = 64 : i64}
// TMA: %[[SC:.*]] = memref.subview %arg2
// TMA-NOT: memref.alloc() {alignment = 64 : i64}
// TMA: memref.alloc() : memref<3xi64, #gpu.address_space<workgroup>>
// TMA: nvvm.wgmma.mma_async
// TMA: nvvm.mbarrier.inval
// TMA: %[[ROUNDED:.*]] = arith.truncf %{{.*}} : f32 to bf16
// TMA: %[[WIDE:.*]] = arith.extf %[[ROUNDED]] : bf16 to f32
// TMA: memref.store %[[WIDE]], %[[SC]]
// TMA-NOT: linalg.generic
func.func @wgmma_epilogue(%a: memref<256x128xbf16>, %b: memref<128x128xbf16>, %c: memref<256x128xf32>) {
  %zero = arith.constant 0.0 : bf16
  scf.forall (%i) = (0) to (256) step (128) {
    %sa = memref.subview %a[%i, 0] [128, 128] [1, 1] : memref<256x128xbf16> to memref<128x128xbf16, strided<[128, 1], offset: ?>>
    %t = memref.alloc() {alignment = 64 : i64} : memref<128x128xbf16>
    linalg.fill ins(%zero : bf16) outs(%t : memref<128x128xbf16>)
    linalg.matmul ins(%sa, %b : memref<128x128xbf16, strided<[128, 1], offset: ?>>, memref<128x128xbf16>) outs(%t : memref<128x128xbf16>)
    %sc = memref.subview %c[%i, 0] [128, 128] [1, 1] : memref<256x128xf32> to memref<128x128xf32, strided<[128, 1], offset: ?>>
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<128x128xbf16>) outs(%sc : memref<128x128xf32, strided<[128, 1], offset: ?>>) {
    ^bb0(%x: bf16, %out: f32):
      %e = arith.extf %x : bf16 to f32
      linalg.yield %e : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// An epilogue that writes an input of the GEMM stays: its stores would
// race with the GEMM's reads of other tiles.
// CHECK-LABEL: func.func @epilogue_writes_input
// TMA-LABEL: func.func @epilogue_writes_input
// CHECK: %[[T:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
// CHECK: nvgpu.mma.sync
// CHECK: memref.store %{{.*}}, %[[T]]
// CHECK: linalg.generic {{.*}} ins(%[[T]] {{.*}} outs(%arg1
func.func @epilogue_writes_input(%a: memref<64x64xf16>, %b: memref<64x32xf16>) {
  %zero = arith.constant 0.0 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.fill ins(%zero : f16) outs(%t : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x32xf16>) outs(%b : memref<64x32xf16>) {
    ^bb0(%x: f16, %out: f16):
      linalg.yield %x : f16
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// A copy of a bias into the output starts the accumulators without an
// epilogue too: the output is written once, at the end.
// CHECK-LABEL: func.func @copy_start
// CHECK-NOT: linalg.generic
// CHECK: scf.for
// CHECK:   %[[COL:.*]] = arith.remui %{{.*}}, %c32
// CHECK:   %[[BIAS:.*]] = memref.load %arg2[%[[COL]]] : memref<32xf16>
// CHECK:   arith.extf %[[BIAS]] : f16 to f32
// CHECK-NOT: memref.load %arg3
// CHECK: nvgpu.mma.sync
// CHECK-NOT: memref.load %arg3
// CHECK: memref.store %{{.*}}, %arg3
// CHECK-NOT: linalg.generic
func.func @copy_start(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %bias: memref<32xf16>, %c: memref<64x32xf16>) {
  scf.forall (%i) = (0) to (64) step (64) {
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<32xf16>) outs(%c : memref<64x32xf16>) {
    ^bb0(%x: f16, %out: f16):
      linalg.yield %x : f16
    }
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%c : memref<64x32xf16>)
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// Scalars: a copy of one starts the accumulators like a fill, and the
// epilogue uses one as it is.
// CHECK-LABEL: func.func @scalar_operands
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f16
// CHECK-NOT: linalg.generic
// CHECK: memref.store %[[HALF]], %{{.*}} : memref<64x32xf32, #gpu.address_space<workgroup>>
// CHECK: nvgpu.mma.sync
// CHECK: %[[RELU:.*]] = arith.maximumf %{{.*}}, %[[ZERO]] : f16
// CHECK: memref.store %[[RELU]], %arg2
// CHECK-NOT: linalg.generic
func.func @scalar_operands(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %c: memref<64x32xf16>) {
  %zero = arith.constant 0.0 : f16
  %half = arith.constant 0.5 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.generic {indexing_maps = [affine_map<(m, n) -> ()>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%half : f16) outs(%t : memref<64x32xf16>) {
    ^bb0(%x: f16, %out: f16):
      linalg.yield %x : f16
    }
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> ()>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t, %zero : memref<64x32xf16>, f16) outs(%c : memref<64x32xf16>) {
    ^bb0(%x: f16, %z: f16, %out: f16):
      %r = arith.maximumf %x, %z : f16
      linalg.yield %r : f16
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}

// -----

// Two GEMMs in one workgroup tile, each with its epilogue.
// CHECK-LABEL: func.func @two_epilogues
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.alloc() {alignment = 64 : i64}
// CHECK: nvgpu.mma.sync
// CHECK: %[[WIDE:.*]] = arith.extf %{{.*}} : f16 to f32
// CHECK: memref.store %[[WIDE]], %arg2
// CHECK: nvgpu.mma.sync
// CHECK: %[[NEG:.*]] = arith.negf %{{.*}} : f32
// CHECK: memref.store %[[NEG]], %arg3
// CHECK-NOT: linalg.generic
func.func @two_epilogues(%a: memref<64x64xf16>, %b: memref<64x32xf16>, %c: memref<64x32xf32>, %d: memref<64x32xf32>) {
  %zero = arith.constant 0.0 : f16
  scf.forall (%i) = (0) to (64) step (64) {
    %t = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.fill ins(%zero : f16) outs(%t : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%t : memref<64x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%t : memref<64x32xf16>) outs(%c : memref<64x32xf32>) {
    ^bb0(%x: f16, %out: f32):
      %e = arith.extf %x : f16 to f32
      linalg.yield %e : f32
    }
    %u = memref.alloc() {alignment = 64 : i64} : memref<64x32xf16>
    linalg.fill ins(%zero : f16) outs(%u : memref<64x32xf16>)
    linalg.matmul ins(%a, %b : memref<64x64xf16>, memref<64x32xf16>) outs(%u : memref<64x32xf16>)
    linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]} ins(%u : memref<64x32xf16>) outs(%d : memref<64x32xf32>) {
    ^bb0(%x: f16, %out: f32):
      %e = arith.extf %x : f16 to f32
      %n = arith.negf %e : f32
      linalg.yield %n : f32
    }
  } {mapping = [#gpu.block<linear_dim_0>]}
  return
}
