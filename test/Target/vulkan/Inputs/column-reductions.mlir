// Reductions along an outer axis: each output element's column is read
// by consecutive invocations, one output element each, rather than by a
// workgroup of its own. The mean's 512 steps split in 8 parts of 64 (256
// outputs), the maximum's 1024 in 16 (256 outputs); the parts fold in a
// second kernel, the mean's scale after them.
func.func @columns(%x: tensor<4x512x64xf32>, %y: tensor<1024x256xf32>) -> (tensor<4x1x64xf32>, tensor<1x256xf32>) {
  %mean = strata.reduce_mean %x {axes = array<i64: 1>} : (tensor<4x512x64xf32>) -> tensor<4x1x64xf32> loc("mean")
  %max = strata.reduce_max %y {axes = array<i64: 0>} : (tensor<1024x256xf32>) -> tensor<1x256xf32> loc("max")
  return %mean, %max : tensor<4x1x64xf32>, tensor<1x256xf32>
}
