func.func @matmul(%a: tensor<128x96xf32>, %b: tensor<96x64xf32>) -> tensor<128x64xf32> {
  %0 = strata.matmul %a, %b : (tensor<128x96xf32>, tensor<96x64xf32>) -> tensor<128x64xf32>
  return %0 : tensor<128x64xf32>
}
