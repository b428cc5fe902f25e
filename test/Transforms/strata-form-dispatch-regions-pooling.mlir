// RUN: strata-opt %s --strata-form-dispatch-regions | FileCheck %s
// RUN: strata-opt %s --strata-form-dispatch-regions="target=systolic separate-pooling=true" | FileCheck %s --check-prefix=APART

// A matmul, its ReLU and a row sum (a pooling) after it: one step by
// default; with separate-pooling (the systolic target, which runs the
// matmul but not the sum) the matmul keeps its ReLU and the sum is a step
// of its own. An integer matmul (i8 operands widened in its body, as a
// quantized model's) likewise.

// CHECK: schedule.export @m_dispatch_0(
// CHECK-NEXT: schedule.export @q_dispatch_0(
// CHECK-NOT: schedule.export
// CHECK-LABEL: func.func @m(
// CHECK: schedule.dispatch @cpu_0::@m_dispatch_0
// CHECK-NOT: schedule.dispatch
// CHECK-LABEL: func.func @q(
// CHECK: schedule.dispatch @cpu_0::@q_dispatch_0
// CHECK-NOT: schedule.dispatch

// APART-LABEL: func.func @m_dispatch_0(
// APART: arith.mulf
// APART: arith.maximumf
// APART-NOT: linalg.generic
// APART: return
// APART-LABEL: func.func @m_dispatch_1(
// APART: iterator_types = ["parallel", "reduction"]
// APART-LABEL: func.func @m(
// APART: %[[MM:.*]] = schedule.dispatch @systolic_0::@m_dispatch_0
// APART: schedule.dispatch @systolic_0::@m_dispatch_1(%[[MM]])
// APART-LABEL: func.func @q(
// APART: %[[QM:.*]] = schedule.dispatch @systolic_0::@q_dispatch_0
// APART: schedule.dispatch @systolic_0::@q_dispatch_1(%[[QM]])

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @m(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x5xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x5xf32>) -> tensor<4x5xf32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x6xf32>, tensor<6x5xf32>) outs(%f : tensor<4x5xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %0 = arith.mulf %in, %in_0 : f32
    %1 = arith.addf %out, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<4x5xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<4x5xf32>) outs(%e : tensor<4x5xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %zero : f32
    linalg.yield %0 : f32
  } -> tensor<4x5xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%relu : tensor<4x5xf32>) outs(%f1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.addf %out, %in : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  return %sum : tensor<4xf32>
}

func.func @q(%x: tensor<4x6xi8>, %w: tensor<6x5xi8>) -> tensor<4xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x5xi32>
  %f = linalg.fill ins(%zero : i32) outs(%e : tensor<4x5xi32>) -> tensor<4x5xi32>
  %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<4x6xi8>, tensor<6x5xi8>) outs(%f : tensor<4x5xi32>) {
  ^bb0(%in: i8, %in_0: i8, %out: i32):
    %0 = arith.extsi %in : i8 to i32
    %1 = arith.extsi %in_0 : i8 to i32
    %2 = arith.muli %0, %1 : i32
    %3 = arith.addi %out, %2 : i32
    linalg.yield %3 : i32
  } -> tensor<4x5xi32>
  %e1 = tensor.empty() : tensor<4xi32>
  %f1 = linalg.fill ins(%zero : i32) outs(%e1 : tensor<4xi32>) -> tensor<4xi32>
  %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
      ins(%mm : tensor<4x5xi32>) outs(%f1 : tensor<4xi32>) {
  ^bb0(%in: i32, %out: i32):
    %0 = arith.addi %out, %in : i32
    linalg.yield %0 : i32
  } -> tensor<4xi32>
  return %sum : tensor<4xi32>
}
