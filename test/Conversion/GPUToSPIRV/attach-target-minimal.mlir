// RUN: strata-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(strata-spirv-attach-target{target=minimal})'

// Vulkan 1.1 without optional features: 8-, 16- and 64-bit types are
// refused by name, never narrowed or widened in silence.
module attributes {gpu.container_module} {
  gpu.module @exe {
    // expected-error @+1 {{kernel @k uses 'memref<4xf16>', which needs the SPIR-V capability Float16, and Vulkan target 'minimal' lacks it}}
    gpu.func @k(%x: memref<4xf16>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @exe {
    gpu.func @k(%x: memref<4xf32>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      %c0 = arith.constant 0 : index
      %v = memref.load %x[%c0] : memref<4xf32>
      // expected-error @+1 {{kernel @k uses 'f64', which needs the SPIR-V capability Float64, and Vulkan target 'minimal' lacks it}}
      %w = arith.extf %v : f32 to f64
      gpu.return
    }
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @exe {
    // expected-error @+1 {{kernel @k uses 'memref<4xi1>', which needs the SPIR-V capability Int8, and Vulkan target 'minimal' lacks it}}
    gpu.func @k(%x: memref<4xi1>) kernel attributes {known_block_size = array<i32: 64, 1, 1>} {
      gpu.return
    }
  }
}
