// A two-layer MLP classifier in the strata dialect, written the way an
// importer emits it: result shapes left dynamic, a bias computed from two
// constants, a multiply by one and a doubled relu. `scripts/demo.sh` runs
// strata-refine-shapes (every `?` becomes static, the signature too) and
// canonicalize (the bias folds, the identities disappear).
func.func @mlp(%x: tensor<4x1x28x28xf32>) -> tensor<?x10xf32> {
  %flat = strata.reshape %x {shape = array<i64: 0, -1>} : (tensor<4x1x28x28xf32>) -> tensor<?x?xf32>

  %w1 = strata.constant dense<0.01> : tensor<784x128xf32>
  %b1a = strata.constant dense<0.25> : tensor<128xf32>
  %b1b = strata.constant dense<0.5> : tensor<128xf32>
  %b1 = strata.mul %b1a, %b1b : (tensor<128xf32>, tensor<128xf32>) -> tensor<128xf32>
  %h = strata.matmul %flat, %w1 : (tensor<?x?xf32>, tensor<784x128xf32>) -> tensor<?x128xf32>
  %one = strata.constant dense<1.0> : tensor<f32>
  %hs = strata.mul %h, %one : (tensor<?x128xf32>, tensor<f32>) -> tensor<?x128xf32>
  %hb = strata.add %hs, %b1 : (tensor<?x128xf32>, tensor<128xf32>) -> tensor<?x128xf32>
  %r = strata.relu %hb : (tensor<?x128xf32>) -> tensor<?x128xf32>
  %rr = strata.relu %r : (tensor<?x128xf32>) -> tensor<?x128xf32>

  %w2 = strata.constant dense<0.02> : tensor<128x10xf32>
  %logits = strata.matmul %rr, %w2 : (tensor<?x128xf32>, tensor<128x10xf32>) -> tensor<?x10xf32>
  %p = strata.softmax %logits : (tensor<?x10xf32>) -> tensor<?x10xf32>
  return %p : tensor<?x10xf32>
}
