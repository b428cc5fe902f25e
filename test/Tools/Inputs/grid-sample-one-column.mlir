func.func @sample(%x: tensor<1x1x3x1xf32>, %g: tensor<1x1x2x2xf32>) -> tensor<1x1x1x2xf32> {
  %0 = strata.grid_sample %x, %g {mode = "bilinear", padding_mode = "reflection", align_corners = true} : (tensor<1x1x3x1xf32>, tensor<1x1x2x2xf32>) -> tensor<1x1x1x2xf32>
  return %0 : tensor<1x1x1x2xf32>
}
