// A bf16 model's layers (bf16.test): a padded convolution with a ReLU and
// a matmul by constant weights.
func.func @m(%x: tensor<1x8x6x6xbf16>, %w: tensor<8x8x3x3xbf16>, %a: tensor<5x12xbf16>)
    -> (tensor<1x8x6x6xbf16>, tensor<5x7xbf16>) {
  %c = strata.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6xbf16>, tensor<8x8x3x3xbf16>) -> tensor<1x8x6x6xbf16>
  %r = strata.relu %c : (tensor<1x8x6x6xbf16>) -> tensor<1x8x6x6xbf16>
  %b = strata.constant dense<[[0.5, -1.0, 2.0, 0.25, -0.75, 1.5, 3.0], [1.0, 0.5, -0.5, 2.0, -2.0, 0.125, 1.0], [-1.5, 0.5, 1.0, -0.25, 0.75, 2.5, -3.0], [0.5, -1.0, 2.0, 0.25, -0.75, 1.5, 3.0], [1.0, 0.5, -0.5, 2.0, -2.0, 0.125, 1.0], [-1.5, 0.5, 1.0, -0.25, 0.75, 2.5, -3.0], [0.5, -1.0, 2.0, 0.25, -0.75, 1.5, 3.0], [1.0, 0.5, -0.5, 2.0, -2.0, 0.125, 1.0], [-1.5, 0.5, 1.0, -0.25, 0.75, 2.5, -3.0], [0.5, -1.0, 2.0, 0.25, -0.75, 1.5, 3.0], [1.0, 0.5, -0.5, 2.0, -2.0, 0.125, 1.0], [-1.5, 0.5, 1.0, -0.25, 0.75, 2.5, -3.0]]> : tensor<12x7xbf16>
  %m = strata.matmul %a, %b : (tensor<5x12xbf16>, tensor<12x7xbf16>) -> tensor<5x7xbf16>
  return %r, %m : tensor<1x8x6x6xbf16>, tensor<5x7xbf16>
}
