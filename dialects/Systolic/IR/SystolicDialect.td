//===- SystolicDialect.td - the systolic array's ISA dialect -*- tablegen -*-===//
//
// The dialect definition, its enums and the op base class used by
// SystolicOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef SYSTOLIC_DIALECT_TD
#define SYSTOLIC_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def Systolic_Dialect : Dialect {
  let name = "systolic";
  let cppNamespace = "::mlir::strata::systolic";
  let summary = "The instruction set of Strata's systolic-array accelerator";
  let description = [{
    One op per instruction of the array (docs/systolic-isa.md): `config`,
    `mvin` and `mvout` (strided DMA between DRAM and the scratchpad or the
    accumulator), `preload` (the stationary operand), `compute` and
    `fence`. A kernel is a `func.func` whose arguments are its bindings
    (memrefs in DRAM) and whose body is a straight line of these ops; the
    module holding it carries the array it was compiled for as
    `systolic.array`, which the ops' verifiers check their tiles against.
    SRAM addresses count elements; DRAM offsets and strides count bytes.
  }];
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The module attribute that describes the array.
    static constexpr ::llvm::StringLiteral kArrayAttrName = "systolic.array";
    /// What a kernel argument holds, for the reports: "ifmap", "filter" or
    /// "ofmap".
    static constexpr ::llvm::StringLiteral kRoleAttrName = "systolic.role";
  }];
}

def Systolic_Dataflow : I32EnumAttr<"Dataflow",
    "which operand stays in the PEs", [
  I32EnumAttrCase<"OS", 0, "os">,
  I32EnumAttrCase<"WS", 1, "ws">,
  I32EnumAttrCase<"IS", 2, "is">
]> {
  let cppNamespace = "::mlir::strata::systolic";
}

def Systolic_Dtype : I32EnumAttr<"Dtype", "scratchpad element type", [
  I32EnumAttrCase<"F32", 0, "f32">,
  I32EnumAttrCase<"BF16", 1, "bf16">,
  I32EnumAttrCase<"I8", 2, "i8">
]> {
  let cppNamespace = "::mlir::strata::systolic";
}

def Systolic_Activation : I32EnumAttr<"Activation",
    "what mvout applies to accumulator values", [
  I32EnumAttrCase<"None", 0, "none">,
  I32EnumAttrCase<"Relu", 1, "relu">,
  I32EnumAttrCase<"Relu6", 2, "relu6">
]> {
  let cppNamespace = "::mlir::strata::systolic";
}

def Systolic_OutType : I32EnumAttr<"OutType",
    "element type mvout writes from the accumulator", [
  I32EnumAttrCase<"F32", 0, "f32">,
  I32EnumAttrCase<"BF16", 1, "bf16">,
  I32EnumAttrCase<"I8", 2, "i8">,
  I32EnumAttrCase<"I32", 3, "i32">
]> {
  let cppNamespace = "::mlir::strata::systolic";
}

def Systolic_Memory : I32EnumAttr<"Memory", "an on-chip SRAM", [
  I32EnumAttrCase<"Spad", 0, "spad">,
  I32EnumAttrCase<"Acc", 1, "acc">
]> {
  let cppNamespace = "::mlir::strata::systolic";
}

class Systolic_Op<string mnemonic, list<Trait> traits = []>
    : Op<Systolic_Dialect, mnemonic, traits>;

#endif // SYSTOLIC_DIALECT_TD
