//===- WidenF16.cpp - compute f16 and bf16 chains in f32 ------------------===//
//
// Implements strata-widen-f16. A model whose ops run in f16 (or bf16)
// rounds after every op; a cpu computes both in f32 anyway, and
// onnxruntime's cpu provider keeps such chains in f32 between the casts of
// the model. This pass does the same: each strata op with f16 or bf16
// operands is rebuilt on f32 values, and the f32 result feeds the next
// widened op directly. Only the users that are not widened (the model's
// own casts, the function's results, ops that cannot take f32) see the
// value rounded back.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataDialect.h"
#include "dialects/Strata/IR/StrataOps.h"
#include "dialects/Strata/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace mlir::strata {
#define GEN_PASS_DEF_STRATAWIDENF16PASS
#include "dialects/Strata/Transforms/Passes.h.inc"
} // namespace mlir::strata

using namespace mlir;
using namespace mlir::strata;

/// f16 or bf16: floats a cpu computes in f32 anyway (bf16 without
/// AVX512-BF16 through a conversion helper per op).
static bool isNarrowFloatTensor(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor &&
         (tensor.getElementType().isF16() || tensor.getElementType().isBF16());
}

namespace {
class Widener {
public:
  explicit Widener(MLIRContext *context) : builder(context) {}

  /// Rebuilds `op` on f32 values when it has f16/bf16 operands and still
  /// verifies that way; leaves it alone otherwise.
  void widen(Operation *op);

private:
  /// The f32 value of `value`: the unrounded result of a widened op, or
  /// `value` cast to f32 (once per value).
  Value wide(Value value, Location loc);

  OpBuilder builder;
  /// f16/bf16 value -> the f32 value it was rounded from, or was cast to.
  llvm::DenseMap<Value, Value> wideOf;
};

Value Widener::wide(Value value, Location loc) {
  if (Value known = wideOf.lookup(value))
    return known;
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointAfterValue(value);
  auto type = cast<RankedTensorType>(value.getType());
  Value cast =
      CastOp::create(builder, loc, type.clone(builder.getF32Type()), value);
  wideOf[value] = cast;
  return cast;
}

void Widener::widen(Operation *op) {
  if (isa<CastOp, ConstantOp>(op) || !isa<InferTypeOpInterface>(op) ||
      !llvm::any_of(op->getOperandTypes(), isNarrowFloatTensor))
    return;
  builder.setInsertionPoint(op);
  SmallVector<Value> operands;
  for (Value operand : op->getOperands())
    operands.push_back(isNarrowFloatTensor(operand.getType())
                           ? wide(operand, op->getLoc())
                           : operand);
  Operation *wideOp = builder.clone(*op);
  wideOp->setOperands(operands);
  SmallVector<Type> types;
  // An op whose types or attributes tie it to f16 (a typed attribute, an
  // explicit result dtype) stays as it is.
  if (failed(inferResultTypes(wideOp, types)) ||
      types.size() != wideOp->getNumResults()) {
    wideOp->erase();
    return;
  }
  for (auto [result, type] : llvm::zip(wideOp->getResults(), types))
    result.setType(type);
  if (failed(verify(wideOp, /*verifyRecursively=*/false))) {
    wideOp->erase();
    return;
  }
  builder.setInsertionPointAfter(wideOp);
  for (auto [old, result] : llvm::zip(op->getResults(), wideOp->getResults())) {
    if (old.getType() == result.getType()) {
      old.replaceAllUsesWith(result);
      continue;
    }
    // Users that are not widened see the value rounded as before.
    Value rounded = CastOp::create(builder, op->getLoc(), old.getType(), result);
    old.replaceAllUsesWith(rounded);
    wideOf[rounded] = result;
  }
  op->erase();
}

struct StrataWidenF16Pass
    : strata::impl::StrataWidenF16PassBase<StrataWidenF16Pass> {
  void runOnOperation() override {
    Widener widener(&getContext());
    // Ops of the function's own blocks, in order: a widened op is a clone,
    // so ops nested in it must not be visited on their own.
    SmallVector<Operation *> ops;
    for (Block &block : getOperation().getBody())
      for (Operation &op : block)
        if (isa_and_nonnull<StrataDialect>(op.getDialect()))
          ops.push_back(&op);
    for (Operation *op : ops)
      widener.widen(op);
    // Rounding casts that only fed widened ops are dead now.
    SmallVector<Operation *> dead;
    getOperation().walk([&](CastOp cast) {
      if (cast->use_empty())
        dead.push_back(cast);
    });
    for (Operation *op : llvm::reverse(dead))
      op->erase();
  }
};
} // namespace
