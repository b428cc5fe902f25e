// A strided convolution over a batch of two and a batched matmul, both
// with sizes that leave partial tiles; systolic.test runs them.
func.func @main(%x: tensor<2x5x13x11xf32>, %w: tensor<19x5x3x2xf32>, %a: tensor<3x37x70xf32>, %b: tensor<3x70x45xf32>) -> (tensor<2x19x6x10xf32>, tensor<3x37x45xf32>) {
  %0 = strata.conv2d %x, %w {strides = array<i64: 2, 1>, dilations = array<i64: 1, 1>} : (tensor<2x5x13x11xf32>, tensor<19x5x3x2xf32>) -> tensor<2x19x6x10xf32>
  %1 = strata.matmul %a, %b : (tensor<3x37x70xf32>, tensor<3x70x45xf32>) -> tensor<3x37x45xf32>
  return %0, %1 : tensor<2x19x6x10xf32>, tensor<3x37x45xf32>
}
