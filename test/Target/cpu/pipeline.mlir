// RUN: strata-opt %s --strata-to-linalg --strata-cpu-global-opt --strata-form-dispatch-regions --strata-cpu-codegen="vector-bits=256" | FileCheck %s
// RUN: strata-opt %s --strata-to-linalg="opt-level=0" | FileCheck %s --check-prefix=O0
// RUN: strata-opt %s --strata-to-linalg | FileCheck %s --check-prefix=FUSED

// The cpu path takes a strata function to LLVM: the fused chain is one
// region; its kernel's output becomes a trailing pointer argument, its tile
// loop runs over 4 workgroups (one per row) that take the workgroup id
// last, the exported wrapper has the cpu ABI, and the export says so. The
// host function keeps the dispatch.
// CHECK: schedule.executable @cpu_0 target("cpu") device(0)
// CHECK-NEXT: schedule.export @model_dispatch_0(read, read, write) workgroups [4, 1, 1] {function = @strata_model_dispatch_0}
// CHECK-LABEL: llvm.func internal @model_dispatch_0(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64)
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @strata_model_dispatch_0(%{{.*}}: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32) -> i32
// CHECK-LABEL: func.func @model
// CHECK: schedule.dispatch @cpu_0::@model_dispatch_0

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
