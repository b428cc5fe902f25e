// An op without a lowering yet (strata-compile-errors.test).
func.func @det(%x: tensor<2x2xf32>) -> tensor<f32> {
  %0 = strata.det %x : (tensor<2x2xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}
