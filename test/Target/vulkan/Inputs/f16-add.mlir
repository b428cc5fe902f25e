// x + x in f16: the vulkan build needs Float16 and 16-bit storage.
func.func @twice(%x: tensor<4xf16>) -> tensor<4xf16> {
  %y = strata.add %x, %x : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  return %y : tensor<4xf16>
}
