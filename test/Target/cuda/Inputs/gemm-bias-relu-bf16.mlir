func.func @gemm(%a: tensor<2048x512xbf16>, %b: tensor<512x2048xbf16>, %c: tensor<2048xbf16>) -> tensor<2048x2048xbf16> {
  %0 = strata.gemm %a, %b, %c : (tensor<2048x512xbf16>, tensor<512x2048xbf16>, tensor<2048xbf16>) -> tensor<2048x2048xbf16>
  %1 = strata.relu %0 : (tensor<2048x2048xbf16>) -> tensor<2048x2048xbf16>
  return %1 : tensor<2048x2048xbf16>
}
