// RUN: strata-opt %s --pass-pipeline='builtin.module(schedule.executable(strata-linalg-to-systolic))' | FileCheck %s
// RUN: strata-opt %s --pass-pipeline='builtin.module(schedule.executable(strata-linalg-to-systolic{config=%S/Inputs/ws8.json}))' | FileCheck %s --check-prefix=WS

// The kernels of a 3x3 stride-2 convolution (and the reshape after it)
// and of a 5x6 by 6x7 matmul, as dispatch formation makes them, become
// systolic programs over their bindings, each binding marked with the
// operand it holds; each export runs once.

#map = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
#map1 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#map2 = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d2)>
#map4 = affine_map<(d0, d1, d2) -> (d2, d1)>
#map5 = affine_map<(d0, d1, d2) -> (d0, d1)>
module {
  schedule.executable @systolic_0 target("systolic") device(0) {
    schedule.export @main_dispatch_0(read, read, write)
    schedule.export @main_dispatch_1(read, write)
    schedule.export @main_dispatch_2(read, read, write)
    builtin.module {
      func.func @main_dispatch_0(%arg0: tensor<4x3x3x3xf32> {bufferization.writable = false}, %arg1: tensor<1x3x9x9xf32> {bufferization.writable = false}) -> tensor<1x1x4x4x4xf32> {
        %cst = arith.constant 0.000000e+00 : f32
        %expanded = tensor.expand_shape %arg0 [[0, 1], [2], [3], [4]] output_shape [1, 4, 3, 3, 3] : tensor<4x3x3x3xf32> into tensor<1x4x3x3x3xf32>
        %expanded_0 = tensor.expand_shape %arg1 [[0], [1, 2], [3], [4]] output_shape [1, 1, 3, 9, 9] : tensor<1x3x9x9xf32> into tensor<1x1x3x9x9xf32>
        %0 = tensor.empty() : tensor<1x1x4x4x4xf32>
        %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x1x4x4x4xf32>) -> tensor<1x1x4x4x4xf32>
        %2 = linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%expanded_0, %expanded : tensor<1x1x3x9x9xf32>, tensor<1x4x3x3x3xf32>) outs(%1 : tensor<1x1x4x4x4xf32>) {
        ^bb0(%in: f32, %in_1: f32, %out: f32):
          %3 = arith.mulf %in, %in_1 : f32
          %4 = arith.addf %out, %3 : f32
          linalg.yield %4 : f32
        } -> tensor<1x1x4x4x4xf32>
        return %2 : tensor<1x1x4x4x4xf32>
      }
      func.func @main_dispatch_1(%arg0: tensor<1x1x4x4x4xf32> {bufferization.writable = false}) -> tensor<1x4x4x4xf32> {
        %collapsed = tensor.collapse_shape %arg0 [[0], [1, 2], [3], [4]] : tensor<1x1x4x4x4xf32> into tensor<1x4x4x4xf32>
        return %collapsed : tensor<1x4x4x4xf32>
      }
      func.func @main_dispatch_2(%arg0: tensor<5x6xf32> {bufferization.writable = false}, %arg1: tensor<6x7xf32> {bufferization.writable = false}) -> tensor<5x7xf32> {
        %cst = arith.constant 0.000000e+00 : f32
        %0 = tensor.empty() : tensor<5x7xf32>
        %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<5x7xf32>) -> tensor<5x7xf32>
        %2 = linalg.generic {indexing_maps = [#map3, #map4, #map5], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<5x6xf32>, tensor<6x7xf32>) outs(%1 : tensor<5x7xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %3 = arith.mulf %in, %in_0 : f32
          %4 = arith.addf %out, %3 : f32
          linalg.yield %4 : f32
        } -> tensor<5x7xf32>
        return %2 : tensor<5x7xf32>
      }
    }
  }
}

// The default array: 32x32, output-stationary, f32.
// CHECK: schedule.export @main_dispatch_0(read, read, write) workgroups [1, 1, 1]
// CHECK: builtin.module attributes {systolic.array = {accumulator_bytes = 65536 : i64, cols = 32 : i64, config = "{{.*}}", dataflow = "os", rows = 32 : i64, scratchpad_bytes = 131072 : i64}}

// The convolution: the DMA engine's im2col moves the input's window taps
// by output pixels; the filter is B transposed, the output C transposed
// (NCHW).
// CHECK-LABEL: func.func @main_dispatch_0(
// CHECK-SAME: %[[W:[^:]*]]: memref<4x3x3x3xf32> {systolic.role = "filter"}, %[[X:[^:]*]]: memref<1x3x9x9xf32> {systolic.role = "ifmap"}, %[[Y:[^:]*]]: memref<1x1x4x4x4xf32> {systolic.role = "ofmap"})
// CHECK-NEXT: systolic.config os f32 activation none scale 1.000000e+00 out f32
// CHECK-NEXT: systolic.im2col %[[X]][0] image [9, 9] window [3, 3] stride [2, 2] dilation [1, 1] out_width 4 taps [0, 27] pixels [0, 16] to spad[0] stride 16
// CHECK-NEXT: systolic.mvin %[[W]][0] stride 108 to spad[864] stride 27 tile[4, 27]
// CHECK-NEXT: systolic.compute a[0, 16] b[864, 27] c[0, 4] mkn[16, 27, 4] transpose_a transpose_b
// CHECK-NEXT: systolic.mvout acc[0] stride 4 tile[16, 4] to %[[Y]][0] stride 64 transposed
// CHECK-NEXT: return

// The reshape copies its input through the scratchpad.
// CHECK-LABEL: func.func @main_dispatch_1(
// CHECK-SAME: %[[IN:[^:]*]]: memref<1x1x4x4x4xf32>, %[[OUT:[^:]*]]: memref<1x4x4x4xf32>)
// CHECK-NEXT: systolic.config
// CHECK-NEXT: systolic.mvin %[[IN]][0] stride 0 to spad[0] stride 64 tile[1, 64]
// CHECK-NEXT: systolic.mvout spad[0] stride 64 tile[1, 64] to %[[OUT]][0] stride 0
// CHECK-NEXT: return

// The matmul: one fold, A and B row-major.
// CHECK-LABEL: func.func @main_dispatch_2(
// CHECK-SAME: %[[A:[^:]*]]: memref<5x6xf32> {systolic.role = "ifmap"}, %[[B:[^:]*]]: memref<6x7xf32> {systolic.role = "filter"}, %[[C:[^:]*]]: memref<5x7xf32> {systolic.role = "ofmap"})
// CHECK-NEXT: systolic.config
// CHECK-NEXT: systolic.mvin %[[A]][0] stride 24 to spad[0] stride 6 tile[5, 6]
// CHECK-NEXT: systolic.mvin %[[B]][0] stride 28 to spad[192] stride 7 tile[6, 7]
// CHECK-NEXT: systolic.compute a[0, 6] b[192, 7] c[0, 7] mkn[5, 6, 7]
// CHECK-NEXT: systolic.mvout acc[0] stride 7 tile[5, 7] to %[[C]][0] stride 28
// CHECK-NEXT: return

// An 8x8 weight-stationary array with a 4 KiB scratchpad: weight tiles of
// up to 8 rows preloaded, the input streamed in chunks that continue the
// fold, and every fold after the first accumulates.
// WS: systolic.array = {accumulator_bytes = 2048 : i64, cols = 8 : i64, config = "{{.*}}", dataflow = "ws", rows = 8 : i64, scratchpad_bytes = 4096 : i64}
// WS-LABEL: func.func @main_dispatch_2(
// WS-NEXT: systolic.config ws f32
// WS-NEXT: systolic.mvin %{{.*}}[0] stride 28 to spad[0] stride 7 tile[6, 7]
// WS-NEXT: systolic.preload spad[0] stride 7 tile[6, 7]
// WS-NEXT: systolic.mvin %{{.*}}[0] stride 24 to spad[128] stride 6 tile[5, 6]
// WS-NEXT: systolic.compute a[128, 6] b[0, 0] c[0, 7] mkn[5, 6, 7]
// WS-NEXT: systolic.mvout acc[0] stride 7 tile[5, 7]
