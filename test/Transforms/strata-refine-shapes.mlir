// RUN: strata-opt %s --strata-refine-shapes -split-input-file | FileCheck %s

// Static shapes flow forward through a chain and into the signature.
// CHECK-LABEL: func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>) -> tensor<2x1xf32>
func.func @chain(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<?x?xf32> {
  // CHECK: strata.relu %[[X]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = strata.relu %x : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.add {{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = strata.add %0, %b : (tensor<?x?xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  // CHECK: strata.reduce_sum {{.*}} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %2 = strata.reduce_sum %1 {axes = array<i64: 1>} : (tensor<?x3xf32>) -> tensor<?x?xf32>
  // CHECK: return {{.*}} : tensor<2x1xf32>
  return %2 : tensor<?x?xf32>
}

// -----

// Users outside the strata dialect keep the type they were written with.
// CHECK-LABEL: func @foreign_user
func.func @foreign_user(%x: tensor<4xf32>) -> index {
  // CHECK: %[[R:.*]] = strata.relu %{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: %[[C:.*]] = tensor.cast %[[R]] : tensor<4xf32> to tensor<?xf32>
  // CHECK: tensor.dim %[[C]]
  %0 = strata.relu %x : (tensor<4xf32>) -> tensor<?xf32>
  %c0 = arith.constant 0 : index
  %1 = tensor.dim %0, %c0 : tensor<?xf32>
  return %1 : index
}

// -----

// A function that is called keeps its signature; its return gets a cast.
// CHECK-LABEL: func @callee
// CHECK-SAME: -> tensor<?xf32>
func.func @callee(%x: tensor<4xf32>) -> tensor<?xf32> {
  // CHECK: %[[R:.*]] = strata.neg %{{.*}} -> tensor<4xf32>
  // CHECK: %[[C:.*]] = tensor.cast %[[R]] : tensor<4xf32> to tensor<?xf32>
  // CHECK: return %[[C]]
  %0 = strata.neg %x : (tensor<4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// CHECK-LABEL: func @caller
func.func @caller(%x: tensor<4xf32>) -> tensor<?xf32> {
  %0 = func.call @callee(%x) : (tensor<4xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Written static dims stay; dims that stay unknown stay `?`.
// CHECK-LABEL: func @partial
// CHECK-SAME: -> tensor<?x8xf32>
func.func @partial(%x: tensor<?x4xf32>, %w: tensor<4x8xf32>) -> tensor<?x?xf32> {
  // CHECK: strata.matmul {{.*}} -> tensor<?x8xf32>
  %0 = strata.matmul %x, %w : (tensor<?x4xf32>, tensor<4x8xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
