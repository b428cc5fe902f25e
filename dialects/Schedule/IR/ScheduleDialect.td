//===- ScheduleDialect.td - the host schedule dialect ------*- tablegen -*-===//
//
// The dialect definition, its enums and the op base class used by
// ScheduleOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef SCHEDULE_DIALECT_TD
#define SCHEDULE_DIALECT_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def Schedule_Dialect : Dialect {
  let name = "schedule";
  let cppNamespace = "::mlir::strata::schedule";
  let summary = "The host schedule of a model: executables and the steps that run them";
  let description = [{
    Everything between a model's entry function and its kernels: the
    executables, one per target and device, each holding its kernels in a
    nested `builtin.module` and declaring each kernel's contract with a
    `schedule.export`; and, in the entry function, the steps that run on
    them: dispatches, copies and fills. The entry function keeps value
    semantics: every tensor a step produces is one buffer of the artifact,
    on the device of the step that writes it and in the memory kind the
    step names, so serializing the schedule is a walk over this IR.
  }];
  let useDefaultAttributePrinterParser = 1;
}

def Schedule_Access : I32EnumAttr<"Access", "how a kernel uses a binding", [
  I32EnumAttrCase<"Read", 0, "read">,
  I32EnumAttrCase<"Write", 1, "write">,
  I32EnumAttrCase<"ReadWrite", 2, "read_write">
]> {
  let cppNamespace = "::mlir::strata::schedule";
}

def Schedule_MemoryKind : I32EnumAttr<"MemoryKind",
    "where a buffer's memory lives on its device", [
  I32EnumAttrCase<"Device", 0, "device">,
  I32EnumAttrCase<"Host", 1, "host">
]> {
  let cppNamespace = "::mlir::strata::schedule";
}

class Schedule_Op<string mnemonic, list<Trait> traits = []>
    : Op<Schedule_Dialect, mnemonic, traits>;

def Schedule_TensorMapAttr : AttrDef<Schedule_Dialect, "TensorMap"> {
  let mnemonic = "tensor_map";
  let summary = "A TMA tensor map through which a kernel reads a binding";
  let description = [{
    Binding `binding` of a kernel, read as a dense row-major tensor of
    `element` and `shape` (outermost first), copied into shared memory by
    the tensor memory accelerator in boxes of `box` elements, swizzled in
    rows of `swizzle` bytes (0: not swizzled); reads past the shape give
    zeros. The kernel finds the map in its module's 128-byte global
    `symbol`, which the runtime fills for each dispatch.

    ```mlir
    #schedule.tensor_map<binding = 0, symbol = "mm_tensor_map_0",
        element = bf16, shape = [2048, 512], box = [128, 64], swizzle = 128>
    ```
  }];
  let parameters = (ins "int64_t":$binding, StringRefParameter<>:$symbol,
                        "::mlir::Type":$element,
                        ArrayRefParameter<"int64_t">:$shape,
                        ArrayRefParameter<"int64_t">:$box, "int64_t":$swizzle);
  let assemblyFormat = [{
    `<` `binding` `=` $binding `,` `symbol` `=` $symbol `,`
    `element` `=` $element `,` `shape` `=` `[` $shape `]` `,`
    `box` `=` `[` $box `]` `,` `swizzle` `=` $swizzle `>`
  }];
  let genVerifyDecl = 1;
}

#endif // SCHEDULE_DIALECT_TD
