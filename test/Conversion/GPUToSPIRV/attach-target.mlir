// RUN: strata-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(strata-spirv-attach-target{target=lavapipe})' \
// RUN:   | FileCheck %s

// The preset's environment goes on the module, each kernel's workgroup
// size into its entry-point ABI, and its stack scratch into Function
// variables.
// CHECK: module attributes {gpu.container_module, spirv.target_env = #spirv.target_env<#spirv.vce<v1.3, [Shader, Int64, Int16, Int8, Float64, Float16, StorageBuffer16BitAccess, StorageBuffer8BitAccess
// CHECK-SAME: subgroup_size = 8
// CHECK: gpu.func @k
// CHECK-SAME: spirv.entry_point_abi = #spirv.entry_point_abi<workgroup_size = [64, 1, 1]>
// CHECK: memref.alloca() : memref<2xf16, #spirv.storage_class<Function>>
// CHECK: memref.transpose %{{.*}} (d0, d1) -> (d1, d0) : memref<2x3xf16, #spirv.storage_class<Function>> to memref<3x2xf16, strided<[1, 3]>, #spirv.storage_class<Function>>
module attributes {gpu.container_module} {
  gpu.module @exe {
    gpu.func @k(%x: memref<4xf16>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %tmp = memref.alloca() : memref<2xf16, #gpu.address_space<private>>
      %tile = memref.alloca() : memref<2x3xf16, #gpu.address_space<private>>
      %t = memref.transpose %tile (i, j) -> (j, i) : memref<2x3xf16, #gpu.address_space<private>> to memref<3x2xf16, strided<[1, 3]>, #gpu.address_space<private>>
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @exe {
    // expected-error @+1 {{kernel @k uses 'memref<4xbf16>', which Vulkan SPIR-V has no type for}}
    gpu.func @k(%x: memref<4xbf16>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @exe {
    // expected-error @+1 {{kernel @k has no known workgroup size}}
    gpu.func @k(%x: memref<4xf32>) kernel {
      gpu.return
    }
  }
}
