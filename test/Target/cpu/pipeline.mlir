// RUN: strata-opt %s --strata-to-linalg --strata-cpu-codegen | FileCheck %s
// RUN: strata-opt %s --strata-to-linalg="opt-level=0" | FileCheck %s --check-prefix=O0
// RUN: strata-opt %s --strata-to-linalg | FileCheck %s --check-prefix=FUSED

// The two pipelines take a strata function to LLVM: the outputs become
// trailing pointer arguments, the tile loop becomes a dispatch over 4
// workgroups (one per row) that takes its workgroup id last, and the
// exported wrapper has the cpu ABI.
// CHECK-LABEL: llvm.func internal @model_dispatch_0(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64) attributes {strata.dispatch = array<i64: 0, 4>}
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @strata_model_dispatch_0(%{{.*}}: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32) -> i32

// At -O0 each op stays its own generic; from -O1 on, elementwise producers
// fuse into their consumers.
// O0-COUNT-3: linalg.generic
// FUSED-COUNT-1: linalg.generic
// FUSED-NOT: linalg.generic
func.func @model(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = strata.add %x, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = strata.relu %0 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = strata.sigmoid %1 : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %2 : tensor<4x8xf32>
}
