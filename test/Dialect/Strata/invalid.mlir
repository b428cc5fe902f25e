// RUN: strata-opt %s -split-input-file -verify-diagnostics

// Every diagnostic the strata verifiers and type inference can emit.

//===----------------------------------------------------------------------===//
// Result types and element types
//===----------------------------------------------------------------------===//

func.func @result_incompatible(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.relu' op result type 'tensor<2x4xf32>' is incompatible with the inferred type 'tensor<2x3xf32>'}}
  %0 = strata.relu %a : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @result_element_count_overflow(%a: tensor<4294967296x1xf32>, %b: tensor<4294967296xf32>) {
  // expected-error @+1 {{'strata.add' op the element count of shape [4294967296, 4294967296] overflows int64}}
  %0 = strata.add %a, %b : (tensor<4294967296x1xf32>, tensor<4294967296xf32>) -> tensor<4294967296x4294967296xf32>
  return
}

// -----

func.func @element_type_mismatch(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{'strata.mul' op operand '#1' has element type 'i32', expected 'f32' like '#0'}}
  %0 = strata.mul %a, %b : (tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return
}

// -----

func.func @constant_not_tensor() {
  // expected-error @+1 {{'strata.constant' op value must be a ranked tensor attribute}}
  %0 = strata.constant dense<1.0> : vector<2xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.cast' op requires the same shape for all operands and results}}
  %0 = strata.cast %a : (tensor<2x3xf32>) -> tensor<3x2xi32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// -----

func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'strata.add' op shapes [2, 3] and [4] are not broadcast-compatible (3 vs 4)}}
  %0 = strata.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @compare_broadcast(%a: tensor<2x?xf32>, %b: tensor<5x3xf32>) {
  // expected-error @+1 {{'strata.less' op shapes [2, ?] and [5, 3] are not broadcast-compatible (2 vs 5)}}
  %0 = strata.less %a, %b : (tensor<2x?xf32>, tensor<5x3xf32>) -> tensor<2x3xi1>
  return
}

// -----

func.func @where_types(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'strata.where' op operand '#2' has element type 'i32', expected 'f32' like '#1'}}
  %0 = strata.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xi32>) -> tensor<4xf32>
  return
}

// -----

func.func @gelu_mode(%x: tensor<4xf32>) {
  // expected-error @+1 {{'strata.gelu' op approximate must be "none" or "tanh", got "fast"}}
  %0 = strata.gelu %x {approximate = "fast"} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @clip_bounds(%x: tensor<4xf32>) {
  // expected-error @+1 {{'strata.clip' op min 6 exceeds max 0}}
  %0 = strata.clip %x {min = 6.0 : f64, max = 0.0 : f64} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'strata.matmul' op matmul operands must have rank >= 1, got [] and [3]}}
  %0 = strata.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'strata.matmul' op contracted dimensions differ: [2, 3] x [4, 5] (3 vs 4)}}
  %0 = strata.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x3xf32>, %b: tensor<3x3x5xf32>) {
  // expected-error @+1 {{'strata.matmul' op batch dimensions: shapes [2] and [3] are not broadcast-compatible (2 vs 3)}}
  %0 = strata.matmul %a, %b : (tensor<2x4x3xf32>, tensor<3x3x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'strata.gemm' op operands 'a' and 'b' must be 2-D, got [2, 3, 4] and [4, 5]}}
  %0 = strata.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'strata.gemm' op contracted dimensions differ: [3] vs [4]}}
  %0 = strata.gemm %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_c(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+1 {{'strata.gemm' op operand 'c' of shape [3, 5] does not broadcast to [2, 5]}}
  %0 = strata.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// -----

func.func @conv_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op input and weight must be 4-D (NCHW and MCkHkW), got [3, 8, 8] and [4, 3, 3, 3]}}
  %0 = strata.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op strides must have 2 entries, got 3}}
  %0 = strata.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op pads must have 4 entries [top, left, bottom, right], got 2}}
  %0 = strata.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_dilations(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op dilations must have 2 entries, got 1}}
  %0 = strata.conv2d %x, %w {dilations = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x4x4xf32>
  return
}

// -----

func.func @conv_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op group must be positive, got 0}}
  %0 = strata.conv2d %x, %w {group = 0 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x6x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op input has 6 channels but weight expects 2 per group x 2 groups}}
  %0 = strata.conv2d %x, %w {group = 2 : i64} : (tensor<1x6x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_filters(%x: tensor<1x6x8x8xf32>, %w: tensor<5x2x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op weight has 5 filters, not divisible by group 3}}
  %0 = strata.conv2d %x, %w {group = 3 : i64} : (tensor<1x6x8x8xf32>, tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'strata.conv2d' op bias of shape [5] does not match [4] output channels}}
  %0 = strata.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_bias_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @+1 {{'strata.conv2d' op operand 'bias' has element type 'f16', expected 'f32' like 'input'}}
  %0 = strata.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x3x2x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op spatial dimension 0: window of size 3 (kernel 3, dilation 1) exceeds the padded input size 2}}
  %0 = strata.conv2d %x, %w : (tensor<1x3x2x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x6xf32>
  return
}

// -----

func.func @conv_stride_value(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op spatial dimension 1: strides and dilations must be positive, got stride 0 and dilation 1}}
  %0 = strata.conv2d %x, %w {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op spatial dimension 0: pads must be non-negative, got -1 and 0}}
  %0 = strata.conv2d %x, %w {pads = array<i64: -1, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @conv_overflow(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv2d' op spatial dimension 0: window arithmetic overflows int64}}
  %0 = strata.conv2d %x, %w {dilations = array<i64: 9223372036854775807, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{'strata.max_pool2d' op input must be 4-D (NCHW), got [3, 8, 8]}}
  %0 = strata.max_pool2d %x {kernel_shape = array<i64: 2, 2>} : (tensor<3x8x8xf32>) -> tensor<3x4x4xf32>
  return
}

// -----

func.func @pool_kernel_entries(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'strata.avg_pool2d' op kernel_shape must have 2 entries, got 1}}
  %0 = strata.avg_pool2d %x {kernel_shape = array<i64: 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @pool_kernel_size(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'strata.max_pool2d' op spatial dimension 0: kernel size must be positive, got 0}}
  %0 = strata.max_pool2d %x {kernel_shape = array<i64: 0, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @global_pool_rank(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'strata.global_avg_pool' op input must have rank >= 3 (N, C, spatial...), got [1, 3]}}
  %0 = strata.global_avg_pool %x : (tensor<1x3xf32>) -> tensor<1x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions and normalization
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axis_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.reduce_sum' op axis 2 is out of range [-2, 2)}}
  %0 = strata.reduce_sum %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_axis_duplicate(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.reduce_max' op axis -1 appears more than once}}
  %0 = strata.reduce_max %x {axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.softmax' op axis -3 is out of range [-2, 2)}}
  %0 = strata.softmax %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<8xf32>, %c: tensor<8xf32>) {
  // expected-error @+1 {{'strata.batch_norm' op input must have rank >= 2 (N, C, ...), got [8]}}
  %0 = strata.batch_norm %x, %c, %c, %c, %c : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @batch_norm_channels(%x: tensor<1x8x4x4xf32>, %c: tensor<8xf32>, %v: tensor<4xf32>) {
  // expected-error @+1 {{'strata.batch_norm' op operand 'variance' of shape [4] must be [8]}}
  %0 = strata.batch_norm %x, %c, %c, %c, %v : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) -> tensor<1x8x4x4xf32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<2x16x64xf32>, %g: tensor<32xf32>) {
  // expected-error @+1 {{'strata.layer_norm' op operand 'scale' of shape [32] does not broadcast to the normalized dimensions [64]}}
  %0 = strata.layer_norm %x, %g : (tensor<2x16x64xf32>, tensor<32xf32>) -> tensor<2x16x64xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x16x64xf32>, %g: tensor<64xf32>) {
  // expected-error @+1 {{'strata.layer_norm' op axis 3 is out of range [-3, 3)}}
  %0 = strata.layer_norm %x, %g {axis = 3 : i64} : (tensor<2x16x64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
  return
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.transpose' op perm [0, 0] is not a permutation of the 2 input dimensions}}
  %0 = strata.transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_entry(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.reshape' op target shape entry -2 is invalid}}
  %0 = strata.reshape %x {shape = array<i64: -2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_two_inferred(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.reshape' op target shape has more than one -1}}
  %0 = strata.reshape %x {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_copy_missing(%x: tensor<6xf32>) {
  // expected-error @+1 {{'strata.reshape' op target shape entry 0 at index 1 copies a dimension the rank-1 input does not have}}
  %0 = strata.reshape %x {shape = array<i64: 6, 0>} : (tensor<6xf32>) -> tensor<6x1xf32>
  return
}

// -----

func.func @reshape_allowzero(%x: tensor<0x3xf32>) {
  // expected-error @+1 {{'strata.reshape' op target shape may not hold both 0 and -1 with allowzero}}
  %0 = strata.reshape %x {shape = array<i64: 0, -1>, allowzero = true} : (tensor<0x3xf32>) -> tensor<0x3xf32>
  return
}

// -----

func.func @reshape_infer_zero(%x: tensor<0x3xf32>) {
  // expected-error @+1 {{'strata.reshape' op cannot infer the -1 in [0, -1]: the other dimensions hold zero elements}}
  %0 = strata.reshape %x {shape = array<i64: 0, -1>} : (tensor<0x3xf32>) -> tensor<0x3xf32>
  return
}

// -----

func.func @reshape_indivisible(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.reshape' op cannot reshape [2, 3] (6 elements) to [4, -1]}}
  %0 = strata.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.reshape' op cannot reshape [2, 3] (6 elements) to [2, 4] (8 elements)}}
  %0 = strata.reshape %x {shape = array<i64: 2, 4>} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @reshape_overflow(%x: tensor<4294967296x4294967296xf32>) {
  // expected-error @+1 {{'strata.reshape' op the element count of shape [4294967296, 4294967296] overflows int64}}
  %0 = strata.reshape %x {shape = array<i64: -1>} : (tensor<4294967296x4294967296xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @flatten_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.flatten' op axis 3 is out of range [-2, 2]}}
  %0 = strata.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return
}

// -----

func.func @squeeze_dynamic(%x: tensor<1x?xf32>) {
  // expected-error @+1 {{'strata.squeeze' op squeeze without axes needs a static shape, got [1, ?]}}
  %0 = strata.squeeze %x : (tensor<1x?xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @squeeze_size(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'strata.squeeze' op cannot squeeze dimension 1 of size 3}}
  %0 = strata.squeeze %x {axes = array<i64: 1>} : (tensor<1x3xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @unsqueeze_axis(%x: tensor<3xf32>) {
  // expected-error @+1 {{'strata.unsqueeze' op axis 2 is out of range [-2, 2)}}
  %0 = strata.unsqueeze %x {axes = array<i64: 2>} : (tensor<3xf32>) -> tensor<3x1xf32>
  return
}

// -----

func.func @concat_none() {
  // expected-error @+1 {{'strata.concat' op concat needs at least one input}}
  %0 = strata.concat {axis = 0 : i64} : () -> tensor<1xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'strata.concat' op input 1 has rank 1, expected 2}}
  %0 = strata.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+1 {{'strata.concat' op input 1 has shape [2, 4], which differs from [2, 3] in dimension 1}}
  %0 = strata.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_overflow(%a: tensor<9223372036854775807xf32>) {
  // expected-error @+1 {{'strata.concat' op concatenated size along axis 0 overflows int64}}
  %0 = strata.concat %a, %a {axis = 0 : i64} : (tensor<9223372036854775807xf32>, tensor<9223372036854775807xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @concat_type(%a: tensor<2xf32>, %b: tensor<2xi64>) {
  // expected-error @+1 {{'strata.concat' op operand '#1' has element type 'i64', expected 'f32' like '#0'}}
  %0 = strata.concat %a, %b {axis = 0 : i64} : (tensor<2xf32>, tensor<2xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @slice_lengths(%x: tensor<4xf32>) {
  // expected-error @+1 {{'strata.slice' op starts, ends, axes and steps must have the same length, got 1, 2, 0 and 0}}
  %0 = strata.slice %x {starts = array<i64: 0>, ends = array<i64: 1, 2>} : (tensor<4xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @slice_rank(%x: tensor<4xf32>) {
  // expected-error @+1 {{'strata.slice' op slice of 2 axes exceeds rank 1}}
  %0 = strata.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 1, 1>} : (tensor<4xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @slice_step(%x: tensor<4xf32>) {
  // expected-error @+1 {{'strata.slice' op slice step for axis 0 must not be 0}}
  %0 = strata.slice %x {starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 0>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @slice_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{'strata.slice' op axis 1 is out of range [-1, 1)}}
  %0 = strata.slice %x {starts = array<i64: 0>, ends = array<i64: 4>, axes = array<i64: 1>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_rank(%x: tensor<f32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'strata.gather' op gather data must have rank >= 1}}
  %0 = strata.gather %x, %i : (tensor<f32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_axis(%x: tensor<4x5xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'strata.gather' op axis -3 is out of range [-2, 2)}}
  %0 = strata.gather %x, %i {axis = -3 : i64} : (tensor<4x5xf32>, tensor<2xi64>) -> tensor<2x5xf32>
  return
}

// -----

func.func @pad_entries(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.pad' op pads has 2 entries, expected 4 (begin and end for each dimension)}}
  %0 = strata.pad %x {pads = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @pad_crop(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.pad' op pads (-2, -2) crop dimension 1 of size 3 below zero}}
  %0 = strata.pad %x {pads = array<i64: 0, -2, 0, -2>} : (tensor<2x3xf32>) -> tensor<2x0xf32>
  return
}

// -----

func.func @pad_overflow(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.pad' op padded size of dimension 0 overflows int64}}
  %0 = strata.pad %x {pads = array<i64: 9223372036854775807, 0, 0, 0>} : (tensor<2x3xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.pad' op mode must be "constant", "reflect" or "edge", got "wrap"}}
  %0 = strata.pad %x {pads = array<i64: 0, 0, 0, 0>, mode = "wrap"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @expand_negative(%x: tensor<3xf32>) {
  // expected-error @+1 {{'strata.expand' op shape [-1, 3] has a negative entry}}
  %0 = strata.expand %x {shape = array<i64: -1, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @expand_broadcast(%x: tensor<3xf32>) {
  // expected-error @+1 {{'strata.expand' op shapes [3] and [2, 4] are not broadcast-compatible (3 vs 4)}}
  %0 = strata.expand %x {shape = array<i64: 2, 4>} : (tensor<3xf32>) -> tensor<2x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// Logical, modulo, bit shift, index ops
//===----------------------------------------------------------------------===//

// -----

func.func @mod_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{'strata.mod' op on floats requires fmod = true}}
  %0 = strata.mod %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @bit_shift_direction(%x: tensor<4xui8>) {
  // expected-error @+1 {{'strata.bit_shift' op direction must be "left" or "right", got "up"}}
  %0 = strata.bit_shift %x, %x {direction = "up"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return
}

// -----

func.func @argmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.argmax' op axis 2 is out of range [-2, 2)}}
  %0 = strata.argmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.cumsum' op axis -3 is out of range [-2, 2)}}
  %0 = strata.cumsum %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<2x3xf32>, %i: tensor<2xi64>) {
  // expected-error @+1 {{'strata.gather_elements' op indices of shape [2] must have the rank of data [2, 3]}}
  %0 = strata.gather_elements %x, %i : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_elements_dims(%x: tensor<2x3xf32>, %i: tensor<2x4xi64>) {
  // expected-error @+1 {{'strata.gather_elements' op indices of shape [2, 4] exceed data [2, 3] in dimension 1}}
  %0 = strata.gather_elements %x, %i : (tensor<2x3xf32>, tensor<2x4xi64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gather_elements_axis(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) {
  // expected-error @+1 {{'strata.gather_elements' op axis 2 is out of range [-2, 2)}}
  %0 = strata.gather_elements %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Transposed convolution
//===----------------------------------------------------------------------===//

// -----

func.func @conv_transpose_rank(%x: tensor<1x3x8xf32>, %w: tensor<3x4x3x3xf32>) {
  // expected-error @+1 {{'strata.conv_transpose2d' op input and weight must be 4-D (NCHW and CMkHkW), got [1, 3, 8] and [3, 4, 3, 3]}}
  %0 = strata.conv_transpose2d %x, %w : (tensor<1x3x8xf32>, tensor<3x4x3x3xf32>) -> tensor<1x4x10x10xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<2x4x3x3xf32>) {
  // expected-error @+1 {{'strata.conv_transpose2d' op input has 3 channels but weight expects 2}}
  %0 = strata.conv_transpose2d %x, %w : (tensor<1x3x8x8xf32>, tensor<2x4x3x3xf32>) -> tensor<1x4x10x10xf32>
  return
}

// -----

func.func @conv_transpose_group(%x: tensor<1x3x8x8xf32>, %w: tensor<3x4x3x3xf32>) {
  // expected-error @+1 {{'strata.conv_transpose2d' op weight has 3 input channels, not divisible by group 2}}
  %0 = strata.conv_transpose2d %x, %w {group = 2 : i64} : (tensor<1x3x8x8xf32>, tensor<3x4x3x3xf32>) -> tensor<1x8x10x10xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_entries(%x: tensor<1x3x8x8xf32>, %w: tensor<3x4x3x3xf32>) {
  // expected-error @+1 {{'strata.conv_transpose2d' op output_padding must have 2 entries, got 1}}
  %0 = strata.conv_transpose2d %x, %w {output_padding = array<i64: 1>} : (tensor<1x3x8x8xf32>, tensor<3x4x3x3xf32>) -> tensor<1x4x10x10xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x3x8x8xf32>, %w: tensor<3x4x3x3xf32>) {
  // expected-error @+1 {{'strata.conv_transpose2d' op spatial dimension 0: output padding 2 must be in [0, max(stride, dilation)) = [0, 2)}}
  %0 = strata.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, output_padding = array<i64: 2, 0>} : (tensor<1x3x8x8xf32>, tensor<3x4x3x3xf32>) -> tensor<1x4x19x17xf32>
  return
}

// -----

func.func @conv_transpose_pads(%x: tensor<1x3x1x1xf32>, %w: tensor<3x4x1x1xf32>) {
  // expected-error @+1 {{'strata.conv_transpose2d' op spatial dimension 0: pads 1 and 1 exceed the full output size 1}}
  %0 = strata.conv_transpose2d %x, %w {pads = array<i64: 1, 0, 1, 0>} : (tensor<1x3x1x1xf32>, tensor<3x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  return
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

// -----

func.func @resize_entries(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'strata.resize' op sizes and scales must have 4 entries, got 2 and 4}}
  %0 = strata.resize %x {sizes = array<i64: 8, 8>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_scale(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'strata.resize' op sizes must be non-negative and scales positive, got size 8 with scale 0.000000}}
  %0 = strata.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f32: 1.0, 1.0, 0.0, 2.0>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_mode(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'strata.resize' op mode must be nearest, linear or cubic, got 'area'}}
  %0 = strata.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = "area"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_transform(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'strata.resize' op unknown coordinate_transformation_mode 'centered'}}
  %0 = strata.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>, coordinate_transformation_mode = "centered"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_nearest(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'strata.resize' op unknown nearest_mode 'round'}}
  %0 = strata.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>, nearest_mode = "round"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

// -----

func.func @resize_roi(%x: tensor<1x3x4x4xf32>) {
  // expected-error @+1 {{'strata.resize' op roi must have 8 entries with this coordinate_transformation_mode, got 0}}
  %0 = strata.resize %x {sizes = array<i64: 1, 3, 8, 8>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>, coordinate_transformation_mode = "tf_crop_and_resize"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// 3-D windows
//===----------------------------------------------------------------------===//

// -----

func.func @conv3d_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv3d' op input and weight must be 5-D (NCDHW and MCkDkHkW), got [1, 3, 8, 8] and [8, 3, 3, 3, 3]}}
  %0 = strata.conv3d %x, %w : (tensor<1x3x8x8xf32>, tensor<8x3x3x3x3xf32>) -> tensor<1x8x6x6x6xf32>
  return
}

// -----

func.func @conv3d_pads(%x: tensor<1x3x8x8x8xf32>, %w: tensor<8x3x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv3d' op pads must have 6 entries (begins, then ends), got 4}}
  %0 = strata.conv3d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8x8xf32>, tensor<8x3x3x3x3xf32>) -> tensor<1x8x8x8x8xf32>
  return
}

// -----

func.func @conv_transpose3d_output_padding(%x: tensor<1x3x8x8x8xf32>, %w: tensor<3x2x3x3x3xf32>) {
  // expected-error @+1 {{'strata.conv_transpose3d' op output_padding must have 3 entries, got 2}}
  %0 = strata.conv_transpose3d %x, %w {output_padding = array<i64: 0, 0>} : (tensor<1x3x8x8x8xf32>, tensor<3x2x3x3x3xf32>) -> tensor<1x2x10x10x10xf32>
  return
}

// -----

func.func @max_pool3d_rank(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'strata.max_pool3d' op input must be 5-D (NCDHW), got [1, 3, 8, 8]}}
  %0 = strata.max_pool3d %x {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x7x7xf32>
  return
}

// -----

func.func @avg_pool3d_kernel(%x: tensor<1x3x8x8x8xf32>) {
  // expected-error @+1 {{'strata.avg_pool3d' op kernel_shape must have 3 entries, got 2}}
  %0 = strata.avg_pool3d %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x3x8x8x8xf32>) -> tensor<1x3x7x7x7xf32>
  return
}

//===----------------------------------------------------------------------===//
// Scatter, gather_nd, topk, det
//===----------------------------------------------------------------------===//

// -----

func.func @scatter_reduction(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) {
  // expected-error @+1 {{'strata.scatter_elements' op reduction must be none, add, mul, max or min, got 'sum'}}
  %0 = strata.scatter_elements %d, %i, %u {reduction = "sum"} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_shapes(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<2x2xf32>) {
  // expected-error @+1 {{'strata.scatter_elements' op indices [1, 2] and updates [2, 2] must share a shape of the data's rank 2}}
  %0 = strata.scatter_elements %d, %i, %u : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<2x2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_elements_axis(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) {
  // expected-error @+1 {{'strata.scatter_elements' op axis 2 is out of range [-2, 2)}}
  %0 = strata.scatter_elements %d, %i, %u {axis = 2 : i64} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  return
}

// -----

// Along the other dimensions an update goes to its own position.
func.func @scatter_elements_dims(%d: tensor<3x3xf32>, %i: tensor<3x4xi64>, %u: tensor<3x4xf32>) {
  // expected-error @+1 {{'strata.scatter_elements' op indices of shape [3, 4] exceed data [3, 3] in dimension 1}}
  %0 = strata.scatter_elements %d, %i, %u : (tensor<3x3xf32>, tensor<3x4xi64>, tensor<3x4xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_nd_updates(%d: tensor<3x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x2xf32>) {
  // expected-error @+1 {{'strata.scatter_nd' op updates have shape [2, 2], expected [2, 3]}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<3x3xf32>, tensor<2x1xi64>, tensor<2x2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @scatter_nd_tuple(%d: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2xf32>) {
  // expected-error @+1 {{'strata.scatter_nd' op index tuples of length 3 do not fit in the 2 indexable data dimensions}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<3x3xf32>, tensor<2x3xi64>, tensor<2xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @gather_nd_dynamic_tuple(%d: tensor<3x3xf32>, %i: tensor<2x?xi64>) {
  // expected-error @+1 {{'strata.gather_nd' op indices [2, ?] need rank >= 1 and a static last dimension}}
  %0 = strata.gather_nd %d, %i : (tensor<3x3xf32>, tensor<2x?xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_batch(%d: tensor<3x3xf32>, %i: tensor<2x1xi64>) {
  // expected-error @+1 {{'strata.gather_nd' op batch dimension 0 differs: [3, 3] vs [2, 1]}}
  %0 = strata.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<3x3xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @gather_nd_batch_range(%d: tensor<3x3xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+1 {{'strata.gather_nd' op batch_dims 2 must be below both ranks}}
  %0 = strata.gather_nd %d, %i {batch_dims = 2 : i64} : (tensor<3x3xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @topk_k(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'strata.topk' op k = 5 is not in [0, 4]}}
  %0:2 = strata.topk %x {k = 5 : i64} : (tensor<3x4xf32>) -> (tensor<3x5xf32>, tensor<3x5xi64>)
  return
}

// -----

func.func @topk_axis(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'strata.topk' op axis 2 is out of range [-2, 2)}}
  %0:2 = strata.topk %x {k = 1 : i64, axis = 2 : i64} : (tensor<3x4xf32>) -> (tensor<3x1xf32>, tensor<3x1xi64>)
  return
}

// -----

func.func @det_square(%x: tensor<3x4xf32>) {
  // expected-error @+1 {{'strata.det' op input [3, 4] must end in square matrices}}
  %0 = strata.det %x : (tensor<3x4xf32>) -> tensor<f32>
  return
}

// -----

func.func @grid_sample_shape(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x3xf32>) {
  // expected-error @+1 {{'strata.grid_sample' op input [1, 3, 8, 8] and grid [1, 4, 5, 3] must be NxCxHxW and NxHoxWox2}}
  %0 = strata.grid_sample %x, %g : (tensor<1x3x8x8xf32>, tensor<1x4x5x3xf32>) -> tensor<1x3x4x5xf32>
  return
}

// -----

func.func @grid_sample_mode(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x2xf32>) {
  // expected-error @+1 {{'strata.grid_sample' op mode must be bilinear, nearest or bicubic, got 'linear'}}
  %0 = strata.grid_sample %x, %g {mode = "linear"} : (tensor<1x3x8x8xf32>, tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32>
  return
}

// -----

func.func @grid_sample_padding(%x: tensor<1x3x8x8xf32>, %g: tensor<1x4x5x2xf32>) {
  // expected-error @+1 {{'strata.grid_sample' op padding_mode must be zeros, border or reflection, got 'wrap'}}
  %0 = strata.grid_sample %x, %g {padding_mode = "wrap"} : (tensor<1x3x8x8xf32>, tensor<1x4x5x2xf32>) -> tensor<1x3x4x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

// -----

func.func @einsum_operands(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.einsum' op equation 'ij,jk->ik' has 2 operands, got 1}}
  %0 = strata.einsum %a {equation = "ij,jk->ik"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_rank(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.einsum' op operand 0 'ijk' does not match its rank-2 shape}}
  %0 = strata.einsum %a {equation = "ijk->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @einsum_term(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.einsum' op operand 0 'i1' of the equation must be letters and at most one '...'}}
  %0 = strata.einsum %a {equation = "i1->i"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @einsum_sizes(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+1 {{'strata.einsum' op index 'j' has sizes 3 and 4}}
  %0 = strata.einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @einsum_output(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.einsum' op output index 'k' does not appear in the operands}}
  %0 = strata.einsum %a {equation = "ij->k"} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @einsum_output_twice(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.einsum' op output index 'i' appears twice}}
  %0 = strata.einsum %a {equation = "ij->ii"} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @einsum_dots_twice(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.einsum' op the output '......' has '...' twice}}
  %0 = strata.einsum %a {equation = "...->......"} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_ellipsis(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{'strata.einsum' op '...' dims: shapes [2] and [4] are not broadcast-compatible (2 vs 4)}}
  %0 = strata.einsum %a, %b {equation = "...j,...j->...j"} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @einsum_none() {
  // expected-error @+1 {{'strata.einsum' op needs at least one operand}}
  %0 = strata.einsum {equation = "->"} : () -> tensor<f32>
  return
}

// -----

func.func @unique_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.unique' op axis 2 is out of range [-2, 2)}}
  %0:4 = strata.unique %x {axis = 2 : i64} : (tensor<2x3xf32>) -> (tensor<?x3xf32>, tensor<?xi64>, tensor<2xi64>, tensor<?xi64>)
  return
}

// -----

func.func @nms_shapes(%boxes: tensor<1x6x3xf32>, %scores: tensor<1x1x6xf32>, %max: tensor<1xi64>, %t: tensor<1xf32>) {
  // expected-error @+1 {{'strata.non_max_suppression' op boxes [1, 6, 3] and scores [1, 1, 6] must be BxNx4 and BxCxN}}
  %0 = strata.non_max_suppression %boxes, %scores, %max, %t, %t : (tensor<1x6x3xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
  return
}

// -----

func.func @nms_scalar(%boxes: tensor<1x6x4xf32>, %scores: tensor<1x1x6xf32>, %max: tensor<1xi64>, %t: tensor<2xf32>) {
  // expected-error @+1 {{'strata.non_max_suppression' op operand 'iou_threshold' must hold one value, got [2]}}
  %0 = strata.non_max_suppression %boxes, %scores, %max, %t, %t : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<2xf32>, tensor<2xf32>) -> tensor<?x3xi64>
  return
}

// -----

func.func @tfidf_rank(%x: tensor<1x2x3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op input [1, 2, 3] must be a sequence or a batch of sequences}}
  %0 = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0>, pool = array<i64: 1>} : (tensor<1x2x3xi32>) -> tensor<1x2x1xf32>
  return
}

// -----

func.func @tfidf_mode(%x: tensor<3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op mode must be TF, IDF or TFIDF, got 'BM25'}}
  %0 = strata.tfidf_vectorizer %x {mode = "BM25", min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0>, pool = array<i64: 1>} : (tensor<3xi32>) -> tensor<1xf32>
  return
}

// -----

func.func @tfidf_lengths(%x: tensor<3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op gram lengths [2, 1] and max_skip_count 0 must satisfy 1 <= min <= max and skips >= 0}}
  %0 = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 2 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0>, pool = array<i64: 1>} : (tensor<3xi32>) -> tensor<1xf32>
  return
}

// -----

func.func @tfidf_split(%x: tensor<3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op ngram_counts [0, 1] does not split a pool of 4 into whole n-grams}}
  %0 = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 1 : i64, max_gram_length = 2 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 0, 1>, pool = array<i64: 1, 2, 3, 4>} : (tensor<3xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @tfidf_start(%x: tensor<3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op ngram_counts must start at 0}}
  %0 = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 1>, ngram_indexes = array<i64: 0>, pool = array<i64: 1, 2>} : (tensor<3xi32>) -> tensor<1xf32>
  return
}

// -----

func.func @tfidf_indexes(%x: tensor<3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op ngram_indexes has 1 entries for 2 n-grams}}
  %0 = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0>, pool = array<i64: 1, 2>} : (tensor<3xi32>) -> tensor<1xf32>
  return
}

// -----

func.func @tfidf_weights(%x: tensor<3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op weights has 1 entries for 2 n-grams}}
  %0 = strata.tfidf_vectorizer %x {mode = "IDF", min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, 1>, pool = array<i64: 1, 2>, weights = array<f64: 1.0>} : (tensor<3xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @tfidf_negative_index(%x: tensor<3xi32>) {
  // expected-error @+1 {{'strata.tfidf_vectorizer' op ngram_indexes has a negative entry}}
  %0 = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0, -1>, pool = array<i64: 1, 2>} : (tensor<3xi32>) -> tensor<1xf32>
  return
}

// -----

func.func @random_range(%x: tensor<3xf32>) {
  // expected-error @+1 {{'strata.random_uniform_like' op low must not exceed high}}
  %0 = strata.random_uniform_like %x {dtype = f32, low = 2.0 : f64, high = 1.0 : f64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}
