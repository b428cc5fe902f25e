//===- ScheduleOps.h - schedule op classes ----------------------*- C++ -*-===//
//
// Declares the ODS-generated op classes, attributes and enums.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_SCHEDULE_IR_SCHEDULEOPS_H
#define STRATA_DIALECTS_SCHEDULE_IR_SCHEDULEOPS_H

#include "dialects/Schedule/IR/ScheduleDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Schedule/IR/ScheduleEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Schedule/IR/ScheduleAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/Schedule/IR/ScheduleOps.h.inc"

namespace mlir::strata::schedule {
/// Marks a dispatch its target cannot run, with the reason; placement
/// moves it to the host fallback slot.
inline constexpr llvm::StringLiteral kFallbackAttr = "schedule.fallback";
/// On a kernel function before strata-gpu-distribute: the tensor maps
/// (TensorMapAttr) its code reads, for its export's `tensor_maps`.
inline constexpr llvm::StringLiteral kTensorMapsAttr = "schedule.tensor_maps";
} // namespace mlir::strata::schedule

#endif // STRATA_DIALECTS_SCHEDULE_IR_SCHEDULEOPS_H
