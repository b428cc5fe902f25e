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

def StrataFormDispatchRegionsPass
    : Pass<"strata-form-dispatch-regions", "ModuleOp"> {
  let summary = "Outline the entry functions' ops as dispatch regions of a schedule";
  let description = [{
    Target-neutral dispatch formation on linalg on tensors. The ops of each
    public function are grouped into regions: a root op and the producers
    that fuse into it (a linalg op whose only user reads it through a
    permutation, or data movement feeding more data movement). Small or
    splat constants, empty tensors, fills, reshapes, slices and scalar
    arithmetic are recomputed by every region that reads them; a dense
    constant of `host-constant-bytes` or more (the weights; 1 KiB, or
    every one for GPU targets, whose kernels hold none) stays in the
    function as an
    `arith.constant` that the dispatches read like any other buffer, so
    that it is stored once in the artifact instead of compiled into
    device code. Each region becomes a
    kernel, a `func.func` on tensors in the `builtin.module` of one
    `schedule.executable @<target>_<device>`, with a `schedule.export`
    that binds its inputs for reading and its results for writing; the
    function itself keeps only the `schedule.dispatch` of each region,
    named after the layer of its root (the root's `NameLoc`). A returned
    argument, or a value returned twice, becomes a `schedule.copy`, so
    every output is a buffer of its own. A returned reshape, or a chain of
    reshapes ending in one, joins the region of the op it reshapes when
    nothing else reads that op, so that the kernel writes the output
    instead of a step of its own copying it; the step keeps that op's
    name.

    ```mlir
    // Before
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = linalg.generic ... ins(%x ...) loc("relu_1")
      return %0 : tensor<4xf32>
    }
    // After
    schedule.executable @cpu_0 target("cpu") device(0) {
      schedule.export @main_dispatch_0(read, write)
      builtin.module {
        func.func @main_dispatch_0(%x: tensor<4xf32>) -> tensor<4xf32> {...}
      }
    }
    func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
      %0 = schedule.dispatch @cpu_0::@main_dispatch_0(%x) step("relu_1")
          : (tensor<4xf32>) -> tensor<4xf32>
      return %0 : tensor<4xf32>
    }
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", "\"cpu\"",
           "Target of the executable the regions go to">,
    Option<"device", "device", "int32_t", "0",
           "Device slot of that executable">,
    Option<"hostConstantBytes", "host-constant-bytes", "int64_t", "1024",
           "Dense constants of at least this many bytes become buffers">,
    Option<"separatePooling", "separate-pooling", "bool", "false",
           "Keep a reduction that is not a multiply-accumulate (a pooling) "
           "out of the step of the contractions before it, for targets that "
           "run contractions but not poolings (systolic)">,
  ];
  let dependentDialects = ["::mlir::strata::schedule::ScheduleDialect"];
}

def StrataPlaceDispatchesPass
    : Pass<"strata-place-dispatches", "ModuleOp"> {
  let summary = "Put dispatches on device slots and insert the transfers between them";
  let description = [{
    Runs after `strata-form-dispatch-regions`. With `devices`, the target
    of each device slot in order, each dispatch whose step name starts with
    the STEP of a `place` entry STEP=SLOT moves, with its kernel and
    export, to the executable `@<target>_<slot>` of that slot (made when
    first needed); every slot must end up with a step. Then every step that
    reads a value living on another device (a step's result lives on its
    step's device, an input of the function on slot 0) reads a
    `schedule.copy` of it to its own device instead, made once per value
    and device; the runtime moves those bytes between the devices. A
    constant is a buffer on every device that reads it, with no copy.

    With `fallback-slot`, the dispatches a target's fallback pass marked
    with `schedule.fallback` (the reason, as a string) move to that slot,
    the host of an accelerator; the mark is dropped, and that slot alone
    may end up without a step.

    ```mlir
    // --strata-place-dispatches="devices=cpu,null place=relu=1"
    %0 = schedule.dispatch @cpu_0::@main_dispatch_0(%x) step("conv") ...
    %1 = schedule.copy %0 to device(1) step("relu/to_device_1") : ...
    %2 = schedule.dispatch @null_1::@main_dispatch_1(%1) step("relu") ...
    ```
  }];
  let options = [
    ListOption<"devices", "devices", "std::string",
               "Target of each device slot, in order">,
    ListOption<"place", "place", "std::string",
               "STEP=SLOT: dispatches whose step name starts with STEP run on SLOT">,
    Option<"fallbackSlot", "fallback-slot", "int64_t", "-1",
           "The slot that runs the dispatches marked schedule.fallback; it "
           "may stay empty">,
  ];
  let dependentDialects = ["::mlir::strata::schedule::ScheduleDialect"];
}

def StrataTileAndVectorizePass
    : Pass<"strata-tile-and-vectorize", "func::FuncOp"> {
  let summary = "Tile, fuse and vectorize linalg ops on tensors for the cpu";
  let description = [{
    A small cost model picks tile sizes per linalg op from the vector width:
    the innermost output dimension gets a multiple of the vector length, a
    contraction's second output dimension a few rows (a register block of
    accumulators; for a depthwise convolution, rows of outputs), every
    other parallel dimension 1; a contraction's tile loops put outside the
    operand whose panels would otherwise be read from memory more than
    once (`l2-bytes`). Sizes divide the
    dimensions, so tiles are static. Each root op (the last in a chain) is
    tiled with `scf.forall` (its tiles are independent, which dispatch
    formation uses) and its producers are fused into the tile
    (TilingInterface's tile-and-fuse) when the consumer reads them through
    a permutation, so nothing is computed twice. A packed contraction's
    tile holds several register blocks of rows (64 rows) of one column
    panel; inside the tile its row blocks run one by one, and the reduction
    dimensions of the tiled op are tiled to 1; strided reads become strided
    slices, and what remains is vectorized with `linalg::vectorize`; a
    vector read strided along its innermost dimension becomes a contiguous
    read and a shuffle. Ops the vectorizer does not handle stay scalar
    inside their tiles.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "Width of the target's vector registers in bits">,
    Option<"vectorRegisters", "vector-registers", "unsigned", "16",
           "Number of vector registers (16 on AVX2, 32 with AVX-512)">,
    Option<"l2Bytes", "l2-bytes", "int64_t", "1048576",
           "L2 cache size in bytes, for the order of a contraction's tiles">,
  ];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::ub::UBDialect",
    "::mlir::vector::VectorDialect"
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
    and kernel size then runs through the packed matmul path. A 1x1
    kernel with stride 1 and no padding needs no copy: the columns are the
    input, reshaped. The matmul's rows (the register block's) are the
    output channels, or the pixels where those pad at least 5% less (49
    pixels make 7 blocks of 7 rows). Convolutions with one output channel
    per group (depthwise) and small ones keep their direct form; where
    their output rows are a width that no tile of whole vectors or of a
    power of two divides (28, 14, 7), the rows are computed 8-aligned
    (32, 16, 8) from an input padded further with zeros (the
    convolution's own pad grows) and sliced back.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "Width of the target's vector registers in bits">,
    Option<"vectorRegisters", "vector-registers", "unsigned", "16",
           "Number of vector registers (16 on AVX2, 32 with AVX-512)">,
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
    register block (4 or 8 rows by two vectors, `RegisterBlock.h`). The
    operands are copied into these panels once, so the innermost loop of
    the tiled contraction reads both with unit stride instead of striding
    through B's rows. A B computed at run time whose columns divide into
    panels, laid out columns innermost, is read in place instead, through a reshape (its rows are
    contiguous along the block's columns), when a panel's rows, a row
    apart, still fit in L2 (`l2-bytes`, 16-way): rows a multiple of 4 KiB
    apart reach only a few of its sets. The blocked
    contraction writes its result in the
    unpacked order (`C[MB][mb][NB][nb]`, its output map absorbing the
    unpack's transpose), so that only a reshape and a slice remain of the
    unpack; the packs are lowered to pad, reshape and transpose, which the
    tiling pass handles like any other copy. Elementwise consumers of the
    reshaped result (a convolution's bias add and activation) then take the
    blocked contraction's shape, the reshapes moving past them (upstream
    reshape fusion by collapsing and by expansion, alternated), so that they
    fuse into its dispatch and tiles. A contraction too narrow to pack (a
    matrix-vector product) whose constant B has a reduction dimension
    innermost (ONNX Gemm's transposed weights) gets B transposed at compile
    time, n innermost, so that its vectorized n dimension reads contiguous
    memory. Last, a contraction whose only use adds it to another operand
    of an elementwise consumer (a bias, a residual block's shortcut)
    accumulates onto that operand (onto its own init plus it), so that one
    block of accumulators runs through both.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", "256",
           "Width of the target's vector registers in bits">,
    Option<"vectorRegisters", "vector-registers", "unsigned", "16",
           "Number of vector registers (16 on AVX2, 32 with AVX-512)">,
    Option<"l2Bytes", "l2-bytes", "int64_t", "1048576",
           "L2 cache size in bytes, for whether a B panel's rows stay in it">,
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
    copy) are vectorized into one transfer read and write instead. A copy
    of a buffer onto itself (the same value, or equal subviews of one
    buffer, which bufferization leaves where a tile's consumer writes the
    output in place) is dropped.
  }];
  let options = [
    Option<"vectorizeUpTo", "vectorize-up-to", "int64_t", "0",
           "Vectorize static copies of at most this many elements (0: none)">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::vector::VectorDialect"
  ];
}

def StrataReshapedResultsInPlacePass
    : Pass<"strata-reshaped-results-in-place", "func::FuncOp"> {
  let summary = "Allocate a buffer that a kernel returns reshaped in the result's shape";
  let description = [{
    Runs after one-shot bufferization, before
    `buffer-results-to-out-params`, which binds a returned allocation
    directly but copies anything else into the output. A returned chain
    of `memref.collapse_shape` and `memref.expand_shape` ops from a
    statically shaped, identity-layout `memref.alloc` of the function
    (a grouped convolution collapsed to NCHW, a flattened matmul) becomes
    an allocation in the result's shape, which is returned, viewed in the
    old shape through the inverse reshapes by the code that writes it. A
    buffer that another result also views, or that is deallocated, is
    left alone.

    ```mlir
    // Before
    %0 = memref.alloc() : memref<1x1x64x14x14xf32>
    linalg.generic ... outs(%0 : memref<1x1x64x14x14xf32>)
    %1 = memref.collapse_shape %0 [[0], [1, 2], [3], [4]] : ... into memref<1x64x14x14xf32>
    return %1 : memref<1x64x14x14xf32>
    // After
    %0 = memref.alloc() : memref<1x64x14x14xf32>
    %1 = memref.expand_shape %0 [[0], [1, 2], [3], [4]] output_shape [1, 1, 64, 14, 14] : ...
    linalg.generic ... outs(%1 : memref<1x1x64x14x14xf32>)
    return %0 : memref<1x64x14x14xf32>
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def StrataExactRoundingInputsPass : Pass<"strata-exact-rounding-inputs"> {
  let summary = "Mark the float arithmetic that feeds a rounding as exact (no FMA)";
  let description = [{
    Runs on linalg on tensors, before elementwise fusion. For every
    elementwise `linalg.generic` that rounds (`math.roundeven`, as
    QuantizeLinear, DynamicQuantizeLinear and Round lower), marks the float
    arithmetic in its body and in the elementwise generics that feed it,
    transitively, with `strata.no_contract`; a generic with reduction
    loops (a convolution, a matmul, a reduction) ends the chain. A
    quantizer turns one ulp of its input into a whole step, and the
    reference runtimes compute a rescale `acc * scale + bias` as a multiply
    and then an add, so those stay apart (`strata-cpu-fp-contract`
    contracts everything else).

    ```mlir
    %r = linalg.generic ... { %m = arith.mulf %a, %s {strata.no_contract}
                              %y = arith.addf %m, %b {strata.no_contract} }
    %q = linalg.generic ins(%r ...) { %d = arith.divf %x, %scale {strata.no_contract}
                                      math.roundeven %d }
    ```
  }];
}

def StrataFuseElementwisePass : Pass<"strata-fuse-elementwise"> {
  let summary = "Fuse elementwise producers into consumers, except into contractions";
  let description = [{
    Upstream `linalg-fuse-elementwise-ops` (elementwise fusion, reshape
    folding by expansion, constant folding) with one difference: a
    producer does not fuse into a consumer with reduction loops that reads
    it through a map that leaves out one of the consumer's loops. Such a
    consumer (a matmul's A, a convolution's input) reads every element many
    times, so the fused producer would be recomputed each time, and the
    consumer's body would no longer be the multiply-add that the targets'
    contraction paths (im2col, packing) match. A reduction that reads each
    element once (a sum of exponentials) still fuses its producer.

    ```mlir
    // Before: the add stays a generic of its own; the matmul keeps its
    // multiply-add body.
    %0 = linalg.generic {...} ins(%x, %b ...) { arith.addf }
    %1 = linalg.matmul ins(%0, %w ...)
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def StrataOrderGlobalsPass : Pass<"strata-order-globals", "ModuleOp"> {
  let summary = "Order and name private memref.globals by their first use";
  let description = [{
    One-shot bufferization creates the globals of tensor constants in an
    order that varies from run to run (it follows a map keyed by pointers)
    and names them uniquely in that order. This pass moves the private
    globals to the top of the module in the order of their first
    `memref.get_global` and renames them in that order, keeping the base
    name (`__constant_4x8xf32`, then `__constant_4x8xf32_1`, ...), so that
    the same module always compiles to the same bytes.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def StrataTransientBuffersPass
    : Pass<"strata-transient-buffers", "::mlir::strata::schedule::ExecutableOp"> {
  let summary = "Turn a kernel's whole-function allocations into scratch bindings";
  let description = [{
    Runs on an executable whose kernels are on memrefs, after bufferization
    and buffer deallocation. Every statically shaped `memref.alloc` in the
    entry block of an exported kernel becomes a new trailing argument, and
    its deallocations go away; the byte sizes of those arguments are the
    export's `scratch`, in order. The runtime binds them to transient
    buffers carved from an arena it keeps between calls, so a model's
    intermediate tensors are not allocated and page-faulted in again on
    every invocation. A small static buffer that a loop allocates in each
    iteration (and frees, if at all, by its end) becomes one `memref.alloca`
    at the function's entry: bufferized `scf.forall` tiles allocate such
    scratch without freeing it.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def StrataGpuTileAndFusePass : Pass<"strata-gpu-tile-and-fuse", "func::FuncOp"> {
  let summary = "Tile each root op to one element per scf.forall iteration, fusing its producers";
  let description = [{
    The first step of GPU code generation, on a kernel on tensors. Each
    root linalg op (one whose result no other linalg op fuses) is tiled
    with `TilingInterface` to an `scf.forall` over its parallel dimensions,
    one element per iteration, and its producers (fills, and ops read
    through a permutation by their only user) are fused into the tile, as
    strata-tile-and-vectorize does for the cpu. Reductions stay whole
    inside the tile. Splat tensor constants become fills first, so that
    they fuse rather than live in device memory.

    A root whose tile holds a GEMM (a contraction with row, column and
    reduction loops, or an elementwise op reading one through a
    permutation) is tiled to a workgroup's tile instead, mapped to
    `#gpu.block` for strata-gpu-promote-contractions: up to 32 columns and
    as many rows as `workgroup-size` invocations cover with 4 x 4
    accumulators, fewer until the tile's accumulators and 16 steps of k of
    both operands fit `workgroup-memory-bytes`. Any other reduction that
    folds at least 32 elements into each output element (a GEMM too small
    in rows or columns for its own tile is a matrix-vector product in all
    but name) gives each output element a workgroup's tile, for
    strata-gpu-workgroup-reductions, where it has fewer output elements
    than `workgroup-size` or reads each input it reduces along with the
    reduction innermost (a row's sum, a transposed weight); so does an
    elementwise root that reads one through a permutation and fuses it (a
    mean's scale, a bias, an activation). Otherwise (a column's sum, an
    n-major weight) one invocation per output element reads a column
    each, consecutive invocations consecutive elements. Such a reduction
    (on tensors of static shape, outside loops, with one reduction loop k
    that its inputs read only as a dimension of their own, and a combiner
    with a neutral element, such as `addf`, `mulf` or `maximumf`, not
    `subf`) first splits k into the most parts, a power of 2 that divides
    it, that keep its invocations (parts times output elements) at most
    65536 and each part at least 64 steps: the reduction over one more parallel loop, the part,
    outermost, folds each part from the neutral element in the sum type
    and stays a root of its own; a reduction over the parts folds them
    into the initial value. It fuses into the root that reads the result
    where that root alone reads it, through a permutation (a bias, an
    activation), and is a root of its own otherwise. An f16 or bf16 sum
    adds in f32 throughout, its initial value widened first, and rounds
    once at the end. A 1 x 4096 by 4096 x 4096 product becomes 65536
    invocations of 256 steps, then 4096 of 16, rather than 4096 of 4096.
    In a kernel of several roots, which runs on one workgroup, only a root
    with fewer output elements than `workgroup-size` gets workgroup tiles:
    the workgroup would run the tiles one after another.

    With `tensor-cores`, a GEMM that strata-nvvm-mma-contractions puts on
    the tensor cores (both inputs f16 or both bf16, or f32 with
    `tensor-core-f32`) takes a larger tile, which reads each staged
    element more often: up to 64 x 64 for `mma-sync`; for `wgmma`, a
    matmul or batch matmul takes 128 x 128, 128 x 64 or 64 x 64, whichever
    divides it first. The first of these that still gives the grid at
    least 128 workgroups (about the SMs of an sm_80 to sm_90 GPU) wins;
    with none, the tile is as above.

    ```mlir
    // A matmul's fill and its bias add fuse: one loop, one output element
    // per iteration.
    %r = scf.forall (%i, %j) in (2, 32) shared_outs(%o = %empty) -> ... {
      %f = linalg.fill ... -> tensor<1x1xf32>
      %m = linalg.matmul ins(%a_row, %b_col ...) outs(%f ...)
      %b = linalg.generic {...} ins(%m, %bias_elem ...)
      ...
    }
    ```
  }];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", "64",
           "Invocations per workgroup, which a GEMM's tile is sized for">,
    Option<"workgroupMemoryBytes", "workgroup-memory-bytes", "int64_t",
           "16384", "Workgroup memory a GEMM's tile may stage in">,
    Option<"tensorCores", "tensor-cores", "std::string", "\"\"",
           "Tiles for GEMMs that run on the tensor cores: mma-sync (up to "
           "64 x 64) or wgmma (128 x 128 down to 64 x 64, whole 64-row "
           "groups); empty for none">,
    Option<"tensorCoreF32", "tensor-core-f32", "bool", "false",
           "f32 GEMMs run on the tensor cores too (as tf32)">,
  ];
  let dependentDialects = [
    "::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def StrataGpuPromoteContractionsPass
    : Pass<"strata-gpu-promote-contractions", "func::FuncOp"> {
  let summary = "Compute each workgroup's GEMM tile from operands staged in "
                "workgroup memory, with a block of accumulators per invocation";
  let description = [{
    Runs on bufferized kernels, before linalg ops become loops. Each
    contraction that strata-gpu-tile-and-fuse left as a workgroup's tile
    (its parent is an `scf.forall` mapped to `#gpu.block`) and that reads
    as a GEMM (matmul, batch matmul, transposed operands, convolutions as
    an implicit GEMM) becomes an `scf.forall` of one iteration per
    invocation (`#gpu.thread<linear_dim_0>`). Each invocation holds a block
    of up to 8 x 4 accumulators in registers, rows and columns strided by
    the number of invocations along them. Loops over k take up to 16 steps
    at a time: the invocations copy the steps of both operands into
    workgroup memory (`memref.alloc` in `#gpu.address_space<workgroup>`),
    consecutive invocations reading consecutive addresses along the
    operand's innermost dimension, and a `gpu.barrier` on each side of the
    arithmetic keeps the copies and the reads apart. The accumulators
    start at the output's elements, or at what a fill or a copy of a bias
    right before the GEMM would write there, which then goes
    (`findGemmStart`). Where an elementwise op reads the result from the
    tile's buffer (`findGemmEpilogue`), the tile applies it to each result
    as it stores it, and the op and the buffer go. Every buffer the
    workgroup's tile still allocates moves to workgroup memory too, since
    different invocations write and read it. The op's own payload
    computes each step, so integer and mixed-type contractions keep their
    arithmetic. A tile that does not fit the workgroup or its memory
    stays as it was. With `vector-width` above 1, each copy of a 32-bit
    operand whose elements lie contiguous along its innermost dimension
    (its k, or its rows' or columns' innermost loop) loads that many
    elements as one `vector.load`.

    ```mlir
    scf.forall (%t) in (64) {
      scf.for %k0 = %c0 to %c256 step %c16 iter_args(%acc0 = ..., ...) {
        scf.for %e = %t to %c512 step %c64 { ... memref.store %a, %stageA[...] }
        ...
        gpu.barrier
        scf.for %k = %c0 to %c16 step %c1 iter_args(...) { ...mulf, addf... }
        gpu.barrier
        ...
      }
      ...
    } {mapping = [#gpu.thread<linear_dim_0>]}
    ```
  }];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", "64",
           "Invocations per workgroup">,
    Option<"workgroupMemoryBytes", "workgroup-memory-bytes", "int64_t",
           "16384", "Workgroup memory a tile may use">,
    Option<"vectorWidth", "vector-width", "int64_t", "1",
           "Elements a copy into workgroup memory loads at once, at most">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def StrataGpuWorkgroupReductionsPass
    : Pass<"strata-gpu-workgroup-reductions", "func::FuncOp"> {
  let summary = "Share each workgroup tile's reduction among its invocations";
  let description = [{
    Runs on bufferized kernels, after strata-gpu-promote-contractions. A
    total of at least 32 elements at the top of a kernel (a reduction
    without output loops, which strata-gpu-tile-and-fuse cannot tile) is
    first put in a workgroup tile of its own. A reduction that is a
    workgroup's tile (one output element; its parent is an `scf.forall`
    mapped to `#gpu.block`) and whose payload folds
    each element into the accumulator with one combiner that has a
    neutral element (`addf`, `maximumf`, `muli`, `ori`, ...) becomes an
    `scf.forall` of one iteration per invocation (`#gpu.thread`). Each
    invocation folds elements `i`, `i + workgroup-size`, ... (consecutive
    invocations reading consecutive elements) into a partial result
    starting from the neutral element. With `subgroup-reduce` and a 32-bit
    result, `gpu.subgroup_reduce` combines each subgroup's partials and
    the subgroups' meet in workgroup memory; otherwise halving trees in
    workgroup memory between barriers combine them. Invocation 0 folds the
    total into the output's initial value: the value of a `linalg.fill` of
    the output just before, with nothing between that touches memory
    (which then goes, as in strata-gpu-serial-reductions), else the
    output's element. An `addf` of f16 or bf16 keeps
    its partials and total in f32 (products of widened factors) and rounds
    once, at the store. Other ops stay as they were.

    ```mlir
    scf.forall (%t) in (64) {
      %p = scf.for %k = %t to %c1000 step %c64 iter_args(%acc = %zero) ...
      %s = gpu.subgroup_reduce add %p : (f32) -> f32
      ...
      gpu.barrier
      scf.if %first { ... memref.store %total, %out[...] }
    } {mapping = [#gpu.thread<linear_dim_0>]}
    ```
  }];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", "64",
           "Invocations per workgroup">,
    Option<"subgroupReduce", "subgroup-reduce", "bool", "true",
           "Whether the target has subgroup arithmetic">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect", "::mlir::scf::SCFDialect"
  ];
}

def StrataGpuSerialReductionsPass
    : Pass<"strata-gpu-serial-reductions", "func::FuncOp"> {
  let summary = "Fold each reduction's output element in registers";
  let description = [{
    Runs on bufferized kernels, after strata-gpu-workgroup-reductions, in
    place of convert-linalg-to-parallel-loops for the reductions left:
    those of static shape with one output, the same output element
    through the reduction loops, no input that reads the output, and a
    payload that reads no loop index and folds each element into the
    accumulator with one binary op. Each becomes an `scf.parallel` over
    its parallel loops (none for a total) in which the output element is
    loaded once, carried through `scf.for` loops over the reduction
    loops, and stored once, instead of being loaded and stored at every
    step. Where a `linalg.fill` of the whole output comes just before,
    with nothing between that touches memory (a tile's fill), the fold
    starts from its value instead and the fill goes: kernel arguments may
    alias, so LLVM would keep its store and the load back, and keep each
    input's loads from merging. An `addf` of f16 or bf16 is carried in
    f32, products of widened factors, and rounded once, at the store.
    Other ops stay as they were.

    ```mlir
    scf.parallel (%n) = (%c0) to (%c8) step (%c1) {
      %init = memref.load %out[%c0, %n] : memref<1x8xf16>
      %start = arith.extf %init : f16 to f32
      %sum = scf.for %k = %c0 to %c4096 step %c1 iter_args(%acc = %start) -> (f32) {
        ...
        %p = arith.mulf %xa, %wa : f32
        %s = arith.addf %acc, %p : f32
        scf.yield %s : f32
      }
      %r = arith.truncf %sum : f32 to f16
      memref.store %r, %out[%c0, %n] : memref<1x8xf16>
    }
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def StrataGpuDistributePass
    : Pass<"strata-gpu-distribute", "::mlir::strata::schedule::ExecutableOp"> {
  let summary = "Make each kernel a gpu.func whose steps run over invocations";
  let description = [{
    Runs on an executable whose kernels are bufferized, with loops for
    linalg ops, after `strata-transient-buffers`. Each kernel moves into a
    `gpu.func` (a `kernel` with `known_block_size`) of one `gpu.module`
    named after the executable. Its steps (each top-level `scf.forall` or
    `scf.parallel`, and each run of other ops with effects) keep their
    order:
    - a kernel of one parallel loop runs its iterations, linearized
      row-major, grid-stride over `workgroup-size` invocations in each of
      up to `max-workgroups` workgroups;
    - a kernel of several steps is one workgroup: each loop's iterations
      are shared by its invocations, other steps run on invocation 0, and
      a `gpu.barrier` separates the steps.
    An `scf.forall` mapped to `#gpu.block` is a loop of workgroup tiles:
    alone in its kernel, its iterations go grid-stride over workgroups,
    one tile per workgroup at a time. The steps inside a tile are shared by
    the workgroup's invocations as above, an `scf.forall` mapped to
    `#gpu.thread` (one iteration per invocation) is each invocation's own
    code, and a barrier ends each tile. Workgroup buffers (`memref.alloc`
    in `#gpu.address_space<workgroup>`) move to the kernel's entry. The
    export's `workgroups`, `workgroup_size` and `shared_memory` are set to
    match (`shared_memory` with each buffer rounded up to 16 bytes, where
    the next one starts). Globals of the executable's module that a
    kernel references (the tensor maps of `strata-nvvm-mma-contractions`)
    move into the `gpu.module`, and the tensor maps among them that the
    kernel function's `schedule.tensor_maps` describes become its export's
    `tensor_maps`.

    ```mlir
    gpu.func @k(%x: memref<64xf32>, %y: memref<64xf32>) kernel
        attributes {known_block_size = array<i32: 64, 1, 1>, ...} {
      %id = gpu.thread_id x
      %wg = gpu.block_id x
      ...
      scf.for %i = %start to %c64 step %c64 { ... }
      gpu.return
    }
    ```
  }];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", "64",
           "Invocations per workgroup">,
    Option<"maxWorkgroups", "max-workgroups", "int64_t", "65535",
           "Most workgroups of a kernel">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::gpu::GPUDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def StrataGpuRemoveEmptyBuffersPass
    : Pass<"strata-gpu-remove-empty-buffers"> {
  let summary = "Give GPU kernels no zero-element buffers";
  let description = [{
    SPIR-V has no empty arrays, and NVVM's bare-pointer kernel ABI takes no
    zero-element memref. In each kernel, loads from a buffer without
    elements (which never run) become zeros, stores to one go, and an
    argument that no longer has uses becomes a one-element buffer. Runs
    once views are folded into the loads and stores.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def StrataNvvmMmaContractionsPass
    : Pass<"strata-nvvm-mma-contractions", "::mlir::ModuleOp"> {
  let summary = "Compute f16, bf16 and (when allowed) tf32 GEMM tiles on the "
                "tensor cores with mma.sync";
  let description = [{
    Runs on bufferized kernels for the cuda target, before
    strata-gpu-promote-contractions, which takes the tiles this pass
    leaves. A contraction that is a workgroup's tile, reads as a GEMM (see
    strata-gpu-promote-contractions), whose payload is `acc + a * b` (the
    inputs maybe extended first) with both inputs f16 or both bf16, or
    both f32 with `allow-tf32`, and whose tile is a whole number of 16 x 8
    blocks, becomes tensor-core code:
    - the output tile is copied into f32 accumulators in workgroup memory,
      so f16 and bf16 GEMMs accumulate in f32 and round once at the end;
      a `linalg.fill` of the output right before the GEMM, or a generic
      that copies (broadcasts) a bias into it, is folded: the
      accumulators start at its value;
    - the warps form a grid over the tile, each holding its 16 x 8
      accumulator blocks in registers;
    - loops over k take 32 steps at a time (16 in tf32), staged in
      workgroup memory in rows padded by 16 bytes, steps past the end as
      zero. Where each input is read along contiguous, 16-byte aligned
      rows of its innermost dimension (k, or B's n) in whole 16-byte
      pieces that the invocations share evenly, `nvgpu.device_async_copy`
      (cp.async) copies them as they lie into three slots (two where
      three do not fit 48 KiB or k is a single staging), fetching the next
      two (or one) while the warps compute on the current ones; otherwise
      the
      invocations copy element by element, both inputs k-innermost, into
      one slot;
    - each warp reads its operands with `nvgpu.ldmatrix` and updates its
      blocks with `nvgpu.mma.sync` (m16n8k16; m16n8k8 in tf32), written as
      `vector.contract` and converted by upstream's vector-to-nvgpu
      conversion. bf16, which nvgpu lacks, is staged as f16 bits and
      multiplied by an `nvvm.mma.sync` of bf16.
    With `wgmma` (sm_90a), a tile of whole 64-row groups and at most 256
    columns is the warpgroup's instead: both inputs are copied K-major
    into 8 x 8 core matrices (16 bytes a load where rows allow, every
    load of both inputs issued before the first store), `nvvm.fence.proxy`
    makes them visible to the tensor cores, and each 16 steps are one
    `nvvm.wgmma.mma_async` m64nNk16 per group, whose descriptors hold the
    shared address and the strides between core matrices. The
    accumulators are an LLVM struct per group, read from the output (or
    a folded fill), carried by the loop over k and stored at the end, so
    only the staged steps take workgroup memory: two slots of 64, 32 or
    16 steps (the most that fit, one that divides k first), the threads
    filling one while the asynchronous wgmmas read the other. An input of
    64-step slots that is a whole binding's rows (see `tmaOperand`: a
    subview of a kernel argument with unit strides, whose dims are loops
    of one iteration, the tile's rows or columns, then k; or k then whole
    64-row or 64-column boxes, which wgmma reads M- or N-major) is loaded by
    TMA instead, into 128-byte swizzled lines at 1024-byte aligned
    slots: invocation 0 issues `nvvm.cp.async.bulk.tensor` for a slot
    ahead, the slot's `nvvm.mbarrier` counts the bytes, all wait on its
    phase, and the descriptors name the swizzle. Where TMA loads both
    inputs, the tile has `wgmma-stages` slots (by default the most, up to
    4, within 113 KiB, so that two tiles share an SM), the loads running
    that many less one ahead. The tensor map is a
    128-byte global (`.const`) added to the module, and the kernel
    function's `schedule.tensor_maps` describes it for its export.
    Where the GEMM's output is a workgroup buffer that only the next op
    with memory effects reads, an all-parallel generic that reads it once
    through a permutation (`findGemmEpilogue`), the tile applies that op to
    each rounded sum as it stores it, into the op's outputs, and the op
    and the buffer go; the buffer's bytes are then free for the tile.
    A tile whose blocks would be less than half used, that needs more than
    16 blocks per warp, or does not fit workgroup memory stays as it was.

    ```mlir
    scf.forall (%t) in (128) {
      scf.for ... { memref.store %extended, %acc[...] }     // output tile
      %first = nvgpu.device_async_create_group ...          // steps 0-31
      gpu.barrier
      %c0 = vector.load %acc[...] : memref<64x32xf32, 3>, vector<2xf32>
      scf.for %k0 = %c0 to %c512 step %c32 iter_args(...) {
        %x = nvgpu.device_async_copy %A[...], %stageA[%next, ...], 8, %n {bypassL1}
        ...
        %g = nvgpu.device_async_create_group %x, ...
        nvgpu.device_async_wait %g {numGroups = 1 : i32}
        gpu.barrier
        %a = nvgpu.ldmatrix %stageA[%slot, ...] {numTiles = 4, transpose = false}
        %b = nvgpu.ldmatrix %stageB[%slot, ...] {numTiles = 2, transpose = true}
        %d = nvgpu.mma.sync(%a, %b, %c) {mmaShape = [16, 8, 16]}
        ...
        gpu.barrier
      }
      ...
    } {mapping = [#gpu.thread<linear_dim_0>]}
    ```
  }];
  let options = [
    Option<"workgroupSize", "workgroup-size", "int64_t", "128",
           "Invocations per workgroup">,
    Option<"workgroupMemoryBytes", "workgroup-memory-bytes", "int64_t",
           "49152", "Workgroup memory a tile may use">,
    Option<"allowTf32", "allow-tf32", "bool", "false",
           "Compute f32 GEMM tiles in tf32 on the tensor cores">,
    Option<"wgmma", "wgmma", "bool", "false",
           "Compute f16 and bf16 tiles of whole 64-row groups with wgmma "
           "(sm_90a)">,
    Option<"tma", "tma", "bool", "true",
           "Load a wgmma tile's K-major inputs with TMA where they allow">,
    Option<"wgmmaStages", "wgmma-stages", "int64_t", "0",
           "Slots of a wgmma tile that TMA loads (2 to 4); 0 takes the most "
           "that let two tiles share an SM">,
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect", "::mlir::memref::MemRefDialect",
    "::mlir::NVVM::NVVMDialect", "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect", "::mlir::strata::schedule::ScheduleDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def StrataNvvmPrepareKernelsPass
    : Pass<"strata-nvvm-prepare-kernels"> {
  let summary = "Put GPU kernels in the form that convert-gpu-to-nvvm takes";
  let description = [{
    Runs on each `gpu.module` before `convert-gpu-to-nvvm`:
    - workgroup buffers (`memref.alloc` in `#gpu.address_space<workgroup>`)
      become `memref.view`s of the block's `gpu.dynamic_shared_memory`, in
      order, each at a 16-byte aligned offset: the bytes that
      strata-gpu-distribute records as the kernel's `shared_memory`, which
      the cuda device gives each launch (opting the kernel in past
      48 KiB);
    - `gpu.subgroup_reduce` becomes a butterfly of `gpu.shuffle` over the
      32 lanes of a warp, with 64-bit values exchanged as two 32-bit words;
    - `gpu.subgroup_id` and `gpu.num_subgroups` are computed from the
      thread id and the kernel's known block size;
    - each memref argument gets `llvm.align = 64`: the runtime starts every
      binding there (the artifact's `kBindingAlignment`), and LLVM then
      merges a thread's neighbouring accesses into vector ones.
    A kernel without a known block size, or whose block is not a row of
    whole warps, is an error.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def StrataSpirvAttachTargetPass
    : Pass<"strata-spirv-attach-target", "ModuleOp"> {
  let summary = "Set a Vulkan target environment and the kernels' entry-point ABI";
  let description = [{
    Runs on a module of `gpu.module`s before `convert-gpu-to-spirv`. Sets
    `spirv.target_env` from the preset `target` (desktop, lavapipe,
    minimal) and each kernel's `spirv.entry_point_abi` from its
    `known_block_size`. A kernel that uses a type the environment lacks
    (f16, f64, i64, i16, i8 or stored booleans without their capabilities;
    bf16 anywhere) or reads a constant kept in device code is an error
    that names the kernel, the type and the missing capability.
  }];
  let options = [
    Option<"target", "target", "std::string", "\"desktop\"",
           "Vulkan target preset">,
  ];
  let dependentDialects = ["::mlir::spirv::SPIRVDialect"];
}

def StrataSpirvApproximateMathPass
    : Pass<"strata-spirv-approximate-math"> {
  let summary = "Compute erf, erfc and trunc from math that SPIR-V has";
  let description = [{
    Rewrites `math.erf` and `math.erfc` on f32 with upstream's polynomial
    approximations (exp, multiplies, adds), which `convert-math-to-spirv`
    then lowers; GLSL.std.450 has no erf for GELU to call. `math.trunc`,
    which upstream does not convert, becomes a ceil for negative values
    and a floor otherwise (exact).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect"
  ];
}

def StrataSpirvWidenBarriersPass
    : Pass<"strata-spirv-widen-barriers", "ModuleOp"> {
  let summary = "Make workgroup barriers order storage-buffer accesses too";
  let description = [{
    Adds `UniformMemory` to the memory semantics of every
    `spirv.ControlBarrier`: a kernel's steps hand each other their results
    in storage buffers, which upstream's `gpu.barrier` lowering (workgroup
    memory only) does not make visible.
  }];
}

def StrataSpirvVectorizeBindingsPass
    : Pass<"strata-spirv-vectorize-bindings", "gpu::GPUModuleOp"> {
  let summary = "Type bindings that are read as aligned 4-element vectors as "
                "buffers of vectors";
  let description = [{
    Runs on kernels whose loads are folded into their bindings, before
    convert-gpu-to-spirv. A shader cannot load a vector from a buffer
    typed as scalars (a pointer bitcast needs the Addresses capability,
    which Vulkan shaders lack), so a kernel argument of 32-bit elements
    whose every use is a `vector.load` of 4 elements, at an innermost
    index that is a multiple of 4 on every path (constants, sums, products,
    remainders and loop counters built of such), becomes a buffer of
    `vector<4xT>`, and each load reads one of its vectors. Every other
    `vector.load` becomes scalar loads. The binding's bytes are the same,
    so the runtime binds it as before.

    ```mlir
    // %a: memref<64x96xf32>, read as vector.load %a[%i, %k] : vector<4xf32>
    // with %k a multiple of 4, becomes
    // %a: memref<64x24xvector<4xf32>>, read as memref.load %a[%i, %k / 4]
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def StrataSpirvShareWorkgroupMemoryPass
    : Pass<"strata-spirv-share-workgroup-memory", "ModuleOp"> {
  let summary = "Let the kernels of a spirv.module share Workgroup variables";
  let description = [{
    Runs after convert-gpu-to-spirv. Each kernel's workgroup buffers are
    Workgroup variables of their own, and the Khronos validation layer
    counts all of a SPIR-V 1.3 module's Workgroup variables against
    `maxComputeSharedMemorySize`, whichever entry point runs. Since the
    kernels of a dispatch run one at a time, the i-th largest buffer of
    each element type of every kernel becomes one shared variable, as long
    as the largest of them; a variable that two functions use stays its
    own.
  }];
}

def StrataLinalgToSystolicPass
    : Pass<"strata-linalg-to-systolic",
           "::mlir::strata::schedule::ExecutableOp"> {
  let summary = "Map each kernel of an executable onto the systolic array";
  let description = [{
    Runs on a systolic executable whose kernels are linalg on tensors, as
    dispatch formation made them. Each kernel becomes a `func.func` over
    its bindings (memrefs: arguments, then results) whose body is a
    straight line of `systolic` ops, and its export runs as one workgroup.
    A kernel whose root is a matmul or batch matmul (a contraction
    generic) or a convolution (StrataToLinalg's convolution generic, one
    group) into a zero-filled init is folded onto the array for its
    dataflow by `GemmTiler`: its operands' tiles move by strided DMA
    straight from where they are (a convolution's input through its
    im2col view), streamed operands double-buffered in the scratchpad. A
    kernel that only reshapes its input copies it through the scratchpad.
    Anything else is an error that names the op; there is no fallback to
    the host yet. The array comes from `config` (a SCALE-Sim .cfg or
    Strata JSON file; the default 32x32 output-stationary f32 array
    without it) and is recorded on the kernels' module as `systolic.array`.
  }];
  let options = [
    Option<"config", "config", "std::string", "\"\"",
           "The array's configuration file (.cfg or .json)">,
  ];
  let dependentDialects = [
    "::mlir::strata::systolic::SystolicDialect",
    "::mlir::memref::MemRefDialect", "::mlir::func::FuncDialect"
  ];
}

def StrataSystolicMarkFallbackPass
    : Pass<"strata-systolic-mark-fallback", "ModuleOp"> {
  let summary = "Mark the dispatches the systolic array cannot run";
  let description = [{
    Runs after `strata-form-dispatch-regions`, before
    `strata-place-dispatches` with a `fallback-slot`. Each dispatch of a
    systolic executable whose kernel `strata-linalg-to-systolic` could not
    map (for the array of `config`) gets `schedule.fallback`, a string
    saying why, so that placement moves it to the host.
  }];
  let options = [
    Option<"config", "config", "std::string", "\"\"",
           "The array's configuration file (.cfg or .json)">,
  ];
}

def StrataFoldCastsIntoContractionsPass
    : Pass<"strata-fold-casts-into-contractions", "func::FuncOp"> {
  let summary = "Read contraction operands narrow, widening them in the body";
  let description = [{
    A quantized model widens its i8 operands to i32 before each integer
    matmul or convolution: an elementwise generic of `arith.extsi`, and a
    zero `tensor.pad` after it for a padded convolution. Each contraction
    reading such a cast (through reshapes and zero pads) reads the narrow
    tensor instead, padded and reshaped as the wide one was, and widens
    each element in its body, so that a target with a narrow datapath (the
    systolic array's i8) sees an i8 x i8 -> i32 multiply-accumulate and the
    model moves a quarter of the bytes.

    ```mlir
    %w = linalg.generic ... ins(%x8 : tensor<4x6xi8>) { arith.extsi }
    %y = linalg.generic ... ins(%w, %b : tensor<4x6xi32>, ...) {
      ^bb0(%a: i32, %b: i32, %acc: i32): ... }
    // becomes
    %y = linalg.generic ... ins(%x8, %b : tensor<4x6xi8>, ...) {
      ^bb0(%a8: i8, %b: i32, %acc: i32):
        %a = arith.extsi %a8 : i8 to i32 ... }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def StrataWidenAccumulatorsPass
    : Pass<"strata-widen-accumulators", "func::FuncOp"> {
  let summary = "Sum bf16 and f16 contractions in f32, rounding once";
  let description = [{
    Strata's strict lowering of a bf16 or f16 matmul or convolution sums in
    the narrow type, rounding after every add. A datapath that multiplies
    narrow operands into f32 sums (the systolic array's bf16) rounds once,
    at the end: each such contraction becomes one over the same narrow
    operands, widened in its body, into an f32 init, followed by an
    elementwise truncation, which elementwise fusion can put into the
    contraction's consumer.

    ```mlir
    %y = linalg.generic ... ins(%a, %b : tensor<4x6xbf16>, ...)
        outs(%zero : tensor<4x5xbf16>) { mulf, addf in bf16 }
    // becomes
    %s = linalg.generic ... ins(%a, %b : tensor<4x6xbf16>, ...)
        outs(%zero32 : tensor<4x5xf32>) { extf, extf, mulf, addf in f32 }
    %y = linalg.generic ... ins(%s) { arith.truncf }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

def StrataCpuFlattenEmptyBoundariesPass
    : Pass<"strata-cpu-flatten-empty-boundaries", "ModuleOp"> {
  let summary = "Pass empty multi-dimensional tensors across kernel boundaries as rank 1";
  let description = [{
    Upstream's bare-pointer calling convention, which the cpu kernel ABI
    uses, rejects multi-dimensional memrefs without elements. Each public
    function's arguments and results of such a type become `tensor<0xT>`,
    expanded to the original type on entry and collapsed from it on return.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def StrataCpuDistributeWorkgroupsPass
    : Pass<"strata-cpu-distribute-workgroups",
           "::mlir::strata::schedule::ExecutableOp"> {
  let summary = "Spread a cpu kernel's tile loop over workgroups";
  let description = [{
    Runs on an executable whose kernels are on memrefs, after
    `strata-transient-buffers`. A kernel whose only work is one
    `scf.forall` (the independent tiles of a root op; constants, views and
    stack scratch beside it are recomputed per workgroup) gets a trailing
    `index` argument, the workgroup id, and runs a contiguous share of the
    loop's iterations for each of up to `max-workgroups` workgroups, which
    the runtime's thread pool shares out. The export's `workgroups` is the
    count; a kernel with anything else to do is one workgroup.
  }];
  let options = [
    Option<"maxWorkgroups", "max-workgroups", "int64_t", "64",
           "Most workgroups a kernel is split into">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::scf::SCFDialect"
  ];
}

def StrataCpuKernelABIPass
    : Pass<"strata-cpu-kernel-abi", "::mlir::strata::schedule::ExecutableOp"> {
  let summary = "Wrap each kernel in the fixed cpu dispatch ABI";
  let description = [{
    Runs on an executable whose kernels are in the LLVM dialect, after
    `convert-func-to-llvm` with bare-pointer memrefs. Each exported kernel
    gets an exported wrapper `strata_<name>` with the runtime's C signature
    `int32_t (void *const *bindings, uint32_t wg_x, uint32_t wg_y,
    uint32_t wg_z)`: it loads binding `i` into pointer argument `i`, passes
    `wg_x` to a trailing integer argument (a kernel spread over
    workgroups), calls the kernel and returns 0; the export's `function`
    becomes the wrapper. The kernel itself becomes internal so that it is
    inlined and not exported.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def StrataCpuFPContractPass : Pass<"strata-cpu-fp-contract", "ModuleOp"> {
  let summary = "Allow FMA contraction on every LLVM float op not marked exact";
  let description = [{
    Runs on LLVM dialect code. Sets the `contract` fast-math flag on every
    float operation (`llvm.fmul`, `llvm.fadd`, ...) except those that carry
    the `strata.no_contract` unit attribute, and removes that attribute.
    The cpu target has LLVM fuse only flagged operations, so a multiply
    feeding an add still becomes one FMA everywhere except where a lowering
    asked for each operation to round on its own: Resize's interpolation,
    whose last bit decides a quantizer's step downstream, as in
    onnxruntime's kernels.

    ```mlir
    // Before
    %0 = llvm.fmul %a, %b {strata.no_contract} : f32
    %1 = llvm.fadd %0, %c : f32
    // After
    %0 = llvm.fmul %a, %b : f32
    %1 = llvm.fadd %0, %c {fastmathFlags = #llvm.fastmath<contract>} : f32
    ```
  }];
}

#endif // STRATA_PASSES_TD
