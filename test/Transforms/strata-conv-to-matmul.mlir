// RUN: strata-opt %s --split-input-file --strata-conv-to-matmul | FileCheck %s

// A grouped, strided convolution with a bias init: every window is copied
// into a column tensor (n, g, c, kh, kw, oh, ow), the weights and columns
// are flattened to a batched matmul over (n, g, m, oh*ow, c*kh*kw) that
// accumulates from zero, and the bias is added afterwards.
// CHECK-DAG: #[[$WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d5 * 2 + d3, d6 * 2 + d4)>
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @grouped_strided
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x4x66x66xf32>, %[[W:.*]]: tensor<2x8x4x3x3xf32>, %[[B:.*]]: tensor<1x2x8x32x32xf32>)
// CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[$WIN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<1x2x4x66x66xf32>) outs(%{{.*}} : tensor<1x2x4x3x3x32x32xf32>)
// CHECK: %[[COLFLAT:.*]] = tensor.collapse_shape %[[COLS]] {{\[\[}}0], [1], [2, 3, 4], [5, 6]] : tensor<1x2x4x3x3x32x32xf32> into tensor<1x2x36x1024xf32>
// CHECK: %[[WFLAT:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0], [1], [2, 3, 4]] : tensor<2x8x4x3x3xf32> into tensor<2x8x36xf32>
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x2x8x1024xf32>
// CHECK: %[[MM:.*]] = linalg.generic {indexing_maps = [#[[$W]], #[[$COL]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[WFLAT]], %[[COLFLAT]] : tensor<2x8x36xf32>, tensor<1x2x36x1024xf32>) outs(%[[ZERO]] : tensor<1x2x8x1024xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[PROD:.*]] = tensor.expand_shape %[[MM]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 2, 8, 32, 32]
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[PROD]], %[[B]] : tensor<1x2x8x32x32xf32>, tensor<1x2x8x32x32xf32>)
// CHECK: arith.addf
// CHECK: return %[[SUM]]
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
func.func @grouped_strided(%x: tensor<1x2x4x66x66xf32>, %w: tensor<2x8x4x3x3xf32>, %b: tensor<1x2x8x32x32xf32>) -> tensor<1x2x8x32x32xf32> {
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x2x4x66x66xf32>, tensor<2x8x4x3x3xf32>) outs(%b : tensor<1x2x8x32x32xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x2x8x32x32xf32>
  return %0 : tensor<1x2x8x32x32xf32>
}

// -----

// Without a bias the zero-filled init is the matmul's own: no add.
// CHECK-LABEL: func.func @no_bias
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x16x58x58xf32>) outs(%{{.*}} : tensor<1x1x16x3x3x56x56xf32>)
// CHECK: %[[MM:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x16x3136xf32>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[MM]]
// CHECK-NEXT: return %[[R]]
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
func.func @no_bias(%x: tensor<1x1x16x58x58xf32>, %w: tensor<1x16x16x3x3xf32>) -> tensor<1x1x16x56x56xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x16x56x56xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<1x1x16x56x56xf32>) -> tensor<1x1x16x56x56xf32>
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x1x16x58x58xf32>, tensor<1x16x16x3x3xf32>) outs(%z : tensor<1x1x16x56x56xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x1x16x56x56xf32>
  return %0 : tensor<1x1x16x56x56xf32>
}

// -----

// A 1x1 convolution with stride 1 and no padding: its columns are the
// input itself, reshaped, with no copy.
// CHECK-LABEL: func.func @pointwise
// CHECK-SAME: (%[[X:.*]]: tensor<1x1x32x28x28xf32>
// CHECK-NOT: linalg.generic
// CHECK: %[[COLS:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1], [2, 3, 4], [5], [6]] output_shape [1, 1, 32, 1, 1, 28, 28]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[COLS]] {{\[\[}}0], [1], [2, 3, 4], [5, 6]] : tensor<1x1x32x1x1x28x28xf32> into tensor<1x1x32x784xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[FLAT]] : tensor<1x64x32xf32>, tensor<1x1x32x784xf32>)
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
func.func @pointwise(%x: tensor<1x1x32x28x28xf32>, %w: tensor<1x64x32x1x1xf32>) -> tensor<1x1x64x28x28xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x64x28x28xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<1x1x64x28x28xf32>) -> tensor<1x1x64x28x28xf32>
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x1x32x28x28xf32>, tensor<1x64x32x1x1xf32>) outs(%z : tensor<1x1x64x28x28xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x1x64x28x28xf32>
  return %0 : tensor<1x1x64x28x28xf32>
}

// -----

// A depthwise convolution (one output channel per group) has no matmul
// worth packing, and a small convolution does not repay the copy: both
// stay as they are.
// CHECK-LABEL: func.func @depthwise_and_small
// CHECK-NOT: tensor.collapse_shape
// CHECK-COUNT-2: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
func.func @depthwise_and_small(%x: tensor<1x64x1x58x58xf32>, %w: tensor<64x1x1x3x3xf32>, %b: tensor<1x64x1x56x56xf32>,
                               %sx: tensor<1x1x8x10x10xf32>, %sw: tensor<1x8x8x3x3xf32>, %sb: tensor<1x1x8x8x8xf32>) -> (tensor<1x64x1x56x56xf32>, tensor<1x1x8x8x8xf32>) {
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x64x1x58x58xf32>, tensor<64x1x1x3x3xf32>) outs(%b : tensor<1x64x1x56x56xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x64x1x56x56xf32>
  %3 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%sx, %sw : tensor<1x1x8x10x10xf32>, tensor<1x8x8x3x3xf32>) outs(%sb : tensor<1x1x8x8x8xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x1x8x8x8xf32>
  return %0, %3 : tensor<1x64x1x56x56xf32>, tensor<1x1x8x8x8xf32>
}

// -----

// 49 pixels pad to 64 columns of two-vector blocks, but to only 52 rows
// of 4-row blocks: the matmul takes the columns as its first operand, the
// register block's rows, and the weights' channels as its columns.
// CHECK-DAG: #[[$W:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d2, d4)>
// CHECK-DAG: #[[$COL:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @pixel_rows
// CHECK: %[[COLFLAT:.*]] = tensor.collapse_shape {{.*}} into tensor<1x1x144x49xf32>
// CHECK: %[[WFLAT:.*]] = tensor.collapse_shape {{.*}} into tensor<1x64x144xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$COL]], #[[$W]], #[[$OUT]]], {{.*}} ins(%[[COLFLAT]], %[[WFLAT]] : tensor<1x1x144x49xf32>, tensor<1x64x144xf32>) outs(%{{.*}} : tensor<1x1x64x49xf32>)
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
func.func @pixel_rows(%x: tensor<1x1x16x9x9xf32>, %w: tensor<1x64x16x3x3xf32>) -> tensor<1x1x64x7x7xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x64x7x7xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<1x1x64x7x7xf32>) -> tensor<1x1x64x7x7xf32>
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x1x16x9x9xf32>, tensor<1x64x16x3x3xf32>) outs(%z : tensor<1x1x64x7x7xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x1x64x7x7xf32>
  return %0 : tensor<1x1x64x7x7xf32>
}

// -----

// A depthwise convolution with 28-wide output rows, which no tile of
// whole vectors or of a power of two divides, computes 32-wide rows and
// slices them back. Its zero-padded input's pad grows to reach the wider
// rows' windows (one pad, through the reshapes), and its init, a generic
// yielding zero, becomes a wider fill. A stride-2 one with a bias init
// pads both its input and its init with zeros.
// CHECK-LABEL: func.func @widened_rows
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 2, 2] high[0, 0, 0, 2, 6]
// CHECK: } : tensor<1x1x8x28x28xf32> to tensor<1x1x8x32x36xf32>
// CHECK: %[[EXP:.*]] = tensor.expand_shape %[[PAD]] {{.*}} into tensor<1x1x8x1x32x36xf32>
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[EXP]] {{.*}} into tensor<1x8x1x32x36xf32>
// CHECK: %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<1x8x1x28x32xf32>
// CHECK: %[[WIDE:.*]] = linalg.generic {{.*}} ins(%[[COL]], %{{.*}} : tensor<1x8x1x32x36xf32>, tensor<8x1x1x5x5xf32>) outs(%[[FILL]] : tensor<1x8x1x28x32xf32>)
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %[[WIDE]][0, 0, 0, 0, 0] [1, 8, 1, 28, 28] [1, 1, 1, 1, 1]
// CHECK: %[[IN2:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0, 0] high[0, 0, 0, 0, 4]
// CHECK: } : tensor<1x8x1x29x29xf32> to tensor<1x8x1x29x33xf32>
// CHECK: %[[INIT2:.*]] = tensor.pad %{{.*}} low[0, 0, 0, 0, 0] high[0, 0, 0, 0, 2]
// CHECK: } : tensor<1x8x1x14x14xf32> to tensor<1x8x1x14x16xf32>
// CHECK: %[[WIDE2:.*]] = linalg.generic {{.*}} ins(%[[IN2]], %{{.*}} : tensor<1x8x1x29x33xf32>, tensor<8x1x1x3x3xf32>) outs(%[[INIT2]] : tensor<1x8x1x14x16xf32>)
// CHECK: %[[ROWS2:.*]] = tensor.extract_slice %[[WIDE2]][0, 0, 0, 0, 0] [1, 8, 1, 14, 14] [1, 1, 1, 1, 1]
// CHECK: return %[[ROWS]], %[[ROWS2]]
#in = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#in2 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#out = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
#all = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
func.func @widened_rows(%x: tensor<1x1x8x28x28xf32>, %w: tensor<8x1x1x5x5xf32>, %y: tensor<1x8x1x29x29xf32>, %v: tensor<8x1x1x3x3xf32>, %b: tensor<1x8x1x14x14xf32>) -> (tensor<1x8x1x28x28xf32>, tensor<1x8x1x14x14xf32>) {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 0, 2, 2] high[0, 0, 0, 2, 2] {
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index, %i4: index):
    tensor.yield %cst : f32
  } : tensor<1x1x8x28x28xf32> to tensor<1x1x8x32x32xf32>
  %e1 = tensor.expand_shape %p [[0], [1], [2, 3], [4], [5]] output_shape [1, 1, 8, 1, 32, 32] : tensor<1x1x8x32x32xf32> into tensor<1x1x8x1x32x32xf32>
  %c1 = tensor.collapse_shape %e1 [[0], [1, 2], [3], [4], [5]] : tensor<1x1x8x1x32x32xf32> into tensor<1x8x1x32x32xf32>
  %e = tensor.empty() : tensor<1x8x1x28x28xf32>
  %z = linalg.generic {indexing_maps = [#all], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%e : tensor<1x8x1x28x28xf32>) {
  ^bb0(%out: f32):
    linalg.yield %cst : f32
  } -> tensor<1x8x1x28x28xf32>
  %0 = linalg.generic {indexing_maps = [#in, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%c1, %w : tensor<1x8x1x32x32xf32>, tensor<8x1x1x5x5xf32>) outs(%z : tensor<1x8x1x28x28xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x8x1x28x28xf32>
  %3 = linalg.generic {indexing_maps = [#in2, #w, #out], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%y, %v : tensor<1x8x1x29x29xf32>, tensor<8x1x1x3x3xf32>) outs(%b : tensor<1x8x1x14x14xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %1 = arith.mulf %in, %in_0 : f32
    %2 = arith.addf %out, %1 : f32
    linalg.yield %2 : f32
  } -> tensor<1x8x1x14x14xf32>
  return %0, %3 : tensor<1x8x1x28x28xf32>, tensor<1x8x1x14x14xf32>
}
