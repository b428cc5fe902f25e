// RUN: strata-opt %s --split-input-file --strata-pack-contractions --canonicalize --mlir-elide-elementsattrs-if-larger=64 | FileCheck %s
// RUN: strata-opt %s --split-input-file --strata-pack-contractions="l2-bytes=65536" --canonicalize | FileCheck %s --check-prefix=SMALL-L2

// A 67x130 by 130x61 matmul: A is padded to 68 rows and packed into
// 17 panels of 130 x 4, B padded to 64 columns and packed into 4 panels of
// 130 x 16; the blocked contraction accumulates 4x16 blocks from a zero
// fill and writes them straight into rows of the result (no transposing
// copy), which is collapsed and sliced to 67x61.
// CHECK-DAG: #[[$PA:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[$PB:.*]] = affine_map<(d0, d1, d2) -> (d1, d0, d2)>
// CHECK-DAG: #[[$A:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d3)>
// CHECK-DAG: #[[$B:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d3, d1, d4)>
// CHECK-LABEL: func.func @padded_blocks
// CHECK: tensor.pad %{{.*}} low[0, 0] high[1, 0]
// CHECK: %[[AP:.*]] = linalg.generic {indexing_maps = [#[[$PA]], {{.*}}]} ins(%{{.*}} : tensor<17x4x130xf32>) outs(%{{.*}} : tensor<17x130x4xf32>)
// CHECK: tensor.pad %{{.*}} low[0, 0] high[0, 3]
// CHECK: %[[BP:.*]] = linalg.generic {indexing_maps = [#[[$PB]], {{.*}}]} ins(%{{.*}} : tensor<130x4x16xf32>) outs(%{{.*}} : tensor<4x130x16xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<17x4x4x16xf32>
// CHECK: %[[MM:.*]] = linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]} ins(%[[AP]], %[[BP]] : tensor<17x130x4xf32>, tensor<4x130x16xf32>) outs(%[[ZERO]] : tensor<17x4x4x16xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[MM]] {{\[\[}}0, 1], [2, 3]] : tensor<17x4x4x16xf32> into tensor<68x64xf32>
// CHECK: %[[R:.*]] = tensor.extract_slice %[[FLAT]][0, 0] [67, 61] [1, 1]
// CHECK: return %[[R]]
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @padded_blocks(%x: tensor<67x130xf32>, %y: tensor<130x61xf32>) -> tensor<67x61xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<67x61xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<67x61xf32>) -> tensor<67x61xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %y : tensor<67x130xf32>, tensor<130x61xf32>) outs(%z : tensor<67x61xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<67x61xf32>
  return %0 : tensor<67x61xf32>
}

// -----

// Constant weights are packed at compile time: the packed B is a constant.
// CHECK-LABEL: func.func @constant_weights
// CHECK: %[[BP:.*]] = arith.constant dense<{{.*}}> : tensor<4x64x16xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[BP]] : tensor<16x64x4xf32>, tensor<4x64x16xf32>)
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @constant_weights(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %w = arith.constant dense<1.5> : tensor<64x64xf32>
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<64x64xf32>, tensor<64x64xf32>) outs(%z : tensor<64x64xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// A B computed at run time whose columns divide into panels is read in
// place: the contraction reads its rows, 96 floats apart, through a
// reshape, with no packing copy. A B with rows 4 KiB apart (1024 floats)
// reaches 16 of a 1 MiB L2's sets, too few for its 512 rows, so it is
// packed. In a 64 KiB L2, the first B's rows do not fit either.
// SMALL-L2-LABEL: func.func @in_place
// SMALL-L2: linalg.generic {{.*}} outs(%{{.*}} : tensor<6x512x16xf32>)
// SMALL-L2: linalg.generic {{.*}} outs(%{{.*}} : tensor<64x512x16xf32>)
// CHECK-DAG: #[[$INPLACE:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d2, d1, d4)>
// CHECK-LABEL: func.func @in_place
// CHECK-SAME: (%[[X:.*]]: tensor<64x512xf32>, %[[Y:.*]]: tensor<512x96xf32>, %[[Z:.*]]: tensor<512x1024xf32>)
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[Y]] {{\[\[}}0], [1, 2]] output_shape [512, 6, 16] : tensor<512x96xf32> into tensor<512x6x16xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$INPLACE]], #{{.*}}], {{.*}} ins(%{{.*}}, %[[ROWS]] : tensor<16x512x4xf32>, tensor<512x6x16xf32>)
// CHECK: %[[PANELS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<64x512x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[PANELS]] : tensor<16x512x4xf32>, tensor<64x512x16xf32>)
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @in_place(%x: tensor<64x512xf32>, %y: tensor<512x96xf32>, %z: tensor<512x1024xf32>) -> (tensor<64x96xf32>, tensor<64x1024xf32>) {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %y : tensor<64x512xf32>, tensor<512x96xf32>) outs(%f : tensor<64x96xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x96xf32>
  %e2 = tensor.empty() : tensor<64x1024xf32>
  %f2 = linalg.fill ins(%cst : f32) outs(%e2 : tensor<64x1024xf32>) -> tensor<64x1024xf32>
  %3 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %z : tensor<64x512xf32>, tensor<512x1024xf32>) outs(%f2 : tensor<64x1024xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x1024xf32>
  return %0, %3 : tensor<64x96xf32>, tensor<64x1024xf32>
}

// -----

// A bias add and an activation after a contraction whose result is
// reshaped (a convolution's NCHW output) take the packed contraction's
// shape, the reshapes moving past them, and so does the bias broadcast
// (its unit batch dims dropped): each reads its producer directly, so
// that they fuse into the contraction's dispatch and tiles. The
// contraction then accumulates onto the bias, which the add read.
// CHECK-LABEL: func.func @epilogue
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<16x4xf32>) outs(%{{.*}} : tensor<16x4x6x16xf32>)
// CHECK: %[[MM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]{{.*}}outs(%[[BIAS]] : tensor<16x4x6x16xf32>)
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[MM]] : tensor<16x4x6x16xf32>)
// CHECK: arith.maximumf
// CHECK: tensor.collapse_shape %[[RELU]] {{\[\[}}0, 1], [2, 3]] : tensor<16x4x6x16xf32> into tensor<64x96xf32>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#ch = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2)>
func.func @epilogue(%x: tensor<64x128xf32>, %y: tensor<128x96xf32>) -> tensor<1x1x64x8x12xf32> {
  %cst = arith.constant 0.0 : f32
  %bias = arith.constant dense<0.5> : tensor<1x64xf32>
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %y : tensor<64x128xf32>, tensor<128x96xf32>) outs(%f : tensor<64x96xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x96xf32>
  %r = tensor.expand_shape %mm [[0, 1, 2], [3, 4]] output_shape [1, 1, 64, 8, 12] : tensor<64x96xf32> into tensor<1x1x64x8x12xf32>
  %e5 = tensor.empty() : tensor<1x1x64x8x12xf32>
  %bb = linalg.generic {indexing_maps = [#ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<1x64xf32>) outs(%e5 : tensor<1x1x64x8x12xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x1x64x8x12xf32>
  %add = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%r, %bb : tensor<1x1x64x8x12xf32>, tensor<1x1x64x8x12xf32>) outs(%e5 : tensor<1x1x64x8x12xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.addf %in, %in_0 : f32
    linalg.yield %1 : f32
  } -> tensor<1x1x64x8x12xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%add : tensor<1x1x64x8x12xf32>) outs(%e5 : tensor<1x1x64x8x12xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = arith.maximumf %in, %cst : f32
    linalg.yield %1 : f32
  } -> tensor<1x1x64x8x12xf32>
  return %relu : tensor<1x1x64x8x12xf32>
}

// -----

// Too few rows for a register block with B not a constant, too little
// work, or not f32: left as is.
// CHECK-LABEL: func.func @not_packed
// CHECK-NOT: tensor.expand_shape
// CHECK-COUNT-3: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-NOT: tensor.expand_shape
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @not_packed(%v: tensor<1x1024xf32>, %m: tensor<1024x1024xf32>, %s: tensor<16x16xf32>,
                      %i: tensor<256x256xi32>) -> (tensor<1x1024xf32>, tensor<16x16xf32>, tensor<256x256xi32>) {
  %cst = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x1024xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<1x1024xf32>) -> tensor<1x1024xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%v, %m : tensor<1x1024xf32>, tensor<1024x1024xf32>) outs(%z : tensor<1x1024xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x1024xf32>
  %se = tensor.empty() : tensor<16x16xf32>
  %sz = linalg.fill ins(%cst : f32) outs(%se : tensor<16x16xf32>) -> tensor<16x16xf32>
  %3 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%s, %s : tensor<16x16xf32>, tensor<16x16xf32>) outs(%sz : tensor<16x16xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<16x16xf32>
  %ie = tensor.empty() : tensor<256x256xi32>
  %iz = linalg.fill ins(%c0 : i32) outs(%ie : tensor<256x256xi32>) -> tensor<256x256xi32>
  %4 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%i, %i : tensor<256x256xi32>, tensor<256x256xi32>) outs(%iz : tensor<256x256xi32>) {
  ^bb0(%in: i32, %in_0: i32, %out: i32):
    %1 = arith.muli %in, %in_0 : i32
    %2 = arith.addi %out, %1 : i32
    linalg.yield %2 : i32
  } -> tensor<256x256xi32>
  return %0, %3, %4 : tensor<1x1024xf32>, tensor<16x16xf32>, tensor<256x256xi32>
}

// -----

// A batched matrix-vector product has no n dimension: not packed.
// CHECK-LABEL: func.func @matvec
// CHECK-NOT: tensor.expand_shape
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
#a = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#x = affine_map<(d0, d1, d2) -> (d2)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @matvec(%m: tensor<8x512x512xf32>, %v: tensor<512xf32>) -> tensor<8x512xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x512xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<8x512xf32>) -> tensor<8x512xf32>
  %0 = linalg.generic {indexing_maps = [#a, #x, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%m, %v : tensor<8x512x512xf32>, tensor<512xf32>) outs(%z : tensor<8x512xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<8x512xf32>
  return %0 : tensor<8x512xf32>
}

// -----

// A matrix-vector product (one row) is too narrow to pack. Its constant B
// is read with k innermost, one row per lane of the vectorized n; it is
// transposed at compile time, n innermost, and the contraction reads it
// through the swapped map.
// CHECK: #[[$BMAP:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @matvec_constant
// CHECK: %[[BT:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$BMAP]], #{{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[BT]] : tensor<1x3xf32>, tensor<3x2xf32>)
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @matvec_constant(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2xf32>) -> tensor<1x2xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x3xf32>, tensor<2x3xf32>) outs(%init : tensor<1x2xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

// A B laid out columns-major (reduction innermost), whose columns divide
// into panels, is packed: read in place, each step of the reduction
// would gather a column. So is a constant B behind a reshape, at compile
// time.
// CHECK-LABEL: func.func @not_in_place
// CHECK: %[[PACKED:.*]] = arith.constant dense<2.500000e-01> : tensor<6x512x16xf32>
// CHECK: %[[PANELS:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<6x16x512xf32>) outs(%{{.*}} : tensor<6x512x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[PANELS]] : tensor<16x512x4xf32>, tensor<6x512x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[PACKED]] : tensor<16x512x4xf32>, tensor<6x512x16xf32>)
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#bt = affine_map<(d0, d1, d2) -> (d1, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
func.func @not_in_place(%x: tensor<64x512xf32>, %y: tensor<96x512xf32>) -> (tensor<64x96xf32>, tensor<64x96xf32>) {
  %cst = arith.constant 0.0 : f32
  %w = arith.constant dense<0.25> : tensor<512x6x16xf32>
  %z = tensor.collapse_shape %w [[0], [1, 2]] : tensor<512x6x16xf32> into tensor<512x96xf32>
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %0 = linalg.generic {indexing_maps = [#a, #bt, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %y : tensor<64x512xf32>, tensor<96x512xf32>) outs(%f : tensor<64x96xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x96xf32>
  %3 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %z : tensor<64x512xf32>, tensor<512x96xf32>) outs(%f : tensor<64x96xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x96xf32>
  return %0, %3 : tensor<64x96xf32>, tensor<64x96xf32>
}

// -----

// Two contractions summed, with a bias each, then activated (a residual
// block's convolution and its shortcut): each accumulates onto what the
// sum added to it, the second onto the first's result plus its own bias,
// so that one block of accumulators runs through both.
// CHECK-LABEL: func.func @residual
// CHECK: %[[B1:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<16x4xf32>)
// CHECK: %[[B2:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<16x4xf32>)
// CHECK: %[[MM1:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]{{.*}}outs(%[[B1]] : tensor<16x4x6x16xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[B2]], %[[MM1]] : tensor<16x4x6x16xf32>, tensor<16x4x6x16xf32>)
// CHECK: arith.addf
// CHECK: %[[MM2:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction", "parallel", "parallel"]{{.*}}outs(%[[INIT]] : tensor<16x4x6x16xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[MM2]] : tensor<16x4x6x16xf32>)
// CHECK-NOT: arith.addf
// CHECK: arith.maximumf
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @residual(%x: tensor<64x128xf32>, %y: tensor<128x96xf32>, %u: tensor<64x64xf32>, %v: tensor<64x96xf32>) -> tensor<64x96xf32> {
  %cst = arith.constant 0.0 : f32
  %bias1 = arith.constant dense<0.5> : tensor<64xf32>
  %bias2 = arith.constant dense<0.25> : tensor<64xf32>
  %e = tensor.empty() : tensor<64x96xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<64x96xf32>) -> tensor<64x96xf32>
  %mm1 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %y : tensor<64x128xf32>, tensor<128x96xf32>) outs(%f : tensor<64x96xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x96xf32>
  %mm2 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%u, %v : tensor<64x64xf32>, tensor<64x96xf32>) outs(%f : tensor<64x96xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<64x96xf32>
  %b1 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]} ins(%bias1 : tensor<64xf32>) outs(%e : tensor<64x96xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x96xf32>
  %b2 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]} ins(%bias2 : tensor<64xf32>) outs(%e : tensor<64x96xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<64x96xf32>
  %s1 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm1, %b1 : tensor<64x96xf32>, tensor<64x96xf32>) outs(%e : tensor<64x96xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %1 = arith.addf %p, %q : f32
    linalg.yield %1 : f32
  } -> tensor<64x96xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm2, %b2 : tensor<64x96xf32>, tensor<64x96xf32>) outs(%e : tensor<64x96xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %1 = arith.addf %p, %q : f32
    linalg.yield %1 : f32
  } -> tensor<64x96xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%s2, %s1 : tensor<64x96xf32>, tensor<64x96xf32>) outs(%e : tensor<64x96xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %1 = arith.addf %p, %q : f32
    %2 = arith.maximumf %1, %cst : f32
    linalg.yield %2 : f32
  } -> tensor<64x96xf32>
  return %relu : tensor<64x96xf32>
}

// -----

// A batch-1 classifier: one row, too few for a register block, but its
// constant weights (transposed, 520 outputs) pack at compile time into 33
// panels of 512 x 16, the last one padded with zeros: no pad, transpose
// or pack is left to run. The row reads them through a one-row block.
// CHECK-LABEL: func.func @classifier
// CHECK: %[[W:.*]] = arith.constant dense_resource<__elided__> : tensor<33x512x16xf32>
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.transpose
// CHECK: %[[MM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}}, %[[W]] : tensor<512xf32>, tensor<33x512x16xf32>) outs(%{{.*}} : tensor<33x16xf32>)
// CHECK: %[[ROW:.*]] = tensor.expand_shape %[[MM]]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[ROW]] {{.*}} into tensor<1x528xf32>
// CHECK: tensor.extract_slice %[[FLAT]][0, 0] [1, 520] [1, 1]
#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @classifier(%x: tensor<1x512xf32>) -> tensor<1x520xf32> {
  %w = arith.constant dense<0.5> : tensor<520x512xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x520xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x520xf32>) -> tensor<1x520xf32>
  %0 = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<1x512xf32>, tensor<520x512xf32>) outs(%init : tensor<1x520xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x520xf32>
  return %0 : tensor<1x520xf32>
}

// -----

// A constant padded by a constant folds (packing pads weights to whole
// panels).
// CHECK-LABEL: func.func @constant_pad
// CHECK: %[[P:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 2.000000e+00, 0.000000e+00], [3.000000e+00, 4.000000e+00, 0.000000e+00]]> : tensor<3x3xf32>
// CHECK-NEXT: return %[[P]]
func.func @constant_pad() -> tensor<3x3xf32> {
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %c low[1, 0] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<2x2xf32> to tensor<3x3xf32>
  return %p : tensor<3x3xf32>
}

// -----

// Constant pads that do not fold: negative padding (a crop) and an element
// type without a fixed byte width; an i8 one and a splat padded with its
// own value do.
// CHECK-LABEL: func.func @constant_pad_kinds
// CHECK-DAG: arith.constant dense<7> : tensor<4xi8>
// CHECK-DAG: arith.constant dense<[0, 1, 2, 0]> : tensor<4xi8>
// CHECK-DAG: tensor.pad %{{.*}} low[-1] high[0]
// CHECK-DAG: tensor.pad %{{.*}} low[1] high[0]
// CHECK: } : tensor<2xcomplex<f32>> to tensor<3xcomplex<f32>>
func.func @constant_pad_kinds() -> (tensor<4xi8>, tensor<4xi8>, tensor<1xf32>, tensor<3xcomplex<f32>>) {
  %s = arith.constant dense<7> : tensor<2xi8>
  %seven = arith.constant 7 : i8
  %a = tensor.pad %s low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %seven : i8
  } : tensor<2xi8> to tensor<4xi8>
  %v = arith.constant dense<[1, 2]> : tensor<2xi8>
  %zero = arith.constant 0 : i8
  %b = tensor.pad %v low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %zero : i8
  } : tensor<2xi8> to tensor<4xi8>
  %f = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %fz = arith.constant 0.0 : f32
  %c = tensor.pad %f low[-1] high[0] {
  ^bb0(%i: index):
    tensor.yield %fz : f32
  } : tensor<2xf32> to tensor<1xf32>
  %x = arith.constant dense<[(1.0, 2.0), (3.0, 4.0)]> : tensor<2xcomplex<f32>>
  %xz = complex.constant [0.0 : f32, 0.0 : f32] : complex<f32>
  %d = tensor.pad %x low[1] high[0] {
  ^bb0(%i: index):
    tensor.yield %xz : complex<f32>
  } : tensor<2xcomplex<f32>> to tensor<3xcomplex<f32>>
  return %a, %b, %c, %d : tensor<4xi8>, tensor<4xi8>, tensor<1xf32>, tensor<3xcomplex<f32>>
}
