// A two-layer product with a ReLU, for the strata-compile tests.
func.func @mlp(%x: tensor<2x3xf32> {onnx.name = "x"}) -> (tensor<2x2xf32> {onnx.name = "y"}) {
  %w = strata.constant dense<[[1.0, -1.0], [2.0, 0.5], [0.0, 1.0]]> : tensor<3x2xf32>
  %0 = strata.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %1 = strata.relu %0 : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %1 : tensor<2x2xf32>
}
