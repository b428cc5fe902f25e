// RUN: strata-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(gpu.module(strata-nvvm-prepare-kernels))' \
// RUN:   | FileCheck %s

// Workgroup buffers become views of the block's dynamic shared memory, in
// order, each at a 16-byte aligned offset (for ldmatrix, vector accesses
// and wgmma): 40 booleans, a byte each, take 48. A subgroup reduction becomes a
// butterfly of five xor shuffles over the 32 lanes of a warp; the warp's
// index and count come from the thread id and the block size. Every
// binding starts 64-byte aligned, which its argument tells LLVM.
// CHECK-LABEL: gpu.func @reduce
// CHECK-SAME: (%{{.*}}: memref<128xf32> {llvm.align = 64 : i64}, %{{.*}}: memref<1xf32> {llvm.align = 64 : i64})
// CHECK: %[[SHARED:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK: %[[FLAGS:.*]] = memref.view %[[SHARED]][%c0{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<40xi1, #gpu.address_space<workgroup>>
// CHECK: %[[PARTIALS:.*]] = memref.view %[[SHARED]][%c48{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<128xf32, #gpu.address_space<workgroup>>
// CHECK-NOT: memref.alloc
// CHECK: memref.store %{{.*}}, %[[FLAGS]]
// CHECK-COUNT-5: gpu.shuffle xor
// CHECK-NOT: gpu.subgroup_reduce
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: %[[WARP:.*]] = arith.divui %[[TID]], %c32
// CHECK: memref.store %{{.*}}, %[[PARTIALS]][%[[WARP]]]
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1
// CHECK-NOT: gpu.subgroup_id
// CHECK-NOT: gpu.num_subgroups
module attributes {gpu.container_module} {
  gpu.module @exe {
    gpu.func @reduce(%x: memref<128xf32>, %y: memref<1xf32>) kernel attributes {known_block_size = array<i32: 128, 1, 1>} {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %flags = memref.alloc() : memref<40xi1, #gpu.address_space<workgroup>>
      %partials = memref.alloc() : memref<128xf32, #gpu.address_space<workgroup>>
      %tid = gpu.thread_id x
      %zero = arith.constant false
      memref.store %zero, %flags[%c0] : memref<40xi1, #gpu.address_space<workgroup>>
      %v = memref.load %x[%tid] : memref<128xf32>
      %sum = gpu.subgroup_reduce add %v : (f32) -> f32
      %warp = gpu.subgroup_id : index
      memref.store %sum, %partials[%warp] : memref<128xf32, #gpu.address_space<workgroup>>
      gpu.barrier
      %n = gpu.num_subgroups : index
      scf.for %i = %c0 to %n step %c1 {
        %p = memref.load %partials[%i] : memref<128xf32, #gpu.address_space<workgroup>>
        memref.store %p, %y[%c0] : memref<1xf32>
      }
      gpu.return
    }
  }
}

// -----

// A 64-bit value crosses the warp as two 32-bit words at each step.
// CHECK-LABEL: gpu.func @wide
// CHECK-COUNT-10: gpu.shuffle xor %{{.*}} : i32
// CHECK-NOT: gpu.subgroup_reduce
module attributes {gpu.container_module} {
  gpu.module @exe {
    gpu.func @wide(%x: memref<32xf64>, %y: memref<32xf64>) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      %tid = gpu.thread_id x
      %v = memref.load %x[%tid] : memref<32xf64>
      %m = gpu.subgroup_reduce maxnumf %v : (f64) -> f64
      memref.store %m, %y[%tid] : memref<32xf64>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @exe {
    // expected-error @+1 {{kernel @k has no known block size}}
    gpu.func @k(%x: memref<4xf32>) kernel {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @exe {
    // expected-error @+1 {{kernel @k's block of 48x1x1 threads is not a row of whole warps}}
    gpu.func @k(%x: memref<4xf32>) kernel attributes {known_block_size = array<i32: 48, 1, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @exe {
    gpu.func @k(%x: memref<4xf32>, %n: index) kernel attributes {known_block_size = array<i32: 32, 1, 1>} {
      // expected-error @+1 {{workgroup buffer of dynamic shape or layout 'memref<?xf32, #gpu.address_space<workgroup>>'}}
      %b = memref.alloc(%n) : memref<?xf32, #gpu.address_space<workgroup>>
      gpu.return
    }
  }
}
