// Three matmul layers, each a dispatch of its own named after its layer;
// the compare-devices test builds it with the second layer's weight as
// given and as a planted wrong one (W2 is replaced by sed).
func.func @three(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %w1 = strata.constant dense<0.05> : tensor<16x16xf32>
  %w2 = strata.constant dense<W2> : tensor<16x16xf32>
  %w3 = strata.constant dense<0.07> : tensor<16x16xf32>
  %h1 = strata.matmul %x, %w1 : (tensor<4x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32> loc("layer1")
  %r1 = strata.relu %h1 : (tensor<4x16xf32>) -> tensor<4x16xf32> loc("layer1_relu")
  %h2 = strata.matmul %r1, %w2 : (tensor<4x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32> loc("layer2")
  %r2 = strata.relu %h2 : (tensor<4x16xf32>) -> tensor<4x16xf32> loc("layer2_relu")
  %h3 = strata.matmul %r2, %w3 : (tensor<4x16xf32>, tensor<16x16xf32>) -> tensor<4x16xf32> loc("layer3")
  return %h3 : tensor<4x16xf32>
}
