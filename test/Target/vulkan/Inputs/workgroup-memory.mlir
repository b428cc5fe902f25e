// Layers the GPU runs from workgroup memory, each a dispatch of its own
// named after its layer: a 64 x 96 x 128 matmul with a ReLU (GEMM tiles),
// a softmax over rows of 1000 (a maximum, then a sum of exponentials), and
// a mean over 7 x 7 windows as global average pooling reads them.
func.func @layers(%a: tensor<64x96xf32>, %w: tensor<96x128xf32>, %x: tensor<4x1000xf32>, %y: tensor<2x8x7x7xf32>) -> (tensor<64x128xf32>, tensor<4x1000xf32>, tensor<2x8xf32>) {
  %h = strata.matmul %a, %w : (tensor<64x96xf32>, tensor<96x128xf32>) -> tensor<64x128xf32> loc("dense")
  %r = strata.relu %h : (tensor<64x128xf32>) -> tensor<64x128xf32> loc("dense_relu")
  %p = strata.softmax %x {axis = 1 : i64} : (tensor<4x1000xf32>) -> tensor<4x1000xf32> loc("softmax")
  %m = strata.reduce_mean %y {axes = array<i64: 2, 3>, keepdims = false} : (tensor<2x8x7x7xf32>) -> tensor<2x8xf32> loc("pool")
  return %r, %p, %m : tensor<64x128xf32>, tensor<4x1000xf32>, tensor<2x8xf32>
}
