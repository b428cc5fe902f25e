// RUN: strata-opt %s --allow-unregistered-dialect --pass-pipeline="builtin.module(schedule.executable(strata-transient-buffers))" | FileCheck %s

// The two whole-function allocations of an exported kernel become trailing
// arguments, in order, and its export's scratch lists their sizes in bytes
// (an i1 takes a byte); their deallocations go. The loop's per-iteration
// scratch becomes one stack buffer at the entry, and the dynamic allocation
// stays.
// CHECK: schedule.export @kernel(read, write) scratch [128, 3]
// CHECK: schedule.export @escapes(){{$}}
// CHECK: schedule.export @workgroup(){{$}}
// CHECK-LABEL: func.func @kernel
// CHECK-SAME: (%[[IN:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<4xf32>, %[[T0:.*]]: memref<4x8xf32>, %[[T1:.*]]: memref<3xi1>)
// CHECK: %[[SCRATCH:.*]] = memref.alloca() : memref<2xf32>
// CHECK-NOT: memref.alloc()
// CHECK: memref.copy %[[IN]], %[[OUT]]
// CHECK: "test.use"(%[[T0]], %[[T1]])
// CHECK: memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: scf.for
// CHECK-NEXT: "test.use"(%[[SCRATCH]])
// CHECK-NEXT: }
// CHECK-NOT: memref.dealloc %[[T0]]
// CHECK-NOT: memref.dealloc %[[T1]]
schedule.executable @cpu target("cpu") device(0) {
  schedule.export @kernel(read, write)
  schedule.export @escapes()
  schedule.export @workgroup()
  builtin.module {
    func.func @kernel(%in: memref<4xf32>, %out: memref<4xf32>) {
      %a = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
      %b = memref.alloc() : memref<3xi1>
      memref.copy %in, %out : memref<4xf32> to memref<4xf32>
      "test.use"(%a, %b) : (memref<4x8xf32>, memref<3xi1>) -> ()
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      %d = memref.alloc(%c4) : memref<?xf32>
      scf.for %i = %c0 to %c4 step %c1 {
        %t = memref.alloc() : memref<2xf32>
        "test.use"(%t) : (memref<2xf32>) -> ()
        memref.dealloc %t : memref<2xf32>
      }
      memref.dealloc %d : memref<?xf32>
      memref.dealloc %a : memref<4x8xf32>
      memref.dealloc %b : memref<3xi1>
      return
    }

    // A private function keeps its allocations: only entry points get bindings.
    // CHECK-LABEL: func.func private @helper
    // CHECK: memref.alloc() : memref<4xf32>
    func.func private @helper() {
      %a = memref.alloc() : memref<4xf32>
      "test.use"(%a) : (memref<4xf32>) -> ()
      memref.dealloc %a : memref<4xf32>
      return
    }

    // A loop buffer that leaves its iteration through a loop's result stays on
    // the heap.
    // CHECK-LABEL: func.func @escapes
    // CHECK-NOT: memref.alloca
    // CHECK: memref.alloc() : memref<4xf32>
    func.func @escapes(%n: index) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      scf.for %i = %c0 to %n step %c1 {
        %a = memref.alloc() : memref<4xf32>
        %r = scf.for %j = %c0 to %n step %c1 iter_args(%b = %a) -> (memref<4xf32>) {
          scf.yield %b : memref<4xf32>
        }
        "test.use"(%r) : (memref<4xf32>) -> ()
        memref.dealloc %r : memref<4xf32>
      }
      return
    }

    // A buffer in another memory space (a GPU workgroup's) is the target's
    // to place: neither a binding nor a stack buffer.
    // CHECK-LABEL: func.func @workgroup()
    // CHECK: memref.alloc() : memref<4xf32, #gpu.address_space<workgroup>>
    // CHECK: scf.for
    // CHECK: memref.alloc() : memref<2xf32, #gpu.address_space<workgroup>>
    func.func @workgroup() {
      %a = memref.alloc() : memref<4xf32, #gpu.address_space<workgroup>>
      "test.use"(%a) : (memref<4xf32, #gpu.address_space<workgroup>>) -> ()
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c4 = arith.constant 4 : index
      scf.for %i = %c0 to %c4 step %c1 {
        %t = memref.alloc() : memref<2xf32, #gpu.address_space<workgroup>>
        "test.use"(%t) : (memref<2xf32, #gpu.address_space<workgroup>>) -> ()
      }
      return
    }
  }
}
