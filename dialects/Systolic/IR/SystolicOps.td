//===- SystolicOps.td - the systolic array's instructions --*- tablegen -*-===//
//
// One op per instruction; their fields and semantics are those of
// docs/systolic-isa.md, which the simulator implements.
//
//===----------------------------------------------------------------------===//

#ifndef SYSTOLIC_OPS_TD
#define SYSTOLIC_OPS_TD

include "dialects/Systolic/IR/SystolicDialect.td"

def NonNegI64 : ConfinedAttr<I64Attr, [IntNonNegative]>;
def PosI64 : ConfinedAttr<I64Attr, [IntPositive]>;

def Systolic_ConfigOp : Systolic_Op<"config"> {
  let summary = "Sets the dataflow, the scratchpad dtype and the output stage";
  let description = [{
    Sets how the instructions after it read the scratchpad (`dtype`) and
    how `mvout` turns accumulator values into outputs: multiplied by
    `scale`, passed through `activation`, converted to `out`. The dataflow
    must be the array's.

    ```mlir
    systolic.config os f32 activation relu scale 1.0 out f32
    ```
  }];
  let arguments = (ins Systolic_Dataflow:$dataflow, Systolic_Dtype:$dtype,
                       Systolic_Activation:$activation, F32Attr:$scale,
                       Systolic_OutType:$out);
  let assemblyFormat = [{
    $dataflow $dtype `activation` $activation `scale` $scale `out` $out
    attr-dict
  }];
  let hasVerifier = 1;
}

def Systolic_MvinOp : Systolic_Op<"mvin"> {
  let summary = "DMA of a strided tile from DRAM into an SRAM";
  let description = [{
    Copies `rows` rows of `cols` elements from binding `dram` (rows
    `dram_stride` bytes apart from byte `dram_offset`) to the scratchpad
    or the accumulator (rows `sram_stride` elements apart from element
    `sram_addr`). A DRAM stride of 0 repeats one row (a bias broadcast).
    With `accumulate`, the values add to the accumulator's instead of
    replacing them (a second operand added to the products).

    ```mlir
    systolic.mvin %a[0] stride 24 to spad[0] stride 6 tile [5, 6] : memref<5x6xf32>
    systolic.mvin %b[0] stride 0 to acc[0] stride 6 tile [5, 6] accumulate : memref<6xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeMemRef:$dram, NonNegI64:$dram_offset,
                       NonNegI64:$dram_stride, Systolic_Memory:$memory,
                       NonNegI64:$sram_addr, NonNegI64:$sram_stride,
                       PosI64:$rows, PosI64:$cols, UnitAttr:$accumulate);
  let assemblyFormat = [{
    $dram `[` $dram_offset `]` `stride` $dram_stride `to` $memory `[`
    $sram_addr `]` `stride` $sram_stride `tile` `[` $rows `,` $cols `]`
    (`accumulate` $accumulate^)? attr-dict `:` type($dram)
  }];
  let hasVerifier = 1;
}

def Systolic_Im2colOp : Systolic_Op<"im2col"> {
  let summary = "DMA of a convolution's im2col tile into the scratchpad";
  let description = [{
    The DMA engine's im2col: the scratchpad tile at `sram_addr` (rows
    `sram_stride` apart) gets window taps `taps[0]` to `taps[0] + taps[1]`
    (rows) by output pixels `pixels[0]` to `pixels[0] + pixels[1]`
    (columns) of the image in `dram` at byte `dram_offset`, channels x
    `image` (height, width): element (r, c) is pixel (ch, oh * stride[0] +
    kh * dilation[0], ow * stride[1] + kw * dilation[1]) for tap (ch, kh,
    kw) and output pixel (oh, ow), `out_width` pixels to an output row.

    ```mlir
    systolic.im2col %x[0] image [9, 9] window [3, 3] stride [2, 2]
        dilation [1, 1] out_width 4 taps [0, 27] pixels [0, 16]
        to spad[0] stride 16 : memref<1x3x9x9xf32>
    ```
  }];
  let arguments = (ins AnyStaticShapeMemRef:$dram, NonNegI64:$dram_offset,
                       DenseI64ArrayAttr:$image, DenseI64ArrayAttr:$window,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$dilation,
                       PosI64:$out_width, DenseI64ArrayAttr:$taps,
                       DenseI64ArrayAttr:$pixels, NonNegI64:$sram_addr,
                       NonNegI64:$sram_stride);
  let assemblyFormat = [{
    $dram `[` $dram_offset `]` `image` $image `window` $window `stride`
    $stride `dilation` $dilation `out_width` $out_width `taps` $taps
    `pixels` $pixels `to` `spad` `[` $sram_addr `]` `stride` $sram_stride
    attr-dict `:` type($dram)
  }];
  let hasVerifier = 1;
}

def Systolic_ZeroOp : Systolic_Op<"zero"> {
  let summary = "Fills a tile of an SRAM with zeros";
  let description = [{
    An `mvin` that reads no DRAM: the SRAM's own write port clears `rows`
    rows of `cols` elements, rows `sram_stride` apart from `sram_addr`
    (the borders of a padded tensor).

    ```mlir
    systolic.zero spad[0] stride 8 tile [2, 8]
    ```
  }];
  let arguments = (ins Systolic_Memory:$memory, NonNegI64:$sram_addr,
                       NonNegI64:$sram_stride, PosI64:$rows, PosI64:$cols);
  let assemblyFormat = [{
    $memory `[` $sram_addr `]` `stride` $sram_stride `tile` `[` $rows `,`
    $cols `]` attr-dict
  }];
  let hasVerifier = 1;
}

def Systolic_MvoutOp : Systolic_Op<"mvout"> {
  let summary = "DMA of a strided tile from an SRAM to DRAM";
  let description = [{
    Writes a tile of the accumulator (through the output stage that
    `config` set) or of the scratchpad (as it is) to binding `dram`. With
    `transposed`, the tile's rows become DRAM columns: element (r, c) goes
    to byte `dram_offset + c * dram_stride + r * element size`.

    ```mlir
    systolic.mvout acc[0] stride 7 tile [5, 7] to %y[0] stride 28 : memref<5x7xf32>
    ```
  }];
  let arguments = (ins Systolic_Memory:$memory, NonNegI64:$sram_addr,
                       NonNegI64:$sram_stride, PosI64:$rows, PosI64:$cols,
                       AnyStaticShapeMemRef:$dram, NonNegI64:$dram_offset,
                       NonNegI64:$dram_stride, UnitAttr:$transposed);
  let assemblyFormat = [{
    $memory `[` $sram_addr `]` `stride` $sram_stride `tile` `[` $rows `,`
    $cols `]` `to` $dram `[` $dram_offset `]` `stride` $dram_stride
    (`transposed` $transposed^)? attr-dict `:` type($dram)
  }];
  let hasVerifier = 1;
}

def Systolic_PreloadOp : Systolic_Op<"preload"> {
  let summary = "Loads the stationary operand into the PEs";
  let description = [{
    On a weight-stationary array, B (k x n, k up to the rows, n up to the
    columns); on an input-stationary one, A (m x k, k up to the rows, m up
    to the columns). The tile is `rows` x `cols` scratchpad elements, or
    its transpose with `transposed`.

    ```mlir
    systolic.preload spad[0] stride 8 tile [8, 8]
    ```
  }];
  let arguments = (ins NonNegI64:$sram_addr, NonNegI64:$sram_stride,
                       PosI64:$rows, PosI64:$cols, UnitAttr:$transposed);
  let assemblyFormat = [{
    `spad` `[` $sram_addr `]` `stride` $sram_stride `tile` `[` $rows `,`
    $cols `]` (`transposed` $transposed^)? attr-dict
  }];
  let hasVerifier = 1;
}

def Systolic_ComputeOp : Systolic_Op<"compute"> {
  let summary = "C (+)= A x B through the array";
  let description = [{
    C (accumulator, m x n, rows `c_stride` apart) = A (m x k) x B (k x n),
    added to C with `accumulate`. A and B are scratchpad tiles at their
    address and stride, stored transposed with `transpose_a` (k x m) or
    `transpose_b` (n x k); the stationary operand (B on `ws`, A on `is`)
    comes from the preload, and its address and stride are 0. Without
    `continue` the compute starts a fold; with it, it streams on through
    the same fold (the same stationary tile; on `os`, the same C).

    ```mlir
    systolic.compute a[0, 6] b[64, 7] c[0, 7] mkn [5, 6, 7]
    ```
  }];
  let arguments = (ins NonNegI64:$a_addr, NonNegI64:$a_stride,
                       NonNegI64:$b_addr, NonNegI64:$b_stride,
                       NonNegI64:$c_addr, NonNegI64:$c_stride, PosI64:$m,
                       PosI64:$k, PosI64:$n, UnitAttr:$transpose_a,
                       UnitAttr:$transpose_b, UnitAttr:$accumulate,
                       UnitAttr:$continue_fold);
  let assemblyFormat = [{
    `a` `[` $a_addr `,` $a_stride `]` `b` `[` $b_addr `,` $b_stride `]`
    `c` `[` $c_addr `,` $c_stride `]` `mkn` `[` $m `,` $k `,` $n `]`
    (`transpose_a` $transpose_a^)? (`transpose_b` $transpose_b^)?
    (`accumulate` $accumulate^)? (`continue` $continue_fold^)? attr-dict
  }];
  let hasVerifier = 1;
}

def Systolic_FenceOp : Systolic_Op<"fence"> {
  let summary = "Waits until the DMA engines and the array are idle";
  let assemblyFormat = "attr-dict";
}

#endif // SYSTOLIC_OPS_TD
