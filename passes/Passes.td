//===- Passes.td - Strata conversion passes ----------------*- tablegen -*-===//
//
// The conversions between dialects, one folder each, and the kernel-level
// passes the per-target pipelines (Pipelines/) are built from.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_TD
#define STRATA_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertStrataToLinalgPass : Pass<"convert-strata-to-linalg", "ModuleOp"> {
  let summary = "Lower strata ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every strata op on static shapes into linalg named ops and
    `linalg.generic`, with `tensor` ops for data movement and `arith`/`math`
    for the scalar work (scatters, which write in order, become `scf.for`
    loops over tensors). Signed and unsigned integer tensors become signless
    (function signatures included); the ops that care about signedness read
    it from the strata op before the conversion. An op that has no lowering
    yet, or that has dynamic shapes, is reported by name and the pass fails.

    ```mlir
    // Before
    %0 = strata.relu %x : (tensor<4xf32>) -> tensor<4xf32>
    // After
    %0 = linalg.generic {... iterator_types = ["parallel"]}
        ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {
      ^bb0(%in: f32, %out: f32):
        %m = arith.maximumf %in, %cst : f32
        linalg.yield %m : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def StrataTileAndVectorizePass
    : Pass<"strata-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tile, fuse and vectorize linalg ops on tensors for the cpu";
  let description = [{
    A small cost model picks tile sizes per linalg op from the vector width:
    the innermost output dimension gets a multiple of the vector length, a
    contraction's second output dimension a few rows (a register block of
    accumulators), every other parallel dimension 1. Sizes divide the
    dimensions, so tiles are static. Each root op (the last in a chain) is
    tiled with `scf.forall` (its tiles are independent, which dispatch
    formation uses) and its producers are fused into the tile
    (TilingInterface's tile-and-fuse) when the consumer reads them through
    a permutation, so nothing is computed twice; then the reduction
    dimensions of the tiled op are tiled to 1, strided reads become strided
    slices, and what remains is vectorized with `linalg::vectorize`. Ops
    the vectorizer does not handle stay scalar inside their tiles.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "Width of the target's vector registers in bits">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def StrataConvToMatmulPass : Pass<"strata-conv-to-matmul", "func::FuncOp"> {
  let summary = "Rewrite f32 convolutions as an image-to-column copy and a matmul";
  let description = [{
    Matches the convolution generic that `convert-strata-to-linalg` builds,
    over loops (n, g, m, o..., c, k...) with input map
    (n, g, c, o * stride + k * dilation...), weight map (g, m, c, k...) and
    output map (n, g, m, o...), and rewrites it as two ops: a copy of every
    window into a column tensor N x G x (C k...) x (o...), and a batched
    matmul of the G x M x (C k...) weights with it. Every stride, dilation
    and kernel size then runs through the packed matmul path. Convolutions
    with one output channel per group (depthwise) and small ones are left
    alone.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "Width of the target's vector registers in bits">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

def StrataPackContractionsPass
    : Pass<"strata-pack-contractions", "func::FuncOp"> {
  let summary = "Relayout large f32 contractions into register-block panels";
  let description = [{
    Rewrites each f32 matmul-like contraction big enough to gain into the
    blocked form `C[MB][NB][mb][nb] += A[MB][K][mb] * B[NB][K][nb]` with
    upstream `linalg::blockPackMatmul`, where `mb` x `nb` is the cpu
    register block (4 rows by two vectors, `RegisterBlock.h`). The operands are copied into
    these panels once, so the innermost loop of the tiled contraction reads
    both with unit stride instead of striding through B's rows; the result
    is copied back. The pack and unpack ops are then lowered to pad,
    reshape and transpose, which the tiling pass handles like any other
    copy.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "Width of the target's vector registers in bits">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"
  ];
}

def StrataHoistVectorTransfersPass
    : Pass<"strata-hoist-vector-transfers", "func::FuncOp"> {
  let summary = "Keep loop-carried vector accumulators in registers";
  let description = [{
    A vectorized reduction tile reads its accumulator from the loop-carried
    tensor and writes it back in every iteration of the reduction loop.
    On tensors, before bufferization, `hoistLoopInvariantSubsets` moves each
    such slice and transfer pair out of its loop, innermost loops first, so
    the loop carries the accumulator vector itself and it stays in
    registers.
  }];
}

def StrataMemRefCopyToLinalgPass
    : Pass<"strata-memref-copy-to-linalg", "ModuleOp"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Bufferization copies with `memref.copy`, which the LLVM lowering turns
    into a call to MLIR's runtime library when a side is strided. Kernels
    must not depend on that library, so every copy becomes a `linalg.copy`
    that lowers to plain loops with the rest of the kernel. Copies of at
    most `vectorize-up-to` elements with static shapes (the tiles of a tiled
    copy) are vectorized into one transfer read and write instead.
  }];
  let options = [
    Option<"vectorizeUpTo", "vectorize-up-to", "int64_t", "0",
           "Vectorize static copies of at most this many elements (0: none)">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::vector::VectorDialect"
  ];
}

def StrataTransientBuffersPass
    : Pass<"strata-transient-buffers", "ModuleOp"> {
  let summary = "Turn a kernel's whole-function allocations into bindings";
  let description = [{
    Runs on memrefs after bufferization and buffer deallocation. Every
    statically shaped `memref.alloc` in the entry block of a public function
    becomes a new trailing argument, and its deallocations go away; the
    byte sizes of those arguments are recorded, in order, in the function's
    `strata.transients` attribute. The runtime binds them to transient
    buffers of the artifact, carved from an arena it keeps between calls,
    so a model's intermediate tensors are not allocated and page-faulted in
    again on every invocation. A small static buffer that a loop allocates
    in each iteration (and frees, if at all, by its end) becomes one
    `memref.alloca` at the function's entry: bufferized `scf.forall` tiles
    allocate such scratch without freeing it.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def StrataFormDispatchesPass
    : Pass<"strata-form-dispatches", "ModuleOp"> {
  let summary = "Split an entry function into dispatches, parallel loops over workgroups";
  let description = [{
    Runs on memrefs after `strata-transient-buffers`, when the entry
    function's intermediates are all arguments. Its top-level ops become a
    sequence of dispatches, each a public function `<name>_dispatch_<i>`
    with the entry's arguments: every `scf.forall` (the independent tiles of
    a root op) is a dispatch of its own, run by up to `max-workgroups`
    workgroups that each take a contiguous share of its iterations through
    a trailing `index` argument (the workgroup id); the other ops with side
    effects between two foralls form one single-workgroup dispatch. Pure ops
    (constants, views) are cloned into each dispatch that uses them. Each
    dispatch records `strata.dispatch = [index, workgroups]`, the entry is
    erased, and the runtime runs the dispatches in order. A function whose
    steps exchange SSA values, or that has one step without a forall, is
    left whole.
  }];
  let options = [
    Option<"maxWorkgroups", "max-workgroups", "int64_t", "64",
           "Most workgroups a parallel dispatch is split into">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect"
  ];
}

def StrataCpuKernelABIPass : Pass<"strata-cpu-kernel-abi", "ModuleOp"> {
  let summary = "Wrap each kernel in the fixed cpu dispatch ABI";
  let description = [{
    Runs on the LLVM dialect after `convert-func-to-llvm` with bare-pointer
    memrefs. Every public `llvm.func` with a body is a kernel and gets an exported
    wrapper `strata_<name>` with the runtime's C signature
    `int32_t (void *const *bindings, uint32_t wg_x, uint32_t wg_y,
    uint32_t wg_z)`: it loads binding `i` into pointer argument `i`, passes
    `wg_x` to a trailing integer argument (a dispatch split over
    workgroups), calls the kernel and returns 0. The kernel itself becomes internal so that it
    is inlined and not exported.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // STRATA_PASSES_TD
