//===- StrataOps.td - strata op definitions ---------------*- tablegen -*-===//
//
// Every op of the strata dialect. Ops follow ONNX semantics on ranked tensors;
// the comment above each group names the ONNX ops it covers.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_OPS_TD
#define STRATA_OPS_TD

include "dialects/Strata/IR/StrataDialect.td"

//===----------------------------------------------------------------------===//
// Constants and casts
//===----------------------------------------------------------------------===//

def Strata_ConstantOp : Strata_InferredOp<"constant", [ConstantLike]> {
  let summary = "A tensor literal";
  let description = [{
    Produces a tensor whose value is the `value` attribute. The result type is
    the attribute's type. ONNX initializers and `Constant` nodes import to it.

    ```mlir
    %w = strata.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Strata_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Strata_CastOp : Strata_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "Element type conversion (ONNX Cast)";
  let description = [{
    Converts every element to the result's element type: floats round to
    nearest, float to integer truncates toward zero, integer widening follows
    the source's signedness, and conversion to `i1` tests for non-zero. The
    shapes of the operand and result must agree.

    ```mlir
    %y = strata.cast %x : (tensor<2x3xf32>) -> tensor<2x3xi32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input);
  let results = (outs Strata_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops (ONNX Add, Sub, Mul, Div, Pow, Max, Min)
//===----------------------------------------------------------------------===//

class Strata_BinaryOp<string mnemonic, string onnxName, list<Trait> traits = []>
    : Strata_InferredOp<mnemonic, traits> {
  let summary = "Elementwise " # onnxName # " with numpy broadcasting";
  let description = [{
    Applies the operation elementwise after broadcasting both operands to a
    common shape with numpy's rules: shapes are aligned on the right, and a
    dimension of size 1 stretches to match the other. A dynamic dimension
    paired with 1 stays dynamic; two dynamic dimensions give a dynamic one.
    Both operands have the same element type, which is the result's.

    ```mlir
    %z = strata.}] # mnemonic # [{ %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$lhs, Strata_Tensor:$rhs);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::mlir::strata::inferBroadcastResult(
          loc, getOperationName(), {adaptor.getLhs(), adaptor.getRhs()},
          /*elementType=*/nullptr, types);
    }
  }];
}

def Strata_AddOp : Strata_BinaryOp<"add", "addition", [Commutative]>;
def Strata_SubOp : Strata_BinaryOp<"sub", "subtraction">;
def Strata_MulOp : Strata_BinaryOp<"mul", "multiplication", [Commutative]>;
def Strata_DivOp : Strata_BinaryOp<"div", "division (integers truncate toward zero)">;
def Strata_PowOp : Strata_BinaryOp<"pow", "power">;
def Strata_MaxOp : Strata_BinaryOp<"max", "maximum (NaN propagates)", [Commutative]>;
def Strata_MinOp : Strata_BinaryOp<"min", "minimum (NaN propagates)", [Commutative]>;

//===----------------------------------------------------------------------===//
// Comparisons (ONNX Equal, Greater, GreaterOrEqual, Less, LessOrEqual)
//===----------------------------------------------------------------------===//

class Strata_CompareOp<string mnemonic, string relation, list<Trait> traits = []>
    : Strata_InferredOp<mnemonic, traits> {
  let summary = "Elementwise `" # relation # "` comparison giving i1";
  let description = [{
    Compares the operands elementwise after numpy broadcasting (see
    `strata.add`) and yields an `i1` tensor. Both operands have the same
    element type; integers compare by their signedness (signless as signed).

    ```mlir
    %m = strata.}] # mnemonic # [{ %x, %y : (tensor<4xf32>, tensor<f32>) -> tensor<4xi1>
    ```
  }];
  let arguments = (ins Strata_Tensor:$lhs, Strata_Tensor:$rhs);
  let results = (outs Strata_BoolTensor:$output);
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *ctx, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::mlir::strata::inferBroadcastResult(
          loc, getOperationName(), {adaptor.getLhs(), adaptor.getRhs()},
          ::mlir::IntegerType::get(ctx, 1), types);
    }
  }];
}

def Strata_EqualOp : Strata_CompareOp<"equal", "==", [Commutative]>;
def Strata_GreaterOp : Strata_CompareOp<"greater", ">">;
def Strata_GreaterEqualOp : Strata_CompareOp<"greater_equal", ">=">;
def Strata_LessOp : Strata_CompareOp<"less", "<">;
def Strata_LessEqualOp : Strata_CompareOp<"less_equal", "<=">;

//===----------------------------------------------------------------------===//
// Logical, modulo and bit-shift ops (ONNX And, Or, Xor, Mod, BitShift)
//===----------------------------------------------------------------------===//

class Strata_LogicalOp<string mnemonic, string what>
    : Strata_BinaryOp<mnemonic, what, [Commutative]> {
  let summary = "Elementwise logical " # what # " with numpy broadcasting";
  let description = [{
    Combines two `i1` tensors elementwise after numpy broadcasting (see
    `strata.add`).

    ```mlir
    %z = strata.}] # mnemonic # [{ %a, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
    ```
  }];
  let arguments = (ins Strata_BoolTensor:$lhs, Strata_BoolTensor:$rhs);
  let results = (outs Strata_BoolTensor:$output);
  let hasFolder = 0;
}

def Strata_AndOp : Strata_LogicalOp<"and", "and">;
def Strata_OrOp : Strata_LogicalOp<"or", "or">;
def Strata_XorOp : Strata_LogicalOp<"xor", "exclusive or">;

def Strata_ModOp : Strata_BinaryOp<"mod", "remainder"> {
  let description = [{
    The remainder of `lhs / rhs` after numpy broadcasting. Integers take the
    sign of the divisor like Python's `%` unless `fmod` is set, which gives
    C's `fmod` (the dividend's sign); floats require `fmod` (ONNX Mod).

    ```mlir
    %r = strata.mod %a, %b : (tensor<4xi32>, tensor<i32>) -> tensor<4xi32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$lhs, Strata_Tensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
  let hasFolder = 0;
  let hasVerifier = 1;
}

def Strata_BitShiftOp : Strata_BinaryOp<"bit_shift", "bit shift"> {
  let description = [{
    Shifts each unsigned integer of `lhs` by the matching element of `rhs`,
    left or right as `direction` says (ONNX BitShift).

    ```mlir
    %r = strata.bit_shift %a, %b {direction = "left"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
    ```
  }];
  let arguments = (ins RankedTensorOf<[AnyUnsignedInteger]>:$lhs,
                       RankedTensorOf<[AnyUnsignedInteger]>:$rhs, StrAttr:$direction);
  let results = (outs RankedTensorOf<[AnyUnsignedInteger]>:$output);
  let hasFolder = 0;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class Strata_UnaryOp<string mnemonic, string what, Type operandType,
                     list<Trait> traits = []>
    : Strata_InferredOp<mnemonic, traits> {
  let summary = "Elementwise " # what;
  let description = [{
    Applies the function to every element; the result has the operand's type.

    ```mlir
    %y = strata.}] # mnemonic # [{ %x : (tensor<2x?xf32>) -> tensor<2x?xf32>
    ```
  }];
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location>,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

def Strata_NegOp : Strata_UnaryOp<"neg", "negation", Strata_Tensor> {
  let hasFolder = 1;
}
def Strata_AbsOp : Strata_UnaryOp<"abs", "absolute value", Strata_Tensor> {
  let hasFolder = 1;
}
def Strata_ReluOp : Strata_UnaryOp<"relu", "`max(x, 0)`", Strata_Tensor> {
  let hasFolder = 1;
}
def Strata_ExpOp : Strata_UnaryOp<"exp", "natural exponential", Strata_FloatTensor>;
def Strata_LogOp : Strata_UnaryOp<"log", "natural logarithm", Strata_FloatTensor>;
def Strata_SqrtOp : Strata_UnaryOp<"sqrt", "square root", Strata_FloatTensor>;
def Strata_TanhOp : Strata_UnaryOp<"tanh", "hyperbolic tangent", Strata_FloatTensor>;
def Strata_SigmoidOp : Strata_UnaryOp<"sigmoid", "logistic `1 / (1 + exp(-x))`",
                                      Strata_FloatTensor>;
def Strata_ErfOp : Strata_UnaryOp<"erf", "Gauss error function", Strata_FloatTensor>;
def Strata_FloorOp : Strata_UnaryOp<"floor", "rounding down", Strata_FloatTensor> {
  let hasFolder = 1;
}
def Strata_CeilOp : Strata_UnaryOp<"ceil", "rounding up", Strata_FloatTensor> {
  let hasFolder = 1;
}
def Strata_RoundOp : Strata_UnaryOp<"round",
    "rounding to the nearest integer, halves to even (ONNX Round)",
    Strata_FloatTensor> {
  let hasFolder = 1;
}
def Strata_SignOp : Strata_UnaryOp<"sign", "sign: -1, 0 or 1 (NaN stays NaN)",
                                   Strata_Tensor>;
def Strata_SinOp : Strata_UnaryOp<"sin", "sine", Strata_FloatTensor>;
def Strata_CosOp : Strata_UnaryOp<"cos", "cosine", Strata_FloatTensor>;
def Strata_TanOp : Strata_UnaryOp<"tan", "tangent", Strata_FloatTensor>;
def Strata_AsinOp : Strata_UnaryOp<"asin", "arcsine", Strata_FloatTensor>;
def Strata_AcosOp : Strata_UnaryOp<"acos", "arccosine", Strata_FloatTensor>;
def Strata_AtanOp : Strata_UnaryOp<"atan", "arctangent", Strata_FloatTensor>;
def Strata_SinhOp : Strata_UnaryOp<"sinh", "hyperbolic sine", Strata_FloatTensor>;
def Strata_CoshOp : Strata_UnaryOp<"cosh", "hyperbolic cosine", Strata_FloatTensor>;
def Strata_AsinhOp : Strata_UnaryOp<"asinh", "inverse hyperbolic sine",
                                    Strata_FloatTensor>;
def Strata_AcoshOp : Strata_UnaryOp<"acosh", "inverse hyperbolic cosine",
                                    Strata_FloatTensor>;
def Strata_AtanhOp : Strata_UnaryOp<"atanh", "inverse hyperbolic tangent",
                                    Strata_FloatTensor>;
def Strata_NotOp : Strata_UnaryOp<"not", "logical negation", Strata_BoolTensor> {
  let hasFolder = 1;
}

class Strata_FloatTestOp<string mnemonic, string what>
    : Strata_InferredOp<mnemonic> {
  let summary = "Elementwise test for " # what # ", giving i1";
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *ctx, std::optional<::mlir::Location>,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(::llvm::cast<::mlir::RankedTensorType>(
          adaptor.getInput().getType()).clone(::mlir::IntegerType::get(ctx, 1)));
      return ::mlir::success();
    }
  }];
}

def Strata_IsNaNOp : Strata_FloatTestOp<"is_nan", "NaN"> {
  let description = [{
    True where the element is NaN.

    ```mlir
    %m = strata.is_nan %x : (tensor<4xf32>) -> tensor<4xi1>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input);
  let results = (outs Strata_BoolTensor:$output);
}

def Strata_IsInfOp : Strata_FloatTestOp<"is_inf", "infinity"> {
  let description = [{
    True where the element is an infinity of a selected sign: positive ones
    unless `detect_positive` is false, negative ones unless
    `detect_negative` is false (ONNX IsInf).

    ```mlir
    %m = strata.is_inf %x {detect_negative = false} : (tensor<4xf32>) -> tensor<4xi1>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_positive,
                       DefaultValuedAttr<BoolAttr, "true">:$detect_negative);
  let results = (outs Strata_BoolTensor:$output);
}

def Strata_GeluOp : Strata_UnaryOp<"gelu", "Gaussian error linear unit",
                                   Strata_FloatTensor> {
  let description = [{
    `x * 0.5 * (1 + erf(x / sqrt(2)))`, or with `approximate = "tanh"` the
    tanh form `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`,
    as ONNX Gelu (opset 20) defines it.

    ```mlir
    %y = strata.gelu %x {approximate = "tanh"} : (tensor<8xf32>) -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let hasVerifier = 1;
}

def Strata_ClipOp : Strata_UnaryOp<"clip", "clamp to `[min, max]`", Strata_Tensor> {
  let description = [{
    Clamps every element to `[min, max]`; a missing bound is unbounded. The
    bounds are given as f64 and converted to the element type. Requires
    `min <= max` when both are present.

    ```mlir
    %y = strata.clip %x {min = 0.0, max = 6.0} : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Selection and contractions
//===----------------------------------------------------------------------===//

def Strata_WhereOp : Strata_InferredOp<"where"> {
  let summary = "Elementwise select (ONNX Where)";
  let description = [{
    Yields `x` where `condition` is true and `y` elsewhere; all three operands
    broadcast together with numpy's rules.

    ```mlir
    %z = strata.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Strata_BoolTensor:$condition, Strata_Tensor:$x,
                       Strata_Tensor:$y);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_MatMulOp : Strata_InferredOp<"matmul"> {
  let summary = "Matrix product with numpy semantics (ONNX MatMul)";
  let description = [{
    Like `numpy.matmul`: a 1-D `lhs` is promoted to a row vector and a 1-D
    `rhs` to a column vector (the added dimension is removed from the result);
    leading batch dimensions broadcast with numpy's rules; the contracted
    dimensions must agree unless one is dynamic.

    ```mlir
    %c = strata.matmul %a, %b : (tensor<8x1x4x16xf32>, tensor<3x16x5xf32>) -> tensor<8x3x4x5xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$lhs, Strata_Tensor:$rhs);
  let results = (outs Strata_Tensor:$output);
}

def Strata_EinsumOp : Strata_InferredOp<"einsum"> {
  let summary = "Einstein summation (ONNX Einsum)";
  let description = [{
    Contracts the operands as numpy's `einsum` does with `equation`:
    letters name dimensions, a letter repeated within an operand takes a
    diagonal, letters missing from the output are summed over, and `...`
    stands for broadcast leading dimensions. Without `->` the output is the
    letters used once, alphabetically, after the `...` dims.

    ```mlir
    %c = strata.einsum %a, %b {equation = "bij,bjk->bik"} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
    ```
  }];
  let arguments = (ins Variadic<Strata_Tensor>:$inputs, StrAttr:$equation);
  let results = (outs Strata_Tensor:$output);
}

def Strata_GemmOp : Strata_InferredOp<"gemm"> {
  let summary = "General matrix multiply `alpha * A' * B' + beta * C` (ONNX Gemm)";
  let description = [{
    `A'` is `a` or its transpose (`trans_a`), `B'` likewise; both are 2-D, so
    `A'` is MxK and `B'` is KxN. The optional `c` broadcasts
    unidirectionally to MxN.

    ```mlir
    %y = strata.gemm %a, %b, %c {trans_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$a, Strata_Tensor:$b,
                       Optional<Strata_Tensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0f">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0f">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Strata_Tensor:$output);
}

// Shared operands and attributes of the windowed ops over `dims` spatial
// dimensions: strides and dilations default to 1, pads (all begins, then all
// ends) to 0.
class Strata_WindowDefaults<int dims> {
  string ones = !if(!eq(dims, 2), "{1, 1}", "{1, 1, 1}");
  string zeros = !if(!eq(dims, 2), "{0, 0, 0, 0}", "{0, 0, 0, 0, 0, 0}");
  string outputZeros = !if(!eq(dims, 2), "{0, 0}", "{0, 0, 0}");
}

// Convolutions also take integers (quantized models accumulate in i32).
class Strata_ConvOp<string mnemonic, int dims>
    : Strata_InferredOp<mnemonic>, Strata_WindowDefaults<dims> {
  let arguments = (ins Strata_Tensor:$input, Strata_Tensor:$weight,
                       Optional<Strata_Tensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, ones>:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, zeros>:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, ones>:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs Strata_Tensor:$output);
}

class Strata_ConvTransposeOp<string mnemonic, int dims>
    : Strata_InferredOp<mnemonic>, Strata_WindowDefaults<dims> {
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$weight,
                       Optional<Strata_FloatTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, ones>:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, zeros>:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, ones>:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, outputZeros>:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$group);
  let results = (outs Strata_FloatTensor:$output);
}

class Strata_MaxPoolOp<string mnemonic, int dims>
    : Strata_InferredOp<mnemonic>, Strata_WindowDefaults<dims> {
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<DenseI64ArrayAttr, ones>:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, zeros>:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, ones>:$dilations,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode);
  let results = (outs Strata_Tensor:$output);
}

class Strata_AvgPoolOp<string mnemonic, int dims>
    : Strata_InferredOp<mnemonic>, Strata_WindowDefaults<dims> {
  let arguments = (ins Strata_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                       DefaultValuedAttr<DenseI64ArrayAttr, ones>:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, zeros>:$pads,
                       DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$count_include_pad);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_Conv2DOp : Strata_ConvOp<"conv2d", 2> {
  let summary = "2-D convolution, NCHW input and MCkHkW filter (ONNX Conv)";
  let description = [{
    `input` is NxCxHxW, `weight` is Mx(C/group)xkHxkW and the optional `bias`
    has M elements. `pads` is `[top, left, bottom, right]` as in ONNX. The
    output is NxMxOHxOW with
    `OH = (H + top + bottom - dilation_h * (kH - 1) - 1) / stride_h + 1`.

    ```mlir
    %y = strata.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
    ```
  }];
}

def Strata_ConvTranspose2DOp : Strata_ConvTransposeOp<"conv_transpose2d", 2> {
  let summary = "2-D transposed convolution, NCHW (ONNX ConvTranspose)";
  let description = [{
    The gradient of `strata.conv2d` with respect to its input. `input` is
    NxCxHxW, `weight` is Cx(M/group)xkHxkW and the optional `bias` has M
    elements. `pads` (`[top, left, bottom, right]`) trims the full output,
    `output_padding` adds cells at the end:
    `OH = stride_h * (H - 1) + output_padding_h + dilation_h * (kH - 1) + 1
    - top - bottom`.

    ```mlir
    %y = strata.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>}
        : (tensor<1x64x56x56xf32>, tensor<64x32x3x3xf32>) -> tensor<1x32x112x112xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Pooling (ONNX MaxPool, AveragePool, GlobalMaxPool, GlobalAveragePool)
//===----------------------------------------------------------------------===//

def Strata_MaxPool2DOp : Strata_MaxPoolOp<"max_pool2d", 2> {
  let summary = "2-D max pooling over an NCHW tensor";
  let description = [{
    Window sizes follow `strata.conv2d`; `ceil_mode` rounds the output size
    up, as long as the last window still starts inside the input or its
    leading padding.

    ```mlir
    %y = strata.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
        : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
    ```
  }];
}

def Strata_AvgPool2DOp : Strata_AvgPoolOp<"avg_pool2d", 2> {
  let summary = "2-D average pooling over an NCHW tensor";
  let description = [{
    Windows as in `strata.max_pool2d`. With `count_include_pad` the padded
    cells count in the divisor; otherwise only the cells inside the input do.

    ```mlir
    %y = strata.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
        : (tensor<1x8x32x32xf32>) -> tensor<1x8x16x16xf32>
    ```
  }];
}

def Strata_Conv3DOp : Strata_ConvOp<"conv3d", 3> {
  let summary = "3-D convolution, NCDHW input (ONNX Conv)";
  let description = [{
    `strata.conv2d` over three spatial dimensions: `input` is NxCxDxHxW,
    `weight` Mx(C/group)xkDxkHxkW; `pads` holds the three begins, then the
    three ends.

    ```mlir
    %y = strata.conv3d %x, %w {pads = array<i64: 1, 1, 1, 1, 1, 1>}
        : (tensor<1x3x8x16x16xf32>, tensor<8x3x3x3x3xf32>) -> tensor<1x8x8x16x16xf32>
    ```
  }];
}

def Strata_ConvTranspose3DOp : Strata_ConvTransposeOp<"conv_transpose3d", 3> {
  let summary = "3-D transposed convolution, NCDHW (ONNX ConvTranspose)";
  let description = [{
    `strata.conv_transpose2d` over three spatial dimensions; `weight` is
    Cx(M/group)xkDxkHxkW.

    ```mlir
    %y = strata.conv_transpose3d %x, %w : (tensor<1x1x3x4x5xf32>, tensor<1x2x3x3x3xf32>) -> tensor<1x2x5x6x7xf32>
    ```
  }];
}

def Strata_MaxPool3DOp : Strata_MaxPoolOp<"max_pool3d", 3> {
  let summary = "3-D max pooling over an NCDHW tensor";
  let description = [{
    `strata.max_pool2d` over three spatial dimensions.

    ```mlir
    %y = strata.max_pool3d %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>}
        : (tensor<1x4x8x8x8xf32>) -> tensor<1x4x4x4x4xf32>
    ```
  }];
}

def Strata_AvgPool3DOp : Strata_AvgPoolOp<"avg_pool3d", 3> {
  let summary = "3-D average pooling over an NCDHW tensor";
  let description = [{
    `strata.avg_pool2d` over three spatial dimensions.

    ```mlir
    %y = strata.avg_pool3d %x {kernel_shape = array<i64: 3, 3, 3>}
        : (tensor<1x4x8x8x8xf32>) -> tensor<1x4x6x6x6xf32>
    ```
  }];
}

class Strata_GlobalPoolOp<string mnemonic, string what>
    : Strata_InferredOp<mnemonic> {
  let summary = "Global " # what # " pooling over all spatial dimensions";
  let description = [{
    Reduces every dimension after the first two (N and C) to size 1.

    ```mlir
    %y = strata.}] # mnemonic # [{ %x : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input);
  let results = (outs Strata_Tensor:$output);
}

def Strata_GlobalAvgPoolOp : Strata_GlobalPoolOp<"global_avg_pool", "average">;
def Strata_GlobalMaxPoolOp : Strata_GlobalPoolOp<"global_max_pool", "max">;

//===----------------------------------------------------------------------===//
// Reductions (ONNX ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd)
//===----------------------------------------------------------------------===//

class Strata_ReduceOp<string mnemonic, string what>
    : Strata_InferredOp<mnemonic> {
  let summary = "Reduction by " # what # " over `axes`";
  let description = [{
    Reduces the listed axes (negative axes count from the end; no duplicates).
    An empty `axes` reduces every dimension. With `keepdims` (the default)
    reduced dimensions stay as size 1, otherwise they are removed.

    ```mlir
    %y = strata.}] # mnemonic # [{ %x {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs Strata_Tensor:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::mlir::strata::inferReduceResult(loc, getOperationName(),
          adaptor.getInput(), adaptor.getAxes(), adaptor.getKeepdims(), types);
    }
  }];
}

def Strata_ReduceSumOp : Strata_ReduceOp<"reduce_sum", "sum">;
def Strata_ReduceMeanOp : Strata_ReduceOp<"reduce_mean", "arithmetic mean">;
def Strata_ReduceMaxOp : Strata_ReduceOp<"reduce_max", "maximum">;
def Strata_ReduceMinOp : Strata_ReduceOp<"reduce_min", "minimum">;
def Strata_ReduceProdOp : Strata_ReduceOp<"reduce_prod", "product">;

class Strata_ArgOp<string mnemonic, string what>
    : Strata_InferredOp<mnemonic> {
  let summary = "Index of the " # what # " along an axis (ONNX Arg" # what # ")";
  let description = [{
    Yields i64 indices of the extreme element along `axis`; ties resolve to
    the first index, or the last with `select_last_index`. With `keepdims`
    (the default) the axis stays as size 1.

    ```mlir
    %i = strata.}] # mnemonic # [{ %x {axis = 1 : i64, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xi64>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *ctx, std::optional<::mlir::Location> loc,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      if (::mlir::failed(::mlir::strata::inferReduceResult(
              loc, getOperationName(), adaptor.getInput(),
              {static_cast<int64_t>(adaptor.getAxis())}, adaptor.getKeepdims(),
              types)))
        return ::mlir::failure();
      types.back() = ::llvm::cast<::mlir::RankedTensorType>(types.back())
                         .clone(::mlir::IntegerType::get(ctx, 64));
      return ::mlir::success();
    }
  }];
}

def Strata_ArgMaxOp : Strata_ArgOp<"argmax", "Max">;
def Strata_ArgMinOp : Strata_ArgOp<"argmin", "Min">;

def Strata_CumSumOp : Strata_InferredOp<"cumsum"> {
  let summary = "Cumulative sum along an axis (ONNX CumSum)";
  let description = [{
    Element `i` along `axis` is the sum of elements `0..i`; `exclusive`
    leaves out element `i` itself and `reverse` sums from the end.

    ```mlir
    %y = strata.cumsum %x {axis = 0 : i64, exclusive = true} : (tensor<5xf32>) -> tensor<5xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Strata_Tensor:$output);
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def Strata_SoftmaxOp : Strata_InferredOp<"softmax"> {
  let summary = "Softmax along one axis (ONNX Softmax, opset 13)";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along `axis` (default -1).

    ```mlir
    %p = strata.softmax %x {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_LogSoftmaxOp : Strata_InferredOp<"log_softmax"> {
  let summary = "Logarithm of softmax along one axis (ONNX LogSoftmax, opset 13)";
  let description = [{
    `x - max(x) - log(sum(exp(x - max(x))))` along `axis` (default -1), which
    stays finite where `log(softmax(x))` would underflow to `-inf`.

    ```mlir
    %p = strata.log_softmax %x : (tensor<2x10xf32>) -> tensor<2x10xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_BatchNormOp : Strata_InferredOp<"batch_norm"> {
  let summary = "Inference-mode batch normalization (ONNX BatchNormalization)";
  let description = [{
    `scale * (x - mean) / sqrt(var + epsilon) + bias`, with `scale`, `bias`,
    `mean` and `var` 1-D over the channel dimension (dimension 1 of `input`).

    ```mlir
    %y = strata.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32}
        : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$scale,
                       Strata_FloatTensor:$bias, Strata_FloatTensor:$mean,
                       Strata_FloatTensor:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_LayerNormOp : Strata_InferredOp<"layer_norm"> {
  let summary = "Layer normalization over the trailing axes (ONNX LayerNormalization)";
  let description = [{
    Normalizes over dimensions `axis..rank-1` to zero mean and unit variance,
    then applies `scale` and the optional `bias`, both of which broadcast
    unidirectionally to those dimensions.

    ```mlir
    %y = strata.layer_norm %x, %g, %b {axis = -1 : i64}
        : (tensor<2x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<2x16x64xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$scale,
                       Optional<Strata_FloatTensor>:$bias,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5f">:$epsilon);
  let results = (outs Strata_FloatTensor:$output);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Strata_TransposeOp : Strata_InferredOp<"transpose"> {
  let summary = "Permutes dimensions (ONNX Transpose)";
  let description = [{
    Result dimension `i` is input dimension `perm[i]`.

    ```mlir
    %y = strata.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_ReshapeOp : Strata_InferredOp<"reshape"> {
  let summary = "Changes the shape, keeping the elements (ONNX Reshape)";
  let description = [{
    `shape` lists the new dimensions. One entry may be -1: it is inferred
    from the element count. Unless `allowzero` is set, a 0 copies the input
    dimension at the same index; with `allowzero`, 0 is a zero-size dimension
    and then -1 must not appear.

    ```mlir
    %y = strata.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$shape,
                       DefaultValuedAttr<BoolAttr, "false">:$allowzero);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Strata_FlattenOp : Strata_InferredOp<"flatten"> {
  let summary = "Collapses to 2-D around `axis` (ONNX Flatten)";
  let description = [{
    The result is `[prod(d[0:axis]), prod(d[axis:])]`; `axis` is in
    `[-rank, rank]`.

    ```mlir
    %y = strata.flatten %x {axis = 1 : i64} : (tensor<1x512x1x1xf32>) -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Strata_Tensor:$output);
}

def Strata_SqueezeOp : Strata_InferredOp<"squeeze"> {
  let summary = "Removes size-1 dimensions (ONNX Squeeze)";
  let description = [{
    Removes the listed `axes`, each of which must have size 1 (or be
    dynamic). An empty `axes` removes every dimension of static size 1 and
    needs a fully static shape.

    ```mlir
    %y = strata.squeeze %x {axes = array<i64: 0>} : (tensor<1x3xf32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_UnsqueezeOp : Strata_InferredOp<"unsqueeze"> {
  let summary = "Inserts size-1 dimensions (ONNX Unsqueeze)";
  let description = [{
    `axes` index the result, whose rank is the input's plus the number of
    axes; negative axes count from the result's end.

    ```mlir
    %y = strata.unsqueeze %x {axes = array<i64: 0, -1>} : (tensor<3xf32>) -> tensor<1x3x1xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_ConcatOp : Strata_InferredOp<"concat"> {
  let summary = "Joins tensors along an axis (ONNX Concat)";
  let description = [{
    All inputs share rank and element type, and agree on every dimension but
    `axis`, whose sizes add up.

    ```mlir
    %y = strata.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Strata_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_SliceOp : Strata_InferredOp<"slice"> {
  let summary = "Strided slice with ONNX clamping rules (ONNX Slice)";
  let description = [{
    For each listed axis (all axes in order when `axes` is empty), takes
    `start, start + step, ...` up to but excluding `end`. Negative `start`
    and `end` count from the end and both are clamped to the dimension as
    ONNX specifies, so huge values mean "to the end". `steps` defaults to 1
    and must not be 0; negative steps walk backwards.

    ```mlir
    %y = strata.slice %x {starts = array<i64: 1>, ends = array<i64: -1>, axes = array<i64: 1>}
        : (tensor<2x10xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$steps);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_GatherOp : Strata_InferredOp<"gather"> {
  let summary = "Gathers slices along an axis (ONNX Gather)";
  let description = [{
    The result shape is `data[:axis] + indices + data[axis+1:]`. Negative
    indices count from the end of the axis. An index outside
    `[-size, size)` is an error; code generation rejects a constant one and
    clamps one known only at run time (see docs/compiler.md).

    ```mlir
    %y = strata.gather %emb, %ids {axis = 0 : i64} : (tensor<1000x64xf32>, tensor<2x7xi64>) -> tensor<2x7x64xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_ResizeOp : Strata_InferredOp<"resize"> {
  let summary = "Resamples to new dimensions (ONNX Resize and Upsample)";
  let description = [{
    The result has the shape `sizes`. Each output coordinate maps back to
    the input through `coordinate_transformation_mode` and the per-dimension
    `scales` (output over input size, kept apart from `sizes` because ONNX
    maps with the requested scale, not the rounded ratio); `roi` (begins,
    then ends, normalized) is used by `tf_crop_and_resize`. `mode` is
    `nearest` (with `nearest_mode` rounding), `linear` or `cubic`
    (`cubic_coeff_a`, `exclude_outside`); `extrapolation_value` fills
    coordinates outside the input for `tf_crop_and_resize`.

    ```mlir
    %y = strata.resize %x {sizes = array<i64: 1, 3, 64, 64>, scales = array<f32: 1.0, 1.0, 2.0, 2.0>, mode = "linear"}
        : (tensor<1x3x32x32xf32>) -> tensor<1x3x64x64xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input, DenseI64ArrayAttr:$sizes,
                       DenseF32ArrayAttr:$scales,
                       DefaultValuedStrAttr<StrAttr, "nearest">:$mode,
                       DefaultValuedStrAttr<StrAttr, "half_pixel">:$coordinate_transformation_mode,
                       DefaultValuedStrAttr<StrAttr, "round_prefer_floor">:$nearest_mode,
                       DefaultValuedAttr<F32Attr, "-0.75f">:$cubic_coeff_a,
                       DefaultValuedAttr<BoolAttr, "false">:$exclude_outside,
                       DefaultValuedAttr<F32Attr, "0.0f">:$extrapolation_value,
                       DefaultValuedAttr<DenseF32ArrayAttr, "{}">:$roi);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_GridSampleOp : Strata_InferredOp<"grid_sample"> {
  let summary = "Samples an image at grid coordinates (ONNX GridSample)";
  let description = [{
    For each output location, `grid` (NxHoxWox2) holds normalized (x, y)
    coordinates in [-1, 1] into `input` (NxCxHxW); the result is
    NxCxHoxWo. `mode` is `bilinear`, `nearest` or `bicubic`; coordinates
    outside the image follow `padding_mode` (`zeros`, `border`,
    `reflection`); `align_corners` maps -1 and 1 to the centers of the
    corner pixels rather than their outer edges.

    ```mlir
    %y = strata.grid_sample %x, %g : (tensor<1x3x8x8xf32>, tensor<1x4x4x2xf32>) -> tensor<1x3x4x4xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$grid,
                       DefaultValuedStrAttr<StrAttr, "bilinear">:$mode,
                       DefaultValuedStrAttr<StrAttr, "zeros">:$padding_mode,
                       DefaultValuedAttr<BoolAttr, "false">:$align_corners);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_GatherElementsOp : Strata_InferredOp<"gather_elements"> {
  let summary = "Gathers single elements along an axis (ONNX GatherElements)";
  let description = [{
    `output[i][j][k] = data[indices[i][j][k]][j][k]` for `axis = 0`, and
    likewise for other axes. `indices` has the rank of `data`, and its
    dimensions other than `axis` must not exceed the data's; the result has
    the shape of `indices`. Negative indices count from the end of the axis;
    out-of-range ones are treated as for `strata.gather`.

    ```mlir
    %y = strata.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Strata_Tensor:$output);
}

def Strata_ScatterElementsOp : Strata_InferredOp<"scatter_elements"> {
  let summary = "Writes updates at indices along an axis (ONNX ScatterElements)";
  let description = [{
    A copy of `data` where, for `axis = 0`,
    `output[indices[i][j]][j] = updates[i][j]`, combined with the existing
    value by `reduction` (`none`, `add`, `mul`, `max` or `min`). `indices`
    and `updates` share a shape of the data's rank. Negative indices count
    from the end of the axis. An index outside `[-size, size)` is an error;
    code generation rejects a constant one and drops the update of one known
    only at run time.

    ```mlir
    %y = strata.scatter_elements %d, %i, %u {axis = 1 : i64} : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       Strata_Tensor:$updates,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Strata_Tensor:$output);
}

def Strata_ScatterNDOp : Strata_InferredOp<"scatter_nd"> {
  let summary = "Writes slices at index tuples (ONNX ScatterND)";
  let description = [{
    A copy of `data` where each tuple in the last dimension of `indices`
    (of static length k) selects a slice `data[i0, ..., ik-1]` that the
    matching slice of `updates` replaces or, with `reduction`, combines
    with. `updates` has shape `indices[:-1] + data[k:]`. Indices are
    treated as for `strata.scatter_elements`.

    ```mlir
    %y = strata.scatter_nd %d, %i, %u : (tensor<8xf32>, tensor<4x1xi64>, tensor<4xf32>) -> tensor<8xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       Strata_Tensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Strata_Tensor:$output);
}

def Strata_GatherNDOp : Strata_InferredOp<"gather_nd"> {
  let summary = "Gathers slices at index tuples (ONNX GatherND)";
  let description = [{
    Each tuple in the last dimension of `indices` (of static length k)
    selects `data[b..., i0, ..., ik-1]`; the first `batch_dims` dimensions
    of `data` and `indices` are shared batch dimensions. The result has
    shape `indices[:-1] + data[batch_dims + k:]`. Indices are treated as
    for `strata.gather`.

    ```mlir
    %y = strata.gather_nd %d, %i : (tensor<2x2xf32>, tensor<2x2xi64>) -> tensor<2xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs Strata_Tensor:$output);
}

def Strata_TopKOp : Strata_InferredOp<"topk"> {
  let summary = "The k largest or smallest elements along an axis (ONNX TopK)";
  let description = [{
    Yields the `k` largest (or, without `largest`, smallest) values along
    `axis` and their i64 indices; with `sorted` they come in order, ties
    resolved to the lower index.

    ```mlir
    %v, %i = strata.topk %x {k = 3 : i64} : (tensor<3x4xf32>) -> (tensor<3x3xf32>, tensor<3x3xi64>)
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, I64Attr:$k,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$largest,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Strata_Tensor:$values, RankedTensorOf<[I64]>:$indices);
}

def Strata_DetOp : Strata_InferredOp<"det"> {
  let summary = "Determinant of square matrices (ONNX Det)";
  let description = [{
    The determinant of each matrix in the last two (equal) dimensions.

    ```mlir
    %d = strata.det %x : (tensor<4x3x3xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_PadOp : Strata_InferredOp<"pad"> {
  let summary = "Pads (or crops) every dimension (ONNX Pad)";
  let description = [{
    `pads` holds `2 * rank` values, all begins then all ends; negative values
    crop. `mode` is `constant` (fill with `value`), `reflect` or `edge`.

    ```mlir
    %y = strata.pad %x {pads = array<i64: 0, 1, 0, 1>, value = 0.0 : f64} : (tensor<2x3xf32>) -> tensor<2x5xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$pads,
                       DefaultValuedStrAttr<StrAttr, "constant">:$mode,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_ExpandOp : Strata_InferredOp<"expand"> {
  let summary = "Broadcasts to a shape (ONNX Expand)";
  let description = [{
    The result shape is the numpy broadcast of the input shape and `shape`,
    so a 1 in `shape` keeps the input's dimension.

    ```mlir
    %y = strata.expand %x {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Data-dependent result shapes
//===----------------------------------------------------------------------===//

def Strata_NonZeroOp : Strata_InferredOp<"non_zero"> {
  let summary = "Coordinates of the non-zero elements (ONNX NonZero)";
  let description = [{
    One column of i64 coordinates per non-zero element, in row-major order;
    the number of columns depends on the data, so it is dynamic.

    ```mlir
    %i = strata.non_zero %x : (tensor<2x2xi1>) -> tensor<2x?xi64>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input);
  let results = (outs RankedTensorOf<[I64]>:$output);
}

def Strata_UniqueOp : Strata_InferredOp<"unique"> {
  let summary = "Distinct elements or slices (ONNX Unique)";
  let description = [{
    Without `axis`, the distinct elements of the flattened input; with it,
    the distinct slices along `axis`. `sorted` orders them ascending, else
    they keep the order of first occurrence. The other results are the index
    of each first occurrence, the index of each input element (or slice) in
    `output`, and how often each occurs. How many there are depends on the
    data, so those dimensions are dynamic.

    ```mlir
    %y, %first, %inverse, %counts = strata.unique %x {axis = 0 : i64} : (tensor<3x3xf32>) -> (tensor<?x3xf32>, tensor<?xi64>, tensor<3xi64>, tensor<?xi64>)
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, OptionalAttr<I64Attr>:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Strata_Tensor:$output, RankedTensorOf<[I64]>:$indices,
                      RankedTensorOf<[I64]>:$inverse_indices,
                      RankedTensorOf<[I64]>:$counts);
}

def Strata_NonMaxSuppressionOp : Strata_InferredOp<"non_max_suppression"> {
  let summary = "Greedy box selection by score and overlap (ONNX NonMaxSuppression)";
  let description = [{
    For each batch and class, keeps boxes in descending score order, dropping
    a box whose intersection over union with a kept one exceeds
    `iou_threshold` or whose score is not above `score_threshold`, at most
    `max_output_boxes_per_class` of them. `boxes` is `[batches, boxes, 4]`
    as corners `[y1, x1, y2, x2]`, or `[xc, yc, w, h]` with
    `center_point_box`; `scores` is `[batches, classes, boxes]`. The result
    holds one `[batch, class, box]` row per kept box.

    ```mlir
    %sel = strata.non_max_suppression %boxes, %scores, %max, %iou, %min : (tensor<1x6x4xf32>, tensor<1x1x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$boxes, Strata_FloatTensor:$scores,
                       RankedTensorOf<[I64]>:$max_output_boxes_per_class,
                       Strata_FloatTensor:$iou_threshold,
                       Strata_FloatTensor:$score_threshold,
                       DefaultValuedAttr<BoolAttr, "false">:$center_point_box);
  let results = (outs RankedTensorOf<[I64]>:$selected_indices);
}

//===----------------------------------------------------------------------===//
// Text features and random numbers
//===----------------------------------------------------------------------===//

def Strata_TfIdfVectorizerOp : Strata_InferredOp<"tfidf_vectorizer"> {
  let summary = "Counts of integer n-grams from a pool (ONNX TfIdfVectorizer)";
  let description = [{
    Counts, in each row of `input`, the n-grams of `pool` whose length is in
    `[min_gram_length, max_gram_length]`, allowing up to `max_skip_count`
    skipped tokens between an n-gram's items. `pool` holds the 1-grams, then
    the 2-grams and so on; `ngram_counts[i]` is where the (i+1)-grams start.
    Count `j` lands in output column `ngram_indexes[j]`. `mode` `TF` yields
    the counts, `IDF` `weights[j]` where the count is non-zero, `TFIDF`
    count times weight (weights default to 1).

    ```mlir
    %y = strata.tfidf_vectorizer %x {mode = "TF", min_gram_length = 2 : i64, max_gram_length = 2 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0, 0>, ngram_indexes = array<i64: 0, 1, 2>, pool = array<i64: 5, 6, 7, 8, 6, 7>} : (tensor<12xi32>) -> tensor<3xf32>
    ```
  }];
  let arguments = (ins Strata_IndexTensor:$input, StrAttr:$mode,
                       I64Attr:$min_gram_length, I64Attr:$max_gram_length,
                       I64Attr:$max_skip_count,
                       DenseI64ArrayAttr:$ngram_counts,
                       DenseI64ArrayAttr:$ngram_indexes,
                       DenseI64ArrayAttr:$pool,
                       OptionalAttr<DenseF64ArrayAttr>:$weights);
  let results = (outs RankedTensorOf<[F32]>:$output);
}

def Strata_RandomUniformLikeOp
    : Strata_Op<"random_uniform_like",
                [Strata_VerifyInferredType, Strata_InferType]> {
  let summary = "Uniform random numbers shaped like a tensor (ONNX RandomUniformLike)";
  let description = [{
    Draws each element independently from `[low, high)`, with the shape of
    `like` and the element type `dtype`. With a `seed` the numbers are the
    same on every run; without one they differ between runs, so the op has
    an effect and is neither folded nor merged with another.

    ```mlir
    %r = strata.random_uniform_like %x {dtype = f32, low = 0.0 : f64, high = 1.0 : f64} : (tensor<10xf64>) -> tensor<10xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$like, TypeAttrOf<AnyFloat>:$dtype,
                       DefaultValuedAttr<F64Attr, "0.0">:$low,
                       DefaultValuedAttr<F64Attr, "1.0">:$high,
                       OptionalAttr<F64Attr>:$seed);
  let results = (outs Strata_FloatTensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif // STRATA_OPS_TD
