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
