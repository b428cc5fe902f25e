// Kernels that run on the array whole (shortcut.test):
// - a downsampling residual block's tail, relu(conv3x3(x) + b + conv1x1/2(y)
//   + bs): dispatch formation fuses both convolutions with the adds and the
//   ReLU, whose products and biases add up in the accumulator;
// - a residual block's, relu(conv(x) + b2 + x): two operands added;
// - relu(x + x), no contraction: a sum through the accumulator;
// - a grouped convolution (two groups of 3 channels to 4 filters each);
// - a depthwise one with a bias and a ReLU6 (clip to [0, 6]) after it.
func.func @m(%x: tensor<1x8x5x5xf32>, %w: tensor<8x8x3x3xf32>, %b: tensor<8xf32>,
             %y: tensor<1x4x10x10xf32>, %ws: tensor<8x4x1x1xf32>, %bs: tensor<8xf32>,
             %w2: tensor<8x8x3x3xf32>, %b2: tensor<8xf32>,
             %g: tensor<1x6x7x7xf32>, %wg: tensor<8x3x3x3xf32>,
             %d: tensor<1x6x9x9xf32>, %wd: tensor<6x1x3x3xf32>, %bd: tensor<6xf32>)
    -> (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x6x4x4xf32>) {
  %0 = strata.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x5x5xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
  %1 = strata.conv2d %y, %ws, %bs {strides = array<i64: 2, 2>} : (tensor<1x4x10x10xf32>, tensor<8x4x1x1xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
  %2 = strata.add %0, %1 : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %3 = strata.relu %2 : (tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %4 = strata.conv2d %x, %w2, %b2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x5x5xf32>, tensor<8x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x5x5xf32>
  %5 = strata.add %4, %x : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %6 = strata.relu %5 : (tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %7 = strata.add %x, %x : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %8 = strata.relu %7 : (tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %9 = strata.conv2d %g, %wg {group = 2 : i64} : (tensor<1x6x7x7xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x5x5xf32>
  %10 = strata.conv2d %d, %wd, %bd {group = 6 : i64, strides = array<i64: 2, 2>} : (tensor<1x6x9x9xf32>, tensor<6x1x3x3xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  %11 = strata.clip %10 {min = 0.0, max = 6.0} : (tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32>
  return %3, %6, %8, %9, %11 : tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>, tensor<1x6x4x4xf32>
}
