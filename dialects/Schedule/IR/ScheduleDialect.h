//===- ScheduleDialect.h - the schedule dialect -----------------*- C++ -*-===//
//
// Declares the schedule dialect class; ops are in ScheduleOps.h.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_SCHEDULE_IR_SCHEDULEDIALECT_H
#define STRATA_DIALECTS_SCHEDULE_IR_SCHEDULEDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Schedule/IR/ScheduleDialect.h.inc"

#endif // STRATA_DIALECTS_SCHEDULE_IR_SCHEDULEDIALECT_H
