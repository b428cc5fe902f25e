// Gathers and scatters whose indices are run-time inputs, so that the
// compiler cannot check them: an index outside [-size, size) is clamped for
// a read and drops its update for a write.
func.func @indices(%x: tensor<4x5xf32>, %rows: tensor<6xi64>, %cols: tensor<4x2xi32>,
                   %pairs: tensor<3x2xi64>, %u: tensor<3xf32>)
    -> (tensor<6x5xf32>, tensor<4x2xf32>, tensor<3xf32>, tensor<4x5xf32>, tensor<4x5xf32>) {
  %g = strata.gather %x, %rows {axis = 0 : i64} : (tensor<4x5xf32>, tensor<6xi64>) -> tensor<6x5xf32> loc("gather")
  %e = strata.gather_elements %x, %cols {axis = 1 : i64} : (tensor<4x5xf32>, tensor<4x2xi32>) -> tensor<4x2xf32> loc("gather_elements")
  %n = strata.gather_nd %x, %pairs : (tensor<4x5xf32>, tensor<3x2xi64>) -> tensor<3xf32> loc("gather_nd")
  %cu = strata.gather_elements %x, %cols {axis = 1 : i64} : (tensor<4x5xf32>, tensor<4x2xi32>) -> tensor<4x2xf32> loc("updates")
  %s = strata.scatter_elements %x, %cols, %cu {axis = 1 : i64, reduction = "add"} : (tensor<4x5xf32>, tensor<4x2xi32>, tensor<4x2xf32>) -> tensor<4x5xf32> loc("scatter_elements")
  %d = strata.scatter_nd %x, %pairs, %u : (tensor<4x5xf32>, tensor<3x2xi64>, tensor<3xf32>) -> tensor<4x5xf32> loc("scatter_nd")
  return %g, %e, %n, %s, %d : tensor<6x5xf32>, tensor<4x2xf32>, tensor<3xf32>, tensor<4x5xf32>, tensor<4x5xf32>
}
