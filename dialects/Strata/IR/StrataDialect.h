//===- StrataDialect.h - the strata dialect ---------------------*- C++ -*-===//
//
// Declares the strata dialect class; ops are in StrataOps.h.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_STRATA_IR_STRATADIALECT_H
#define STRATA_DIALECTS_STRATA_IR_STRATADIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/Strata/IR/StrataDialect.h.inc"

#endif // STRATA_DIALECTS_STRATA_IR_STRATADIALECT_H
