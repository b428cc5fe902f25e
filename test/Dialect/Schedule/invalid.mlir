// RUN: strata-opt %s --split-input-file --verify-diagnostics

// expected-error @+1 {{'schedule.executable' op must hold one builtin.module with its kernels, has 0}}
schedule.executable @e target("cpu") device(0) {
  schedule.export @k(read)
}

// -----

// expected-error @+1 {{'schedule.executable' op may hold only schedule.export ops and one builtin.module, not func.func}}
schedule.executable @e target("cpu") device(0) {
  func.func @k() {
    return
  }
  builtin.module {
  }
}

// -----

// expected-error @+1 {{'schedule.executable' op attribute 'device' failed to satisfy constraint: 32-bit signless integer attribute whose value is non-negative}}
schedule.executable @e target("cpu") device(-1) {
  builtin.module {
  }
}

// -----

schedule.executable @e target("cpu") device(0) {
  // expected-error @+1 {{unknown access 'rw' (known: read, write, read_write)}}
  schedule.export @k(read, rw)
  builtin.module {
  }
}

// -----

schedule.executable @e target("cpu") device(0) {
  // expected-error @+1 {{'schedule.export' op workgroups must be 3 counts >= 0}}
  schedule.export @k(read) workgroups [4, 1]
  builtin.module {
  }
}

// -----

schedule.executable @e target("cpu") device(0) {
  // expected-error @+1 {{'schedule.export' op workgroup_size must be 3 sizes >= 1}}
  schedule.export @k(read) {workgroup_size = array<i64: 0, 1, 1>}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cpu") device(0) {
  // expected-error @+1 {{'schedule.export' op scratch sizes must be >= 0}}
  schedule.export @k(read) scratch [-4]
  builtin.module {
  }
}

// -----

schedule.executable @e target("cpu") device(0) {
  // expected-error @+1 {{'schedule.export' op push_constants and shared_memory must be >= 0}}
  schedule.export @k(read) {shared_memory = -1 : i64}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cpu") device(0) {
  // expected-error @+1 {{'schedule.export' op function 'missing' is not in the executable's module}}
  schedule.export @k(read) {function = @missing}
  builtin.module {
  }
}

// -----

schedule.executable @e target("vulkan") device(0) {
  // expected-error @+1 {{'schedule.export' op then @missing is not an export of the executable}}
  schedule.export @k(read, write) {then = @missing}
  builtin.module {
  }
}

// -----

schedule.executable @e target("vulkan") device(0) {
  // expected-error @+1 {{'schedule.export' op then @k runs again: the chain of kernels must end}}
  schedule.export @k(read, write) {then = @k_1}
  schedule.export @k_1(read, write) {then = @k}
  builtin.module {
  }
}

// -----

schedule.executable @e target("vulkan") device(0) {
  // expected-error @+1 {{'schedule.export' op then @k_1 takes other bindings, scratch or push constants}}
  schedule.export @k(read, write) scratch [64] {then = @k_1}
  schedule.export @k_1(read, write)
  builtin.module {
  }
}

// -----

schedule.executable @e target("cpu") device(0) {
  // expected-error @+1 {{'schedule.export' op binding 0 has no access 7}}
  "schedule.export"() {sym_name = "k", bindings = array<i32: 7>} : () -> ()
  builtin.module {
  }
}

// -----

// expected-error @+1 {{'schedule.export' op expects parent op 'schedule.executable'}}
schedule.export @k(read)

// -----

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'schedule.dispatch' op kernel @nowhere::@k is not a schedule.export of an executable}}
  %y = schedule.dispatch @nowhere::@k(%x) step("s") : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

schedule.executable @e target("cpu") device(0) {
  schedule.export @k(read, write)
  builtin.module {
  }
}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'schedule.dispatch' op kernel @e::@k takes 2 bindings, the dispatch has 2 operands and 1 results}}
  %y = schedule.dispatch @e::@k(%x, %x) step("s") : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

schedule.executable @e target("cpu") device(0) {
  schedule.export @k(write, write)
  builtin.module {
  }
}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'schedule.dispatch' op operand 0 is bound for reading, but the kernel's binding 0 is write}}
  %y = schedule.dispatch @e::@k(%x) step("s") : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

schedule.executable @e target("cpu") device(0) {
  schedule.export @k(read, read)
  builtin.module {
  }
}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'schedule.dispatch' op result 0 needs a binding the kernel writes, but its binding 1 is read-only}}
  %y = schedule.dispatch @e::@k(%x) step("s") : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

schedule.executable @e target("cpu") device(0) {
  schedule.export @k(read, write)
  builtin.module {
    func.func @k(%x: tensor<8xf32>) -> tensor<8xf32> {
      return %x : tensor<8xf32>
    }
  }
}
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'schedule.dispatch' op types '(tensor<4xf32>) -> tensor<4xf32>' do not match kernel function @k of type '(tensor<8xf32>) -> tensor<8xf32>'}}
  %y = schedule.dispatch @e::@k(%x) step("s") : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'schedule.copy' op attribute 'device' failed to satisfy constraint: 32-bit signless integer attribute whose value is non-negative}}
  %y = schedule.copy %x to device(-2) step("s") : tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @f() -> tensor<3xi8> {
  // expected-error @+1 {{'schedule.fill' op fills whole 32-bit patterns, but 'tensor<3xi8>' has 3 bytes}}
  %y = schedule.fill 0 device(0) step("s") : tensor<3xi8>
  return %y : tensor<3xi8>
}

// -----

func.func @f() -> tensor<4xcomplex<f32>> {
  // expected-error @+1 {{'schedule.fill' op fills tensors of integers or floats, not 'tensor<4xcomplex<f32>>'}}
  %y = schedule.fill 0 device(0) step("s") : tensor<4xcomplex<f32>>
  return %y : tensor<4xcomplex<f32>>
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{'schedule.export' op tensor map of binding 3, which does not exist}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 3, symbol = "m", element = bf16, shape = [64, 64], box = [64, 64], swizzle = 128>]}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{a tensor map needs a binding >= 0 and a symbol}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "", element = bf16, shape = [64, 64], box = [64, 64], swizzle = 128>]}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{a tensor map's elements are 8, 16, 32 or 64-bit integers or floats, not 'i1'}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "m", element = i1, shape = [64, 64], box = [64, 64], swizzle = 128>]}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{a tensor map has 1 to 5 dims and a box of as many, not 6 and 6}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "m", element = bf16, shape = [1, 1, 1, 1, 1, 64], box = [1, 1, 1, 1, 1, 64], swizzle = 0>]}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{a tensor map's dims are >= 1 and its boxes 1 to 256, not 64 in boxes of 300}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "m", element = bf16, shape = [64, 64], box = [300, 64], swizzle = 0>]}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{a tensor map swizzles 0, 32, 64 or 128 bytes, not 16}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "m", element = bf16, shape = [64, 64], box = [64, 64], swizzle = 16>]}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{a box row of 256 bytes is not a multiple of 16 within the swizzle}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "m", element = bf16, shape = [64, 128], box = [64, 128], swizzle = 128>]}
  builtin.module {
  }
}

// -----

schedule.executable @e target("cuda") device(0) {
  // expected-error @+1 {{a tensor map's rows of 136 bytes are not a multiple of 16}}
  schedule.export @k(read, write) {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "m", element = bf16, shape = [64, 68], box = [64, 8], swizzle = 0>]}
  builtin.module {
  }
}
