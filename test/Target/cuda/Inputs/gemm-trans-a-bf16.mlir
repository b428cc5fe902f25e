func.func @gemm(%a: tensor<512x2048xbf16>, %b: tensor<512x2048xbf16>) -> tensor<2048x2048xbf16> {
  %0 = strata.gemm %a, %b {trans_a = true} : (tensor<512x2048xbf16>, tensor<512x2048xbf16>) -> tensor<2048x2048xbf16>
  return %0 : tensor<2048x2048xbf16>
}
