// RUN: strata-opt %s | FileCheck %s
// RUN: strata-opt %s | strata-opt | FileCheck %s
// RUN: strata-opt %s --mlir-print-op-generic | strata-opt | FileCheck %s

// A schedule on tensors: an executable with two kernels, their exports, and
// the steps of the entry function.

// CHECK-LABEL: schedule.executable @cpu target("cpu") device(0) {
// CHECK-NEXT: schedule.export @scale(read, read, write){{$}}
// CHECK-NEXT: schedule.export @relu(read, write) workgroups [4, 1, 1] scratch [64] {function = @relu, push_constants = 2 : i64, shared_memory = 128 : i64, workgroup_size = array<i64: 8, 1, 1>}
// CHECK: builtin.module {
schedule.executable @cpu target("cpu") device(0) {
  schedule.export @scale(read, read, write)
  schedule.export @relu(read, write) workgroups [4, 1, 1] scratch [64]
      {function = @relu, workgroup_size = array<i64: 8, 1, 1>,
       push_constants = 2, shared_memory = 128}
  builtin.module {
    func.func @scale(%x: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<4xf32> {
      return %x : tensor<4xf32>
    }
    func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> {
      return %x : tensor<4xf32>
    }
  }
}

// CHECK-LABEL: schedule.executable @accelerator target("null") device(1)
// CHECK: schedule.export @relu(read, read_write)
schedule.executable @accelerator target("null") device(1) {
  schedule.export @relu(read, read_write)
  builtin.module {
  }
}

// A cuda kernel that reads binding 0 through a TMA tensor map.
// CHECK-LABEL: schedule.executable @tma target("cuda") device(4)
// CHECK: schedule.export @mm(read, read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "mm_tensor_map_0", element = bf16, shape = [256, 512], box = [128, 64], swizzle = 128>]}
schedule.executable @tma target("cuda") device(4) {
  schedule.export @mm(read, read, write) {tensor_maps = [
      #schedule.tensor_map<binding = 0, symbol = "mm_tensor_map_0",
          element = bf16, shape = [256, 512], box = [128, 64], swizzle = 128>]}
  builtin.module {
  }
}

// A GPU target's kernel is in a kernel module inside the executable's.
// CHECK-LABEL: schedule.executable @gpu target("cuda") device(2)
// CHECK: schedule.export @"relu-1"(read, write) {function = @relu_1}
schedule.executable @gpu target("cuda") device(2) {
  schedule.export @"relu-1"(read, write) {function = @relu_1}
  builtin.module attributes {gpu.container_module} {
    gpu.module @gpu {
      gpu.func @relu_1(%x: memref<4xf32>, %y: memref<4xf32>) kernel {
        gpu.return
      }
    }
  }
}

// A kernel whose steps each need all of the one before runs as a chain.
// CHECK-LABEL: schedule.executable @chain target("vulkan") device(3)
// CHECK-NEXT: schedule.export @copy(read, write) workgroups [8, 1, 1] {then = @copy_1}
// CHECK-NEXT: schedule.export @copy_1(read, write) workgroups [64, 1, 1]{{$}}
schedule.executable @chain target("vulkan") device(3) {
  schedule.export @copy(read, write) workgroups [8, 1, 1] {then = @copy_1}
  schedule.export @copy_1(read, write) workgroups [64, 1, 1]
  builtin.module {
  }
}

// CHECK-LABEL: func.func @main
// CHECK: %[[P:.*]] = schedule.dispatch @cpu::@scale(%{{.*}}, %{{.*}}) step("scale_1") : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[M:.*]] = schedule.copy %[[P]] to device(1) step("to_accelerator") : tensor<4xf32>
// CHECK: %[[R:.*]] = schedule.dispatch @accelerator::@relu(%[[M]]) step("relu_1") : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[F:.*]] = schedule.fill 1065353216 device(0) step("ones") : tensor<4xf32>
// CHECK: schedule.copy %[[F]] to device(0) step("staged") memory(host) : tensor<4xf32>
// CHECK: schedule.dispatch @cpu::@scale(%{{.*}}, %{{.*}}) step("scale_2") memory(host)
func.func @main(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c = arith.constant dense<2.0> : tensor<4xf32>
  %p = schedule.dispatch @cpu::@scale(%x, %c) step("scale_1")
      : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %m = schedule.copy %p to device(1) step("to_accelerator") : tensor<4xf32>
  %r = schedule.dispatch @accelerator::@relu(%m) step("relu_1")
      : (tensor<4xf32>) -> tensor<4xf32>
  %f = schedule.fill 1065353216 device(0) step("ones") : tensor<4xf32>
  %h = schedule.copy %f to device(0) step("staged") memory(host) : tensor<4xf32>
  %s = schedule.dispatch @cpu::@scale(%h, %c) step("scale_2") memory(host)
      : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r, %s : tensor<4xf32>, tensor<4xf32>
}
