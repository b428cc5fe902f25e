// RUN: strata-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline='builtin.module(schedule.executable(strata-gpu-distribute{workgroup-size=64}))' \
// RUN:   | FileCheck %s

// One parallel loop: its iterations, linearized row-major, go grid-stride
// over 64 invocations of each of ceil(300 / 64) = 5 workgroups.
// CHECK-LABEL: schedule.executable @one_loop
// CHECK: schedule.export @k(read, write) workgroups [5, 1, 1] {workgroup_size = array<i64: 64, 1, 1>}
// CHECK: builtin.module attributes {gpu.container_module}
// CHECK: gpu.module @one_loop
// CHECK: gpu.func @k(%[[X:.*]]: memref<3x100xf32>, %[[Y:.*]]: memref<3x100xf32>) kernel
// CHECK-SAME: known_block_size = array<i32: 64, 1, 1>
// CHECK-SAME: known_grid_size = array<i32: 5, 1, 1>
// CHECK-DAG: %[[TID:.*]] = gpu.thread_id x
// CHECK-DAG: %[[WG:.*]] = gpu.block_id x
// CHECK: %[[BASE:.*]] = arith.muli %[[WG]], %c64
// CHECK: %[[START:.*]] = arith.addi %[[BASE]], %[[TID]]
// CHECK: scf.for %[[I:.*]] = %[[START]] to %c300{{.*}} step %c320
// CHECK:   %[[COL:.*]] = arith.remui %[[I]], %c100
// CHECK:   %[[ROW:.*]] = arith.divui %[[I]], %c100
// CHECK:   memref.load %[[X]]
// CHECK:   memref.store {{.*}}, %[[Y]]
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
// CHECK-NOT: func.func
schedule.executable @one_loop target("vulkan") device(0) {
  schedule.export @k(read, write)
  builtin.module {
    func.func @k(%x: memref<3x100xf32>, %y: memref<3x100xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c3 = arith.constant 3 : index
      %c100 = arith.constant 100 : index
      scf.parallel (%i, %j) = (%c0, %c0) to (%c3, %c100) step (%c1, %c1) {
        %v = memref.load %x[%i, %j] : memref<3x100xf32>
        %w = math.exp %v : f32
        memref.store %w, %y[%i, %j] : memref<3x100xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

// Several steps: one workgroup, whose invocations share each loop; the
// serial step runs on invocation 0; a barrier ends every step but the last,
// before the load that reads what it wrote.
// CHECK-LABEL: schedule.executable @steps
// CHECK: schedule.export @k(read, write) workgroups [1, 1, 1]
// CHECK: gpu.func @k(%[[X:.*]]: memref<8xf32>, %[[Y:.*]]: memref<8xf32>)
// CHECK: %[[TID:.*]] = gpu.thread_id x
// CHECK: scf.for %{{.*}} = %[[TID]] to %c8{{.*}} step %c64
// CHECK: gpu.barrier
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[TID]], %c0
// CHECK: scf.if %[[FIRST]] {
// CHECK:   memref.store %{{.*}}, %[[Y]][%c0
// CHECK: }
// CHECK: gpu.barrier
// CHECK: memref.load %[[Y]][%c0
// CHECK: scf.for %{{.*}} = %[[TID]] to %c8{{.*}} step %c64
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
schedule.executable @steps target("vulkan") device(0) {
  schedule.export @k(read, write)
  builtin.module {
    func.func @k(%x: memref<8xf32>, %y: memref<8xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c8 = arith.constant 8 : index
      %one = arith.constant 1.0 : f32
      scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
        %v = memref.load %x[%i] : memref<8xf32>
        memref.store %v, %y[%i] : memref<8xf32>
        scf.reduce
      }
      memref.store %one, %y[%c0] : memref<8xf32>
      %first = memref.load %y[%c0] : memref<8xf32>
      scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
        %v = memref.load %y[%i] : memref<8xf32>
        %s = arith.addf %v, %first : f32
        memref.store %s, %y[%i] : memref<8xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

// Two steps that each spread over more than one workgroup, the second
// reading what the first wrote (a copy into scratch, then a transpose):
// a chain of two kernels, each over all its workgroups, with no barrier
// inside; the runtime orders them. The value read between the steps goes
// with the second, and each kernel has its own stack scratch.
// CHECK-LABEL: schedule.executable @chain
// CHECK: schedule.export @k(read, write) workgroups [5, 1, 1] scratch [1200] {function = @[[K0:.*]], then = @[[NEXT:.*]], workgroup_size = array<i64: 64, 1, 1>}
// CHECK-NEXT: schedule.export @[[NEXT]](read, write) workgroups [5, 1, 1] scratch [1200] {workgroup_size
// CHECK: gpu.func @[[K0]](%[[X:.*]]: memref<300xf32>, %[[Y:.*]]: memref<20x15xf32>, %[[T:.*]]: memref<300xf32>)
// CHECK-SAME: known_grid_size = array<i32: 5, 1, 1>
// CHECK: scf.for
// CHECK:   memref.load %[[X]]
// CHECK:   memref.store {{.*}}, %[[T]]
// CHECK-NOT: gpu.barrier
// CHECK-NOT: memref.store
// CHECK: gpu.return
// CHECK: gpu.func @[[NEXT]](%[[X1:.*]]: memref<300xf32>, %[[Y1:.*]]: memref<20x15xf32>, %[[T1:.*]]: memref<300xf32>)
// CHECK-SAME: known_grid_size = array<i32: 5, 1, 1>
// CHECK: %[[TMP:.*]] = memref.alloca() : memref<1xf32, #gpu.address_space<private>>
// CHECK: %[[SCALE:.*]] = memref.load %[[X1]][%c0
// CHECK: %[[VIEW:.*]] = memref.expand_shape %[[T1]]
// CHECK: scf.for
// CHECK:   memref.load %[[VIEW]]
// CHECK:   arith.mulf %{{.*}}, %[[SCALE]]
// CHECK:   memref.store {{.*}}, %[[TMP]]
// CHECK:   memref.store {{.*}}, %[[Y1]]
// CHECK-NOT: gpu.barrier
// CHECK: gpu.return
// CHECK-NOT: func.func
schedule.executable @chain target("vulkan") device(0) {
  schedule.export @k(read, write) scratch [1200]
  builtin.module {
    func.func @k(%x: memref<300xf32>, %y: memref<20x15xf32>, %t: memref<300xf32>) {
      %tmp = memref.alloca() : memref<1xf32>
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c15 = arith.constant 15 : index
      %c20 = arith.constant 20 : index
      %c300 = arith.constant 300 : index
      scf.parallel (%i) = (%c0) to (%c300) step (%c1) {
        %v = memref.load %x[%i] : memref<300xf32>
        memref.store %v, %t[%i] : memref<300xf32>
        scf.reduce
      }
      %scale = memref.load %x[%c0] : memref<300xf32>
      %view = memref.expand_shape %t [[0, 1]] output_shape [15, 20] : memref<300xf32> into memref<15x20xf32>
      scf.parallel (%i, %j) = (%c0, %c0) to (%c20, %c15) step (%c1, %c1) {
        %v = memref.load %view[%j, %i] : memref<15x20xf32>
        %s = arith.mulf %v, %scale : f32
        memref.store %s, %tmp[%c0] : memref<1xf32>
        %r = memref.load %tmp[%c0] : memref<1xf32>
        memref.store %r, %y[%i, %j] : memref<20x15xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

// A value read between two steps and used by a later one would be read
// after the steps between had written, so these steps stay one workgroup.
// CHECK-LABEL: schedule.executable @kept
// CHECK: schedule.export @k(read, write) workgroups [1, 1, 1]
// CHECK-NOT: then
schedule.executable @kept target("vulkan") device(0) {
  schedule.export @k(read, write)
  builtin.module {
    func.func @k(%x: memref<300xf32>, %y: memref<300xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c300 = arith.constant 300 : index
      %first = memref.load %y[%c0] : memref<300xf32>
      scf.parallel (%i) = (%c0) to (%c300) step (%c1) {
        %v = memref.load %x[%i] : memref<300xf32>
        memref.store %v, %y[%i] : memref<300xf32>
        scf.reduce
      }
      scf.parallel (%i) = (%c0) to (%c300) step (%c1) {
        %v = memref.load %y[%i] : memref<300xf32>
        %s = arith.addf %v, %first : f32
        memref.store %s, %y[%i] : memref<300xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

// Stack scratch is private to each invocation.
// CHECK-LABEL: schedule.executable @scratch
// CHECK: memref.alloca() : memref<4xf32, #gpu.address_space<private>>
schedule.executable @scratch target("vulkan") device(0) {
  schedule.export @k(write)
  builtin.module {
    func.func @k(%y: memref<8xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c8 = arith.constant 8 : index
      %tmp = memref.alloca() : memref<4xf32>
      scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
        %v = memref.load %tmp[%c0] : memref<4xf32>
        memref.store %v, %y[%i] : memref<8xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

schedule.executable @dynamic target("vulkan") device(0) {
  schedule.export @k(write)
  builtin.module {
    // expected-error @+1 {{GPU kernels take statically shaped buffers, not 'memref<?xf32>'}}
    func.func @k(%y: memref<?xf32>) {
      return
    }
  }
}

// -----

schedule.executable @global target("vulkan") device(0) {
  schedule.export @k(write)
  builtin.module {
    memref.global "private" constant @c : memref<2xf32> = dense<[1.0, 2.0]>
    func.func @k(%y: memref<2xf32>) {
      // expected-error @+1 {{kernel @k reads the constant 'memref<2xf32>' from device code, which GPU kernels cannot hold}}
      %g = memref.get_global @c : memref<2xf32>
      memref.copy %g, %y : memref<2xf32> to memref<2xf32>
      return
    }
  }
}

// -----

schedule.executable @result target("vulkan") device(0) {
  schedule.export @k(read, write)
  builtin.module {
    // expected-error @+1 {{GPU kernels return nothing; results must be written to bindings}}
    func.func @k(%x: memref<4xf32>) -> f32 {
      %c0 = arith.constant 0 : index
      %v = memref.load %x[%c0] : memref<4xf32>
      return %v : f32
    }
  }
}

// -----

schedule.executable @missing target("vulkan") device(0) {
  // expected-error @+1 {{'schedule.export' op has no kernel function @k}}
  schedule.export @k(write)
  builtin.module {
  }
}

// -----

schedule.executable @dynamic_loop target("vulkan") device(0) {
  schedule.export @k(read, write)
  builtin.module {
    func.func @k(%n: memref<i32>, %y: memref<8xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %one = arith.constant 1.0 : f32
      %loaded = memref.load %n[] : memref<i32>
      %ub = arith.index_cast %loaded : i32 to index
      // expected-error @+1 {{a GPU kernel's loop needs static bounds and no results}}
      scf.parallel (%i) = (%c0) to (%ub) step (%c1) {
        memref.store %one, %y[%i] : memref<8xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

schedule.executable @huge target("vulkan") device(0) {
  schedule.export @k(write)
  builtin.module {
    func.func @k(%y: memref<8xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c65536 = arith.constant 65536 : index
      %one = arith.constant 1.0 : f32
      // expected-error @+1 {{a GPU kernel's loop has 4294967296 iterations, more than 32-bit indices reach}}
      scf.parallel (%i, %j) = (%c0, %c0) to (%c65536, %c65536) step (%c1, %c1) {
        memref.store %one, %y[%c0] : memref<8xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

schedule.executable @yields target("vulkan") device(0) {
  schedule.export @k(write)
  builtin.module {
    func.func @k(%y: memref<8xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c8 = arith.constant 8 : index
      %zero = arith.constant 0.0 : f32
      // expected-error @+1 {{a GPU kernel step that writes memory and yields a value used later is not supported}}
      %sum = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %zero) -> f32 {
        memref.store %acc, %y[%i] : memref<8xf32>
        %next = arith.addf %acc, %acc : f32
        scf.yield %next : f32
      }
      %twice = arith.addf %sum, %sum : f32
      memref.store %twice, %y[%c0] : memref<8xf32>
      return
    }
  }
}

// -----

// A loop of workgroup tiles: each of its 6 tiles is one workgroup's, grid-
// stride over 6 workgroups. Inside a tile the steps are the workgroup's:
// the fill is shared by its invocations, the loop of one iteration per
// invocation is that invocation's own code, and barriers separate them and
// end the tile, whose workgroup buffers the next tile reuses. The buffers
// move to the kernel's entry and their bytes are the export's
// shared_memory, each rounded up to 16 (where the next one starts): 256
// and 5 booleans, a byte each, make 272.
// CHECK-LABEL: schedule.executable @tiles
// CHECK: schedule.export @k(write) workgroups [6, 1, 1] {shared_memory = 272 : i64, workgroup_size = array<i64: 64, 1, 1>}
// CHECK: gpu.func @k(%[[Y:.*]]: memref<6x64xf32>)
// CHECK-DAG: %[[TID:.*]] = gpu.thread_id x
// CHECK-DAG: %[[WG:.*]] = gpu.block_id x
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<64xf32, #gpu.address_space<workgroup>>
// CHECK: scf.for %[[TILE:.*]] = %[[WG]] to %c6{{.*}} step %c6
// CHECK:   scf.for %{{.*}} = %[[TID]] to %c64{{.*}} step %c64
// CHECK:     memref.store %{{.*}}, %[[BUF]]
// CHECK:   gpu.barrier
// CHECK:   memref.load %[[BUF]][%[[TID]]]
// CHECK:   memref.store %{{.*}}, %[[Y]][%{{.*}}, %[[TID]]]
// CHECK:   gpu.barrier
// CHECK-NEXT: }
// CHECK-NOT: memref.dealloc
schedule.executable @tiles target("vulkan") device(0) {
  schedule.export @k(write)
  builtin.module {
    func.func @k(%y: memref<6x64xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c64 = arith.constant 64 : index
      %one = arith.constant 1.0 : f32
      %true = arith.constant true
      scf.forall (%i) in (6) {
        %buf = memref.alloc() : memref<64xf32, #gpu.address_space<workgroup>>
        %flags = memref.alloc() : memref<5xi1, #gpu.address_space<workgroup>>
        scf.parallel (%j) = (%c0) to (%c64) step (%c1) {
          memref.store %one, %buf[%j] : memref<64xf32, #gpu.address_space<workgroup>>
          scf.reduce
        }
        scf.forall (%t) in (64) {
          memref.store %true, %flags[%c0] : memref<5xi1, #gpu.address_space<workgroup>>
          %v = memref.load %buf[%t] : memref<64xf32, #gpu.address_space<workgroup>>
          memref.store %v, %y[%i, %t] : memref<6x64xf32>
        } {mapping = [#gpu.thread<linear_dim_0>]}
        memref.dealloc %buf : memref<64xf32, #gpu.address_space<workgroup>>
      } {mapping = [#gpu.block<linear_dim_0>]}
      return
    }
  }
}

// -----

// An invocation's own code is one iteration per invocation, no fewer.
schedule.executable @few_threads target("vulkan") device(0) {
  schedule.export @k(write)
  builtin.module {
    func.func @k(%y: memref<32xf32>) {
      %one = arith.constant 1.0 : f32
      // expected-error @+1 {{a loop over invocations must have one iteration per invocation (64)}}
      scf.forall (%t) in (32) {
        memref.store %one, %y[%t] : memref<32xf32>
      } {mapping = [#gpu.thread<linear_dim_0>]}
      return
    }
  }
}

// -----

// Kernels are named as PTX and SPIR-V tools take identifiers: other
// characters become '_', and the export records the kernel's name.
// CHECK-LABEL: schedule.executable @names
// CHECK: schedule.export @"torch-jit-export_dispatch_0"(write) workgroups [1, 1, 1] {function = @torch_jit_export_dispatch_0, workgroup_size = array<i64: 64, 1, 1>}
// CHECK: gpu.func @torch_jit_export_dispatch_0(
schedule.executable @names target("cuda") device(0) {
  schedule.export @"torch-jit-export_dispatch_0"(write)
  builtin.module {
    func.func @"torch-jit-export_dispatch_0"(%y: memref<4xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %one = arith.constant 1.0 : f32
      scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
        memref.store %one, %y[%i] : memref<4xf32>
        scf.reduce
      }
      return
    }
  }
}

// -----

// The globals a kernel references move into the gpu.module with it, and
// those of its tensor maps go to its export: here one of the two the
// function describes (the other's global is not the kernel's).
// CHECK-LABEL: schedule.executable @tensor_maps
// CHECK: schedule.export @k(read, write) workgroups [1, 1, 1] {tensor_maps = [#schedule.tensor_map<binding = 0, symbol = "k_map", element = bf16, shape = [64, 64], box = [64, 64], swizzle = 128>], workgroup_size = array<i64: 64, 1, 1>}
// CHECK: builtin.module attributes {gpu.container_module}
// CHECK-NEXT: llvm.mlir.global external @unused(
// CHECK-NEXT: gpu.module @tensor_maps
// CHECK-NEXT: llvm.mlir.global external @k_map(
// CHECK: gpu.func @k(
// CHECK: llvm.mlir.addressof @k_map
schedule.executable @tensor_maps target("cuda") device(0) {
  schedule.export @k(read, write)
  builtin.module {
    llvm.mlir.global external @k_map(dense<0> : tensor<128xi8>) {addr_space = 4 : i32, alignment = 64 : i64} : !llvm.array<128 x i8>
    llvm.mlir.global external @unused(dense<0> : tensor<128xi8>) {addr_space = 4 : i32, alignment = 64 : i64} : !llvm.array<128 x i8>
    func.func @k(%x: memref<64x64xbf16>, %y: memref<64xi64>) attributes {schedule.tensor_maps = [
        #schedule.tensor_map<binding = 0, symbol = "k_map", element = bf16, shape = [64, 64], box = [64, 64], swizzle = 128>,
        #schedule.tensor_map<binding = 0, symbol = "unused", element = bf16, shape = [64, 64], box = [64, 64], swizzle = 128>]} {
      %c0 = arith.constant 0 : index
      %map = llvm.mlir.addressof @k_map : !llvm.ptr<4>
      %int = llvm.ptrtoint %map : !llvm.ptr<4> to i64
      memref.store %int, %y[%c0] : memref<64xi64>
      return
    }
  }
}
