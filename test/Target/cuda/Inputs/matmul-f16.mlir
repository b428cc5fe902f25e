func.func @matmul(%a: tensor<128x96xf16>, %b: tensor<96x64xf16>) -> tensor<128x64xf16> {
  %0 = strata.matmul %a, %b : (tensor<128x96xf16>, tensor<96x64xf16>) -> tensor<128x64xf16>
  return %0 : tensor<128x64xf16>
}
