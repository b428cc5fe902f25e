// A gather whose constant index is out of range, in an op named as an
// importer names it (loc("pick")) but with no place in a file.
func.func @g(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %i = strata.constant dense<[0, 7]> : tensor<2xi64>
  %0 = strata.gather %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2x2xf32> loc("pick")
  return %0 : tensor<2x2xf32>
}
