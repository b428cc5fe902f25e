// RUN: strata-opt %s --strata-exact-rounding-inputs | FileCheck %s

#map = affine_map<(d0) -> (d0)>
#reduce = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// The rescale that feeds a rounding is marked exact, and so is the
// rounding's own division; the reduction upstream ends the chain, and the
// multiply-add that no rounding reads is left to contract.
// CHECK-LABEL: func.func @quantize
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.*}}, %{{.*}} {strata.no_contract} : f32
// CHECK: arith.addf %{{.*}}, %{{.*}} {strata.no_contract} : f32
// CHECK: linalg.generic
// CHECK: arith.divf %{{.*}}, %{{.*}} {strata.no_contract} : f32
// CHECK: math.roundeven
// CHECK: linalg.generic
// CHECK: arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: arith.addf %{{.*}}, %{{.*}} : f32
func.func @quantize(%m: tensor<4x8xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#reduce, #row], iterator_types = ["parallel", "reduction"]} ins(%m : tensor<4x8xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %0 = arith.addf %in, %acc : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  %rescaled = linalg.generic {indexing_maps = [#map, #map, #map, #map], iterator_types = ["parallel"]} ins(%sum, %s, %b : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %scale: f32, %bias: f32, %o: f32):
    %0 = arith.mulf %x, %scale : f32
    %1 = arith.addf %0, %bias : f32
    linalg.yield %1 : f32
  } -> tensor<4xf32>
  %q = linalg.generic {indexing_maps = [#map, #map, #map], iterator_types = ["parallel"]} ins(%rescaled, %s : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %scale: f32, %o: f32):
    %0 = arith.divf %x, %scale : f32
    %1 = math.roundeven %0 : f32
    linalg.yield %1 : f32
  } -> tensor<4xf32>
  %plain = linalg.generic {indexing_maps = [#map, #map, #map, #map], iterator_types = ["parallel"]} ins(%sum, %s, %b : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %scale: f32, %bias: f32, %o: f32):
    %0 = arith.mulf %x, %scale : f32
    %1 = arith.addf %0, %bias : f32
    linalg.yield %1 : f32
  } -> tensor<4xf32>
  return %q, %plain : tensor<4xf32>, tensor<4xf32>
}
