func.func @matmul(%a: tensor<128x96xbf16>, %b: tensor<96x64xbf16>) -> tensor<128x64xbf16> {
  %0 = strata.matmul %a, %b : (tensor<128x96xbf16>, tensor<96x64xbf16>) -> tensor<128x64xbf16>
  return %0 : tensor<128x64xbf16>
}
