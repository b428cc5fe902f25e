// Three layers whose weights become constants of different kernels, for
// the reproducibility test.
func.func @chain(%x: tensor<2x3xf32> {onnx.name = "x"}) -> (tensor<2x2xf32> {onnx.name = "y"}) {
  %w0 = strata.constant dense<[[1.0, -1.0, 0.5, 2.0], [0.0, 1.0, -2.0, 1.5], [3.0, 0.25, 1.0, -1.0]]> : tensor<3x4xf32>
  %b0 = strata.constant dense<[0.5, -0.5, 1.0, 0.0]> : tensor<4xf32>
  %w1 = strata.constant dense<[[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0], [2.0, -2.0, 1.0], [0.0, 1.0, -0.5]]> : tensor<4x3xf32>
  %w2 = strata.constant dense<[[0.5, -1.0], [1.5, 2.0], [-0.5, 0.25]]> : tensor<3x2xf32>
  %0 = strata.matmul %x, %w0 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %1 = strata.add %0, %b0 : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %2 = strata.relu %1 : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %3 = strata.matmul %2, %w1 : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %4 = strata.sigmoid %3 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = strata.matmul %4, %w2 : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  return %5 : tensor<2x2xf32>
}
