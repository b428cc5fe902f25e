// Sums of f16 that f16 itself cannot hold: 4096 products of ones (a
// running sum in f16 stops at 2048, where adding 1 is half an ulp) and
// 524288 elements of 1/128 (each of a workgroup's partials stops at 16).
// The 128 columns of %w are folded in 64 parts, one invocation per part
// and column, as consecutive invocations read consecutive elements; then
// one invocation per column sums the parts. Each of the 8 rows of %wt is
// shared by a workgroup, which reads it coalesced, and the ReLU follows
// in the same tile. The column sums of %w are split as its product's
// columns are.
func.func @sums(%x: tensor<1x4096xf16>, %w: tensor<4096x128xf16>, %wt: tensor<8x4096xf16>) -> (tensor<1x128xf16>, tensor<1x8xf16>, tensor<1x1xf16>, tensor<1x128xf16>) {
  %cols = strata.matmul %x, %w : (tensor<1x4096xf16>, tensor<4096x128xf16>) -> tensor<1x128xf16> loc("columns")
  %g = strata.gemm %x, %wt {trans_b = true} : (tensor<1x4096xf16>, tensor<8x4096xf16>) -> tensor<1x8xf16> loc("rows")
  %rows = strata.relu %g : (tensor<1x8xf16>) -> tensor<1x8xf16> loc("relu")
  %r = strata.constant dense<7.812500e-03> : tensor<1x524288xf16>
  %s = strata.reduce_sum %r {axes = array<i64: 1>} : (tensor<1x524288xf16>) -> tensor<1x1xf16> loc("rowsum")
  %colsum = strata.reduce_sum %w {axes = array<i64: 0>} : (tensor<4096x128xf16>) -> tensor<1x128xf16> loc("colsum")
  return %cols, %rows, %s, %colsum : tensor<1x128xf16>, tensor<1x8xf16>, tensor<1x1xf16>, tensor<1x128xf16>
}
