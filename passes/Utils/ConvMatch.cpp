//===- ConvMatch.cpp - the convolution generic StrataToLinalg builds ------===//

#include "passes/Utils/ConvMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace mlir::strata {

namespace {

bool isDim(AffineExpr e, int64_t pos) {
  auto dim = dyn_cast<AffineDimExpr>(e);
  return dim && dim.getPosition() == pos;
}

} // namespace

/// Whether the block computes `out + in0 * in1` in f32.
bool isMulAddF32(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || body.getOperations().size() != 3)
    return false;
  auto mul = add.getRhs().getDefiningOp<arith::MulFOp>();
  return mul && add.getLhs() == body.getArgument(2) &&
         mul.getLhs() == body.getArgument(0) &&
         mul.getRhs() == body.getArgument(1);
}

bool isMulAdd(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (body.getNumArguments() != 3)
    return false;
  Operation *add = body.getTerminator()->getOperand(0).getDefiningOp();
  if (!isa_and_present<arith::AddFOp, arith::AddIOp>(add))
    return false;
  Value acc = body.getArgument(2);
  Value product =
      add->getOperand(0) == acc ? add->getOperand(1) : add->getOperand(0);
  Operation *mul = product.getDefiningOp();
  if (!isa_and_present<arith::MulFOp, arith::MulIOp>(mul) ||
      (add->getOperand(0) != acc && add->getOperand(1) != acc))
    return false;
  // Each factor is one of the two inputs, widened or not.
  size_t ops = 3;
  auto input = [&](Value v) {
    if (Operation *ext = v.getDefiningOp();
        isa_and_present<arith::ExtSIOp, arith::ExtFOp>(ext)) {
      v = ext->getOperand(0);
      ++ops;
    }
    auto arg = dyn_cast<BlockArgument>(v);
    return arg && arg.getOwner() == &body && arg.getArgNumber() < 2
               ? int(arg.getArgNumber())
               : -1;
  };
  int a = input(mul->getOperand(0)), b = input(mul->getOperand(1));
  return a >= 0 && b >= 0 && a != b && body.getOperations().size() == ops;
}

std::optional<ConvGeneric> matchConv(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || !isMulAddF32(op) ||
      !getElementTypeOrSelf(op.getResultTypes()[0]).isF32())
    return std::nullopt;
  return matchConvLoops(op);
}

std::optional<ConvGeneric> matchConvLoops(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  int64_t loops = op.getNumLoops();
  if (loops < 6 || loops % 2)
    return std::nullopt;
  ConvGeneric conv;
  conv.dims = (loops - 4) / 2;
  int64_t oFirst = 3, cLoop = 3 + conv.dims, kFirst = 4 + conv.dims;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineMap in = maps[0], w = maps[1], out = maps[2];
  int64_t rank = 3 + conv.dims;
  if (in.getNumResults() != rank || w.getNumResults() != rank ||
      out.getNumResults() != rank)
    return std::nullopt;
  if (!isDim(in.getResult(0), 0) || !isDim(in.getResult(1), 1) ||
      !isDim(in.getResult(2), cLoop) || !isDim(w.getResult(0), 1) ||
      !isDim(w.getResult(1), 2) || !isDim(w.getResult(2), cLoop) ||
      !isDim(out.getResult(0), 0) || !isDim(out.getResult(1), 1) ||
      !isDim(out.getResult(2), 2))
    return std::nullopt;
  for (int64_t i = 0; i < conv.dims; ++i) {
    AffineExpr window = in.getResult(3 + i);
    // The window reads only its own output and kernel loops.
    for (int64_t l = 0; l < loops; ++l)
      if (window.isFunctionOfDim(l) && l != oFirst + i && l != kFirst + i)
        return std::nullopt;
    if (!isDim(w.getResult(3 + i), kFirst + i) ||
        !isDim(out.getResult(3 + i), oFirst + i))
      return std::nullopt;
    conv.windows.push_back(window);
  }
  return conv;
}
} // namespace mlir::strata
