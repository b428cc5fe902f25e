//===- SystolicDialect.h - the systolic dialect ----------------*- C++ -*-===//
//
// Declares the systolic dialect class; ops are in SystolicOps.h.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_SYSTOLIC_IR_SYSTOLICDIALECT_H
#define STRATA_DIALECTS_SYSTOLIC_IR_SYSTOLICDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Systolic/IR/SystolicDialect.h.inc"

#endif // STRATA_DIALECTS_SYSTOLIC_IR_SYSTOLICDIALECT_H
