// A matmul that the cpu packs: its A in a step of the layer's name whose
// result has as many f32 elements as the matmul's (compare-devices.test).
func.func @mm(%a: tensor<64x256xf32>, %b: tensor<256x256xf32>) -> tensor<64x256xf32> {
  %0 = strata.matmul %a, %b : (tensor<64x256xf32>, tensor<256x256xf32>) -> tensor<64x256xf32> loc("mm")
  return %0 : tensor<64x256xf32>
}
