//===- ShapeInferenceTest.cpp - unit tests of the strata shape functions --===//
//
// Drives dialects/Strata/IR/ShapeInference.h directly, with the edge cases
// that IR tests reach only awkwardly: zero-size and dynamic dims, negative
// axes and int64 overflow.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/ShapeInference.h"

#include <catch2/catch.hpp>

using namespace mlir::strata::shape;

namespace {
constexpr int64_t D = kDynamic;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

/// The shape in `result`, failing the test on an error.
Shape ok(llvm::Expected<Shape> result) {
  if (!result) {
    FAIL("unexpected error: " << llvm::toString(result.takeError()));
  }
  return *result;
}

/// The error message of `result`, failing the test if it succeeded.
template <typename T>
std::string err(llvm::Expected<T> result) {
  if (result) {
    FAIL("expected an error");
  }
  return llvm::toString(result.takeError());
}
} // namespace

TEST_CASE("format prints dynamic dims as ?", "[format]") {
  CHECK(format({}) == "[]");
  CHECK(format({2, D, 0}) == "[2, ?, 0]");
}

TEST_CASE("numElements", "[numElements]") {
  CHECK(*numElements({}) == 1);
  CHECK(*numElements({2, 3, 4}) == 24);
  CHECK(*numElements({2, D}) == D);
  // A zero-size dim makes the count 0 even next to a dynamic one.
  CHECK(*numElements({D, 0}) == 0);
  CHECK(*numElements({0, kMax}) == 0);
  CHECK(*numElements({kMax}) == kMax);
  CHECK(err(numElements({1ll << 32, 1ll << 31})) ==
        "the element count of shape [4294967296, 2147483648] overflows int64");
  CHECK(err(numElements({kMax, 2})) ==
        "the element count of shape [9223372036854775807, 2] overflows int64");
  CHECK(err(numElements({-3})) == "shape [-3] has a negative dimension");
}

TEST_CASE("normalizeAxis and normalizeAxes", "[axes]") {
  CHECK(*normalizeAxis(-1, 3) == 2);
  CHECK(*normalizeAxis(-3, 3) == 0);
  CHECK(*normalizeAxis(2, 3) == 2);
  CHECK(err(normalizeAxis(3, 3)) == "axis 3 is out of range [-3, 3)");
  CHECK(err(normalizeAxis(-4, 3)) == "axis -4 is out of range [-3, 3)");
  CHECK(err(normalizeAxis(0, 0)) == "axis 0 is out of range [0, 0)");
  CHECK(ok(normalizeAxes({-1, 0}, 2)) == Shape{1, 0});
  CHECK(err(normalizeAxes({1, -2}, 3)) == "axis -2 appears more than once");
  CHECK(err(normalizeAxes({std::numeric_limits<int64_t>::min()}, 2)) ==
        "axis -9223372036854775808 is out of range [-2, 2)");
}

TEST_CASE("broadcast follows numpy", "[broadcast]") {
  CHECK(ok(broadcast({2, 1, 4}, {3, 1})) == Shape{2, 3, 4});
  CHECK(ok(broadcast({}, {5})) == Shape{5});
  CHECK(ok(broadcast({}, {})) == Shape{});
  // Zero-size dims broadcast against 1 and stay 0.
  CHECK(ok(broadcast({0, 3}, {1, 3})) == Shape{0, 3});
  CHECK(err(broadcast({0}, {2})) ==
        "shapes [0] and [2] are not broadcast-compatible (0 vs 2)");
  // Dynamic dims: against 1 stay dynamic, against n become n.
  CHECK(ok(broadcast({D, 4}, {1, 4})) == Shape{D, 4});
  CHECK(ok(broadcast({D, 4}, {3, 4})) == Shape{3, 4});
  CHECK(ok(broadcast({D}, {D})) == Shape{D});
  CHECK(err(broadcast({2, 3}, {4})) ==
        "shapes [2, 3] and [4] are not broadcast-compatible (3 vs 4)");
}

TEST_CASE("broadcastsTo is unidirectional", "[broadcast]") {
  CHECK(broadcastsTo({16}, {4, 16}));
  CHECK(broadcastsTo({1, 16}, {4, 16}));
  CHECK(broadcastsTo({D}, {4, 16}));
  CHECK(broadcastsTo({}, {4, 16}));
  CHECK_FALSE(broadcastsTo({4, 16}, {16}));
  CHECK_FALSE(broadcastsTo({3}, {4, 16}));
}

TEST_CASE("matmul", "[matmul]") {
  CHECK(ok(matmul({2, 3}, {3, 4})) == Shape{2, 4});
  CHECK(ok(matmul({8, 1, 4, 16}, {3, 16, 5})) == Shape{8, 3, 4, 5});
  CHECK(ok(matmul({16}, {16})) == Shape{});
  CHECK(ok(matmul({16}, {2, 16, 5})) == Shape{2, 5});
  CHECK(ok(matmul({2, 4, 16}, {16})) == Shape{2, 4});
  CHECK(ok(matmul({D, 3}, {D, 4})) == Shape{D, 4});
  CHECK(ok(matmul({0, 3}, {3, 0})) == Shape{0, 0});
  CHECK(err(matmul({}, {3})) ==
        "matmul operands must have rank >= 1, got [] and [3]");
  CHECK(err(matmul({2, 3}, {4, 5})) ==
        "contracted dimensions differ: [2, 3] x [4, 5] (3 vs 4)");
  CHECK(err(matmul({2, 1, 3}, {3, 3, 1})) ==
        "batch dimensions: shapes [2] and [3] are not broadcast-compatible "
        "(2 vs 3)");
}

TEST_CASE("windowOutputSize", "[window]") {
  CHECK(*windowOutputSize(224, {7, 2, 3, 3, 1, false}) == 112);
  CHECK(*windowOutputSize(112, {3, 2, 1, 1, 1, false}) == 56);
  CHECK(*windowOutputSize(8, {3, 1, 0, 0, 2, false}) == 4);
  CHECK(*windowOutputSize(D, {3, 1, 0, 0, 1, false}) == D);
  CHECK(*windowOutputSize(8, {D, 1, 0, 0, 1, false}) == D);
  // ceil_mode adds the partial window only when it starts inside the input.
  CHECK(*windowOutputSize(5, {2, 2, 0, 0, 1, true}) == 3);
  CHECK(*windowOutputSize(5, {2, 2, 0, 0, 1, false}) == 2);
  CHECK(*windowOutputSize(4, {3, 3, 0, 1, 1, true}) == 2);
  CHECK(*windowOutputSize(3, {2, 2, 0, 1, 1, true}) == 2);
  // Zero-size input with enough padding still yields windows.
  CHECK(*windowOutputSize(0, {1, 1, 1, 1, 1, false}) == 2);
  CHECK(err(windowOutputSize(2, {3, 1, 0, 0, 1, false})) ==
        "window of size 3 (kernel 3, dilation 1) exceeds the padded input size 2");
  CHECK(err(windowOutputSize(8, {3, 0, 0, 0, 1, false})) ==
        "strides and dilations must be positive, got stride 0 and dilation 1");
  CHECK(err(windowOutputSize(8, {3, 1, -1, 0, 1, false})) ==
        "pads must be non-negative, got -1 and 0");
  CHECK(err(windowOutputSize(8, {0, 1, 0, 0, 1, false})) ==
        "kernel size must be positive, got 0");
  CHECK(err(windowOutputSize(8, {3, 1, 0, 0, kMax, false})) ==
        "window arithmetic overflows int64");
  CHECK(err(windowOutputSize(kMax, {1, 1, 1, 0, 1, false})) ==
        "window arithmetic overflows int64");
}

TEST_CASE("transposedWindowOutputSize", "[window]") {
  CHECK(*transposedWindowOutputSize(3, {3, 1, 0, 0, 1, false}, 0) == 5);
  CHECK(*transposedWindowOutputSize(56, {3, 2, 1, 1, 1, false}, 1) == 112);
  CHECK(*transposedWindowOutputSize(3, {3, 3, 1, 1, 2, false}, 1) == 10);
  CHECK(*transposedWindowOutputSize(D, {3, 2, 0, 0, 1, false}, 0) == D);
  CHECK(err(transposedWindowOutputSize(0, {3, 1, 0, 0, 1, false}, 0)) ==
        "transposed convolution of an empty input");
  CHECK(err(transposedWindowOutputSize(8, {3, 2, 0, 0, 1, false}, 2)) ==
        "output padding 2 must be in [0, max(stride, dilation)) = [0, 2)");
  CHECK(err(transposedWindowOutputSize(1, {1, 1, 1, 1, 1, false}, 0)) ==
        "pads 1 and 1 exceed the full output size 1");
  CHECK(err(transposedWindowOutputSize(kMax, {3, 2, 0, 0, 1, false}, 0)) ==
        "window arithmetic overflows int64");
}

TEST_CASE("reduce", "[reduce]") {
  CHECK(ok(reduce({2, 3, 4}, {}, true)) == Shape{1, 1, 1});
  CHECK(ok(reduce({2, 3, 4}, {}, false)) == Shape{});
  CHECK(ok(reduce({2, 3, 4}, {-1, 0}, false)) == Shape{3});
  CHECK(ok(reduce({2, D, 4}, {1}, true)) == Shape{2, 1, 4});
  CHECK(ok(reduce({0, 3}, {0}, false)) == Shape{3});
  CHECK(err(reduce({2, 3}, {2}, true)) == "axis 2 is out of range [-2, 2)");
  CHECK(err(reduce({2, 3}, {0, -2}, true)) == "axis -2 appears more than once");
}

TEST_CASE("reshape", "[reshape]") {
  CHECK(ok(reshape({2, 3, 4}, {0, -1}, false)) == Shape{2, 12});
  CHECK(ok(reshape({2, 3, 4}, {-1}, false)) == Shape{24});
  CHECK(ok(reshape({D, 3, 4}, {-1, 0, 2, 2}, false)) == Shape{D, 3, 2, 2});
  CHECK(err(reshape({D, 3}, {D, 3}, false)) ==
        "target shape entry -9223372036854775808 is invalid");
  CHECK(ok(reshape({2, 3}, {6, 1}, false)) == Shape{6, 1});
  // allowzero: 0 is a zero-size dim.
  CHECK(ok(reshape({0, 3}, {3, 0}, true)) == Shape{3, 0});
  CHECK(ok(reshape({0, 3}, {0, 3}, false)) == Shape{0, 3});
  CHECK(err(reshape({0, 3}, {0, -1}, false)) ==
        "cannot infer the -1 in [0, -1]: the other dimensions hold zero "
        "elements");
  CHECK(err(reshape({0, 3}, {0, -1}, true)) ==
        "target shape may not hold both 0 and -1 with allowzero");
  CHECK(err(reshape({2, 3}, {-1, -1}, false)) ==
        "target shape has more than one -1");
  CHECK(err(reshape({2, 3}, {-2, 3}, false)) ==
        "target shape entry -2 is invalid");
  CHECK(err(reshape({6}, {6, 0}, false)) ==
        "target shape entry 0 at index 1 copies a dimension the rank-1 input "
        "does not have");
  CHECK(err(reshape({2, 3}, {4, -1}, false)) ==
        "cannot reshape [2, 3] (6 elements) to [4, -1]");
  CHECK(err(reshape({2, 3}, {2, 4}, false)) ==
        "cannot reshape [2, 3] (6 elements) to [2, 4] (8 elements)");
  CHECK(err(reshape({1ll << 32, 1ll << 32}, {-1}, false)) ==
        "the element count of shape [4294967296, 4294967296] overflows int64");
  CHECK(err(reshape({2}, {kMax, 2}, false)) ==
        "the element count of shape [9223372036854775807, 2] overflows int64");
}

TEST_CASE("transpose and flatten", "[movement]") {
  CHECK(ok(transpose({2, D, 4}, {2, 0, 1})) == Shape{4, 2, D});
  CHECK(ok(transpose({}, {})) == Shape{});
  CHECK(err(transpose({2, 3}, {0, 0})) ==
        "perm [0, 0] is not a permutation of the 2 input dimensions");
  CHECK(err(transpose({2, 3}, {0, -1})) ==
        "perm [0, -1] is not a permutation of the 2 input dimensions");
  CHECK(err(transpose({2, 3}, {0})) ==
        "perm [0] is not a permutation of the 2 input dimensions");
  CHECK(ok(flatten({2, 3, 4}, 1)) == Shape{2, 12});
  CHECK(ok(flatten({2, 3, 4}, 0)) == Shape{1, 24});
  CHECK(ok(flatten({2, 3, 4}, 3)) == Shape{24, 1});
  CHECK(ok(flatten({2, 3, 4}, -1)) == Shape{6, 4});
  CHECK(ok(flatten({D, 3, 4}, 1)) == Shape{D, 12});
  CHECK(ok(flatten({D, 0, 4}, 2)) == Shape{0, 4});
  CHECK(err(flatten({2, 3}, 3)) == "axis 3 is out of range [-2, 2]");
  CHECK(err(flatten({2, 3}, -3)) == "axis -3 is out of range [-2, 2]");
}

TEST_CASE("squeeze and unsqueeze", "[movement]") {
  CHECK(ok(squeeze({1, 3, 1}, {})) == Shape{3});
  CHECK(ok(squeeze({1, 3, 1}, {-1})) == Shape{1, 3});
  CHECK(ok(squeeze({D, 3}, {0})) == Shape{3});
  CHECK(ok(squeeze({0, 1}, {})) == Shape{0});
  CHECK(err(squeeze({1, D}, {})) ==
        "squeeze without axes needs a static shape, got [1, ?]");
  CHECK(err(squeeze({1, 3}, {1})) == "cannot squeeze dimension 1 of size 3");
  CHECK(ok(unsqueeze({3}, {0, -1})) == Shape{1, 3, 1});
  CHECK(ok(unsqueeze({}, {0})) == Shape{1});
  CHECK(ok(unsqueeze({2, D}, {1})) == Shape{2, 1, D});
  CHECK(err(unsqueeze({3}, {2})) == "axis 2 is out of range [-2, 2)");
  CHECK(err(unsqueeze({3}, {0, 0})) == "axis 0 appears more than once");
}

TEST_CASE("concat", "[movement]") {
  llvm::SmallVector<int64_t> a{2, 3}, b{2, 5}, d{D, 3}, z{0, 3};
  CHECK(ok(concat({a, b}, 1)) == Shape{2, 8});
  CHECK(ok(concat({a, b}, -1)) == Shape{2, 8});
  CHECK(ok(concat({a, z}, 0)) == Shape{2, 3});
  CHECK(ok(concat({d, a}, 0)) == Shape{D, 3});
  // A dynamic dim off the axis takes the static size of another input.
  llvm::SmallVector<int64_t> e{2, D};
  CHECK(ok(concat({e, a}, 0)) == Shape{4, 3});
  CHECK(err(concat({}, 0)) == "concat needs at least one input");
  CHECK(err(concat({a, b}, 0)) == "input 1 has shape [2, 5], which differs "
                                  "from [2, 3] in dimension 1");
  llvm::SmallVector<int64_t> r{3};
  CHECK(err(concat({a, r}, 0)) == "input 1 has rank 1, expected 2");
  CHECK(err(concat({a}, 2)) == "axis 2 is out of range [-2, 2)");
  llvm::SmallVector<int64_t> big{kMax};
  CHECK(err(concat({big, big}, 0)) ==
        "concatenated size along axis 0 overflows int64");
}

TEST_CASE("sliceLength follows ONNX clamping", "[slice]") {
  CHECK(sliceLength(10, 1, -1, 1) == 8);
  CHECK(sliceLength(10, 0, kMax, 1) == 10);
  CHECK(sliceLength(10, -100, 100, 3) == 4);
  CHECK(sliceLength(10, 5, 2, 1) == 0);
  CHECK(sliceLength(10, -1, std::numeric_limits<int64_t>::min(), -1) == 10);
  CHECK(sliceLength(10, 100, -100, -2) == 5);
  CHECK(sliceLength(10, 8, 2, kMax) == 0);
  CHECK(sliceLength(10, 2, 8, kMax) == 1);
  CHECK(sliceLength(10, 9, 0, std::numeric_limits<int64_t>::min()) == 1);
  CHECK(sliceLength(0, 0, 1, 1) == 0);
  CHECK(sliceLength(0, -1, -10, -1) == 0);
}

TEST_CASE("slice", "[slice]") {
  CHECK(ok(slice({2, 10}, {1}, {-1}, {1}, {})) == Shape{2, 8});
  CHECK(ok(slice({2, 10}, {0, 0}, {1, 5}, {}, {})) == Shape{1, 5});
  CHECK(ok(slice({D, 10}, {0, 0}, {1, 5}, {}, {1, 2})) == Shape{D, 3});
  CHECK(ok(slice({4}, {-1}, {-kMax}, {-1}, {-2})) == Shape{2});
  CHECK(err(slice({4}, {0}, {1, 2}, {}, {})) ==
        "starts, ends, axes and steps must have the same length, got 1, 2, 0 "
        "and 0");
  CHECK(err(slice({4}, {0, 0}, {1, 1}, {}, {})) ==
        "slice of 2 axes exceeds rank 1");
  CHECK(err(slice({4}, {0}, {4}, {}, {0})) ==
        "slice step for axis 0 must not be 0");
  CHECK(err(slice({4, 4}, {0, 0}, {4, 4}, {1, -1}, {})) ==
        "axis -1 appears more than once");
}

TEST_CASE("gather and pad", "[movement]") {
  CHECK(ok(gather({1000, 64}, {2, 7}, 0)) == Shape{2, 7, 64});
  CHECK(ok(gather({1000, 64}, {2, 7}, -1)) == Shape{1000, 2, 7});
  CHECK(ok(gather({5}, {}, 0)) == Shape{});
  CHECK(ok(gather({D, 4}, {D}, 0)) == Shape{D, 4});
  CHECK(err(gather({}, {2}, 0)) == "gather data must have rank >= 1");
  CHECK(err(gather({4, 5}, {2}, 2)) == "axis 2 is out of range [-2, 2)");
  CHECK(ok(pad({2, 3}, {0, 1, 0, 1})) == Shape{2, 5});
  CHECK(ok(pad({2, 3}, {1, 0, -1, -3})) == Shape{2, 0});
  CHECK(ok(pad({D, 3}, {1, 1, 1, 1})) == Shape{D, 5});
  CHECK(err(pad({2, 3}, {1, 1})) ==
        "pads has 2 entries, expected 4 (begin and end for each dimension)");
  CHECK(err(pad({2, 3}, {0, -2, 0, -2})) ==
        "pads (-2, -2) crop dimension 1 of size 3 below zero");
  CHECK(err(pad({2}, {kMax, 0})) ==
        "padded size of dimension 0 overflows int64");
}

TEST_CASE("einsum", "[einsum]") {
  llvm::SmallVector<int64_t> a{2, 3, 4}, b{2, 4, 5}, v{7}, m{3, 5, 5}, d{D, 4};
  CHECK(ok(einsum("bij,bjk->bik", {a, b})) == Shape{2, 3, 5});
  // Implicit output: the letters used once, here i and k.
  CHECK(ok(einsum("bij, bjk", {a, b})) == Shape{3, 5});
  CHECK(ok(einsum("i,i", {v, v})) == Shape{});
  CHECK(ok(einsum("i,j->ij", {v, v})) == Shape{7, 7});
  CHECK(ok(einsum("...ii->...i", {m})) == Shape{3, 5});
  CHECK(ok(einsum("ij->", {d})) == Shape{});
  CHECK(ok(einsum("ij->ji", {d})) == Shape{4, D});
  llvm::SmallVector<int64_t> e1{1, 3, 4}, e2{6, 4, 2};
  CHECK(ok(einsum("...ij,...jk->...ik", {e1, e2})) == Shape{6, 3, 2});
  CHECK(err(einsum("ij,jk->ik", {a})) ==
        "equation 'ij,jk->ik' has 2 operands, got 1");
  CHECK(err(einsum("bij,bjk->bik", {a, a})) == "index 'j' has sizes 4 and 3");
  CHECK(err(einsum("ij->k", {d})) ==
        "output index 'k' does not appear in the operands");
}
