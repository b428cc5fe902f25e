// RUN: strata-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(schedule.executable(strata-cpu-kernel-abi))" | FileCheck %s

// The kernel turns internal; the wrapper loads binding i into argument i,
// and the export names the wrapper as the function that implements it.
// CHECK: schedule.export @add(read, write) {function = @strata_add}
// CHECK-LABEL: llvm.func internal @add(
// CHECK: llvm.func @strata_add(%[[B:.*]]: !llvm.ptr, %{{.*}}: i32, %{{.*}}: i32, %{{.*}}: i32) -> i32
// CHECK: %[[P0:.*]] = llvm.getelementptr %[[B]][0] : (!llvm.ptr) -> !llvm.ptr, !llvm.ptr
// CHECK: %[[A0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %[[B]][1]
// CHECK: %[[A1:.*]] = llvm.load %[[P1]]
// CHECK: llvm.call @add(%[[A0]], %[[A1]])
// CHECK: %[[Z:.*]] = llvm.mlir.constant(0 : i32) : i32
// CHECK: llvm.return %[[Z]] : i32
// Declarations are not kernels.
// CHECK-NOT: @strata_expf
schedule.executable @cpu target("cpu") device(0) {
  schedule.export @add(read, write)
  builtin.module {
    llvm.func @add(%a: !llvm.ptr, %b: !llvm.ptr) {
      llvm.return
    }
    llvm.func @expf(f32) -> f32
  }
}

// -----

// A trailing integer is the workgroup id: the wrapper passes wg_x.
// CHECK-LABEL: llvm.func internal @tiles(
// CHECK: llvm.func @strata_tiles(%[[B:.*]]: !llvm.ptr, %[[WG:.*]]: i32, %{{.*}}: i32, %{{.*}}: i32) -> i32
// CHECK: %[[A0:.*]] = llvm.load
// CHECK: %[[ID:.*]] = llvm.zext %[[WG]] : i32 to i64
// CHECK: llvm.call @tiles(%[[A0]], %[[ID]])
schedule.executable @cpu target("cpu") device(0) {
  schedule.export @tiles(write) workgroups [4, 1, 1]
  builtin.module {
    llvm.func @tiles(%a: !llvm.ptr, %wg: i64) {
      llvm.return
    }
  }
}

// -----

schedule.executable @cpu target("cpu") device(0) {
  schedule.export @dynamic(read)
  builtin.module {
    // expected-error @+1 {{kernel parameter of type 'i64' is not a buffer pointer; the cpu ABI needs static shapes and bare-pointer memrefs}}
    llvm.func @dynamic(%n: i64, %a: !llvm.ptr) {
      llvm.return
    }
  }
}

// -----

schedule.executable @cpu target("cpu") device(0) {
  schedule.export @returns(read)
  builtin.module {
    // expected-error @+1 {{kernel must not return values}}
    llvm.func @returns(%a: !llvm.ptr) -> f32 {
      %0 = llvm.mlir.constant(0.0 : f32) : f32
      llvm.return %0 : f32
    }
  }
}
