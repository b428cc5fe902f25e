// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file --verify-diagnostics

func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'strata.relu' op has a dynamic shape; lowering needs static shapes (specialize the inputs, e.g. --input-shape)}}
  %0 = strata.relu %x : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

