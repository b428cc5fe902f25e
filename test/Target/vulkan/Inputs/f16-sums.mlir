// Sums of f16 that f16 itself cannot hold: 4096 products of ones (a
// running sum in f16 stops at 2048, where adding 1 is half an ulp) and
// 524288 elements of 1/128 (each of a workgroup's partials stops at 16).
func.func @sums(%x: tensor<1x4096xf16>, %w: tensor<4096x8xf16>) -> (tensor<1x8xf16>, tensor<1x1xf16>) {
  %mv = strata.matmul %x, %w : (tensor<1x4096xf16>, tensor<4096x8xf16>) -> tensor<1x8xf16> loc("matvec")
  %r = strata.constant dense<7.812500e-03> : tensor<1x524288xf16>
  %s = strata.reduce_sum %r {axes = array<i64: 1>} : (tensor<1x524288xf16>) -> tensor<1x1xf16> loc("rowsum")
  return %mv, %s : tensor<1x8xf16>, tensor<1x1xf16>
}
