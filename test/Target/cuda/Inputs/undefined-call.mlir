// A kernel that calls a function nobody defines: its PTX would fail to
// load on the GPU, so serializing it is an error.
module attributes {gpu.container_module} {
  gpu.module @cuda_0 [#nvvm.target<chip = "sm_80", features = "+ptx70">] {
    llvm.func @helper(f32) -> f32
    llvm.func @k(%p: !llvm.ptr) attributes {nvvm.kernel} {
      %v = llvm.load %p : !llvm.ptr -> f32
      %r = llvm.call @helper(%v) : (f32) -> f32
      llvm.store %r, %p : f32, !llvm.ptr
      llvm.return
    }
  }
}
