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
