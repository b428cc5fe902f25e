//===- TargetBackend.cpp - what every target shares -----------------------===//
//
// The default for targets without options of their own.
//
//===----------------------------------------------------------------------===//

#include "targets/TargetBackend.h"

namespace mlir::strata {

LogicalResult TargetBackend::checkOptions(const TargetOptions &options,
                                          Location loc) const {
  if (options.options.empty())
    return success();
  return emitError(loc) << "target '" << name() << "' has no option '"
                        << options.options.begin()->first << "'";
}

} // namespace mlir::strata
