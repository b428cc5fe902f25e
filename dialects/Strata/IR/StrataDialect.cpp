//===- StrataDialect.cpp - the strata dialect -----------------------------===//
//
// Registers the ops and materializes folded constants as strata.constant.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/IR/StrataOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::strata;

#include "dialects/Strata/IR/StrataDialect.cpp.inc"

void StrataDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Strata/IR/StrataOps.cpp.inc"
      >();
}

Operation *StrataDialect::materializeConstant(OpBuilder &builder,
                                              Attribute value, Type type,
                                              Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
