//===- StrataOps.h - strata op classes --------------------------*- C++ -*-===//
//
// Declares the ODS-generated op classes and the shared inference helpers
// that their generated code calls.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_STRATA_IR_STRATAOPS_H
#define STRATA_DIALECTS_STRATA_IR_STRATAOPS_H

#include "dialects/Strata/IR/StrataDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::strata {

/// True if each written result type `r` may hold the inferred `l`: the same
/// element type and rank, and dims that agree wherever both are static.
bool areCompatibleResultTypes(TypeRange l, TypeRange r);

/// Infers the numpy broadcast of `operands`, which share an element type.
/// The result element type is `elementType`, or the operands' when null.
LogicalResult inferBroadcastResult(std::optional<Location> loc,
                                   StringRef opName, ValueRange operands,
                                   Type elementType,
                                   SmallVectorImpl<Type> &types);

/// Infers the result of reducing `axes` of `input`.
LogicalResult inferReduceResult(std::optional<Location> loc, StringRef opName,
                                Value input, ArrayRef<int64_t> axes,
                                bool keepDims, SmallVectorImpl<Type> &types);

/// Runs type inference and checks the written result types against it.
LogicalResult verifyInferredType(Operation *op);

/// The result types that `op`'s type inference (InferTypeOpInterface) gives
/// for its current operands, attributes and properties.
LogicalResult inferResultTypes(Operation *op, SmallVectorImpl<Type> &types);

namespace OpTrait {
/// Verifies an op's result types through its own inference first, so that
/// an invalid op reports the inference's message once.
template <typename ConcreteType>
class VerifyInferredType
    : public mlir::OpTrait::TraitBase<ConcreteType, VerifyInferredType> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyInferredType(op);
  }
};
} // namespace OpTrait

} // namespace mlir::strata

#define GET_OP_CLASSES
#include "dialects/Strata/IR/StrataOps.h.inc"

#endif // STRATA_DIALECTS_STRATA_IR_STRATAOPS_H
