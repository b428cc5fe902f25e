// RUN: strata-opt %s --split-input-file --strata-tile-and-vectorize --canonicalize --cse | FileCheck %s
// RUN: strata-opt %s --split-input-file --strata-tile-and-vectorize --canonicalize --cse --strata-hoist-vector-transfers --canonicalize | FileCheck %s --check-prefix=HOIST
// RUN: strata-opt %s --split-input-file --strata-tile-and-vectorize="l2-bytes=524288" --canonicalize --cse | FileCheck %s --check-prefix=L2
// RUN: strata-opt %s --split-input-file --strata-tile-and-vectorize="vector-bits=512 vector-registers=32" --canonicalize --cse | FileCheck %s --check-prefix=AVX512

// A packed contraction feeding its unpacking transpose: the transpose is
// the root, tiled by the contraction's 4x16 register block in an
// scf.forall (its tiles are independent), with the contraction and its
// zero fill fused into each tile and its reduction tiled to 1 and
// vectorized as a 4x16 multiply-add. The forall walks B's column panels
// outside A's row panels, so that a B panel stays in cache while the A
// panels stream past it.
// CHECK-LABEL: func.func @packed
// CHECK: scf.forall (%[[N:.*]], %[[M:.*]]) in (2, 8)
// CHECK: tensor.extract_slice %arg0[%[[M]], 0, 0] [1, 64, 4]
// CHECK: tensor.extract_slice %arg1[%[[N]], 0, 0] [1, 64, 16]
// CHECK: vector.transfer_write %{{.*}} : vector<1x1x4x16xf32>, tensor<1x1x4x16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x1x4x16xf32>)
// CHECK: vector.transfer_read {{.*}} : tensor<4xf32>, vector<4x16xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<16xf32>, vector<4x16xf32>
// CHECK: arith.mulf {{.*}} : vector<4x16xf32>
// CHECK: arith.addf {{.*}} : vector<4x16xf32>
// CHECK: vector.transfer_read {{.*}} : tensor<1x1x4x16xf32>, vector<1x4x1x16xf32>
// The hoisting pass moves the accumulator's read and write out of the
// reduction loop, which then carries the vector itself.
// HOIST-LABEL: func.func @packed
// HOIST: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4x16xf32>, vector<4x16xf32>
// HOIST: %[[SUM:.*]] = scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args(%[[A:.*]] = %[[ACC]]) -> (vector<4x16xf32>)
// HOIST-NOT: vector.transfer_write
// HOIST: %[[P:.*]] = arith.mulf {{.*}} : vector<4x16xf32>
// HOIST: %[[N:.*]] = arith.addf %[[A]], %[[P]] : vector<4x16xf32>
// HOIST: scf.yield %[[N]] : vector<4x16xf32>
// HOIST: vector.transfer_write %[[SUM]]
#a = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3)>
#b = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
#c = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
func.func @packed(%x: tensor<8x64x4xf32>, %y: tensor<2x64x16xf32>) -> tensor<8x4x2x16xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x2x4x16xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<8x2x4x16xf32>) -> tensor<8x2x4x16xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%x, %y : tensor<8x64x4xf32>, tensor<2x64x16xf32>) outs(%z : tensor<8x2x4x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<8x2x4x16xf32>
  %t = tensor.empty() : tensor<8x4x2x16xf32>
  %3 = linalg.transpose ins(%0 : tensor<8x2x4x16xf32>) outs(%t : tensor<8x4x2x16xf32>) permutation = [0, 2, 1, 3]
  return %3 : tensor<8x4x2x16xf32>
}

// -----

// A max pool window read with stride 2: the tile's strided read becomes a
// strided slice read with a unit map, which the vectorizer takes. With no
// loop that the window leaves out, the tile still takes 4 rows of outputs
// (independent accumulators). The columns' stride-2 read becomes a
// contiguous read of the span (15 lanes, read as 16 with the last masked)
// and a shuffle of every other lane.
// CHECK-LABEL: func.func @strided_window
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (4, 8) step (1, 4)
// CHECK: %[[S:.*]] = tensor.extract_slice %{{.*}}[0, 0] [4, 15] [2, 1] : tensor<7x15xf32> to tensor<4x15xf32>
// CHECK: %[[V:.*]] = vector.transfer_read %[[S]][%c0, %c0], %{{.*}} {in_bounds = [true, false]} : tensor<4x15xf32>, vector<4x16xf32>
// CHECK: %[[ROW:.*]] = vector.extract %[[V]][0] : vector<16xf32> from vector<4x16xf32>
// CHECK: vector.shuffle %[[ROW]], %[[ROW]] [0, 2, 4, 6, 8, 10, 12, 14] : vector<16xf32>, vector<16xf32>
// CHECK: arith.maximumf {{.*}} : vector<4x8xf32>
#in = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#win = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#out = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
func.func @strided_window(%x: tensor<1x4x17x17xf32>) -> tensor<1x4x8x8xf32> {
  %lowest = arith.constant 0xFF800000 : f32
  %w = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<1x4x8x8xf32>
  %init = linalg.fill ins(%lowest : f32) outs(%e : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %0 = linalg.generic {indexing_maps = [#in, #win, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%x, %w : tensor<1x4x17x17xf32>, tensor<3x3xf32>) outs(%init : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %unused: f32, %out: f32):
    %1 = arith.maximumf %out, %in : f32
    linalg.yield %1 : f32
  } -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// A row sum read through a broadcast by its consumer is not fused into
// the consumer's tiles, which would recompute it for every tile: it is a
// root with its own loop, and the consumer reads its result.
// CHECK-LABEL: func.func @broadcast_consumer
// CHECK: %[[SUM:.*]] = scf.for %{{.*}} = %c0 to %c64 step %c1
// CHECK: arith.addf {{.*}} : vector<16xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (16, 64) step (1, 32)
// CHECK: tensor.extract_slice %[[SUM]]
// CHECK: arith.subf {{.*}} : vector<32xf32>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @broadcast_consumer(%x: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<16xf32>) -> tensor<16xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<16x64xf32>) outs(%z : tensor<16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = arith.addf %in, %out : f32
    linalg.yield %1 : f32
  } -> tensor<16xf32>
  %e2 = tensor.empty() : tensor<16x64xf32>
  %0 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %sum : tensor<16x64xf32>, tensor<16xf32>) outs(%e2 : tensor<16x64xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %1 = arith.subf %in, %s : f32
    linalg.yield %1 : f32
  } -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// A convolution's packed weights (A, 4.7 MB) and a few columns (B, two
// 4608-deep panels). Each parallel tile takes 16 register blocks of rows
// (64 rows) of one column panel and runs them one after the other against
// that panel, which stays in cache while the row blocks' panels stream
// past once; the accumulators leave the reduction loop, not the loop over
// the row blocks.
// CHECK-LABEL: func.func @large_weights
// CHECK: scf.forall (%[[M:.*]], %[[N:.*]]) = (0, 0) to (64, 2) step (16, 1)
// CHECK: tensor.extract_slice %arg0[%[[M]], 0, 0] [16, 4608, 4]
// CHECK: tensor.extract_slice %arg1[%[[N]], 0, 0] [1, 4608, 16]
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x1x4x16xf32>)
// CHECK: scf.for %{{.*}} = %c0 to %c4608 step %c1
// HOIST-LABEL: func.func @large_weights
// HOIST: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x1x4x16xf32>)
// HOIST: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<4x16xf32>, vector<4x16xf32>
// HOIST: scf.for %{{.*}} = %c0 to %c4608 step %c1 iter_args(%{{.*}} = %[[ACC]]) -> (vector<4x16xf32>)
#a = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3)>
#b = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
#c = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d3, d4)>
func.func @large_weights(%a: tensor<64x4608x4xf32>, %b: tensor<2x4608x16xf32>) -> tensor<64x2x4x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x2x4x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<64x2x4x16xf32>) -> tensor<64x2x4x16xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%a, %b : tensor<64x4608x4xf32>, tensor<2x4608x16xf32>) outs(%init : tensor<64x2x4x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x2x4x16xf32>
  return %0 : tensor<64x2x4x16xf32>
}

// -----

// An unpacked 64x4608 by 4608x32 matmul (A 1.2 MB, B 590 KB), tiled 4x16.
// With a 1 MiB L2, B's panels stay in cache, so A goes outside and
// streams from memory once. With a 512 KiB L2, B does not stay in cache,
// and walking B outside reads less from memory (3 MB, against 11 MB the
// other way).
// CHECK-LABEL: func.func @panel_order
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 32) step (4, 16)
// L2-LABEL: func.func @panel_order
// L2: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 64) step (16, 4)
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @panel_order(%a: tensor<64x4608xf32>, %b: tensor<4608x32xf32>) -> tensor<64x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<64x32xf32>) -> tensor<64x32xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<64x4608xf32>, tensor<4608x32xf32>) outs(%init : tensor<64x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x32xf32>
  return %0 : tensor<64x32xf32>
}

// -----

// An activation after a bias add after a packed contraction: the
// activation, the root, takes the contraction's 4x16 register block
// through the bias add, and the contraction, its zero fill and the add fuse
// into each tile, so the epilogue runs on the accumulators in registers.
// CHECK-LABEL: func.func @epilogue_chain
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (6, 16)
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c1
// CHECK: arith.mulf {{.*}} : vector<4x16xf32>
// CHECK: arith.addf {{.*}} : vector<4x16xf32>
// CHECK: arith.addf {{.*}} : vector<4x16xf32>
// CHECK: arith.maximumf {{.*}} : vector<4x16xf32>
#a = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3)>
#b = affine_map<(d0, d1, d2, d3, d4) -> (d2, d1, d4)>
#c = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d4)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
func.func @epilogue_chain(%x: tensor<16x128x4xf32>, %y: tensor<128x6x16xf32>, %bias: tensor<16x4xf32>) -> tensor<16x4x6x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4x6x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<16x4x6x16xf32>) -> tensor<16x4x6x16xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%x, %y : tensor<16x128x4xf32>, tensor<128x6x16xf32>) outs(%init : tensor<16x4x6x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<16x4x6x16xf32>
  %add = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm, %bias : tensor<16x4x6x16xf32>, tensor<16x4xf32>) outs(%e : tensor<16x4x6x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.addf %in, %in_0 : f32
    linalg.yield %1 : f32
  } -> tensor<16x4x6x16xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%add : tensor<16x4x6x16xf32>) outs(%e : tensor<16x4x6x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = arith.maximumf %in, %zero : f32
    linalg.yield %1 : f32
  } -> tensor<16x4x6x16xf32>
  return %relu : tensor<16x4x6x16xf32>
}

// -----

// The same through a transposing copy (the next layer's packing of its A)
// that reads the activation through a permutation: the copy, the root,
// still takes the contraction's 4x16 block, permuted to its own loops.
// CHECK-LABEL: func.func @epilogue_transposed
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (6, 16)
// CHECK: arith.mulf {{.*}} : vector<4x16xf32>
// CHECK: arith.maximumf {{.*}} : vector<4x16xf32>
#a = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3)>
#b = affine_map<(d0, d1, d2, d3, d4) -> (d2, d1, d4)>
#c = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d4)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#perm = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1, d2)>
func.func @epilogue_transposed(%x: tensor<16x128x4xf32>, %y: tensor<128x6x16xf32>) -> tensor<16x6x16x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x4x6x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<16x4x6x16xf32>) -> tensor<16x4x6x16xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%x, %y : tensor<16x128x4xf32>, tensor<128x6x16xf32>) outs(%init : tensor<16x4x6x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<16x4x6x16xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%mm : tensor<16x4x6x16xf32>) outs(%e : tensor<16x4x6x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = arith.maximumf %in, %zero : f32
    linalg.yield %1 : f32
  } -> tensor<16x4x6x16xf32>
  %t = tensor.empty() : tensor<16x6x16x4xf32>
  %copy = linalg.generic {indexing_maps = [#perm, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%relu : tensor<16x4x6x16xf32>) outs(%t : tensor<16x6x16x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<16x6x16x4xf32>
  return %copy : tensor<16x6x16x4xf32>
}

// -----

// A packed contraction whose rows are pixels and columns channels, stored
// transposed into an NCHW-ordered result (pixels innermost): its vectors
// still run along the channels, B's innermost dim, 7 rows of two 512-bit
// vectors, and the block is transposed on its way out.
// AVX512-LABEL: func.func @transposed_store
// AVX512: scf.forall (%{{.*}}, %{{.*}}) in (4, 2)
// AVX512: vector.transfer_read {{.*}} : tensor<7xf32>, vector<7x32xf32>
// AVX512: vector.transfer_read {{.*}} : tensor<32xf32>, vector<7x32xf32>
// AVX512: arith.mulf {{.*}} : vector<7x32xf32>
// AVX512: arith.addf {{.*}} : vector<7x32xf32>
// AVX512: vector.transfer_write {{.*}} permutation_map = {{.*}} : vector<7x32xf32>, tensor<32x7xf32>
#a = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3)>
#b = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
#c = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d0, d3)>
func.func @transposed_store(%x: tensor<2x64x7xf32>, %y: tensor<4x64x32xf32>) -> tensor<4x32x2x7xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x32x2x7xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<4x32x2x7xf32>) -> tensor<4x32x2x7xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%x, %y : tensor<2x64x7xf32>, tensor<4x64x32xf32>) outs(%z : tensor<4x32x2x7xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<4x32x2x7xf32>
  return %0 : tensor<4x32x2x7xf32>
}

// -----

// A packed one-row product (a batch-1 classifier's constant weights in 32
// panels of 576 x 32): the block's rows are 8 panels, each two 512-bit
// vectors wide, with the broadcast input shared; the panels' other n loop
// is the vectors' and runs whole, not one column at a time.
// AVX512-LABEL: func.func @packed_row
// AVX512: scf.forall (%{{.*}}) = (0) to (32) step (8)
// AVX512: scf.for {{.*}} to %c576 {{.*}} -> (tensor<8x32xf32>)
// AVX512: arith.mulf {{.*}} : vector<8x32xf32>
// AVX512: arith.addf {{.*}} : vector<8x32xf32>
// AVX512-NOT: scf.for
// AVX512: vector.transfer_write {{.*}} : vector<8x32xf32>, tensor<8x32xf32>
#x = affine_map<(d0, d1, d2) -> (d1)>
#w = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#o = affine_map<(d0, d1, d2) -> (d0, d2)>
func.func @packed_row(%x: tensor<576xf32>, %w: tensor<32x576x32xf32>) -> tensor<32x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<32x32xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<32x32xf32>) -> tensor<32x32xf32>
  %0 = linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "reduction", "parallel"]} ins(%x, %w : tensor<576xf32>, tensor<32x576x32xf32>) outs(%z : tensor<32x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<32x32xf32>
  return %0 : tensor<32x32xf32>
}

// -----

// A contraction that accumulates onto a kernel argument (a residual
// block's shortcut) starts each tile from the argument's slice and writes
// a fresh result, rather than into a copy of the whole argument made
// before the tile loop.
// CHECK-LABEL: func.func @accumulate_onto_argument
// CHECK: %[[E:.*]] = tensor.empty() : tensor<64x64xf32>
// CHECK: scf.forall {{.*}} shared_outs(%[[OUT:.*]] = %[[E]])
// CHECK: %[[Y:.*]] = tensor.extract_slice %arg2
// CHECK: %[[SUM:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[Y]])
// CHECK: tensor.parallel_insert_slice %[[SUM]] into %[[OUT]]
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @accumulate_onto_argument(%x: tensor<64x32xf32>, %w: tensor<32x64xf32>, %y: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<64x32xf32>, tensor<32x64xf32>) outs(%y : tensor<64x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// A kernel that pads its input runs as a tile loop over the channels, which
// it does not pad: each tile fills its slice of the result and copies the
// channel into it.
// CHECK-LABEL: func.func @pad_channels
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x96x58x58xf32>
// CHECK: scf.forall (%[[C:.*]]) in (96) shared_outs(%[[OUT:.*]] = %[[E]])
// CHECK: %[[IN:.*]] = tensor.extract_slice %arg0[0, %[[C]], 0, 0] [1, 1, 56, 56]
// CHECK: %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<1x1x58x58xf32>
// CHECK: %[[PADDED:.*]] = tensor.insert_slice %[[IN]] into %[[FILL]][0, 0, 1, 1] [1, 1, 56, 56]
// CHECK: tensor.parallel_insert_slice %[[PADDED]] into %[[OUT]][0, %[[C]], 0, 0] [1, 1, 58, 58]
// CHECK-NOT: tensor.pad
func.func @pad_channels(%x: tensor<1x96x56x56xf32>) -> tensor<1x96x58x58xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x96x56x56xf32> to tensor<1x96x58x58xf32>
  return %p : tensor<1x96x58x58xf32>
}

// -----

// Pads left whole: one that pads its leading dim and one that pads
// nothing. Rows too short to be tiles of their own (16 elements) go 32 to
// a tile (512 elements). An op whose body does not read its init keeps the
// argument as its init.
// CHECK-LABEL: func.func @pads_untiled
// CHECK: tensor.pad %arg0 low[1, 0, 0] high[1, 0, 0]
// CHECK: tensor.pad %arg0 nofold low[0, 0, 0] high[0, 0, 0]
// CHECK: scf.forall (%[[R:.*]]) = (0) to (64) step (32)
// CHECK: tensor.extract_slice %arg1[%[[R]], 0] [32, 15]
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %arg2)
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @pads_untiled(%x: tensor<4x8x8xf32>, %r: tensor<64x15xf32>, %y: tensor<64x64xf32>) -> (tensor<6x8x8xf32>, tensor<4x8x8xf32>, tensor<64x16xf32>, tensor<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %a = tensor.pad %x low[1, 0, 0] high[1, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index):
    tensor.yield %zero : f32
  } : tensor<4x8x8xf32> to tensor<6x8x8xf32>
  %b = tensor.pad %x nofold low[0, 0, 0] high[0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index):
    tensor.yield %zero : f32
  } : tensor<4x8x8xf32> to tensor<4x8x8xf32>
  %c = tensor.pad %r low[0, 0] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<64x15xf32> to tensor<64x16xf32>
  %d = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<64x64xf32>) outs(%y : tensor<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = arith.maximumf %in, %zero : f32
    linalg.yield %1 : f32
  } -> tensor<64x64xf32>
  return %a, %b, %c, %d : tensor<6x8x8xf32>, tensor<4x8x8xf32>, tensor<64x16xf32>, tensor<64x64xf32>
}
