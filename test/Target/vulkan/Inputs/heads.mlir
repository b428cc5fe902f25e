// A transformer layer's change to the heads' layout: one of the packed
// q/k/v projections sliced out, split into 16 heads of 8 and transposed.
// The slice is not contiguous, so the kernel first copies it into scratch
// (the reshape needs contiguous memory), then transposes: two steps, each
// reading all of the one before.
func.func @heads(%qkv: tensor<64x4x96xf32>) -> tensor<16x8x64xf32> {
  %k = strata.slice %qkv {starts = array<i64: 32>, ends = array<i64: 64>, axes = array<i64: 2>} : (tensor<64x4x96xf32>) -> tensor<64x4x32xf32> loc("k")
  %r = strata.reshape %k {shape = array<i64: 64, 16, 8>} : (tensor<64x4x32xf32>) -> tensor<64x16x8xf32> loc("split_heads")
  %t = strata.transpose %r {perm = array<i64: 1, 2, 0>} : (tensor<64x16x8xf32>) -> tensor<16x8x64xf32> loc("heads")
  return %t : tensor<16x8x64xf32>
}
