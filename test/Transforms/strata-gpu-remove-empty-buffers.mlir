// RUN: strata-opt %s --pass-pipeline='builtin.module(gpu.module(strata-gpu-remove-empty-buffers))' \
// RUN:   | FileCheck %s

// Neither SPIR-V nor NVVM's bare pointers take a buffer without elements:
// accesses to one, which never run, go, and the argument becomes one
// unused element, keeping its place among the bindings. Other buffers and
// functions that are not kernels stay as they are.
// CHECK-LABEL: gpu.func @empty
// CHECK-SAME: (%{{.*}}: memref<1xi64>, %[[Y:.*]]: memref<4xi64>)
// CHECK-NOT: memref.load
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: memref.store %[[ZERO]], %[[Y]]
// CHECK-LABEL: gpu.func @helper
// CHECK-SAME: memref<0xi64>
module attributes {gpu.container_module} {
  gpu.module @exe {
    gpu.func @empty(%x: memref<0x5xi64>, %y: memref<4xi64>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %c0 = arith.constant 0 : index
      %v = memref.load %x[%c0, %c0] : memref<0x5xi64>
      memref.store %v, %x[%c0, %c0] : memref<0x5xi64>
      memref.store %v, %y[%c0] : memref<4xi64>
      gpu.return
    }
    gpu.func @helper(%x: memref<0xi64>) {
      gpu.return
    }
  }
}
