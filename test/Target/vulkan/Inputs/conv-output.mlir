// A convolution whose result is the function's output: the compiler works
// on it grouped (1x1x16x8x8), and the reshape to NCHW joins its step.
func.func @conv(%x: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>) -> tensor<1x16x8x8xf32> {
  %0 = strata.conv2d %x, %w : (tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x8x8xf32> loc("conv")
  return %0 : tensor<1x16x8x8xf32>
}
