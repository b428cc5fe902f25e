// RUN: strata-opt %s --split-input-file --allow-unregistered-dialect \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-reshaped-results-in-place),buffer-results-to-out-params{hoist-static-allocs modify-public-functions})' \
// RUN:   | FileCheck %s

// A grouped convolution's result, collapsed to NCHW: the buffer is
// allocated in the result's shape and written through the inverse view,
// so the output binding is written directly, without a copy.

// CHECK-LABEL: func.func @collapse(
// CHECK-SAME: %[[OUT:.*]]: memref<1x8x4x4xf32>)
// CHECK-NOT: memref.alloc
// CHECK: %[[VIEW:.*]] = memref.expand_shape %[[OUT]] {{\[}}[0], [1, 2], [3], [4]] output_shape [1, 1, 8, 4, 4] : memref<1x8x4x4xf32> into memref<1x1x8x4x4xf32>
// CHECK-NEXT: "test.write"(%[[VIEW]])
// CHECK-NEXT: return
func.func @collapse() -> memref<1x8x4x4xf32> {
  %0 = memref.alloc() {alignment = 64 : i64} : memref<1x1x8x4x4xf32>
  "test.write"(%0) : (memref<1x1x8x4x4xf32>) -> ()
  %1 = memref.collapse_shape %0 [[0], [1, 2], [3], [4]] : memref<1x1x8x4x4xf32> into memref<1x8x4x4xf32>
  return %1 : memref<1x8x4x4xf32>
}

// -----

// A chain of reshapes (2x32x28x7 to 1x64x196 is no single one) is
// inverted step by step, last first.

// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[OUT:.*]]: memref<1x64x196xf32>)
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0, 1], [2]] : memref<1x64x196xf32> into memref<64x196xf32>
// CHECK: %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1], [2, 3]] output_shape [2, 32, 28, 7] : memref<64x196xf32> into memref<2x32x28x7xf32>
// CHECK-NEXT: "test.write"(%[[VIEW]])
// CHECK-NEXT: return
func.func @chain() -> memref<1x64x196xf32> {
  %0 = memref.alloc() : memref<2x32x28x7xf32>
  "test.write"(%0) : (memref<2x32x28x7xf32>) -> ()
  %1 = memref.collapse_shape %0 [[0, 1], [2, 3]] : memref<2x32x28x7xf32> into memref<64x196xf32>
  %2 = memref.expand_shape %1 [[0, 1], [2]] output_shape [1, 64, 196] : memref<64x196xf32> into memref<1x64x196xf32>
  return %2 : memref<1x64x196xf32>
}

// -----

// An expanded result: the inverse is a collapse.

// CHECK-LABEL: func.func @expand(
// CHECK-SAME: %[[OUT:.*]]: memref<2x4xf32>)
// CHECK-NEXT: %[[VIEW:.*]] = memref.collapse_shape %[[OUT]] {{\[}}[0, 1]] : memref<2x4xf32> into memref<8xf32>
// CHECK-NEXT: "test.write"(%[[VIEW]])
// CHECK-NEXT: return
func.func @expand() -> memref<2x4xf32> {
  %0 = memref.alloc() : memref<8xf32>
  "test.write"(%0) : (memref<8xf32>) -> ()
  %1 = memref.expand_shape %0 [[0, 1]] output_shape [2, 4] : memref<8xf32> into memref<2x4xf32>
  return %1 : memref<2x4xf32>
}

// -----

// Left alone: a buffer that two results view (they must be two
// buffers), one that is deallocated, one the function does not allocate,
// and one of a dynamic shape. Each is copied to its output.

// CHECK-LABEL: func.func @twice(
// CHECK-SAME: %[[OUT0:.*]]: memref<8xf32>, %[[OUT1:.*]]: memref<2x4xf32>)
// CHECK: %[[R:.*]] = memref.collapse_shape %[[OUT1]]
// CHECK: memref.copy %[[R]], %[[OUT0]]
func.func @twice() -> (memref<8xf32>, memref<2x4xf32>) {
  %0 = memref.alloc() : memref<2x4xf32>
  "test.write"(%0) : (memref<2x4xf32>) -> ()
  %1 = memref.collapse_shape %0 [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  return %1, %0 : memref<8xf32>, memref<2x4xf32>
}

// CHECK-LABEL: func.func @freed(
// CHECK: %[[A:.*]] = memref.alloc() : memref<2x4xf32>
// CHECK: %[[R:.*]] = memref.collapse_shape %[[A]]
// CHECK: memref.copy %[[R]]
func.func @freed() -> memref<8xf32> {
  %0 = memref.alloc() : memref<2x4xf32>
  "test.write"(%0) : (memref<2x4xf32>) -> ()
  %1 = memref.collapse_shape %0 [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  memref.dealloc %0 : memref<2x4xf32>
  return %1 : memref<8xf32>
}

// CHECK-LABEL: func.func @argument(
// CHECK-SAME: %[[IN:.*]]: memref<2x4xf32>, %[[OUT:.*]]: memref<8xf32>)
// CHECK: %[[R:.*]] = memref.collapse_shape %[[IN]]
// CHECK: memref.copy %[[R]], %[[OUT]]
func.func @argument(%in: memref<2x4xf32>) -> memref<8xf32> {
  %1 = memref.collapse_shape %in [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  return %1 : memref<8xf32>
}

// CHECK-LABEL: func.func @dynamic(
// CHECK-SAME: %[[N:.*]]: index, %[[OUT:.*]]: memref<?xf32>)
// CHECK: %[[A:.*]] = memref.alloc(%[[N]]) : memref<?x4xf32>
// CHECK: %[[R:.*]] = memref.collapse_shape %[[A]]
// CHECK: memref.copy %[[R]], %[[OUT]]
func.func @dynamic(%n: index) -> memref<?xf32> {
  %0 = memref.alloc(%n) : memref<?x4xf32>
  "test.write"(%0) : (memref<?x4xf32>) -> ()
  %1 = memref.collapse_shape %0 [[0, 1]] : memref<?x4xf32> into memref<?xf32>
  return %1 : memref<?xf32>
}
