func.func @main(%x: tensor<4xi1>) -> tensor<1x?xi64> {
  %0 = strata.non_zero %x : (tensor<4xi1>) -> tensor<1x?xi64>
  return %0 : tensor<1x?xi64>
}
