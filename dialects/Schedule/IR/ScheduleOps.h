//===- ScheduleOps.h - schedule op classes ----------------------*- C++ -*-===//
//
// Declares the ODS-generated op classes and the Access enum.
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

#define GET_OP_CLASSES
#include "dialects/Schedule/IR/ScheduleOps.h.inc"

namespace mlir::strata::schedule {
/// Marks a dispatch its target cannot run, with the reason; placement
/// moves it to the host fallback slot.
inline constexpr llvm::StringLiteral kFallbackAttr = "schedule.fallback";
} // namespace mlir::strata::schedule

#endif // STRATA_DIALECTS_SCHEDULE_IR_SCHEDULEOPS_H
