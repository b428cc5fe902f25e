// An entry point with a dynamic dimension (strata-compile-errors.test).
func.func @dynamic(%x: tensor<?x3xf32> {onnx.name = "x"}) -> tensor<?x3xf32> {
  %0 = strata.relu %x : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
