// RUN: strata-opt %s --split-input-file \
// RUN:   --strata-form-dispatch-regions="target=vulkan host-constant-bytes=1" | FileCheck %s

// For GPU targets every dense constant is a buffer of the schedule, however
// small: SPIR-V kernels hold no constant arrays. Splats stay in the kernel.
#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: schedule.executable @vulkan_0 target("vulkan") device(0)
// CHECK: schedule.export @small_dispatch_0(read, read, write)
// CHECK: func.func @small_dispatch_0(%{{.*}}: tensor<4xf32> {{.*}}, %{{.*}}: tensor<4xf32> {{.*}}) -> tensor<4xf32>
// CHECK:   arith.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK: func.func @small(%[[X:.*]]: tensor<4xf32>)
// CHECK:   %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK:   schedule.dispatch @vulkan_0::@small_dispatch_0(%[[X]], %[[C]])
func.func @small(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %two = arith.constant dense<2.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel"]}
      ins(%x, %c, %two : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %b: f32, %t: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.mulf %s, %t : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A returned constant is copied from its buffer to the output.
// CHECK-LABEL: func.func @returned
// CHECK: %[[C:.*]] = arith.constant dense<[1, 2, 3]> : tensor<3xi32>
// CHECK: %[[OUT:.*]] = schedule.copy %[[C]] to device(0) step("returned_output_0") : tensor<3xi32>
// CHECK: return %[[OUT]]
func.func @returned() -> tensor<3xi32> {
  %c = arith.constant dense<[1, 2, 3]> : tensor<3xi32>
  return %c : tensor<3xi32>
}

// -----

// Booleans too: the artifact stores them a byte each.
#id2 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @mask(
// CHECK: %[[M:.*]] = arith.constant dense<[true, false, true, false]> : tensor<4xi1>
// CHECK: schedule.dispatch @vulkan_0::@mask_dispatch_0(%{{.*}}, %[[M]])
func.func @mask(%x: tensor<4xf32>) -> tensor<4xf32> {
  %m = arith.constant dense<[true, false, true, false]> : tensor<4xi1>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel"]}
      ins(%x, %m : tensor<4xf32>, tensor<4xi1>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %k: i1, %o: f32):
    %s = arith.select %k, %a, %zero : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
