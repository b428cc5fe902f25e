// Quantized layers as ONNX's QLinearConv and MatMulInteger import them
// (int8.test): i8 operands widened to i32, i32 sums and biases, and a
// requantization to i8 (scale, round to even, clip; a clip at 0 is a
// ReLU); a padded convolution, a depthwise one, and a matmul and a
// convolution into i32 (MatMulInteger, ConvInteger).
func.func @m(%x: tensor<1x8x6x6xi8>, %w: tensor<8x8x3x3xi8>, %b: tensor<8xi32>,
             %d: tensor<1x8x6x6xi8>, %wd: tensor<8x1x3x3xi8>,
             %a: tensor<5x12xi8>, %c: tensor<12x7xi8>)
    -> (tensor<1x8x6x6xi8>, tensor<1x8x3x3xi8>, tensor<5x7xi32>, tensor<1x8x4x4xi32>) {
  %xi = strata.cast %x : (tensor<1x8x6x6xi8>) -> tensor<1x8x6x6xi32>
  %wi = strata.cast %w : (tensor<8x8x3x3xi8>) -> tensor<8x8x3x3xi32>
  %acc = strata.conv2d %xi, %wi, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x6x6xi32>, tensor<8x8x3x3xi32>, tensor<8xi32>) -> tensor<1x8x6x6xi32>
  %f = strata.cast %acc : (tensor<1x8x6x6xi32>) -> tensor<1x8x6x6xf32>
  %s = strata.constant dense<0.5> : tensor<f32>
  %m = strata.mul %f, %s : (tensor<1x8x6x6xf32>, tensor<f32>) -> tensor<1x8x6x6xf32>
  %r = strata.round %m : (tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %cl = strata.clip %r {min = -128.0, max = 127.0} : (tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %q = strata.cast %cl : (tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xi8>

  %di = strata.cast %d : (tensor<1x8x6x6xi8>) -> tensor<1x8x6x6xi32>
  %wdi = strata.cast %wd : (tensor<8x1x3x3xi8>) -> tensor<8x1x3x3xi32>
  %dacc = strata.conv2d %di, %wdi {group = 8 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x8x6x6xi32>, tensor<8x1x3x3xi32>) -> tensor<1x8x3x3xi32>
  %df = strata.cast %dacc : (tensor<1x8x3x3xi32>) -> tensor<1x8x3x3xf32>
  %ds = strata.constant dense<0.3> : tensor<f32>
  %dm = strata.mul %df, %ds : (tensor<1x8x3x3xf32>, tensor<f32>) -> tensor<1x8x3x3xf32>
  %dr = strata.round %dm : (tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  %dc = strata.clip %dr {min = 0.0, max = 127.0} : (tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xf32>
  %dq = strata.cast %dc : (tensor<1x8x3x3xf32>) -> tensor<1x8x3x3xi8>

  %ai = strata.cast %a : (tensor<5x12xi8>) -> tensor<5x12xi32>
  %ci = strata.cast %c : (tensor<12x7xi8>) -> tensor<12x7xi32>
  %mm = strata.matmul %ai, %ci : (tensor<5x12xi32>, tensor<12x7xi32>) -> tensor<5x7xi32>
  %ci32 = strata.conv2d %xi, %wi : (tensor<1x8x6x6xi32>, tensor<8x8x3x3xi32>) -> tensor<1x8x4x4xi32>
  return %q, %dq, %mm, %ci32 : tensor<1x8x6x6xi8>, tensor<1x8x3x3xi8>, tensor<5x7xi32>, tensor<1x8x4x4xi32>
}
