//===- ShapeInference.h - shape arithmetic for strata ops -------*- C++ -*-===//
//
// Pure shape functions behind the strata ops' result-type inference: numpy
// broadcasting, matmul, conv/pool windows, reductions and data movement.
// They know nothing of MLIR types so unit tests can drive them directly.
// Dimensions are int64 with kDynamic for `?`; every function checks its
// arithmetic for int64 overflow and reports bad input as an llvm::Error whose
// message is the diagnostic the op emits.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECTS_STRATA_IR_SHAPEINFERENCE_H
#define STRATA_DIALECTS_STRATA_IR_SHAPEINFERENCE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <limits>
#include <string>

namespace mlir::strata::shape {

/// Marks a dynamic dimension; equal to mlir::ShapedType::kDynamic.
constexpr int64_t kDynamic = std::numeric_limits<int64_t>::min();

using Shape = llvm::SmallVector<int64_t, 4>;

inline bool isDynamic(int64_t dim) { return dim == kDynamic; }

/// Formats a shape as `[2, ?, 3]` for diagnostics.
std::string format(llvm::ArrayRef<int64_t> shape);

/// The number of elements, kDynamic if any dimension is dynamic, or an error
/// if the product overflows int64.
llvm::Expected<int64_t> numElements(llvm::ArrayRef<int64_t> shape);

/// Maps `axis` in [-rank, rank) to [0, rank).
llvm::Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Normalizes every axis and rejects duplicates; keeps the given order.
llvm::Expected<Shape> normalizeAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);

/// Numpy multidirectional broadcasting of two shapes.
llvm::Expected<Shape> broadcast(llvm::ArrayRef<int64_t> a,
                                llvm::ArrayRef<int64_t> b);

/// True if `from` broadcasts to `to` without changing `to` (ONNX
/// unidirectional broadcasting), allowing for dynamic dimensions.
bool broadcastsTo(llvm::ArrayRef<int64_t> from, llvm::ArrayRef<int64_t> to);

/// numpy.matmul: 1-D promotion, batch broadcasting, contracted dims agree.
llvm::Expected<Shape> matmul(llvm::ArrayRef<int64_t> lhs,
                             llvm::ArrayRef<int64_t> rhs);

/// One spatial dimension of a convolution or pooling window.
struct Window {
  int64_t kernel = 1;
  int64_t stride = 1;
  int64_t padBegin = 0;
  int64_t padEnd = 0;
  int64_t dilation = 1;
  bool ceilMode = false;
};

/// The output size of `input` under `window`, kDynamic if `input` or the
/// kernel is dynamic. Rejects non-positive strides, dilations and kernels,
/// negative pads and windows larger than the padded input.
llvm::Expected<int64_t> windowOutputSize(int64_t input, const Window &window);

/// The output size of a transposed convolution of `input` under `window`
/// (ceilMode unused) with `outputPadding` extra cells at the end:
/// `stride * (input - 1) + outputPadding + dilation * (kernel - 1) + 1
/// - padBegin - padEnd`. Rejects a negative result and output padding not
/// below the stride or the dilation.
llvm::Expected<int64_t> transposedWindowOutputSize(int64_t input,
                                                   const Window &window,
                                                   int64_t outputPadding);

/// Result of reducing `axes` (empty: all) with or without keepdims.
llvm::Expected<Shape> reduce(llvm::ArrayRef<int64_t> input,
                             llvm::ArrayRef<int64_t> axes, bool keepDims);

/// ONNX Reshape: 0 copies the input dim (unless allowZero), one -1 infers.
llvm::Expected<Shape> reshape(llvm::ArrayRef<int64_t> input,
                              llvm::ArrayRef<int64_t> target, bool allowZero);

llvm::Expected<Shape> transpose(llvm::ArrayRef<int64_t> input,
                                llvm::ArrayRef<int64_t> perm);

/// ONNX Flatten: axis in [-rank, rank].
llvm::Expected<Shape> flatten(llvm::ArrayRef<int64_t> input, int64_t axis);

llvm::Expected<Shape> squeeze(llvm::ArrayRef<int64_t> input,
                              llvm::ArrayRef<int64_t> axes);

llvm::Expected<Shape> unsqueeze(llvm::ArrayRef<int64_t> input,
                                llvm::ArrayRef<int64_t> axes);

llvm::Expected<Shape> concat(llvm::ArrayRef<llvm::ArrayRef<int64_t>> inputs,
                             int64_t axis);

/// ONNX Slice with clamping; empty `axes` means 0..n-1, empty `steps` all 1.
llvm::Expected<Shape> slice(llvm::ArrayRef<int64_t> input,
                            llvm::ArrayRef<int64_t> starts,
                            llvm::ArrayRef<int64_t> ends,
                            llvm::ArrayRef<int64_t> axes,
                            llvm::ArrayRef<int64_t> steps);

/// Where ONNX Slice starts in a static dimension: `start` counted from the
/// end when negative, then clamped to the range a `step` can start in.
int64_t sliceStart(int64_t dim, int64_t start, int64_t step);

/// The number of elements ONNX Slice takes from a static dimension.
int64_t sliceLength(int64_t dim, int64_t start, int64_t end, int64_t step);

llvm::Expected<Shape> gather(llvm::ArrayRef<int64_t> data,
                             llvm::ArrayRef<int64_t> indices, int64_t axis);

/// `pads` holds all begins then all ends; negative values crop.
llvm::Expected<Shape> pad(llvm::ArrayRef<int64_t> input,
                          llvm::ArrayRef<int64_t> pads);

/// The result of an einsum `equation` (numpy syntax: letters, `...`, an
/// optional `->` output; without it the output is the letters used once, in
/// alphabetical order, after the broadcast `...` dims) over `inputs`.
llvm::Expected<Shape> einsum(llvm::StringRef equation,
                             llvm::ArrayRef<llvm::ArrayRef<int64_t>> inputs);

/// True if two dims can describe the same runtime size.
inline bool compatible(int64_t a, int64_t b) {
  return a == b || isDynamic(a) || isDynamic(b);
}

} // namespace mlir::strata::shape

#endif // STRATA_DIALECTS_STRATA_IR_SHAPEINFERENCE_H
