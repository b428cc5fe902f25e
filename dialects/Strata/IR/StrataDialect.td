//===- StrataDialect.td - the strata tensor dialect -------*- tablegen -*-===//
//
// The dialect definition, the shared type constraints and the op base classes
// used by StrataOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECT_TD
#define STRATA_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Strata_Dialect : Dialect {
  let name = "strata";
  let cppNamespace = "::mlir::strata";
  let summary = "High-level tensor operations with ONNX semantics";
  let description = [{
    The `strata` dialect is the entry point of the Strata compiler: every
    frontend (ONNX, the JSON graph format, hand-written `.mlir`) produces it.
    Ops work on ranked tensors whose dimensions may be static or dynamic
    (`?`). Each op infers its result type (numpy broadcasting, conv/pool
    window arithmetic, reductions with `axes`/`keepdims`, negative axes) and
    accepts a written result type that is equal to or compatible with the
    inferred one, so IR can carry shapes that are known to be more precise
    than inference alone gives.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
  let useDefaultTypePrinterParser = 0;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Strata_Element : AnyTypeOf<[AnyFloat, AnyInteger]>;
def Strata_Tensor : RankedTensorOf<[AnyFloat, AnyInteger]>;
def Strata_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Strata_BoolTensor : RankedTensorOf<[I1]>;
def Strata_IndexTensor : RankedTensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// Traits and op base classes
//===----------------------------------------------------------------------===//

// Runs the op's type inference before InferTypeOpInterface's own check, so a
// bad op gets one precise diagnostic instead of a generic "failed to infer".
def Strata_VerifyInferredType : NativeOpTrait<"VerifyInferredType"> {
  let cppNamespace = "::mlir::strata::OpTrait";
}

// Inference through the op adaptor; a written result type may be more or
// less static than the inferred one, but never contradict it.
def Strata_InferType : InferTypeOpAdaptorBase<[{
  static bool isCompatibleReturnTypes(::mlir::TypeRange l, ::mlir::TypeRange r) {
    return ::mlir::strata::areCompatibleResultTypes(l, r);
  }
}]>;

class Strata_Op<string mnemonic, list<Trait> traits = []>
    : Op<Strata_Dialect, mnemonic, traits>;

// An op whose result type follows from its operands and attributes.
class Strata_InferredOp<string mnemonic, list<Trait> traits = []>
    : Strata_Op<mnemonic, !listconcat(traits,
                          [Pure, Strata_VerifyInferredType, Strata_InferType])> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

#endif // STRATA_DIALECT_TD
