//===- StrataToLinalg.h - strata to linalg lowering -------------*- C++ -*-===//
//
// The public entry of the strata -> linalg conversion.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_STRATATOLINALG_STRATATOLINALG_H
#define STRATA_PASSES_STRATATOLINALG_STRATATOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::strata {

/// Maps signed and unsigned integer tensors to signless ones; everything else
/// is kept.
class StrataTypeConverter : public TypeConverter {
public:
  StrataTypeConverter();
};

/// Adds the patterns lowering every supported strata op to linalg, tensor,
/// arith and math on the types `converter` produces.
void populateStrataToLinalgPatterns(const TypeConverter &converter,
                                    RewritePatternSet &patterns);

} // namespace mlir::strata

#endif // STRATA_PASSES_STRATATOLINALG_STRATATOLINALG_H
