// A residual block's tail and a classifier: relu(conv(x) + x) and
// relu(y * w + b), whose adds and ReLUs dispatch formation fuses into the
// contractions' kernels (epilogue.test).
func.func @m(%x: tensor<1x8x6x6xf32>, %w: tensor<8x8x3x3xf32>, %y: tensor<5x12xf32>, %fc: tensor<12x7xf32>, %b: tensor<7xf32>) -> (tensor<1x8x6x6xf32>, tensor<5x7xf32>) {
  %0 = strata.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x6x6xf32>
  %1 = strata.add %0, %x : (tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %2 = strata.relu %1 : (tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %3 = strata.gemm %y, %fc, %b : (tensor<5x12xf32>, tensor<12x7xf32>, tensor<7xf32>) -> tensor<5x7xf32>
  %4 = strata.relu %3 : (tensor<5x7xf32>) -> tensor<5x7xf32>
  return %2, %4 : tensor<1x8x6x6xf32>, tensor<5x7xf32>
}
