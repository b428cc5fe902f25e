// RUN: strata-opt %s --strata-refine-shapes | FileCheck %s

// Result-type inference of every op: each result is written with only `?`
// dims and strata-refine-shapes replaces them with what inference derives.

// CHECK-LABEL: func @elementwise
func.func @elementwise(%a: tensor<2x1x4xf32>, %b: tensor<3x1xf32>, %d: tensor<?x4xf32>, %c: tensor<3x4xi1>, %i: tensor<5xi32>) {
  // CHECK: strata.constant {{.*}} : tensor<2xi64>
  %k = strata.constant dense<[1, 2]> : tensor<2xi64>
  // cast keeps its operand's shape.
  // CHECK: strata.cast {{.*}} -> tensor<2x1x4xi32>
  %0 = strata.cast %a : (tensor<2x1x4xf32>) -> tensor<?x?x?xi32>
  // CHECK: strata.add {{.*}} -> tensor<2x3x4xf32>
  %1 = strata.add %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  // A dynamic dim paired with a static one (not 1) becomes that size.
  // CHECK: strata.sub {{.*}} -> tensor<3x4xf32>
  %2 = strata.sub %d, %b : (tensor<?x4xf32>, tensor<3x1xf32>) -> tensor<?x?xf32>
  // Paired with 1 it stays dynamic.
  // CHECK: strata.mul {{.*}} -> tensor<2x?x4xf32>
  %3 = strata.mul %d, %a : (tensor<?x4xf32>, tensor<2x1x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.div {{.*}} -> tensor<2x3x4xf32>
  %4 = strata.div %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.pow {{.*}} -> tensor<2x3x4xf32>
  %5 = strata.pow %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.max {{.*}} -> tensor<2x3x4xf32>
  %6 = strata.max %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.min {{.*}} -> tensor<2x3x4xf32>
  %7 = strata.min %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.equal {{.*}} -> tensor<2x3x4xi1>
  %8 = strata.equal %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xi1>
  // CHECK: strata.greater {{.*}} -> tensor<2x3x4xi1>
  %9 = strata.greater %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xi1>
  // CHECK: strata.greater_equal {{.*}} -> tensor<2x3x4xi1>
  %10 = strata.greater_equal %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xi1>
  // CHECK: strata.less {{.*}} -> tensor<2x3x4xi1>
  %11 = strata.less %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xi1>
  // CHECK: strata.less_equal {{.*}} -> tensor<2x3x4xi1>
  %12 = strata.less_equal %a, %b : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xi1>
  // CHECK: strata.where {{.*}} -> tensor<2x3x4xf32>
  %13 = strata.where %c, %a, %b : (tensor<3x4xi1>, tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<?x?x?xf32>
  return
}

// CHECK-LABEL: func @unary
func.func @unary(%x: tensor<2x3xf32>, %i: tensor<5xi32>) {
  // CHECK: strata.neg {{.*}} -> tensor<5xi32>
  %0 = strata.neg %i : (tensor<5xi32>) -> tensor<?xi32>
  // CHECK: strata.abs {{.*}} -> tensor<2x3xf32>
  %1 = strata.abs %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.relu {{.*}} -> tensor<2x3xf32>
  %2 = strata.relu %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.exp {{.*}} -> tensor<2x3xf32>
  %3 = strata.exp %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.log {{.*}} -> tensor<2x3xf32>
  %4 = strata.log %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.sqrt {{.*}} -> tensor<2x3xf32>
  %5 = strata.sqrt %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.tanh {{.*}} -> tensor<2x3xf32>
  %6 = strata.tanh %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.sigmoid {{.*}} -> tensor<2x3xf32>
  %7 = strata.sigmoid %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.erf {{.*}} -> tensor<2x3xf32>
  %8 = strata.erf %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.gelu {{.*}} -> tensor<2x3xf32>
  %9 = strata.gelu %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.clip {{.*}} -> tensor<2x3xf32>
  %10 = strata.clip %x {max = 1.0 : f64} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  return
}

// CHECK-LABEL: func @contractions
func.func @contractions(%a: tensor<8x1x4x16xf32>, %b: tensor<3x16x5xf32>, %v: tensor<16xf32>, %m: tensor<4x8xf32>, %n: tensor<16x8xf32>, %d: tensor<?x16xf32>) {
  // CHECK: strata.matmul {{.*}} -> tensor<8x3x4x5xf32>
  %0 = strata.matmul %a, %b : (tensor<8x1x4x16xf32>, tensor<3x16x5xf32>) -> tensor<?x?x?x?xf32>
  // 1-D operands lose their promoted dimension.
  // CHECK: strata.matmul {{.*}} -> tensor<3x5xf32>
  %1 = strata.matmul %v, %b : (tensor<16xf32>, tensor<3x16x5xf32>) -> tensor<?x?xf32>
  // CHECK: strata.matmul {{.*}} -> tensor<8x1x4xf32>
  %2 = strata.matmul %a, %v : (tensor<8x1x4x16xf32>, tensor<16xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.matmul {{.*}} -> tensor<f32>
  %3 = strata.matmul %v, %v : (tensor<16xf32>, tensor<16xf32>) -> tensor<f32>
  // CHECK: strata.matmul {{.*}} -> tensor<?x8xf32>
  %4 = strata.matmul %d, %n : (tensor<?x16xf32>, tensor<16x8xf32>) -> tensor<?x?xf32>
  // CHECK: strata.gemm {{.*}} -> tensor<4x16xf32>
  %5 = strata.gemm %m, %n {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<?x?xf32>
  // CHECK: strata.gemm {{.*}} -> tensor<8x8xf32>
  %6 = strata.gemm %m, %m {trans_a = true} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<?x?xf32>
  return
}

// CHECK-LABEL: func @windows
func.func @windows(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %y: tensor<1x64x112x112xf32>, %dw: tensor<64x1x3x3xf32>, %z: tensor<1x1x5x5xf32>, %dyn: tensor<?x3x?x224xf32>) {
  // CHECK: strata.conv2d {{.*}} -> tensor<1x64x112x112xf32>
  %0 = strata.conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<?x?x?x?xf32>
  // Depthwise with dilation 2: 112 - 2 * 2 = 108.
  // CHECK: strata.conv2d {{.*}} -> tensor<1x64x108x108xf32>
  %1 = strata.conv2d %y, %dw {group = 64 : i64, dilations = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>, tensor<64x1x3x3xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.conv2d {{.*}} -> tensor<?x64x?x112xf32>
  %2 = strata.conv2d %dyn, %w {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>} : (tensor<?x3x?x224xf32>, tensor<64x3x7x7xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.max_pool2d {{.*}} -> tensor<1x64x56x56xf32>
  %3 = strata.max_pool2d %y {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x64x112x112xf32>) -> tensor<?x?x?x?xf32>
  // ceil_mode: 5 with kernel 2 stride 2 gives 3 windows, floor mode 2.
  // CHECK: strata.max_pool2d {{.*}} -> tensor<1x1x3x3xf32>
  %4 = strata.max_pool2d %z {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true, pads = array<i64: 0, 0, 0, 0>} : (tensor<1x1x5x5xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.avg_pool2d {{.*}} -> tensor<1x1x2x2xf32>
  %5 = strata.avg_pool2d %z {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.global_avg_pool {{.*}} -> tensor<1x64x1x1xf32>
  %6 = strata.global_avg_pool %y : (tensor<1x64x112x112xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.global_max_pool {{.*}} -> tensor<?x3x1x1xf32>
  %7 = strata.global_max_pool %dyn : (tensor<?x3x?x224xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @reductions_and_norms
func.func @reductions_and_norms(%x: tensor<2x3x4xf32>, %c: tensor<3xf32>, %g: tensor<4xf32>) {
  // CHECK: strata.reduce_sum {{.*}} -> tensor<1x1x1xf32>
  %0 = strata.reduce_sum %x : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.reduce_mean {{.*}} -> tensor<2x3xf32>
  %1 = strata.reduce_mean %x {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.reduce_max {{.*}} -> tensor<1x3x1xf32>
  %2 = strata.reduce_max %x {axes = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.reduce_min {{.*}} -> tensor<3xf32>
  %3 = strata.reduce_min %x {axes = array<i64: 0, -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<?xf32>
  // CHECK: strata.reduce_prod {{.*}} -> tensor<2x1x4xf32>
  %4 = strata.reduce_prod %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.softmax {{.*}} -> tensor<2x3x4xf32>
  %5 = strata.softmax %x : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.batch_norm {{.*}} -> tensor<2x3x4xf32>
  %6 = strata.batch_norm %x, %c, %c, %c, %c : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.layer_norm {{.*}} -> tensor<2x3x4xf32>
  %7 = strata.layer_norm %x, %g, %g : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x?x?xf32>
  return
}

// CHECK-LABEL: func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %e: tensor<1000x64xf32>, %ids: tensor<2x7xi64>, %s: tensor<3x1xf32>, %d: tensor<?x3x4xf32>, %z: tensor<0x3xf32>) {
  // CHECK: strata.transpose {{.*}} -> tensor<4x2x3xf32>
  %0 = strata.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // 0 copies, -1 infers.
  // CHECK: strata.reshape {{.*}} -> tensor<2x12xf32>
  %1 = strata.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
  // A dynamic input leaves -1 dynamic, while 0 still copies static dims.
  // CHECK: strata.reshape {{.*}} -> tensor<?x3x2x2xf32>
  %2 = strata.reshape %d {shape = array<i64: -1, 0, 2, 2>} : (tensor<?x3x4xf32>) -> tensor<?x?x?x?xf32>
  // With allowzero a 0 is a zero-size dim.
  // CHECK: strata.reshape {{.*}} -> tensor<3x0xf32>
  %3 = strata.reshape %z {shape = array<i64: 3, 0>, allowzero = true} : (tensor<0x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.flatten {{.*}} -> tensor<6x4xf32>
  %4 = strata.flatten %x {axis = -1 : i64} : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.flatten {{.*}} -> tensor<1x24xf32>
  %5 = strata.flatten %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.flatten {{.*}} -> tensor<?x12xf32>
  %6 = strata.flatten %d : (tensor<?x3x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.squeeze {{.*}} -> tensor<3xf32>
  %7 = strata.squeeze %s : (tensor<3x1xf32>) -> tensor<?xf32>
  // CHECK: strata.unsqueeze {{.*}} -> tensor<1x3x1x1xf32>
  %8 = strata.unsqueeze %s {axes = array<i64: 0, -1>} : (tensor<3x1xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.concat {{.*}} -> tensor<2x8x4xf32>
  %9 = strata.concat %x, %y {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<?x?x?xf32>
  // A dynamic input fills in from the others, except along the axis.
  // CHECK: strata.concat {{.*}} -> tensor<?x3x4xf32>
  %10 = strata.concat %d, %x {axis = 0 : i64} : (tensor<?x3x4xf32>, tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.slice {{.*}} -> tensor<2x3x2xf32>
  %11 = strata.slice %x {starts = array<i64: 1>, ends = array<i64: -1>, axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // Out-of-range bounds clamp; a negative step walks back.
  // CHECK: strata.slice {{.*}} -> tensor<1x3x2xf32>
  %12 = strata.slice %x {starts = array<i64: 1, 100>, ends = array<i64: 1000, -1000>, axes = array<i64: 0, 2>, steps = array<i64: 1, -2>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.gather {{.*}} -> tensor<2x7x64xf32>
  %13 = strata.gather %e, %ids : (tensor<1000x64xf32>, tensor<2x7xi64>) -> tensor<?x?x?xf32>
  // CHECK: strata.gather {{.*}} -> tensor<1000x2x7xf32>
  %14 = strata.gather %e, %ids {axis = -1 : i64} : (tensor<1000x64xf32>, tensor<2x7xi64>) -> tensor<?x?x?xf32>
  // CHECK: strata.pad {{.*}} -> tensor<2x5x3xf32>
  %15 = strata.pad %x {pads = array<i64: 0, 1, 0, 0, 1, -1>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.expand {{.*}} -> tensor<2x3x4xf32>
  %16 = strata.expand %s {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<?x?x?xf32>
  return
}

// CHECK-LABEL: func @more
func.func @more(%x: tensor<2x3xf32>, %b: tensor<3xi1>, %c: tensor<2x1xi1>, %i: tensor<2x2xi64>, %n: tensor<2x3xi32>) {
  // CHECK: strata.floor {{.*}} -> tensor<2x3xf32>
  %0 = strata.floor %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.is_inf {{.*}} -> tensor<2x3xi1>
  %1 = strata.is_inf %x : (tensor<2x3xf32>) -> tensor<?x?xi1>
  // CHECK: strata.is_nan {{.*}} -> tensor<2x3xi1>
  %2 = strata.is_nan %x : (tensor<2x3xf32>) -> tensor<?x?xi1>
  // CHECK: strata.or {{.*}} -> tensor<2x3xi1>
  %3 = strata.or %b, %c : (tensor<3xi1>, tensor<2x1xi1>) -> tensor<?x?xi1>
  // CHECK: strata.mod {{.*}} -> tensor<2x3xi32>
  %4 = strata.mod %n, %n : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<?x?xi32>
  // CHECK: strata.argmax {{.*}} -> tensor<2x1xi64>
  %5 = strata.argmax %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<?x?xi64>
  // CHECK: strata.argmin {{.*}} -> tensor<3xi64>
  %6 = strata.argmin %x {keepdims = false} : (tensor<2x3xf32>) -> tensor<?xi64>
  // CHECK: strata.cumsum {{.*}} -> tensor<2x3xf32>
  %7 = strata.cumsum %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.log_softmax {{.*}} -> tensor<2x3xf32>
  %8 = strata.log_softmax %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.gather_elements {{.*}} -> tensor<2x2xf32>
  %9 = strata.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<?x?xf32>
  return
}

// CHECK-LABEL: func @conv_transpose
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %d: tensor<?x1x?x3xf32>) {
  // 1 * (3 - 1) + 3 = 5 with no padding.
  // CHECK: strata.conv_transpose2d {{.*}} -> tensor<1x2x5x5xf32>
  %0 = strata.conv_transpose2d %x, %w : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  // H: 3 * (3 - 1) + 1 + 2 * (3 - 1) + 1 - 1 - 1 = 10; W: 2 * 2 + 2 * 2 + 1 = 9.
  // CHECK: strata.conv_transpose2d {{.*}} -> tensor<1x2x10x9xf32>
  %1 = strata.conv_transpose2d %x, %w {strides = array<i64: 3, 2>, dilations = array<i64: 2, 2>, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 0, 1, 0>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.conv_transpose2d {{.*}} -> tensor<?x2x?x5xf32>
  %2 = strata.conv_transpose2d %d, %w : (tensor<?x1x?x3xf32>, tensor<1x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @resize
func.func @resize(%x: tensor<?x3x4x4xf32>) {
  // The result shape is `sizes`, even where the input is dynamic.
  // CHECK: strata.resize {{.*}} -> tensor<2x3x8x2xf32>
  %0 = strata.resize %x {sizes = array<i64: 2, 3, 8, 2>, scales = array<f32: 1.0, 1.0, 2.0, 0.5>} : (tensor<?x3x4x4xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @three_d
func.func @three_d(%x: tensor<1x3x8x16x16xf32>, %w: tensor<8x3x3x3x3xf32>, %t: tensor<3x2x3x3x3xf32>) {
  // CHECK: strata.conv3d {{.*}} -> tensor<1x8x6x7x7xf32>
  %0 = strata.conv3d %x, %w {strides = array<i64: 1, 2, 2>} : (tensor<1x3x8x16x16xf32>, tensor<8x3x3x3x3xf32>) -> tensor<?x?x?x?x?xf32>
  // CHECK: strata.conv_transpose3d {{.*}} -> tensor<1x2x10x18x18xf32>
  %1 = strata.conv_transpose3d %x, %t : (tensor<1x3x8x16x16xf32>, tensor<3x2x3x3x3xf32>) -> tensor<?x?x?x?x?xf32>
  // CHECK: strata.max_pool3d {{.*}} -> tensor<1x3x4x8x8xf32>
  %2 = strata.max_pool3d %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x3x8x16x16xf32>) -> tensor<?x?x?x?x?xf32>
  // CHECK: strata.avg_pool3d {{.*}} -> tensor<1x3x7x15x15xf32>
  %3 = strata.avg_pool3d %x {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x3x8x16x16xf32>) -> tensor<?x?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @scatter_gather_nd
func.func @scatter_gather_nd(%d: tensor<2x3x4xf32>, %i: tensor<5x2xi64>, %u: tensor<5x4xf32>, %b: tensor<2x7x1xi64>, %x: tensor<3x10xf32>, %m: tensor<2x5x5xf32>) {
  // CHECK: strata.scatter_nd {{.*}} -> tensor<2x3x4xf32>
  %0 = strata.scatter_nd %d, %i, %u : (tensor<2x3x4xf32>, tensor<5x2xi64>, tensor<5x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.gather_nd {{.*}} -> tensor<5x4xf32>
  %1 = strata.gather_nd %d, %i : (tensor<2x3x4xf32>, tensor<5x2xi64>) -> tensor<?x?xf32>
  // One batch dimension: [2, 7] + data[1 + 1:] = [2, 7, 4].
  // CHECK: strata.gather_nd {{.*}} -> tensor<2x7x4xf32>
  %2 = strata.gather_nd %d, %b {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x7x1xi64>) -> tensor<?x?x?xf32>
  // CHECK: strata.topk {{.*}} -> (tensor<3x2xf32>, tensor<3x2xi64>)
  %3:2 = strata.topk %x {k = 2 : i64} : (tensor<3x10xf32>) -> (tensor<?x?xf32>, tensor<?x?xi64>)
  // CHECK: strata.det {{.*}} -> tensor<2xf32>
  %4 = strata.det %m : (tensor<2x5x5xf32>) -> tensor<?xf32>
  return
}

// CHECK-LABEL: func @grid_sample
func.func @grid_sample(%x: tensor<?x3x8x8xf32>, %g: tensor<2x4x5x2xf32>) {
  // CHECK: strata.grid_sample {{.*}} -> tensor<2x3x4x5xf32>
  %0 = strata.grid_sample %x, %g : (tensor<?x3x8x8xf32>, tensor<2x4x5x2xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @einsum
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %v: tensor<7xf32>) {
  // CHECK: strata.einsum {{.*}} -> tensor<2x3x5xf32>
  %0 = strata.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<?x?x?xf32>
  // Implicit output: the letters used once (i, k), alphabetically.
  // CHECK: strata.einsum {{.*}} -> tensor<3x5xf32>
  %1 = strata.einsum %a, %b {equation = "bij,bjk"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<?x?xf32>
  // CHECK: strata.einsum {{.*}} -> tensor<f32>
  %2 = strata.einsum %v, %v {equation = "i,i"} : (tensor<7xf32>, tensor<7xf32>) -> tensor<f32>
  // CHECK: strata.einsum {{.*}} -> tensor<4x3x2xf32>
  %3 = strata.einsum %a {equation = "...ij->ji..."} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  return
}

// CHECK-LABEL: func @data_dependent
func.func @data_dependent(%s: tensor<i1>, %x: tensor<2x3xf32>, %boxes: tensor<2x6x4xf32>, %scores: tensor<2x3x6xf32>, %max: tensor<i64>, %t: tensor<f32>) {
  // CHECK: strata.non_zero {{.*}} -> tensor<1x?xi64>
  %0 = strata.non_zero %s : (tensor<i1>) -> tensor<?x?xi64>
  // CHECK: strata.unique {{.*}} -> (tensor<?xf32>, tensor<?xi64>, tensor<6xi64>, tensor<?xi64>)
  %1:4 = strata.unique %x : (tensor<2x3xf32>) -> (tensor<?xf32>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>)
  // CHECK: strata.unique {{.*}} -> (tensor<2x?xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>)
  %2:4 = strata.unique %x {axis = -1 : i64} : (tensor<2x3xf32>) -> (tensor<?x?xf32>, tensor<?xi64>, tensor<?xi64>, tensor<?xi64>)
  // CHECK: strata.non_max_suppression {{.*}} -> tensor<?x3xi64>
  %3 = strata.non_max_suppression %boxes, %scores, %max, %t, %t : (tensor<2x6x4xf32>, tensor<2x3x6xf32>, tensor<i64>, tensor<f32>, tensor<f32>) -> tensor<?x?xi64>
  return
}

// CHECK-LABEL: func @features
func.func @features(%x: tensor<12xi64>, %p: tensor<2x?xf16>) {
  // CHECK: strata.tfidf_vectorizer {{.*}} -> tensor<5xf32>
  %0 = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 2 : i64, max_gram_length = 2 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0, 0>, ngram_indexes = array<i64: 4, 0>, pool = array<i64: 5, 6, 7, 8>} : (tensor<12xi64>) -> tensor<?xf32>
  // CHECK: strata.random_uniform_like {{.*}} -> tensor<2x?xf64>
  %1 = strata.random_uniform_like %p {dtype = f64} : (tensor<2x?xf16>) -> tensor<?x?xf64>
  return
}
