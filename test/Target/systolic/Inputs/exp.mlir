// An elementwise op, which the array cannot run (errors.test).
func.func @m(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = strata.exp %x : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
