func.func @conv(%x: tensor<1x32x16x16xf16>, %w: tensor<64x32x3x3xf16>) -> tensor<1x64x14x14xf16> {
  %0 = strata.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x32x16x16xf16>, tensor<64x32x3x3xf16>) -> tensor<1x64x14x14xf16>
  return %0 : tensor<1x64x14x14xf16>
}
