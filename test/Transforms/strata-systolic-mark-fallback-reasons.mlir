// RUN: strata-opt %s --strata-systolic-mark-fallback | FileCheck %s

// Why the array cannot run a kernel, as the fallback mark says it: a
// depthwise convolution of two images, a 3-D one, a matmul followed by an
// elementwise op other than an add and a ReLU, an exp, a matmul into a
// computed init, two matmuls added whose outputs are laid out apart, a
// kernel with two results, and a transpose. (The kernels are those dispatch formation makes
// of such a model.)

// CHECK: step("m_dispatch_0") {schedule.fallback = "{{.*}}kernel 'm_dispatch_0': a grouped convolution of more than one image does not run on the array"}
// CHECK: step("m_dispatch_2") {schedule.fallback = "{{.*}}kernel 'm_dispatch_2': only 2-D convolutions run on the array"}
// CHECK: step("m_dispatch_4") {schedule.fallback = "{{.*}}kernel 'm_dispatch_4': only matmuls and convolutions (f32 multiply-accumulates, or i8 ones into i32) run on the array"}
// CHECK: step("m_dispatch_7") {schedule.fallback = "{{.*}}kernel 'm_dispatch_7': its result starts from neither zero nor a broadcast operand"}
// CHECK: step("m_dispatch_8") {schedule.fallback = "{{.*}}kernel 'm_dispatch_8': it and the contraction it is added to do not make their outputs alike"}
// CHECK: step("m_dispatch_9") {schedule.fallback = "{{.*}}kernel 'm_dispatch_9': it has 2 results; the array writes one"}
// CHECK: step("m_dispatch_10") {schedule.fallback = "{{.*}}kernel 'm_dispatch_10': only matmuls and convolutions (f32 multiply-accumulates, or i8 ones into i32) run on the array"}

#map = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
#map3 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d6, d3 + d7, d4 + d8, d5 + d9)>
#map4 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d1, d2, d6, d7, d8, d9)>
#map5 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9) -> (d0, d1, d2, d3, d4, d5)>
#map6 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map7 = affine_map<(d0, d1, d2) -> (d2, d1)>
#map8 = affine_map<(d0, d1, d2) -> (d0, d1)>
#map9 = affine_map<(d0, d1) -> (d0, d1)>
#map10 = affine_map<(d0, d1, d2) -> (d1, d2)>
#map11 = affine_map<(d0, d1, d2) -> (d2, d0)>
#map12 = affine_map<(d0, d1) -> (d1, d0)>
module {
  schedule.executable @systolic_0 target("systolic") device(0) {
    schedule.export @m_dispatch_0(read, read, write)
    schedule.export @m_dispatch_1(read, write)
    schedule.export @m_dispatch_2(read, read, write)
    schedule.export @m_dispatch_3(read, write)
    schedule.export @m_dispatch_4(read, read, read, write)
    schedule.export @m_dispatch_5(read, write)
    schedule.export @m_dispatch_6(read, read, write)
    schedule.export @m_dispatch_7(read, read, read, write)
    schedule.export @m_dispatch_8(read, read, read, read, write)
    schedule.export @m_dispatch_9(read, write, write)
    schedule.export @m_dispatch_10(read, write)
    builtin.module {
      func.func @m_dispatch_0(%arg0: tensor<4x1x3x3xf32> {bufferization.writable = false}, %arg1: tensor<2x4x8x8xf32> {bufferization.writable = false}) -> tensor<2x4x1x6x6xf32> {
        %cst = arith.constant 0.000000e+00 : f32
        %expanded = tensor.expand_shape %arg0 [[0], [1], [2, 3], [4]] output_shape [4, 1, 1, 3, 3] : tensor<4x1x3x3xf32> into tensor<4x1x1x3x3xf32>
        %expanded_0 = tensor.expand_shape %arg1 [[0], [1], [2, 3], [4]] output_shape [2, 4, 1, 8, 8] : tensor<2x4x8x8xf32> into tensor<2x4x1x8x8xf32>
        %0 = tensor.empty() : tensor<2x4x1x6x6xf32>
        %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<2x4x1x6x6xf32>) -> tensor<2x4x1x6x6xf32>
        %2 = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%expanded_0, %expanded : tensor<2x4x1x8x8xf32>, tensor<4x1x1x3x3xf32>) outs(%1 : tensor<2x4x1x6x6xf32>) {
        ^bb0(%in: f32, %in_1: f32, %out: f32):
          %3 = arith.mulf %in, %in_1 : f32
          %4 = arith.addf %out, %3 : f32
          linalg.yield %4 : f32
        } -> tensor<2x4x1x6x6xf32>
        return %2 : tensor<2x4x1x6x6xf32>
      }
      func.func @m_dispatch_1(%arg0: tensor<2x4x1x6x6xf32> {bufferization.writable = false}) -> tensor<2x4x6x6xf32> {
        %collapsed = tensor.collapse_shape %arg0 [[0], [1], [2, 3], [4]] : tensor<2x4x1x6x6xf32> into tensor<2x4x6x6xf32>
        return %collapsed : tensor<2x4x6x6xf32>
      }
      func.func @m_dispatch_2(%arg0: tensor<3x2x2x2x2xf32> {bufferization.writable = false}, %arg1: tensor<1x2x4x6x6xf32> {bufferization.writable = false}) -> tensor<1x1x3x3x5x5xf32> {
        %cst = arith.constant 0.000000e+00 : f32
        %expanded = tensor.expand_shape %arg0 [[0, 1], [2], [3], [4], [5]] output_shape [1, 3, 2, 2, 2, 2] : tensor<3x2x2x2x2xf32> into tensor<1x3x2x2x2x2xf32>
        %expanded_0 = tensor.expand_shape %arg1 [[0], [1, 2], [3], [4], [5]] output_shape [1, 1, 2, 4, 6, 6] : tensor<1x2x4x6x6xf32> into tensor<1x1x2x4x6x6xf32>
        %0 = tensor.empty() : tensor<1x1x3x3x5x5xf32>
        %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x1x3x3x5x5xf32>) -> tensor<1x1x3x3x5x5xf32>
        %2 = linalg.generic {indexing_maps = [#map3, #map4, #map5], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%expanded_0, %expanded : tensor<1x1x2x4x6x6xf32>, tensor<1x3x2x2x2x2xf32>) outs(%1 : tensor<1x1x3x3x5x5xf32>) {
        ^bb0(%in: f32, %in_1: f32, %out: f32):
          %3 = arith.mulf %in, %in_1 : f32
          %4 = arith.addf %out, %3 : f32
          linalg.yield %4 : f32
        } -> tensor<1x1x3x3x5x5xf32>
        return %2 : tensor<1x1x3x3x5x5xf32>
      }
      func.func @m_dispatch_3(%arg0: tensor<1x1x3x3x5x5xf32> {bufferization.writable = false}) -> tensor<1x3x3x5x5xf32> {
        %collapsed = tensor.collapse_shape %arg0 [[0], [1, 2], [3], [4], [5]] : tensor<1x1x3x3x5x5xf32> into tensor<1x3x3x5x5xf32>
        return %collapsed : tensor<1x3x3x5x5xf32>
      }
      func.func @m_dispatch_4(%arg0: tensor<4x5xf32> {bufferization.writable = false}, %arg1: tensor<4x6xf32> {bufferization.writable = false}, %arg2: tensor<6x5xf32> {bufferization.writable = false}) -> tensor<4x5xf32> {
        %cst = arith.constant 0.000000e+00 : f32
        %0 = tensor.empty() : tensor<4x5xf32>
        %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4x5xf32>) -> tensor<4x5xf32>
        %2 = linalg.generic {indexing_maps = [#map6, #map7, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg1, %arg2 : tensor<4x6xf32>, tensor<6x5xf32>) outs(%1 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %4 = arith.mulf %in, %in_0 : f32
          %5 = arith.addf %out, %4 : f32
          linalg.yield %5 : f32
        } -> tensor<4x5xf32>
        %3 = linalg.generic {indexing_maps = [#map9, #map9, #map9], iterator_types = ["parallel", "parallel"]} ins(%2, %arg0 : tensor<4x5xf32>, tensor<4x5xf32>) outs(%0 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %4 = arith.mulf %in, %in_0 : f32
          linalg.yield %4 : f32
        } -> tensor<4x5xf32>
        return %3 : tensor<4x5xf32>
      }
      func.func @m_dispatch_5(%arg0: tensor<4x6xf32> {bufferization.writable = false}) -> tensor<4x6xf32> {
        %0 = tensor.empty() : tensor<4x6xf32>
        %1 = linalg.generic {indexing_maps = [#map9, #map9], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<4x6xf32>) outs(%0 : tensor<4x6xf32>) {
        ^bb0(%in: f32, %out: f32):
          %2 = math.exp %in : f32
          linalg.yield %2 : f32
        } -> tensor<4x6xf32>
        return %1 : tensor<4x6xf32>
      }
      func.func @m_dispatch_6(%arg0: tensor<4x6xf32> {bufferization.writable = false}, %arg1: tensor<6x5xf32> {bufferization.writable = false}) -> tensor<4x5xf32> {
        %cst = arith.constant 0.000000e+00 : f32
        %0 = tensor.empty() : tensor<4x5xf32>
        %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4x5xf32>) -> tensor<4x5xf32>
        %2 = linalg.generic {indexing_maps = [#map6, #map7, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<4x6xf32>, tensor<6x5xf32>) outs(%1 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %3 = arith.mulf %in, %in_0 : f32
          %4 = arith.addf %out, %3 : f32
          linalg.yield %4 : f32
        } -> tensor<4x5xf32>
        return %2 : tensor<4x5xf32>
      }
      func.func @m_dispatch_7(%arg0: tensor<4x5xf32> {bufferization.writable = false}, %arg1: tensor<4x6xf32> {bufferization.writable = false}, %arg2: tensor<6x5xf32> {bufferization.writable = false}) -> tensor<4x5xf32> {
        %0 = tensor.empty() : tensor<4x5xf32>
        %1 = linalg.generic {indexing_maps = [#map9, #map9], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<4x5xf32>) outs(%0 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %out: f32):
          %3 = math.exp %in : f32
          linalg.yield %3 : f32
        } -> tensor<4x5xf32>
        %2 = linalg.generic {indexing_maps = [#map6, #map7, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg1, %arg2 : tensor<4x6xf32>, tensor<6x5xf32>) outs(%1 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %3 = arith.mulf %in, %in_0 : f32
          %4 = arith.addf %out, %3 : f32
          linalg.yield %4 : f32
        } -> tensor<4x5xf32>
        return %2 : tensor<4x5xf32>
      }
      func.func @m_dispatch_8(%arg0: tensor<4x6xf32> {bufferization.writable = false}, %arg1: tensor<6x5xf32> {bufferization.writable = false}, %arg2: tensor<5x6xf32> {bufferization.writable = false}, %arg3: tensor<6x4xf32> {bufferization.writable = false}) -> tensor<4x5xf32> {
        %cst = arith.constant 0.000000e+00 : f32
        %0 = tensor.empty() : tensor<4x5xf32>
        %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<4x5xf32>) -> tensor<4x5xf32>
        %2 = linalg.generic {indexing_maps = [#map6, #map7, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<4x6xf32>, tensor<6x5xf32>) outs(%1 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %5 = arith.mulf %in, %in_0 : f32
          %6 = arith.addf %out, %5 : f32
          linalg.yield %6 : f32
        } -> tensor<4x5xf32>
        %3 = linalg.generic {indexing_maps = [#map10, #map11, #map8], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg2, %arg3 : tensor<5x6xf32>, tensor<6x4xf32>) outs(%1 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %5 = arith.mulf %in, %in_0 : f32
          %6 = arith.addf %out, %5 : f32
          linalg.yield %6 : f32
        } -> tensor<4x5xf32>
        %4 = linalg.generic {indexing_maps = [#map9, #map9, #map9], iterator_types = ["parallel", "parallel"]} ins(%2, %3 : tensor<4x5xf32>, tensor<4x5xf32>) outs(%0 : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %5 = arith.addf %in, %in_0 : f32
          linalg.yield %5 : f32
        } -> tensor<4x5xf32>
        return %4 : tensor<4x5xf32>
      }
      func.func @m_dispatch_9(%arg0: tensor<4x6xf32> {bufferization.writable = false}) -> (tensor<4x6xf32>, tensor<4x6xf32>) {
        return %arg0, %arg0 : tensor<4x6xf32>, tensor<4x6xf32>
      }
      func.func @m_dispatch_10(%arg0: tensor<4x6xf32> {bufferization.writable = false}) -> tensor<6x4xf32> {
        %0 = tensor.empty() : tensor<6x4xf32>
        %1 = linalg.generic {indexing_maps = [#map12, #map9], iterator_types = ["parallel", "parallel"]} ins(%arg0 : tensor<4x6xf32>) outs(%0 : tensor<6x4xf32>) {
        ^bb0(%in: f32, %out: f32):
          linalg.yield %in : f32
        } -> tensor<6x4xf32>
        return %1 : tensor<6x4xf32>
      }
    }
  }
  func.func @m(%arg0: tensor<2x4x8x8xf32>, %arg1: tensor<4x1x3x3xf32>, %arg2: tensor<1x2x4x6x6xf32>, %arg3: tensor<3x2x2x2x2xf32>, %arg4: tensor<4x6xf32>, %arg5: tensor<6x5xf32>, %arg6: tensor<4x5xf32>, %arg7: tensor<5x6xf32>, %arg8: tensor<6x4xf32>) -> (tensor<2x4x6x6xf32>, tensor<1x3x3x5x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x6xf32>, tensor<4x6xf32>, tensor<6x4xf32>) {
    %0 = schedule.dispatch @systolic_0::@m_dispatch_0(%arg1, %arg0) step("m_dispatch_0") : (tensor<4x1x3x3xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x1x6x6xf32>
    %1 = schedule.dispatch @systolic_0::@m_dispatch_1(%0) step("m_dispatch_1") : (tensor<2x4x1x6x6xf32>) -> tensor<2x4x6x6xf32>
    %2 = schedule.dispatch @systolic_0::@m_dispatch_2(%arg3, %arg2) step("m_dispatch_2") : (tensor<3x2x2x2x2xf32>, tensor<1x2x4x6x6xf32>) -> tensor<1x1x3x3x5x5xf32>
    %3 = schedule.dispatch @systolic_0::@m_dispatch_3(%2) step("m_dispatch_3") : (tensor<1x1x3x3x5x5xf32>) -> tensor<1x3x3x5x5xf32>
    %4 = schedule.dispatch @systolic_0::@m_dispatch_4(%arg6, %arg4, %arg5) step("m_dispatch_4") : (tensor<4x5xf32>, tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
    %5 = schedule.dispatch @systolic_0::@m_dispatch_5(%arg4) step("m_dispatch_5") : (tensor<4x6xf32>) -> tensor<4x6xf32>
    %6 = schedule.dispatch @systolic_0::@m_dispatch_6(%5, %arg5) step("m_dispatch_6") : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
    %7 = schedule.dispatch @systolic_0::@m_dispatch_7(%arg6, %arg4, %arg5) step("m_dispatch_7") : (tensor<4x5xf32>, tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
    %8 = schedule.dispatch @systolic_0::@m_dispatch_8(%arg4, %arg5, %arg7, %arg8) step("m_dispatch_8") : (tensor<4x6xf32>, tensor<6x5xf32>, tensor<5x6xf32>, tensor<6x4xf32>) -> tensor<4x5xf32>
    %9:2 = schedule.dispatch @systolic_0::@m_dispatch_9(%arg4) step("m_dispatch_9") : (tensor<4x6xf32>) -> (tensor<4x6xf32>, tensor<4x6xf32>)
    %10 = schedule.dispatch @systolic_0::@m_dispatch_10(%arg4) step("m_dispatch_10") : (tensor<4x6xf32>) -> tensor<6x4xf32>
    return %1, %3, %4, %6, %7, %8, %9#0, %9#1, %10 : tensor<2x4x6x6xf32>, tensor<1x3x3x5x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x5xf32>, tensor<4x6xf32>, tensor<4x6xf32>, tensor<6x4xf32>
  }
}

