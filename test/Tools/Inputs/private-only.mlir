// A module whose only function is private (strata-compile-errors.test).
func.func private @helper(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}
