// Two public functions (strata-compile-errors.test).
func.func @first(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}
func.func @second(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}
