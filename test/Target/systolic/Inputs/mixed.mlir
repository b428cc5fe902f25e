// A padded convolution with a bias and a ReLU, then a matmul of its
// flattened output: the array runs the padding, the convolution and the
// matmul, the host cpu the bias, the ReLU and the reshape
// (fallback.test).
func.func @m(%x: tensor<1x3x10x10xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<8xf32>, %fc: tensor<800x16xf32>) -> tensor<1x16xf32> {
  %0 = strata.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x10x10xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x10x10xf32>
  %1 = strata.reshape %b {shape = array<i64: 1, 8, 1, 1>} : (tensor<8xf32>) -> tensor<1x8x1x1xf32>
  %2 = strata.add %0, %1 : (tensor<1x8x10x10xf32>, tensor<1x8x1x1xf32>) -> tensor<1x8x10x10xf32>
  %3 = strata.relu %2 : (tensor<1x8x10x10xf32>) -> tensor<1x8x10x10xf32>
  %4 = strata.reshape %3 {shape = array<i64: 1, 800>} : (tensor<1x8x10x10xf32>) -> tensor<1x800xf32>
  %5 = strata.matmul %4, %fc : (tensor<1x800xf32>, tensor<800x16xf32>) -> tensor<1x16xf32>
  return %5 : tensor<1x16xf32>
}
