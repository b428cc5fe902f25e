//===- SystolicOps.h - systolic op classes ---------------------*- C++ -*-===//
//
// Declares the ODS-generated op classes and enums, and the array a kernel
// is compiled for, read from the `systolic.array` module attribute.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_SYSTOLIC_IR_SYSTOLICOPS_H
#define STRATA_DIALECTS_SYSTOLIC_IR_SYSTOLICOPS_H

#include "dialects/Systolic/IR/SystolicDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"

#include "dialects/Systolic/IR/SystolicEnums.h.inc"

#define GET_OP_CLASSES
#include "dialects/Systolic/IR/SystolicOps.h.inc"

namespace mlir::strata::systolic {

/// The array a kernel targets: the `systolic.array` dictionary of a module
/// (rows, cols, dataflow, scratchpad_bytes, accumulator_bytes, and config,
/// the configuration's JSON text).
struct ArrayInfo {
  int64_t rows = 0, cols = 0;
  Dataflow dataflow = Dataflow::OS;
  int64_t scratchpadBytes = 0, accumulatorBytes = 0;
  std::string config;
};

/// The array of `attr` (a `systolic.array` value), or failure with a
/// diagnostic through `emitError`.
FailureOr<ArrayInfo>
parseArrayAttr(Attribute attr, function_ref<InFlightDiagnostic()> emitError);
/// The array of the nearest module around `op` that has one, or failure
/// with a diagnostic on `op`.
FailureOr<ArrayInfo> getArrayInfo(Operation *op);
/// `info` as a `systolic.array` value.
DictionaryAttr buildArrayAttr(MLIRContext *context, const ArrayInfo &info);

} // namespace mlir::strata::systolic

#endif // STRATA_DIALECTS_SYSTOLIC_IR_SYSTOLICOPS_H
