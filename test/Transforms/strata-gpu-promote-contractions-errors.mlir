// RUN: strata-opt %s --pass-pipeline='builtin.module(func.func(strata-gpu-promote-contractions))' \
// RUN:   --verify-diagnostics

// Workgroup memory is sized when the kernel is built.
func.func @dynamic(%n: index) {
  scf.forall (%i) in (4) {
    // expected-error @+1 {{a workgroup's tile allocates a buffer of dynamic size}}
    %m = memref.alloc(%n) : memref<?xf32>
    memref.dealloc %m : memref<?xf32>
  } {mapping = [#gpu.block<x>]}
  return
}
