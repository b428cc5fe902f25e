// RUN: strata-opt %s | strata-opt | FileCheck %s

// Every systolic op prints and parses back; a kernel is a function over its
// bindings in a module that names its array.

// CHECK: module attributes {systolic.array = {accumulator_bytes = 1024 : i64, cols = 8 : i64, config = "", dataflow = "ws", rows = 8 : i64, scratchpad_bytes = 4096 : i64}}
module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "ws", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64, config = ""}} {
  // CHECK-LABEL: func.func @kernel
  // CHECK-SAME: {systolic.role = "ifmap"}
  func.func @kernel(%a: memref<5x6xf32> {systolic.role = "ifmap"}, %b: memref<6x7xf32>, %bias: memref<7xf32>, %y: memref<5x7xf32>) {
    // CHECK-NEXT: systolic.config ws f32 activation relu scale 5.000000e-01 out f32
    systolic.config ws f32 activation relu scale 0.5 out f32
    // CHECK-NEXT: systolic.mvin %{{.*}}[0] stride 28 to spad[0] stride 7 tile[6, 7] : memref<6x7xf32>
    systolic.mvin %b[0] stride 28 to spad[0] stride 7 tile [6, 7] : memref<6x7xf32>
    // CHECK-NEXT: systolic.preload spad[0] stride 7 tile[6, 7]
    systolic.preload spad[0] stride 7 tile [6, 7]
    // CHECK-NEXT: systolic.mvin %{{.*}}[0] stride 0 to acc[0] stride 7 tile[5, 7] : memref<7xf32>
    systolic.mvin %bias[0] stride 0 to acc[0] stride 7 tile [5, 7] : memref<7xf32>
    // CHECK-NEXT: systolic.mvin %{{.*}}[0] stride 0 to acc[0] stride 7 tile[5, 7] accumulate : memref<7xf32>
    systolic.mvin %bias[0] stride 0 to acc[0] stride 7 tile [5, 7] accumulate : memref<7xf32>
    // CHECK-NEXT: systolic.mvin %{{.*}}[0] stride 4 to spad[64] stride 5 tile[6, 5] : memref<5x6xf32>
    systolic.mvin %a[0] stride 4 to spad[64] stride 5 tile [6, 5] : memref<5x6xf32>
    // CHECK-NEXT: systolic.compute a[64, 5] b[0, 0] c[0, 7] mkn[5, 6, 7] transpose_a accumulate
    systolic.compute a[64, 5] b[0, 0] c[0, 7] mkn [5, 6, 7] transpose_a accumulate
    // CHECK-NEXT: systolic.zero spad[128] stride 8 tile[2, 8]
    systolic.zero spad[128] stride 8 tile [2, 8]
    // CHECK-NEXT: systolic.fence
    systolic.fence
    // CHECK-NEXT: systolic.config ws f32 activation relu6 scale 1.000000e+00 out f32
    systolic.config ws f32 activation relu6 scale 1.0 out f32
    // CHECK-NEXT: systolic.mvout acc[0] stride 7 tile[5, 7] to %{{.*}}[0] stride 20 transposed : memref<5x7xf32>
    systolic.mvout acc[0] stride 7 tile [5, 7] to %y[0] stride 20 transposed : memref<5x7xf32>
    return
  }
}

// CHECK-LABEL: func.func @conv
module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64, config = ""}} {
  func.func @conv(%x: memref<1x3x9x9xf32>) {
    // CHECK-NEXT: systolic.im2col %{{.*}}[0] image [9, 9] window [3, 3] stride [2, 2] dilation [1, 1] out_width 4 taps [0, 27] pixels [0, 16] to spad[0] stride 16 : memref<1x3x9x9xf32>
    systolic.im2col %x[0] image [9, 9] window [3, 3] stride [2, 2] dilation [1, 1] out_width 4 taps [0, 27] pixels [0, 16] to spad[0] stride 16 : memref<1x3x9x9xf32>
    return
  }
}
