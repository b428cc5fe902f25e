// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse))' \
// RUN:   | FileCheck %s

// A matmul, its fill and its bias add become one loop with one output
// element per iteration; the reduction stays whole inside it.
// CHECK-LABEL: func.func @matmul_bias
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) in (2, 32) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<2x32xf32>)
// CHECK:   linalg.fill {{.*}} -> tensor<1x1xf32>
// CHECK:   linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x16xf32>, tensor<16x1xf32>)
// CHECK:   linalg.generic
// CHECK:   tensor.parallel_insert_slice
// CHECK-NOT: linalg.
// CHECK: return
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
func.func @matmul_bias(%a: tensor<2x16xf32>, %b: tensor<16x32xf32>,
                       %bias: tensor<32xf32>) -> tensor<2x32xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<2x32xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<2x32xf32>) -> tensor<2x32xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<2x16xf32>, tensor<16x32xf32>)
                      outs(%fill : tensor<2x32xf32>) -> tensor<2x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<2x32xf32>, tensor<32xf32>) outs(%empty : tensor<2x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x32xf32>
  return %r : tensor<2x32xf32>
}

// -----

// A splat is a fill, which fuses into its consumers or, returned, is a
// loop of its own once bufferized.
// CHECK-LABEL: func.func @splat
// CHECK-NOT: arith.constant dense
// CHECK: %[[SEVEN:.*]] = arith.constant 7 : i32
// CHECK: linalg.fill ins(%[[SEVEN]] : i32) outs(%{{.*}} : tensor<3x4xi32>)
func.func @splat() -> tensor<3x4xi32> {
  %c = arith.constant dense<7> : tensor<3x4xi32>
  return %c : tensor<3x4xi32>
}

// -----

// A pad is one elementwise op: the input's element where the index falls
// inside it, else the padding; then it tiles like any root.
// CHECK-LABEL: func.func @pad
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (4, 7)
// CHECK:   linalg.generic
// CHECK:     linalg.index 1
// CHECK:     arith.cmpi sge
// CHECK:     arith.cmpi slt
// CHECK:     tensor.extract %{{.*}} : tensor<2x3xf32>
// CHECK:     arith.select
func.func @pad(%x: tensor<2x3xf32>) -> tensor<4x7xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1, 2] high[1, 2] {
  ^bb0(%i: index, %j: index):
    tensor.yield %zero : f32
  } : tensor<2x3xf32> to tensor<4x7xf32>
  return %p : tensor<4x7xf32>
}
