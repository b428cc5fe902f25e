// A function that computes nothing: its artifact has no steps
// (compare-devices.test).
func.func @f(%x: tensor<4xf32>) {
  return
}
