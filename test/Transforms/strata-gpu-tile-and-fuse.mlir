// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse))' \
// RUN:   | FileCheck %s

// A matmul, its fill and its bias add become one loop over workgroup
// tiles: 32 columns, and the rows that 64 invocations with 4 x 4
// accumulators each cover (16 * 64 / 32 = 32). The reduction stays whole.
// CHECK-LABEL: func.func @matmul_bias
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (128, 64) step (32, 32) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<128x64xf32>)
// CHECK:   linalg.fill {{.*}} -> tensor<32x32xf32>
// CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<32x16xf32>, tensor<16x32xf32>)
// CHECK:   linalg.generic
// CHECK:   tensor.parallel_insert_slice
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias(%a: tensor<128x16xf32>, %b: tensor<16x64xf32>,
                       %bias: tensor<64xf32>) -> tensor<128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128x64xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<128x64xf32>) -> tensor<128x64xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<128x16xf32>, tensor<16x64xf32>)
                      outs(%fill : tensor<128x64xf32>) -> tensor<128x64xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<128x64xf32>, tensor<64xf32>) outs(%empty : tensor<128x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<128x64xf32>
  return %r : tensor<128x64xf32>
}

// -----

// Tiles are sized for the workgroup (128 invocations: 64 rows) and for
// its memory: 32 x 32 f32 accumulators plus 16 steps of both operands
// need 8 KiB, which 6000 bytes do not hold, so the rows halve to 16.
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse{workgroup-size=128 workgroup-memory-bytes=6000}))' \
// RUN:   | FileCheck %s --check-prefix=SIZED
// SIZED-LABEL: func.func @matmul_bias
// SIZED: scf.forall {{.*}} to (128, 64) step (16, 32)
// SIZED-LABEL: func.func @matvec

// A matrix-vector product has no column loop, so it is no GEMM, and 16
// elements per output are too few for a workgroup reduction: one output
// element per iteration, not a workgroup's tile.
// CHECK-LABEL: func.func @matvec
// CHECK: scf.forall (%{{.*}}) in (64)
// CHECK:   linalg.matvec ins(%{{.*}}, %{{.*}} : tensor<1x16xf32>, tensor<16xf32>)
// CHECK-NOT: mapping
// CHECK: return
func.func @matvec(%a: tensor<64x16xf32>, %x: tensor<16xf32>) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<64xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<64xf32>) -> tensor<64xf32>
  %r = linalg.matvec ins(%a, %x : tensor<64x16xf32>, tensor<16xf32>)
                     outs(%fill : tensor<64xf32>) -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// -----

// A depthwise convolution accumulates onto its broadcast bias: the bias
// fuses into each output element's iteration, so the kernel is one loop
// (unfused, the bias would be a loop of its own, and the kernel two
// steps on one workgroup).
// CHECK-LABEL: func.func @depthwise_bias
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (8, 6, 6)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<1xf32>) outs(%{{.*}} : tensor<1x1x1xf32>)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x3x3xf32>, tensor<1x3x3xf32>) outs(%{{.*}} : tensor<1x1x1xf32>)
// CHECK:   tensor.parallel_insert_slice
#dw_in = affine_map<(c, h, w, kh, kw) -> (c, h + kh, w + kw)>
#dw_k = affine_map<(c, h, w, kh, kw) -> (c, kh, kw)>
#dw_out = affine_map<(c, h, w, kh, kw) -> (c, h, w)>
#dw_bias = affine_map<(c, h, w) -> (c)>
#dw_id = affine_map<(c, h, w) -> (c, h, w)>
func.func @depthwise_bias(%x: tensor<8x8x8xf32>, %k: tensor<8x3x3xf32>,
                          %b: tensor<8xf32>) -> tensor<8x6x6xf32> {
  %empty = tensor.empty() : tensor<8x6x6xf32>
  %bias = linalg.generic {indexing_maps = [#dw_bias, #dw_id],
                          iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%b : tensor<8xf32>) outs(%empty : tensor<8x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<8x6x6xf32>
  %conv = linalg.generic {indexing_maps = [#dw_in, #dw_k, #dw_out],
                          iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %k : tensor<8x8x8xf32>, tensor<8x3x3xf32>) outs(%bias : tensor<8x6x6xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x6x6xf32>
  return %conv : tensor<8x6x6xf32>
}

// -----

// A splat is a fill, which fuses into its consumers or, returned, is a
// loop of its own once bufferized.
// CHECK-LABEL: func.func @splat
// CHECK-NOT: arith.constant dense
// CHECK: %[[SEVEN:.*]] = arith.constant 7 : i32
// CHECK: linalg.fill ins(%[[SEVEN]] : i32) outs(%{{.*}} : tensor<3x4xi32>)
func.func @splat() -> tensor<3x4xi32> {
  %c = arith.constant dense<7> : tensor<3x4xi32>
  return %c : tensor<3x4xi32>
}

// -----

// A pad is one elementwise op: the input's element where the index falls
// inside it, else the padding; then it tiles like any root.
// CHECK-LABEL: func.func @pad
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (4, 7)
// CHECK:   linalg.generic
// CHECK:     linalg.index 1
// CHECK:     arith.cmpi sge
// CHECK:     arith.cmpi slt
// CHECK:     tensor.extract %{{.*}} : tensor<2x3xf32>
// CHECK:     arith.select
func.func @pad(%x: tensor<2x3xf32>) -> tensor<4x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1, 2] high[1, 2] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<2x3xf32> to tensor<4x7xf32>
  return %p : tensor<4x7xf32>
}

// -----

// A reduction of 1000 elements per output gives each output element a
// workgroup's tile; one of 9 stays one element per iteration.
// CHECK-LABEL: func.func @reductions
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1000xf32>)
// CHECK: } {mapping = [#gpu.block<linear_dim_0>]}
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<1x9xf32>)
// CHECK-NOT: mapping
// CHECK: return
#rows = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0)>
func.func @reductions(%x: tensor<4x1000xf32>, %y: tensor<4x9xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<4xf32>) -> tensor<4xf32>
  %long = linalg.generic {indexing_maps = [#rows, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x1000xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %short = linalg.generic {indexing_maps = [#rows, #out], iterator_types = ["parallel", "reduction"]}
      ins(%y : tensor<4x9xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %long, %short : tensor<4xf32>, tensor<4xf32>
}

// -----

// A GEMM of one row takes no staged tile. Its 4 columns are fewer than a
// workgroup's 64 invocations, so each gets a workgroup's tile.
// CHECK-LABEL: func.func @few_columns
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 4)
// CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x256xf32>, tensor<256x1xf32>)
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
func.func @few_columns(%x: tensor<1x256xf32>, %w: tensor<256x4xf32>) -> tensor<1x4xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x4xf32>) -> tensor<1x4xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x256xf32>, tensor<256x4xf32>)
                     outs(%fill : tensor<1x4xf32>) -> tensor<1x4xf32>
  return %r : tensor<1x4xf32>
}

// -----

// With 128 columns of 64 steps, each folded by one invocation,
// consecutive invocations read consecutive elements of %w: no workgroup
// tiles, and too few steps to split.
// CHECK-LABEL: func.func @many_columns
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 128)
// CHECK:   linalg.matmul
// CHECK-NOT: mapping
// CHECK: return
func.func @many_columns(%x: tensor<1x64xf32>, %w: tensor<64x128xf32>) -> tensor<1x128xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x128xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x128xf32>) -> tensor<1x128xf32>
  %r = linalg.matmul ins(%x, %w : tensor<1x64xf32>, tensor<64x128xf32>)
                     outs(%fill : tensor<1x128xf32>) -> tensor<1x128xf32>
  return %r : tensor<1x128xf32>
}

// -----

// With 256 steps, 128 invocations would each fold 256 of them: k splits
// into 4 parts of 64 (the least a part takes), one invocation per part
// and column, the parts outermost so that consecutive invocations still
// read consecutive columns. The f16 parts are summed in f32, and a
// second root adds them to the widened bias, one invocation per column,
// and rounds once.
// CHECK-LABEL: func.func @split_columns
// CHECK-DAG: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [1, 4, 64] : tensor<1x256xf16> into tensor<1x4x64xf16>
// CHECK-DAG: %[[W:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [4, 64, 128] : tensor<256x128xf16> into tensor<4x64x128xf16>
// CHECK: %[[PARTS:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (4, 1, 128) {{.*}} -> (tensor<4x1x128xf32>)
// CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x1x1xf32>)
// CHECK:   linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x1x64xf16>, tensor<1x64x1xf16>) outs(%{{.*}} : tensor<1x1x1xf32>)
// CHECK:     arith.extf
// CHECK:     arith.extf
// CHECK:     arith.mulf {{.*}} : f32
// CHECK:     arith.addf {{.*}} : f32
// CHECK-NOT: mapping
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 128) {{.*}} -> (tensor<1x128xf16>)
// CHECK:   %[[PART:.*]] = tensor.extract_slice %[[PARTS]][0, %{{.*}}, %{{.*}}] [4, 1, 1]
// CHECK:   %[[BIAS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1xf32>)
// CHECK:     arith.extf {{.*}} : f16 to f32
// CHECK:   %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PART]] : tensor<4x1x1xf32>) outs(%[[BIAS]] : tensor<1x1xf32>)
// CHECK:   linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x1xf32>) outs(%{{.*}} : tensor<1x1xf16>)
// CHECK:     arith.truncf {{.*}} : f32 to f16
// CHECK-NOT: mapping
// CHECK: return
#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @split_columns(%x: tensor<1x256xf16>, %w: tensor<256x128xf16>, %b: tensor<128xf16>) -> tensor<1x128xf16> {
  %empty = tensor.empty() : tensor<1x128xf16>
  %bias = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b : tensor<128xf16>) outs(%empty : tensor<1x128xf16>) {
  ^bb0(%in: f16, %o: f16):
    linalg.yield %in : f16
  } -> tensor<1x128xf16>
  %r = linalg.matmul ins(%x, %w : tensor<1x256xf16>, tensor<256x128xf16>)
                     outs(%bias : tensor<1x128xf16>) -> tensor<1x128xf16>
  return %r : tensor<1x128xf16>
}

// -----

// Transposed, %w has k innermost: one invocation per column would read a
// row of its own, so each column gets a workgroup, which reads it
// coalesced. The ReLU root's tile holds the product.
// CHECK-LABEL: func.func @rows_relu
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 128)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x256xf32>, tensor<1x256xf32>)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1xf32>)
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @rows_relu(%x: tensor<1x256xf32>, %w: tensor<128x256xf32>) -> tensor<1x128xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x128xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x128xf32>) -> tensor<1x128xf32>
  %mm = linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x256xf32>, tensor<128x256xf32>) outs(%fill : tensor<1x128xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x128xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<1x128xf32>) outs(%empty : tensor<1x128xf32>) {
  ^bb0(%in: f32, %o: f32):
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x128xf32>
  return %r : tensor<1x128xf32>
}

// -----

// A long sum that a scale follows (a mean) is in its root's tile, which
// is a workgroup's.
// CHECK-LABEL: func.func @mean
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1000xf32>)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<1xf32>)
// CHECK: } {mapping = [#gpu.block<linear_dim_0>]}
#rows = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0)>
#vec = affine_map<(d0) -> (d0)>
func.func @mean(%x: tensor<4x1000xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %scale = arith.constant 1.0e-3 : f32
  %empty = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#rows, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x1000xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %mean = linalg.generic {indexing_maps = [#vec, #vec], iterator_types = ["parallel"]}
      ins(%sum : tensor<4xf32>) outs(%empty : tensor<4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %m = arith.mulf %in, %scale : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %mean : tensor<4xf32>
}

// -----

// %x's batch of one is broadcast (a constant index). Past it, both inputs
// read k innermost, so each column still gets a workgroup.
// CHECK-LABEL: func.func @broadcast_rows
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 128)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x256xf32>, tensor<1x256xf32>)
// CHECK: } {mapping = [#gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
#a = affine_map<(m, n, k) -> (0, m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @broadcast_rows(%x: tensor<1x1x256xf32>, %w: tensor<128x256xf32>) -> tensor<1x128xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x128xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x128xf32>) -> tensor<1x128xf32>
  %mm = linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<1x1x256xf32>, tensor<128x256xf32>) outs(%fill : tensor<1x128xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x128xf32>
  return %mm : tensor<1x128xf32>
}

// -----

// %x reads k also in `m + k`, which parts of k as a dimension of their own
// cannot express: k does not split, and each column takes one invocation.
// CHECK-LABEL: func.func @diagonal
// CHECK-NOT: tensor.expand_shape
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 128)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<256x256xf32>, tensor<256x1xf32>)
// CHECK-NOT: mapping
// CHECK: return
#a = affine_map<(m, n, k) -> (m + k, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @diagonal(%x: tensor<256x256xf32>, %w: tensor<256x128xf32>) -> tensor<1x128xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x128xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x128xf32>) -> tensor<1x128xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<256x256xf32>, tensor<256x128xf32>) outs(%fill : tensor<1x128xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %p = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<1x128xf32>
  return %mm : tensor<1x128xf32>
}

// -----

// A column's sum is no GEMM but reads like an n-major weight: each of 128
// invocations would fold a column, consecutive ones reading consecutive
// elements. It splits as a thin GEMM does, 4 parts of 64 steps.
// CHECK-LABEL: func.func @column_sums
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [4, 64, 128] : tensor<256x128xf32> into tensor<4x64x128xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (4, 128) {{.*}} -> (tensor<4x128xf32>)
// CHECK-NOT: mapping
// CHECK: scf.forall (%{{.*}}) in (128) {{.*}} -> (tensor<128xf32>)
// CHECK:   linalg.generic {{.*}} ins(%{{.*}} : tensor<4x1xf32>)
// CHECK-NOT: mapping
// CHECK: return
#in = affine_map<(n, k) -> (k, n)>
#out = affine_map<(n, k) -> (n)>
func.func @column_sums(%x: tensor<256x128xf32>) -> tensor<128xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<128xf32>) -> tensor<128xf32>
  %sum = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<256x128xf32>) outs(%fill : tensor<128xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  } -> tensor<128xf32>
  return %sum : tensor<128xf32>
}

// -----

// The parts and their total add in another order than the payload, so an
// integer sum's nsw flag goes from both.
// CHECK-LABEL: func.func @int_column_sums
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (4, 128)
// CHECK:   arith.addi %{{[^ ]*}}, %{{[^ ]*}} : i32
// CHECK: scf.forall (%{{.*}}) in (128)
// CHECK:   arith.addi %{{[^ ]*}}, %{{[^ ]*}} : i32
// CHECK-NOT: overflow
// CHECK: return
#in = affine_map<(n, k) -> (k, n)>
#out = affine_map<(n, k) -> (n)>
func.func @int_column_sums(%x: tensor<256x128xi32>) -> tensor<128xi32> {
  %zero = arith.constant 0 : i32
  %empty = tensor.empty() : tensor<128xi32>
  %fill = linalg.fill ins(%zero : i32) outs(%empty : tensor<128xi32>) -> tensor<128xi32>
  %sum = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<256x128xi32>) outs(%fill : tensor<128xi32>) {
  ^bb0(%in: i32, %acc: i32):
    %s = arith.addi %acc, %in overflow<nsw> : i32
    linalg.yield %s : i32
  } -> tensor<128xi32>
  return %sum : tensor<128xi32>
}

// -----

// A vector (no row loop) times an n-major weight splits as one row does.
// CHECK-LABEL: func.func @vecmat
// CHECK-DAG: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [4, 64] : tensor<256xf32> into tensor<4x64xf32>
// CHECK-DAG: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [4, 64, 128] : tensor<256x128xf32> into tensor<4x64x128xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (4, 128)
// CHECK-NOT: mapping
// CHECK: return
func.func @vecmat(%x: tensor<256xf32>, %w: tensor<256x128xf32>) -> tensor<128xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<128xf32>) -> tensor<128xf32>
  %r = linalg.vecmat ins(%x, %w : tensor<256xf32>, tensor<256x128xf32>)
                     outs(%fill : tensor<128xf32>) -> tensor<128xf32>
  return %r : tensor<128xf32>
}

// -----

// A scalar operand has no dimension to split k into: the column sums of
// a scaled matrix fold a column per invocation, unsplit.
// CHECK-LABEL: func.func @scaled_column_sums
// CHECK-NOT: tensor.expand_shape
// CHECK: scf.forall (%{{.*}}) in (128)
// CHECK-NOT: mapping
// CHECK: return
#in = affine_map<(n, k) -> (k, n)>
#scalar = affine_map<(n, k) -> ()>
#out = affine_map<(n, k) -> (n)>
func.func @scaled_column_sums(%x: tensor<256x128xf32>, %s: f32) -> tensor<128xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<128xf32>) -> tensor<128xf32>
  %sum = linalg.generic {indexing_maps = [#in, #scalar, #out], iterator_types = ["parallel", "reduction"]}
      ins(%x, %s : tensor<256x128xf32>, f32) outs(%fill : tensor<128xf32>) {
  ^bb0(%in: f32, %scale: f32, %acc: f32):
    %p = arith.mulf %in, %scale : f32
    %a = arith.addf %acc, %p : f32
    linalg.yield %a : f32
  } -> tensor<128xf32>
  return %sum : tensor<128xf32>
}
