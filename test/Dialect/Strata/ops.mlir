// RUN: strata-opt %s | strata-opt | FileCheck %s
// RUN: strata-opt %s --mlir-print-op-generic | strata-opt | FileCheck %s

// Round trip of every strata op in its custom form.

// CHECK-LABEL: func @constant_and_cast
func.func @constant_and_cast(%x: tensor<2x3xf32>) -> (tensor<2x2xf32>, tensor<2x3xi32>, tensor<?x3xi1>) {
  // CHECK: strata.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %0 = strata.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  // CHECK: strata.cast %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %1 = strata.cast %x : (tensor<2x3xf32>) -> tensor<2x3xi32>
  // CHECK: strata.cast %{{.*}} : (tensor<2x3xf32>) -> tensor<?x3xi1>
  %2 = strata.cast %x : (tensor<2x3xf32>) -> tensor<?x3xi1>
  return %0, %1, %2 : tensor<2x2xf32>, tensor<2x3xi32>, tensor<?x3xi1>
}

// CHECK-LABEL: func @binary
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<4xi64>, %u: tensor<4xui8>) {
  // CHECK: strata.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = strata.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.sub {{.*}} -> tensor<2x3xf32>
  %1 = strata.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.mul {{.*}} -> tensor<2x3xf32>
  %2 = strata.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.div {{.*}} : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %3 = strata.div %i, %i : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  // CHECK: strata.pow {{.*}} -> tensor<2x3xf32>
  %4 = strata.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.max {{.*}} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %5 = strata.max %u, %u : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: strata.min {{.*}} -> tensor<2x3xf32>
  %6 = strata.min %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func @compare
func.func @compare(%a: tensor<?x3xf32>, %b: tensor<f32>) {
  // CHECK: strata.equal {{.*}} : (tensor<?x3xf32>, tensor<f32>) -> tensor<?x3xi1>
  %0 = strata.equal %a, %b : (tensor<?x3xf32>, tensor<f32>) -> tensor<?x3xi1>
  // CHECK: strata.greater {{.*}} -> tensor<?x3xi1>
  %1 = strata.greater %a, %b : (tensor<?x3xf32>, tensor<f32>) -> tensor<?x3xi1>
  // CHECK: strata.greater_equal {{.*}} -> tensor<?x3xi1>
  %2 = strata.greater_equal %a, %b : (tensor<?x3xf32>, tensor<f32>) -> tensor<?x3xi1>
  // CHECK: strata.less {{.*}} -> tensor<?x3xi1>
  %3 = strata.less %a, %b : (tensor<?x3xf32>, tensor<f32>) -> tensor<?x3xi1>
  // CHECK: strata.less_equal {{.*}} -> tensor<4x3xi1>
  %4 = strata.less_equal %a, %b : (tensor<?x3xf32>, tensor<f32>) -> tensor<4x3xi1>
  return
}

// CHECK-LABEL: func @unary
func.func @unary(%x: tensor<2x?xf32>, %i: tensor<5xi32>) {
  // CHECK: strata.neg %{{.*}} : (tensor<5xi32>) -> tensor<5xi32>
  %0 = strata.neg %i : (tensor<5xi32>) -> tensor<5xi32>
  // CHECK: strata.abs {{.*}} -> tensor<2x?xf32>
  %1 = strata.abs %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.relu {{.*}} -> tensor<2x?xf32>
  %2 = strata.relu %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.exp {{.*}} -> tensor<2x?xf32>
  %3 = strata.exp %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.log {{.*}} -> tensor<2x?xf32>
  %4 = strata.log %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.sqrt {{.*}} -> tensor<2x?xf32>
  %5 = strata.sqrt %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.tanh {{.*}} -> tensor<2x?xf32>
  %6 = strata.tanh %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.sigmoid {{.*}} -> tensor<2x?xf32>
  %7 = strata.sigmoid %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.erf {{.*}} -> tensor<2x?xf32>
  %8 = strata.erf %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.gelu %{{.*}} : (tensor<2x?xf32>) -> tensor<2x?xf32>
  %9 = strata.gelu %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.gelu %{{.*}} {approximate = "tanh"} : (tensor<2x?xf32>) -> tensor<2x7xf32>
  %10 = strata.gelu %x {approximate = "tanh"} : (tensor<2x?xf32>) -> tensor<2x7xf32>
  // CHECK: strata.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : (tensor<2x?xf32>) -> tensor<2x?xf32>
  %11 = strata.clip %x {min = 0.0 : f64, max = 6.0 : f64} : (tensor<2x?xf32>) -> tensor<2x?xf32>
  // CHECK: strata.clip %{{.*}} {min = -1.000000e+00 : f64} : (tensor<5xi32>) -> tensor<5xi32>
  %12 = strata.clip %i {min = -1.0 : f64} : (tensor<5xi32>) -> tensor<5xi32>
  return
}

// CHECK-LABEL: func @where
func.func @where(%c: tensor<4x1xi1>, %x: tensor<4xf32>, %y: tensor<f32>) -> tensor<4x4xf32> {
  // CHECK: strata.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x1xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4x4xf32>
  %0 = strata.where %c, %x, %y : (tensor<4x1xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// CHECK-LABEL: func @contractions
func.func @contractions(%a: tensor<8x1x4x16xf32>, %b: tensor<3x16x5xf32>, %v: tensor<16xf32>,
                        %m: tensor<4x8xf32>, %n: tensor<16x8xf32>, %bias: tensor<16xf32>) {
  // CHECK: strata.matmul {{.*}} : (tensor<8x1x4x16xf32>, tensor<3x16x5xf32>) -> tensor<8x3x4x5xf32>
  %0 = strata.matmul %a, %b : (tensor<8x1x4x16xf32>, tensor<3x16x5xf32>) -> tensor<8x3x4x5xf32>
  // CHECK: strata.matmul {{.*}} : (tensor<16xf32>, tensor<3x16x5xf32>) -> tensor<3x5xf32>
  %1 = strata.matmul %v, %b : (tensor<16xf32>, tensor<3x16x5xf32>) -> tensor<3x5xf32>
  // CHECK: strata.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %2 = strata.gemm %m, %n, %bias {alpha = 0.5 : f32, trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  // CHECK: strata.gemm %{{.*}}, %{{.*}} {trans_a = true} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
  %3 = strata.gemm %m, %m {trans_a = true} : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<8x8xf32>
  return
}

// CHECK-LABEL: func @conv
func.func @conv(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>,
                %dw: tensor<32x1x3x3xf32>, %y: tensor<?x32x?x?xf32>) {
  // CHECK: strata.conv2d %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  %0 = strata.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>}
      : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  // CHECK: strata.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, group = 32 : i64} : (tensor<?x32x?x?xf32>, tensor<32x1x3x3xf32>) -> tensor<?x32x?x?xf32>
  %1 = strata.conv2d %y, %dw {group = 32 : i64, dilations = array<i64: 2, 2>}
      : (tensor<?x32x?x?xf32>, tensor<32x1x3x3xf32>) -> tensor<?x32x?x?xf32>
  return
}

// CHECK-LABEL: func @pooling
func.func @pooling(%x: tensor<1x64x112x112xf32>) {
  // CHECK: strata.max_pool2d %{{.*}} {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %0 = strata.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: strata.avg_pool2d %{{.*}} {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %1 = strata.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true, count_include_pad = true}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  // CHECK: strata.global_avg_pool {{.*}} -> tensor<1x64x1x1xf32>
  %2 = strata.global_avg_pool %x : (tensor<1x64x112x112xf32>) -> tensor<1x64x1x1xf32>
  // CHECK: strata.global_max_pool {{.*}} -> tensor<1x64x1x1xf32>
  %3 = strata.global_max_pool %x : (tensor<1x64x112x112xf32>) -> tensor<1x64x1x1xf32>
  return
}

// CHECK-LABEL: func @reductions
func.func @reductions(%x: tensor<2x3x4xf32>) {
  // CHECK: strata.reduce_sum %{{.*}} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %0 = strata.reduce_sum %x : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  // CHECK: strata.reduce_mean %{{.*}} {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %1 = strata.reduce_mean %x {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  // CHECK: strata.reduce_max %{{.*}} {axes = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  %2 = strata.reduce_max %x {axes = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  // CHECK: strata.reduce_min {{.*}} -> tensor<f32>
  %3 = strata.reduce_min %x {keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  // CHECK: strata.reduce_prod {{.*}} -> tensor<2x1x4xf32>
  %4 = strata.reduce_prod %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return
}

// CHECK-LABEL: func @normalization
func.func @normalization(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>, %t: tensor<2x16x64xf32>, %g: tensor<64xf32>) {
  // CHECK: strata.softmax %{{.*}} {axis = 1 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %0 = strata.softmax %x {axis = 1 : i64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: strata.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  %1 = strata.batch_norm %x, %c, %c, %c, %c {epsilon = 1.0e-3 : f32}
      : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  // CHECK: strata.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %2 = strata.layer_norm %t, %g, %g : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  // CHECK: strata.layer_norm %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  %3 = strata.layer_norm %t, %g {axis = 1 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  return
}

// CHECK-LABEL: func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %e: tensor<1000x64xf32>, %ids: tensor<2x7xi64>, %s: tensor<3x1xf32>, %z: tensor<0x3xf32>) {
  // CHECK: strata.transpose %{{.*}} {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %0 = strata.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  // CHECK: strata.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %1 = strata.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  // CHECK: strata.reshape %{{.*}} {allowzero = true, shape = array<i64: 3, 0>} : (tensor<0x3xf32>) -> tensor<3x0xf32>
  %2 = strata.reshape %z {shape = array<i64: 3, 0>, allowzero = true} : (tensor<0x3xf32>) -> tensor<3x0xf32>
  // CHECK: strata.flatten %{{.*}} {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %3 = strata.flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: strata.squeeze %{{.*}} {axes = array<i64: 1>} : (tensor<3x1xf32>) -> tensor<3xf32>
  %4 = strata.squeeze %s {axes = array<i64: 1>} : (tensor<3x1xf32>) -> tensor<3xf32>
  // CHECK: strata.unsqueeze %{{.*}} {axes = array<i64: 0, -1>} : (tensor<3x1xf32>) -> tensor<1x3x1x1xf32>
  %5 = strata.unsqueeze %s {axes = array<i64: 0, -1>} : (tensor<3x1xf32>) -> tensor<1x3x1x1xf32>
  // CHECK: strata.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  %6 = strata.concat %x, %y {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  // CHECK: strata.slice %{{.*}} {axes = array<i64: 2>, ends = array<i64: -1>, starts = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
  %7 = strata.slice %x {starts = array<i64: 1>, ends = array<i64: -1>, axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x2xf32>
  // CHECK: strata.slice %{{.*}} {ends = array<i64: -9223372036854775807>, starts = array<i64: -1>, steps = array<i64: -2>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  %8 = strata.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775807>, steps = array<i64: -2>} : (tensor<2x3x4xf32>) -> tensor<1x3x4xf32>
  // CHECK: strata.gather %{{.*}}, %{{.*}} : (tensor<1000x64xf32>, tensor<2x7xi64>) -> tensor<2x7x64xf32>
  %9 = strata.gather %e, %ids {axis = 0 : i64} : (tensor<1000x64xf32>, tensor<2x7xi64>) -> tensor<2x7x64xf32>
  // CHECK: strata.pad %{{.*}} {pads = array<i64: 0, 1, 0, 0, 1, -1>, value = 1.500000e+00 : f64} : (tensor<2x3x4xf32>) -> tensor<2x5x3xf32>
  %10 = strata.pad %x {pads = array<i64: 0, 1, 0, 0, 1, -1>, value = 1.5 : f64} : (tensor<2x3x4xf32>) -> tensor<2x5x3xf32>
  // CHECK: strata.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 0, 1, 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x6xf32>
  %11 = strata.pad %x {pads = array<i64: 0, 0, 1, 0, 0, 1>, mode = "reflect"} : (tensor<2x3x4xf32>) -> tensor<2x3x6xf32>
  // CHECK: strata.expand %{{.*}} {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %12 = strata.expand %s {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return
}

// CHECK-LABEL: func @more_elementwise
func.func @more_elementwise(%x: tensor<4xf32>, %b: tensor<4xi1>, %i: tensor<4xi32>, %u: tensor<4xui8>) {
  // CHECK: strata.floor {{.*}} -> tensor<4xf32>
  %0 = strata.floor %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.ceil {{.*}} -> tensor<4xf32>
  %1 = strata.ceil %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.round {{.*}} -> tensor<4xf32>
  %2 = strata.round %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.sign {{.*}} : (tensor<4xi32>) -> tensor<4xi32>
  %3 = strata.sign %i : (tensor<4xi32>) -> tensor<4xi32>
  // CHECK: strata.sin {{.*}} -> tensor<4xf32>
  %4 = strata.sin %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.cos {{.*}} -> tensor<4xf32>
  %5 = strata.cos %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.tan {{.*}} -> tensor<4xf32>
  %6 = strata.tan %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.asin {{.*}} -> tensor<4xf32>
  %7 = strata.asin %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.acos {{.*}} -> tensor<4xf32>
  %8 = strata.acos %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.atan {{.*}} -> tensor<4xf32>
  %9 = strata.atan %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.sinh {{.*}} -> tensor<4xf32>
  %10 = strata.sinh %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.cosh {{.*}} -> tensor<4xf32>
  %11 = strata.cosh %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.asinh {{.*}} -> tensor<4xf32>
  %12 = strata.asinh %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.acosh {{.*}} -> tensor<4xf32>
  %13 = strata.acosh %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.atanh {{.*}} -> tensor<4xf32>
  %14 = strata.atanh %x : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.not {{.*}} : (tensor<4xi1>) -> tensor<4xi1>
  %15 = strata.not %b : (tensor<4xi1>) -> tensor<4xi1>
  // CHECK: strata.is_nan {{.*}} : (tensor<4xf32>) -> tensor<4xi1>
  %16 = strata.is_nan %x : (tensor<4xf32>) -> tensor<4xi1>
  // CHECK: strata.is_inf %{{.*}} {detect_negative = false} : (tensor<4xf32>) -> tensor<4xi1>
  %17 = strata.is_inf %x {detect_negative = false} : (tensor<4xf32>) -> tensor<4xi1>
  // CHECK: strata.and {{.*}} : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  %18 = strata.and %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: strata.or {{.*}} -> tensor<4xi1>
  %19 = strata.or %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: strata.xor {{.*}} -> tensor<4xi1>
  %20 = strata.xor %b, %b : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  // CHECK: strata.mod %{{.*}}, %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %21 = strata.mod %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: strata.mod %{{.*}}, %{{.*}} {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %22 = strata.mod %x, %x {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.bit_shift %{{.*}}, %{{.*}} {direction = "left"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %23 = strata.bit_shift %u, %u {direction = "left"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return
}

// CHECK-LABEL: func @indices
func.func @indices(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) {
  // CHECK: strata.argmax %{{.*}} {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
  %0 = strata.argmax %x {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
  // CHECK: strata.argmin %{{.*}} {select_last_index = true} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  %1 = strata.argmin %x {select_last_index = true} : (tensor<2x3xf32>) -> tensor<1x3xi64>
  // CHECK: strata.cumsum %{{.*}} {axis = 1 : i64, exclusive = true, reverse = true} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = strata.cumsum %x {axis = 1 : i64, exclusive = true, reverse = true} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.log_softmax %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = strata.log_softmax %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %4 = strata.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  return
}

// CHECK-LABEL: func @conv_transpose
func.func @conv_transpose(%x: tensor<1x64x56x56xf32>, %w: tensor<64x16x3x3xf32>, %b: tensor<32xf32>) {
  // CHECK: strata.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {group = 2 : i64, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x56x56xf32>, tensor<64x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x112x112xf32>
  %0 = strata.conv_transpose2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>, group = 2 : i64}
      : (tensor<1x64x56x56xf32>, tensor<64x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x112x112xf32>
  return
}

// CHECK-LABEL: func @resize
func.func @resize(%x: tensor<1x3x32x32xf32>) {
  // CHECK: strata.resize %{{.*}} {mode = "linear", scales = array<f32: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>, sizes = array<i64: 1, 3, 64, 64>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x64x64xf32>
  %0 = strata.resize %x {sizes = array<i64: 1, 3, 64, 64>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = "linear"} : (tensor<1x3x32x32xf32>) -> tensor<1x3x64x64xf32>
  // CHECK: strata.resize %{{.*}} {coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 1.000000e+01 : f32, roi = array<f32: 0.000000e+00, 0.000000e+00, 4.000000e-01, 6.000000e-01, 1.000000e+00, 1.000000e+00, 6.000000e-01, 8.000000e-01>, scales = array<f32: 1.000000e+00, 1.000000e+00, 1.000000e-01, 1.000000e-01>, sizes = array<i64: 1, 3, 3, 3>} : (tensor<1x3x32x32xf32>) -> tensor<1x3x3x3xf32>
  %1 = strata.resize %x {sizes = array<i64: 1, 3, 3, 3>, scales = array<f32: 1.0, 1.0, 0.1, 0.1>, coordinate_transformation_mode = "tf_crop_and_resize", roi = array<f32: 0.0, 0.0, 0.4, 0.6, 1.0, 1.0, 0.6, 0.8>, extrapolation_value = 10.0 : f32} : (tensor<1x3x32x32xf32>) -> tensor<1x3x3x3xf32>
  return
}

// CHECK-LABEL: func @three_d
func.func @three_d(%x: tensor<1x3x8x16x16xf32>, %w: tensor<8x3x3x3x3xf32>, %t: tensor<3x2x3x3x3xf32>) {
  // CHECK: strata.conv3d %{{.*}}, %{{.*}} {pads = array<i64: 1, 1, 1, 1, 1, 1>} : (tensor<1x3x8x16x16xf32>, tensor<8x3x3x3x3xf32>) -> tensor<1x8x8x16x16xf32>
  %0 = strata.conv3d %x, %w {pads = array<i64: 1, 1, 1, 1, 1, 1>} : (tensor<1x3x8x16x16xf32>, tensor<8x3x3x3x3xf32>) -> tensor<1x8x8x16x16xf32>
  // CHECK: strata.conv_transpose3d %{{.*}}, %{{.*}} {strides = array<i64: 2, 2, 2>} : (tensor<1x3x8x16x16xf32>, tensor<3x2x3x3x3xf32>) -> tensor<1x2x17x33x33xf32>
  %1 = strata.conv_transpose3d %x, %t {strides = array<i64: 2, 2, 2>} : (tensor<1x3x8x16x16xf32>, tensor<3x2x3x3x3xf32>) -> tensor<1x2x17x33x33xf32>
  // CHECK: strata.max_pool3d %{{.*}} {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x3x8x16x16xf32>) -> tensor<1x3x4x8x8xf32>
  %2 = strata.max_pool3d %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x3x8x16x16xf32>) -> tensor<1x3x4x8x8xf32>
  // CHECK: strata.avg_pool3d %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 3, 3, 3>, pads = array<i64: 1, 1, 1, 1, 1, 1>} : (tensor<1x3x8x16x16xf32>) -> tensor<1x3x8x16x16xf32>
  %3 = strata.avg_pool3d %x {kernel_shape = array<i64: 3, 3, 3>, pads = array<i64: 1, 1, 1, 1, 1, 1>, count_include_pad = true} : (tensor<1x3x8x16x16xf32>) -> tensor<1x3x8x16x16xf32>
  return
}

// CHECK-LABEL: func @scatter_gather_nd
func.func @scatter_gather_nd(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>, %ni: tensor<2x1xi64>, %nu: tensor<2x3xf32>, %x: tensor<3x4xf32>, %m: tensor<4x3x3xf32>) {
  // CHECK: strata.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, reduction = "add"} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  // CHECK: strata.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>
  %1 = strata.scatter_nd %d, %ni, %nu : (tensor<3x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>
  // CHECK: strata.gather_nd %{{.*}}, %{{.*}} : (tensor<3x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
  %2 = strata.gather_nd %d, %ni : (tensor<3x3xf32>, tensor<2x1xi64>) -> tensor<2x3xf32>
  // CHECK: strata.topk %{{.*}} {k = 3 : i64, largest = false} : (tensor<3x4xf32>) -> (tensor<3x3xf32>, tensor<3x3xi64>)
  %3:2 = strata.topk %x {k = 3 : i64, largest = false} : (tensor<3x4xf32>) -> (tensor<3x3xf32>, tensor<3x3xi64>)
  // CHECK: strata.det %{{.*}} : (tensor<4x3x3xf32>) -> tensor<4xf32>
  %4 = strata.det %m : (tensor<4x3x3xf32>) -> tensor<4xf32>
  return
}

// CHECK-LABEL: func @integer_conv
func.func @integer_conv(%x: tensor<1x1x5x5xi32>, %w: tensor<1x1x3x3xi32>) -> tensor<1x1x3x3xi32> {
  // Quantized models convolve integers, accumulating in i32.
  // CHECK: strata.conv2d {{.*}} : (tensor<1x1x5x5xi32>, tensor<1x1x3x3xi32>) -> tensor<1x1x3x3xi32>
  %0 = strata.conv2d %x, %w : (tensor<1x1x5x5xi32>, tensor<1x1x3x3xi32>) -> tensor<1x1x3x3xi32>
  return %0 : tensor<1x1x3x3xi32>
}

// CHECK-LABEL: func @grid_sample
func.func @grid_sample(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x2xf32>) {
  // CHECK: strata.grid_sample %{{.*}}, %{{.*}} {align_corners = true, mode = "nearest", padding_mode = "border"} : (tensor<1x3x8x8xf32>, tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32>
  %0 = strata.grid_sample %x, %g {mode = "nearest", padding_mode = "border", align_corners = true} : (tensor<1x3x8x8xf32>, tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32>
  return
}

// CHECK-LABEL: func @einsum
func.func @einsum(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %m: tensor<3x5x5xf32>) {
  // CHECK: strata.einsum %{{.*}}, %{{.*}} {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %0 = strata.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  // CHECK: strata.einsum %{{.*}} {equation = "...ii->...i"} : (tensor<3x5x5xf32>) -> tensor<3x5xf32>
  %1 = strata.einsum %m {equation = "...ii->...i"} : (tensor<3x5x5xf32>) -> tensor<3x5xf32>
  return
}

// CHECK-LABEL: func @data_dependent
func.func @data_dependent(%x: tensor<2x2xi1>, %f: tensor<3x3xf32>, %boxes: tensor<1x6x4xf32>, %scores: tensor<1x1x6xf32>, %max: tensor<1xi64>, %t: tensor<1xf32>) {
  // CHECK: strata.non_zero %{{.*}} : (tensor<2x2xi1>) -> tensor<2x?xi64>
  %0 = strata.non_zero %x : (tensor<2x2xi1>) -> tensor<2x?xi64>
  // CHECK: strata.unique %{{.*}} {axis = 0 : i64} : (tensor<3x3xf32>) -> (tensor<?x3xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>)
  %1:4 = strata.unique %f {axis = 0 : i64} : (tensor<3x3xf32>) -> (tensor<?x3xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>)
  // CHECK: strata.non_max_suppression {{.*}} {center_point_box = true}
  %2 = strata.non_max_suppression %boxes, %scores, %max, %t, %t {center_point_box = true} : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
  return
}

// CHECK-LABEL: func @features
func.func @features(%x: tensor<2x6xi32>, %p: tensor<10xf64>) {
  // CHECK: strata.tfidf_vectorizer %{{.*}} {max_gram_length = 2 : i64, max_skip_count = 1 : i64, min_gram_length = 1 : i64, mode = "TFIDF", ngram_counts = array<i64: 0, 2>, ngram_indexes = array<i64: 0, 1, 2>, pool = array<i64: 4, 5, 5, 6>, weights = array<f64: 1.000000e+00, 2.000000e+00, 3.000000e+00>} : (tensor<2x6xi32>) -> tensor<2x3xf32>
  %0 = strata.tfidf_vectorizer %x {mode = "TFIDF", min_gram_length = 1 : i64, max_gram_length = 2 : i64, max_skip_count = 1 : i64, ngram_counts = array<i64: 0, 2>, ngram_indexes = array<i64: 0, 1, 2>, pool = array<i64: 4, 5, 5, 6>, weights = array<f64: 1.0, 2.0, 3.0>} : (tensor<2x6xi32>) -> tensor<2x3xf32>
  // CHECK: strata.random_uniform_like %{{.*}} {dtype = f32, high = 2.000000e+00 : f64, low = -1.000000e+00 : f64, seed = 3.000000e+00 : f64} : (tensor<10xf64>) -> tensor<10xf32>
  %1 = strata.random_uniform_like %p {dtype = f32, low = -1.0 : f64, high = 2.0 : f64, seed = 3.0 : f64} : (tensor<10xf64>) -> tensor<10xf32>
  return
}
