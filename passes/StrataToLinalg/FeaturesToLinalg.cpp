//===- FeaturesToLinalg.cpp - random numbers and n-gram counts ------------===//
//
// random_uniform_like: a counter-based generator, so every element is a pure
// function of (seed, op, position) and the generic stays parallel: splitmix64
// of the linear index, keyed by the seed and a hash of the op's location
// (two unseeded ops in one model draw different numbers). An unseeded op
// uses a fixed key, so runs repeat.
//
// tfidf_vectorizer: one generic over (row, column, start, skip) that sums
// matches of the column's n-gram, then the TF/IDF/TFIDF weighting. The pool
// is static, so each column's n-gram becomes a constant table.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/StrataOps.h"
#include "passes/StrataToLinalg/LoweringUtils.h"

#include "llvm/Support/xxhash.h"

namespace mlir::strata {
namespace {

using utils::IteratorType;

Value i64Constant(OpBuilder &b, Location loc, uint64_t value) {
  return arith::ConstantIntOp::create(b, loc, static_cast<int64_t>(value), 64);
}

/// splitmix64's finalizer: a bijection on 64-bit values that mixes well.
Value splitmix64(OpBuilder &b, Location loc, Value x) {
  auto mix = [&](Value z, int shift, uint64_t multiplier) {
    Value shifted = arith::ShRUIOp::create(b, loc, z, i64Constant(b, loc, shift));
    return arith::MulIOp::create(b, loc, arith::XOrIOp::create(b, loc, z, shifted),
                                 i64Constant(b, loc, multiplier));
  };
  Value z = arith::AddIOp::create(b, loc, x,
                                  i64Constant(b, loc, 0x9E3779B97F4A7C15ull));
  z = mix(z, 30, 0xBF58476D1CE4E5B9ull);
  z = mix(z, 27, 0x94D049BB133111EBull);
  return arith::XOrIOp::create(
      b, loc, z, arith::ShRUIOp::create(b, loc, z, i64Constant(b, loc, 31)));
}

struct RandomUniformLikeLowering : OpConversionPattern<RandomUniformLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(RandomUniformLikeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto element = cast<FloatType>(type.getElementType());
    // As many random bits as the type's significand holds exactly.
    unsigned bits = std::min(element.getFPMantissaWidth(), 53u);
    // A seed alone picks the numbers; unseeded ops differ by location.
    uint64_t key;
    if (std::optional<APFloat> seed = op.getSeed()) {
      key = seed->bitcastToAPInt().getZExtValue() * 0xD1B54A32D192ED03ull;
    } else {
      std::string where;
      llvm::raw_string_ostream os(where);
      op.getLoc().print(os);
      key = llvm::xxh3_64bits(where);
    }
    double low = op.getLow().convertToDouble();
    double range = op.getHigh().convertToDouble() - low;
    ArrayRef<int64_t> shape = type.getShape();
    int64_t rank = shape.size();
    Value empty = tensor::EmptyOp::create(rewriter, loc, shape, element);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, ValueRange{}, empty,
        rewriter.getMultiDimIdentityMap(rank),
        SmallVector<IteratorType>(rank, IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value linear = rank ? linalg::IndexOp::create(b, l, 0).getResult()
                              : indexConstant(b, l, 0);
          for (int64_t d = 1; d < rank; ++d)
            linear = arith::AddIOp::create(
                b, l,
                arith::MulIOp::create(b, l, linear,
                                      indexConstant(b, l, shape[d])),
                linalg::IndexOp::create(b, l, d));
          Value counter = arith::IndexCastUIOp::create(b, l, b.getI64Type(),
                                                       linear);
          Value z = splitmix64(
              b, l, arith::XOrIOp::create(b, l, counter,
                                          i64Constant(b, l, key)));
          Value top = arith::ShRUIOp::create(b, l, z,
                                             i64Constant(b, l, 64 - bits));
          // top / 2^bits is exact in `element` and lies in [0, 1).
          Value unit = arith::MulFOp::create(
              b, l, arith::UIToFPOp::create(b, l, element, top),
              scalarConstant(b, l, element, std::ldexp(1.0, -int(bits))));
          Value value = arith::AddFOp::create(
              b, l,
              arith::MulFOp::create(b, l, unit,
                                    scalarConstant(b, l, element, range)),
              scalarConstant(b, l, element, low));
          linalg::YieldOp::create(b, l, ValueRange{value});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct TfIdfVectorizerLowering : OpConversionPattern<TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(TfIdfVectorizerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t columns = type.getShape().back();
    int64_t maxGram = op.getMaxGramLength(), minGram = op.getMinGramLength();
    // Per output column: its n-gram's length (0: never counted) and items.
    SmallVector<int64_t> lengths(columns, 0), items(columns * maxGram, 0);
    SmallVector<float> weights(columns, 1.0f);
    ArrayRef<int64_t> starts = op.getNgramCounts(), pool = op.getPool(),
                      indexes = op.getNgramIndexes();
    std::optional<ArrayRef<double>> given = op.getWeights();
    int64_t j = 0;
    for (auto [level, start] : llvm::enumerate(starts)) {
      int64_t length = level + 1;
      int64_t end = level + 1 < starts.size() ? starts[level + 1] : pool.size();
      for (int64_t at = start; at < end; at += length, ++j) {
        int64_t column = indexes[j];
        if (lengths[column] != 0)
          return rewriter.notifyMatchFailure(op, "two n-grams share a column");
        if (given)
          weights[column] = (*given)[j];
        if (length < minGram || length > maxGram)
          continue;
        lengths[column] = length;
        for (int64_t t = 0; t < length; ++t)
          items[column * maxGram + t] = pool[at + t];
      }
    }
    auto table = [&](ArrayRef<int64_t> shape, ArrayRef<int64_t> values) {
      auto tableType = RankedTensorType::get(shape, rewriter.getI64Type());
      return arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(tableType, values));
    };
    Value lengthTable = table({columns}, lengths);
    Value itemTable = table({columns, maxGram}, items);

    Value input = adaptor.getInput();
    ArrayRef<int64_t> inShape = shapeOf(input);
    bool batched = inShape.size() == 2;
    int64_t sequence = inShape.back(), skips = op.getMaxSkipCount() + 1;
    // Loops: [row,] column, start, skip.
    int64_t numLoops = batched ? 4 : 3, first = batched ? 1 : 0;
    SmallVector<int64_t> counted(type.getShape());
    Value zero = scalarConstant(rewriter, loc, rewriter.getF32Type(), 0);
    Value init = filledTensor(rewriter, loc, counted, zero);
    SmallVector<IteratorType> iterators(numLoops, IteratorType::reduction);
    std::fill_n(iterators.begin(), first + 1, IteratorType::parallel);
    // An operand shaped like the (start, skip) loops, so that linalg can
    // derive their sizes; its elements are never read.
    Value loops = tensor::EmptyOp::create(rewriter, loc,
                                          ArrayRef<int64_t>{sequence, skips},
                                          rewriter.getI8Type());
    MLIRContext *ctx = rewriter.getContext();
    AffineMap loopsMap = AffineMap::get(
        numLoops, 0,
        {getAffineDimExpr(first + 1, ctx), getAffineDimExpr(first + 2, ctx)},
        ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, type, loops, init,
        ArrayRef<AffineMap>{loopsMap, leadingLoopsMap(numLoops, first + 1, ctx)},
        iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value column = linalg::IndexOp::create(b, l, first);
          Value start = linalg::IndexOp::create(b, l, first + 1);
          Value skip = linalg::IndexOp::create(b, l, first + 2);
          Value length = arith::IndexCastOp::create(
              b, l, b.getIndexType(),
              tensor::ExtractOp::create(b, l, lengthTable, column));
          Value one = indexConstant(b, l, 1);
          Value stride = arith::AddIOp::create(b, l, skip, one);
          auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) {
            return arith::CmpIOp::create(b, l, p, x, y);
          };
          // Counted once per start: a 1-gram only with skip 0.
          Value match = arith::AndIOp::create(
              b, l, cmp(arith::CmpIPredicate::ne, length, indexConstant(b, l, 0)),
              arith::OrIOp::create(
                  b, l, cmp(arith::CmpIPredicate::ne, length, one),
                  cmp(arith::CmpIPredicate::eq, skip, indexConstant(b, l, 0))));
          for (int64_t t = 0; t < maxGram; ++t) {
            Value position = arith::AddIOp::create(
                b, l, start,
                arith::MulIOp::create(b, l, stride, indexConstant(b, l, t)));
            Value used = cmp(arith::CmpIPredicate::slt, indexConstant(b, l, t),
                             length);
            Value inside = cmp(arith::CmpIPredicate::slt, position,
                               indexConstant(b, l, sequence));
            // Out-of-range positions read element 0; `inside` discards them.
            Value safe = arith::SelectOp::create(b, l, inside, position,
                                                 indexConstant(b, l, 0));
            SmallVector<Value> at{safe};
            if (batched)
              at.insert(at.begin(), linalg::IndexOp::create(b, l, 0));
            Value token = tensor::ExtractOp::create(b, l, input, at);
            if (token.getType() != b.getI64Type())
              token = arith::ExtSIOp::create(b, l, b.getI64Type(), token);
            Value item = tensor::ExtractOp::create(
                b, l, itemTable, ValueRange{column, indexConstant(b, l, t)});
            Value ok = arith::AndIOp::create(
                b, l, inside, cmp(arith::CmpIPredicate::eq, token, item));
            // Items past the n-gram's length always match.
            match = arith::AndIOp::create(
                b, l, match,
                arith::OrIOp::create(
                    b, l, arith::XOrIOp::create(
                              b, l, used,
                              arith::ConstantIntOp::create(b, l, 1, 1)),
                    ok));
          }
          Value add = arith::UIToFPOp::create(b, l, b.getF32Type(), match);
          Value sum = arith::AddFOp::create(b, l, args[1], add);
          linalg::YieldOp::create(b, l, sum);
        });
    Value counts = generic.getResult(0);
    StringRef mode = op.getMode();
    if (mode == "TF") {
      rewriter.replaceOp(op, counts);
      return success();
    }
    auto weightType = RankedTensorType::get({columns}, rewriter.getF32Type());
    Value weightTable = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(weightType, ArrayRef<float>(weights)));
    Value result = buildElementwise(
        rewriter, loc, type, {counts, weightTable},
        [&](OpBuilder &b, Location l, ValueRange v) {
          if (mode == "TFIDF")
            return Value(arith::MulFOp::create(b, l, v[0], v[1]));
          Value present = arith::CmpFOp::create(
              b, l, arith::CmpFPredicate::OGT, v[0],
              scalarConstant(b, l, b.getF32Type(), 0));
          return Value(arith::SelectOp::create(
              b, l, present, v[1], scalarConstant(b, l, b.getF32Type(), 0)));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateFeaturePatterns(const TypeConverter &converter,
                             RewritePatternSet &patterns) {
  patterns.add<RandomUniformLikeLowering, TfIdfVectorizerLowering>(
      converter, patterns.getContext());
}

} // namespace mlir::strata
