//===- ScheduleOps.td - schedule ops -----------------------*- tablegen -*-===//
//
// Executables with their kernels' contracts, and the steps of the host
// schedule: dispatch, copy (on one device or between two) and fill.
//
//===----------------------------------------------------------------------===//

#ifndef SCHEDULE_OPS_TD
#define SCHEDULE_OPS_TD

include "dialects/Schedule/IR/ScheduleDialect.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Schedule_ExecutableOp : Schedule_Op<"executable", [
    Symbol, SymbolTable, IsolatedFromAbove, SingleBlock, NoTerminator]> {
  let summary = "Device code for one device: kernels and their contracts";
  let description = [{
    The kernels of one target for one device slot of the artifact. The
    body holds one `builtin.module`, which the target's pipeline compiles,
    and a `schedule.export` for each kernel that steps dispatch. One
    executable becomes one blob of the artifact.

    ```mlir
    schedule.executable @cpu target("cpu") device(0) {
      schedule.export @relu(read, write)
      builtin.module {
        func.func @relu(%x: tensor<4xf32>) -> tensor<4xf32> { ... }
      }
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, StrAttr:$target,
                       ConfinedAttr<I32Attr, [IntNonNegative]>:$device);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    $sym_name `target` `(` $target `)` `device` `(` $device `)`
    attr-dict-with-keyword $body
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The module that holds the kernels.
    ::mlir::ModuleOp getInnerModule();
  }];
}

def Schedule_ExportOp : Schedule_Op<"export", [
    Symbol, HasParent<"ExecutableOp">]> {
  let summary = "A kernel of an executable and its contract";
  let description = [{
    Names a kernel that steps dispatch and states what every device needs
    to run it: how it uses each binding (a dispatch's operands, then its
    results), and, once the target has compiled it, the function that
    implements it (in the executable's module, or in a kernel module such
    as a gpu.module directly inside it), its workgroup count and size, the byte sizes of the
    scratch buffers it takes after its bindings, its push constants, its
    workgroup memory, and the TMA tensor maps it reads bindings through
    (cuda).

    `then` names the export that runs next, after a barrier, with the same
    bindings and scratch: a GPU kernel whose steps each need all of the
    step before (a barrier orders only one workgroup) runs as a chain of
    kernels, one per step, each over all workgroups.

    ```mlir
    schedule.export @conv(read, read, write) workgroups [64, 1, 1]
        scratch [4096] {function = @strata_conv}
    schedule.export @copy(read, write) workgroups [8, 1, 1] {then = @copy_1}
    schedule.export @copy_1(read, write) workgroups [64, 1, 1]
    ```
  }];
  let arguments = (ins
      SymbolNameAttr:$sym_name,
      DenseI32ArrayAttr:$bindings,
      OptionalAttr<FlatSymbolRefAttr>:$function,
      OptionalAttr<DenseI64ArrayAttr>:$workgroups,
      OptionalAttr<FlatSymbolRefAttr>:$then,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1, 1}">:$workgroup_size,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$scratch,
      DefaultValuedAttr<I64Attr, "0">:$push_constants,
      DefaultValuedAttr<I64Attr, "0">:$shared_memory,
      OptionalAttr<TypedArrayAttrBase<Schedule_TensorMapAttr,
                                      "tensor maps">>:$tensor_maps);
  let assemblyFormat = [{
    $sym_name `(` custom<AccessList>($bindings) `)`
    (`workgroups` $workgroups^)? (`scratch` $scratch^)? attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The access of binding `index`.
    Access getAccess(unsigned index) {
      return static_cast<Access>(getBindings()[index]);
    }
  }];
}

def Schedule_DispatchOp : Schedule_Op<"dispatch", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "Runs a kernel of an executable on the executable's device";
  let description = [{
    Runs kernel `kernel` (`@executable::@export`) with `operands` bound for
    reading and one new buffer per result, on the device of the kernel's
    executable, in its `memory` (`device` unless said). `step` names the
    layer or op the dispatch came from.

    ```mlir
    %y = schedule.dispatch @cpu::@relu(%x) step("relu_1")
        : (tensor<4xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins SymbolRefAttr:$kernel,
                       Variadic<AnyRankedTensor>:$operands, StrAttr:$step,
                       DefaultValuedAttr<Schedule_MemoryKind,
                                         "::mlir::strata::schedule::MemoryKind::Device">:$memory);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = [{
    $kernel `(` $operands `)` `step` `(` $step `)`
    (`memory` `(` $memory^ `)`)? attr-dict `:`
    functional-type($operands, $results)
  }];
}

def Schedule_CopyOp : Schedule_Op<"copy", [Pure, AllTypesMatch<["source", "result"]>]> {
  let summary = "A copy of a buffer on a device, maybe another one";
  let description = [{
    A new buffer on device slot `device`, in its `memory` (`device` unless
    said), holding the contents of `source`. Where `source` lives on
    another device, the copy is a transfer between the two, which the
    runtime makes through host memory.

    ```mlir
    %b = schedule.copy %a to device(1) step("to_accelerator") : tensor<4xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$source,
                       ConfinedAttr<I32Attr, [IntNonNegative]>:$device,
                       StrAttr:$step,
                       DefaultValuedAttr<Schedule_MemoryKind,
                                         "::mlir::strata::schedule::MemoryKind::Device">:$memory);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $source `to` `device` `(` $device `)` `step` `(` $step `)`
    (`memory` `(` $memory^ `)`)? attr-dict `:` type($result)
  }];
}

def Schedule_FillOp : Schedule_Op<"fill", [Pure]> {
  let summary = "A new buffer filled with a repeated 32-bit pattern";
  let description = [{
    A new buffer on device slot `device`, in its `memory` (`device` unless
    said), whose bytes are the little-endian bytes of `pattern`, repeated.
    Its size is a whole number of patterns.

    ```mlir
    %ones = schedule.fill 1065353216 device(0) step("ones") : tensor<4xf32>
    ```
  }];
  let arguments = (ins I32Attr:$pattern,
                       ConfinedAttr<I32Attr, [IntNonNegative]>:$device,
                       StrAttr:$step,
                       DefaultValuedAttr<Schedule_MemoryKind,
                                         "::mlir::strata::schedule::MemoryKind::Device">:$memory);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = [{
    $pattern `device` `(` $device `)` `step` `(` $step `)`
    (`memory` `(` $memory^ `)`)? attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

#endif // SCHEDULE_OPS_TD
