// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file --verify-diagnostics

func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'strata.relu' op has a dynamic shape; lowering needs static shapes (specialize the inputs, e.g. --input-shape)}}
  %0 = strata.relu %x : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}


// -----

func.func @data_dependent(%x: tensor<4xi1>) -> tensor<1x?xi64> {
  // expected-error @+1 {{'strata.non_zero' op has a result shape that depends on the input values; code generation needs static shapes}}
  %0 = strata.non_zero %x : (tensor<4xi1>) -> tensor<1x?xi64>
  return %0 : tensor<1x?xi64>
}

// -----

func.func @constant_index_out_of_range(%x: tensor<4x5xf32>) -> tensor<3x5xf32> {
  %i = arith.constant dense<[0, -4, 4]> : tensor<3xi64>
  // expected-error @+1 {{'strata.gather' op has index 4 (element 2 of the indices) out of range for data dimension 0 of size 4}}
  %0 = strata.gather %x, %i {axis = 0 : i64} : (tensor<4x5xf32>, tensor<3xi64>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @constant_tuple_out_of_range(%x: tensor<2x4x3xf32>) -> tensor<2x3xf32> {
  %i = arith.constant dense<[[1, 3], [1, -5]]> : tensor<2x2xi32>
  // expected-error @+1 {{'strata.gather_nd' op has index -5 (element 3 of the indices) out of range for data dimension 1 of size 4}}
  %0 = strata.gather_nd %x, %i : (tensor<2x4x3xf32>, tensor<2x2xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @splat_index_out_of_range(%d: tensor<3x3xf32>, %u: tensor<3x2xf32>) -> tensor<3x3xf32> {
  %i = arith.constant dense<3> : tensor<3x2xi64>
  // expected-error @+1 {{'strata.scatter_elements' op has index 3 (element 0 of the indices) out of range for data dimension 1 of size 3}}
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64} : (tensor<3x3xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @empty_axis(%d: tensor<0x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) -> tensor<0x3xf32> {
  // expected-error @+1 {{'strata.scatter_nd' op has indices into data dimension 0, which is empty}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<0x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<0x3xf32>
  return %0 : tensor<0x3xf32>
}

// -----

// No index at all into an empty axis is fine.
func.func @no_indices(%x: tensor<0x3xf32>, %i: tensor<0x3xi64>) -> tensor<0x3xf32> {
  %0 = strata.gather_elements %x, %i {axis = 0 : i64} : (tensor<0x3xf32>, tensor<0x3xi64>) -> tensor<0x3xf32>
  return %0 : tensor<0x3xf32>
}
