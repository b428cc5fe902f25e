// An element type the runtime has no dtype for (strata-compile-errors.test).
func.func @odd(%x: tensor<3xi4>) -> tensor<3xi4> {
  return %x : tensor<3xi4>
}
