//===- ShapeInference.cpp - shape arithmetic for strata ops ---------------===//
//
// Implements the shape functions declared in ShapeInference.h. All sizes go
// through checked arithmetic: a model can declare any dims it likes, and an
// overflow must become a diagnostic, never a wrapped size.
//
//===----------------------------------------------------------------------===//

#include "dialects/Strata/IR/ShapeInference.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using llvm::ArrayRef;
using llvm::Expected;

namespace mlir::strata::shape {

static llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

std::string format(ArrayRef<int64_t> shape) {
  std::string out;
  llvm::raw_string_ostream os(out);
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (isDynamic(d))
      os << '?';
    else
      os << d;
  });
  os << ']';
  return out;
}

static std::string format(int64_t dim) {
  return isDynamic(dim) ? "?" : std::to_string(dim);
}

Expected<int64_t> numElements(ArrayRef<int64_t> shape) {
  bool dynamic = false;
  for (int64_t d : shape) {
    if (d == 0)
      return 0;
    if (isDynamic(d))
      dynamic = true;
    else if (d < 0)
      return error("shape " + format(shape) + " has a negative dimension");
  }
  if (dynamic)
    return kDynamic;
  int64_t count = 1;
  for (int64_t d : shape) {
    std::optional<int64_t> next = llvm::checkedMul(count, d);
    if (!next)
      return error("the element count of shape " + format(shape) +
                   " overflows int64");
    count = *next;
  }
  return count;
}

Expected<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return error("axis " + llvm::Twine(axis) + " is out of range [" +
                 llvm::Twine(-rank) + ", " + llvm::Twine(rank) + ")");
  return axis < 0 ? axis + rank : axis;
}

Expected<Shape> normalizeAxes(ArrayRef<int64_t> axes, int64_t rank) {
  Shape result;
  llvm::SmallBitVector seen(std::max<int64_t>(rank, 0));
  for (int64_t axis : axes) {
    Expected<int64_t> normalized = normalizeAxis(axis, rank);
    if (!normalized)
      return normalized.takeError();
    if (seen.test(*normalized))
      return error("axis " + llvm::Twine(axis) + " appears more than once");
    seen.set(*normalized);
    result.push_back(*normalized);
  }
  return result;
}

Expected<Shape> broadcast(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
    int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
    int64_t &out = result[rank - 1 - i];
    if (da == db || db == 1)
      out = da;
    else if (da == 1)
      out = db;
    else if (isDynamic(da))
      out = db;
    else if (isDynamic(db))
      out = da;
    else
      return error("shapes " + format(a) + " and " + format(b) +
                   " are not broadcast-compatible (" + format(da) + " vs " +
                   format(db) + ")");
  }
  return result;
}

bool broadcastsTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  ArrayRef<int64_t> tail = to.take_back(from.size());
  for (auto [f, t] : llvm::zip_equal(from, tail))
    if (f != 1 && !compatible(f, t))
      return false;
  return true;
}

Expected<Shape> matmul(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs) {
  if (lhs.empty() || rhs.empty())
    return error("matmul operands must have rank >= 1, got " + format(lhs) +
                 " and " + format(rhs));
  Shape a(lhs), b(rhs);
  if (lhs.size() == 1)
    a.insert(a.begin(), 1);
  if (rhs.size() == 1)
    b.push_back(1);
  int64_t k1 = a.back(), k2 = b[b.size() - 2];
  if (!compatible(k1, k2))
    return error("contracted dimensions differ: " + format(lhs) + " x " +
                 format(rhs) + " (" + format(k1) + " vs " + format(k2) + ")");
  Expected<Shape> batch = broadcast(ArrayRef(a).drop_back(2),
                                    ArrayRef(b).drop_back(2));
  if (!batch)
    return error("batch dimensions: " + llvm::toString(batch.takeError()));
  Shape result = *batch;
  if (lhs.size() > 1)
    result.push_back(a[a.size() - 2]);
  if (rhs.size() > 1)
    result.push_back(b.back());
  return result;
}

/// The checks both window directions share.
static llvm::Error checkWindow(const Window &w) {
  if (w.stride <= 0 || w.dilation <= 0)
    return error("strides and dilations must be positive, got stride " +
                 llvm::Twine(w.stride) + " and dilation " +
                 llvm::Twine(w.dilation));
  if (w.padBegin < 0 || w.padEnd < 0)
    return error("pads must be non-negative, got " + llvm::Twine(w.padBegin) +
                 " and " + llvm::Twine(w.padEnd));
  if (!isDynamic(w.kernel) && w.kernel <= 0)
    return error("kernel size must be positive, got " + llvm::Twine(w.kernel));
  return llvm::Error::success();
}

Expected<int64_t> windowOutputSize(int64_t input, const Window &w) {
  if (llvm::Error e = checkWindow(w))
    return std::move(e);
  if (isDynamic(input) || isDynamic(w.kernel))
    return kDynamic;
  std::optional<int64_t> span = llvm::checkedMul(w.dilation, w.kernel - 1);
  std::optional<int64_t> padded = llvm::checkedAdd(input, w.padBegin);
  if (padded)
    padded = llvm::checkedAdd(*padded, w.padEnd);
  if (!span || !padded)
    return error("window arithmetic overflows int64");
  int64_t effective = *span + 1;
  if (*padded < effective)
    return error("window of size " + llvm::Twine(effective) +
                 " (kernel " + llvm::Twine(w.kernel) + ", dilation " +
                 llvm::Twine(w.dilation) + ") exceeds the padded input size " +
                 llvm::Twine(*padded));
  int64_t room = *padded - effective;
  int64_t out = room / w.stride + 1;
  if (w.ceilMode && room % w.stride != 0) {
    // The extra window must still start inside the input or the leading pad.
    if (out * w.stride < input + w.padBegin)
      ++out;
  }
  return out;
}

Expected<int64_t> transposedWindowOutputSize(int64_t input, const Window &w,
                                             int64_t outputPadding) {
  if (llvm::Error e = checkWindow(w))
    return std::move(e);
  if (outputPadding < 0 || outputPadding >= std::max(w.stride, w.dilation))
    return error("output padding " + llvm::Twine(outputPadding) +
                 " must be in [0, max(stride, dilation)) = [0, " +
                 llvm::Twine(std::max(w.stride, w.dilation)) + ")");
  if (isDynamic(input) || isDynamic(w.kernel))
    return kDynamic;
  if (input == 0)
    return error("transposed convolution of an empty input");
  std::optional<int64_t> size = llvm::checkedMul(w.stride, input - 1);
  std::optional<int64_t> span = llvm::checkedMul(w.dilation, w.kernel - 1);
  if (size && span)
    size = llvm::checkedAdd(*size, *span);
  if (size)
    size = llvm::checkedAdd(*size, outputPadding + 1);
  if (!size)
    return error("window arithmetic overflows int64");
  int64_t out = *size - w.padBegin - w.padEnd;
  if (out < 0)
    return error("pads " + llvm::Twine(w.padBegin) + " and " +
                 llvm::Twine(w.padEnd) + " exceed the full output size " +
                 llvm::Twine(*size));
  return out;
}

Expected<Shape> reduce(ArrayRef<int64_t> input, ArrayRef<int64_t> axes,
                       bool keepDims) {
  Expected<Shape> normalized = normalizeAxes(axes, input.size());
  if (!normalized)
    return normalized.takeError();
  llvm::SmallBitVector reduced(input.size(), axes.empty());
  for (int64_t axis : *normalized)
    reduced.set(axis);
  Shape result;
  for (auto [i, d] : llvm::enumerate(input)) {
    if (!reduced.test(i))
      result.push_back(d);
    else if (keepDims)
      result.push_back(1);
  }
  return result;
}

Expected<Shape> reshape(ArrayRef<int64_t> input, ArrayRef<int64_t> target,
                        bool allowZero) {
  Shape result;
  std::optional<size_t> inferred;
  for (auto [i, t] : llvm::enumerate(target)) {
    if (t < -1)
      return error("target shape entry " + llvm::Twine(t) + " is invalid");
    if (t == -1) {
      if (inferred)
        return error("target shape has more than one -1");
      inferred = i;
      result.push_back(kDynamic);
    } else if (t == 0 && !allowZero) {
      if (i >= input.size())
        return error("target shape entry 0 at index " + llvm::Twine(i) +
                     " copies a dimension the rank-" +
                     llvm::Twine(input.size()) + " input does not have");
      result.push_back(input[i]);
    } else {
      result.push_back(t);
    }
  }
  if (allowZero && inferred && llvm::is_contained(target, 0))
    return error("target shape may not hold both 0 and -1 with allowzero");

  Expected<int64_t> inCount = numElements(input);
  if (!inCount)
    return inCount.takeError();
  Shape known(result);
  if (inferred)
    known.erase(known.begin() + *inferred);
  Expected<int64_t> knownCount = numElements(known);
  if (!knownCount)
    return knownCount.takeError();
  if (isDynamic(*inCount) || isDynamic(*knownCount))
    return result;
  if (inferred) {
    if (*knownCount == 0)
      return error("cannot infer the -1 in " + format(target) +
                   ": the other dimensions hold zero elements");
    if (*inCount % *knownCount != 0)
      return error("cannot reshape " + format(input) + " (" +
                   llvm::Twine(*inCount) + " elements) to " + format(target));
    result[*inferred] = *inCount / *knownCount;
  } else if (*inCount != *knownCount) {
    return error("cannot reshape " + format(input) + " (" +
                 llvm::Twine(*inCount) + " elements) to " + format(result) +
                 " (" + llvm::Twine(*knownCount) + " elements)");
  }
  return result;
}

Expected<Shape> transpose(ArrayRef<int64_t> input, ArrayRef<int64_t> perm) {
  llvm::SmallBitVector seen(input.size());
  bool valid = perm.size() == input.size();
  for (int64_t p : perm) {
    if (!valid || p < 0 || p >= static_cast<int64_t>(input.size()) ||
        seen.test(p)) {
      valid = false;
      break;
    }
    seen.set(p);
  }
  if (!valid)
    return error("perm " + format(perm) + " is not a permutation of the " +
                 llvm::Twine(input.size()) + " input dimensions");
  Shape result;
  for (int64_t p : perm)
    result.push_back(input[p]);
  return result;
}

Expected<Shape> flatten(ArrayRef<int64_t> input, int64_t axis) {
  int64_t rank = input.size();
  if (axis < -rank || axis > rank)
    return error("axis " + llvm::Twine(axis) + " is out of range [" +
                 llvm::Twine(-rank) + ", " + llvm::Twine(rank) + "]");
  if (axis < 0)
    axis += rank;
  Expected<int64_t> outer = numElements(input.take_front(axis));
  if (!outer)
    return outer.takeError();
  Expected<int64_t> inner = numElements(input.drop_front(axis));
  if (!inner)
    return inner.takeError();
  return Shape{*outer, *inner};
}

Expected<Shape> squeeze(ArrayRef<int64_t> input, ArrayRef<int64_t> axes) {
  Shape result;
  if (axes.empty()) {
    if (llvm::any_of(input, isDynamic))
      return error("squeeze without axes needs a static shape, got " +
                   format(input));
    for (int64_t d : input)
      if (d != 1)
        result.push_back(d);
    return result;
  }
  Expected<Shape> normalized = normalizeAxes(axes, input.size());
  if (!normalized)
    return normalized.takeError();
  llvm::SmallBitVector removed(input.size());
  for (int64_t axis : *normalized) {
    if (input[axis] != 1 && !isDynamic(input[axis]))
      return error("cannot squeeze dimension " + llvm::Twine(axis) +
                   " of size " + llvm::Twine(input[axis]));
    removed.set(axis);
  }
  for (auto [i, d] : llvm::enumerate(input))
    if (!removed.test(i))
      result.push_back(d);
  return result;
}

Expected<Shape> unsqueeze(ArrayRef<int64_t> input, ArrayRef<int64_t> axes) {
  int64_t rank = input.size() + axes.size();
  Expected<Shape> normalized = normalizeAxes(axes, rank);
  if (!normalized)
    return normalized.takeError();
  llvm::SmallBitVector inserted(rank);
  for (int64_t axis : *normalized)
    inserted.set(axis);
  Shape result;
  const int64_t *next = input.begin();
  for (int64_t i = 0; i < rank; ++i)
    result.push_back(inserted.test(i) ? 1 : *next++);
  return result;
}

Expected<Shape> concat(ArrayRef<ArrayRef<int64_t>> inputs, int64_t axis) {
  if (inputs.empty())
    return error("concat needs at least one input");
  size_t rank = inputs.front().size();
  Expected<int64_t> normalized = normalizeAxis(axis, rank);
  if (!normalized)
    return normalized.takeError();
  Shape result(inputs.front());
  result[*normalized] = 0;
  for (auto [n, in] : llvm::enumerate(inputs)) {
    if (in.size() != rank)
      return error("input " + llvm::Twine(n) + " has rank " +
                   llvm::Twine(in.size()) + ", expected " + llvm::Twine(rank));
    for (size_t i = 0; i < rank; ++i) {
      int64_t &out = result[i];
      if (static_cast<int64_t>(i) == *normalized) {
        if (isDynamic(out) || isDynamic(in[i])) {
          out = kDynamic;
        } else if (std::optional<int64_t> sum = llvm::checkedAdd(out, in[i])) {
          out = *sum;
        } else {
          return error("concatenated size along axis " + llvm::Twine(axis) +
                       " overflows int64");
        }
      } else if (!compatible(out, in[i])) {
        return error("input " + llvm::Twine(n) + " has shape " + format(in) +
                     ", which differs from " + format(inputs.front()) +
                     " in dimension " + llvm::Twine(i));
      } else if (isDynamic(out)) {
        out = in[i];
      }
    }
  }
  return result;
}

int64_t sliceStart(int64_t dim, int64_t start, int64_t step) {
  if (start < 0)
    start += dim;
  return step > 0 ? std::clamp<int64_t>(start, 0, dim)
                  : std::clamp<int64_t>(start, 0, dim - 1);
}

int64_t sliceLength(int64_t dim, int64_t start, int64_t end, int64_t step) {
  start = sliceStart(dim, start, step);
  if (end < 0)
    end += dim;
  uint64_t stride;
  int64_t distance;
  if (step > 0) {
    end = std::clamp<int64_t>(end, 0, dim);
    distance = end - start;
    stride = step;
  } else {
    end = std::clamp<int64_t>(end, -1, dim - 1);
    distance = start - end;
    stride = static_cast<uint64_t>(-(step + 1)) + 1;
  }
  if (distance <= 0)
    return 0;
  return static_cast<int64_t>((static_cast<uint64_t>(distance) - 1) / stride +
                              1);
}

Expected<Shape> slice(ArrayRef<int64_t> input, ArrayRef<int64_t> starts,
                      ArrayRef<int64_t> ends, ArrayRef<int64_t> axes,
                      ArrayRef<int64_t> steps) {
  size_t n = starts.size();
  if (ends.size() != n || (!axes.empty() && axes.size() != n) ||
      (!steps.empty() && steps.size() != n))
    return error("starts, ends, axes and steps must have the same length, "
                 "got " + llvm::Twine(n) + ", " + llvm::Twine(ends.size()) +
                 ", " + llvm::Twine(axes.size()) + " and " +
                 llvm::Twine(steps.size()));
  Shape allAxes;
  if (axes.empty()) {
    if (n > input.size())
      return error("slice of " + llvm::Twine(n) + " axes exceeds rank " +
                   llvm::Twine(input.size()));
    for (size_t i = 0; i < n; ++i)
      allAxes.push_back(i);
    axes = allAxes;
  }
  Expected<Shape> normalized = normalizeAxes(axes, input.size());
  if (!normalized)
    return normalized.takeError();
  Shape result(input);
  for (size_t i = 0; i < n; ++i) {
    int64_t step = steps.empty() ? 1 : steps[i];
    if (step == 0)
      return error("slice step for axis " + llvm::Twine(axes[i]) +
                   " must not be 0");
    int64_t axis = (*normalized)[i];
    if (!isDynamic(input[axis]))
      result[axis] = sliceLength(input[axis], starts[i], ends[i], step);
  }
  return result;
}

Expected<Shape> gather(ArrayRef<int64_t> data, ArrayRef<int64_t> indices,
                       int64_t axis) {
  if (data.empty())
    return error("gather data must have rank >= 1");
  Expected<int64_t> normalized = normalizeAxis(axis, data.size());
  if (!normalized)
    return normalized.takeError();
  Shape result(data.take_front(*normalized));
  llvm::append_range(result, indices);
  llvm::append_range(result, data.drop_front(*normalized + 1));
  return result;
}

Expected<Shape> pad(ArrayRef<int64_t> input, ArrayRef<int64_t> pads) {
  if (pads.size() != 2 * input.size())
    return error("pads has " + llvm::Twine(pads.size()) +
                 " entries, expected " + llvm::Twine(2 * input.size()) +
                 " (begin and end for each dimension)");
  Shape result(input);
  for (size_t i = 0; i < input.size(); ++i) {
    if (isDynamic(input[i]))
      continue;
    int64_t begin = pads[i], end = pads[i + input.size()];
    std::optional<int64_t> size = llvm::checkedAdd(input[i], begin);
    if (size)
      size = llvm::checkedAdd(*size, end);
    if (!size)
      return error("padded size of dimension " + llvm::Twine(i) +
                   " overflows int64");
    if (*size < 0)
      return error("pads (" + llvm::Twine(begin) + ", " + llvm::Twine(end) +
                   ") crop dimension " + llvm::Twine(i) + " of size " +
                   llvm::Twine(input[i]) + " below zero");
    result[i] = *size;
  }
  return result;
}

Expected<Shape> einsum(llvm::StringRef equation,
                       ArrayRef<ArrayRef<int64_t>> inputs) {
  std::string text;
  for (char c : equation)
    if (c != ' ')
      text.push_back(c);
  llvm::StringRef lhs = text, rhs;
  bool explicitOutput = false;
  if (size_t arrow = lhs.find("->"); arrow != llvm::StringRef::npos) {
    rhs = lhs.drop_front(arrow + 2);
    lhs = lhs.take_front(arrow);
    explicitOutput = true;
  }
  llvm::SmallVector<llvm::StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != inputs.size())
    return error("equation '" + equation + "' has " +
                 llvm::Twine(terms.size()) + " operands, got " +
                 llvm::Twine(inputs.size()));
  int64_t letterSize[128];
  std::fill(std::begin(letterSize), std::end(letterSize), int64_t(-2));
  int letterCount[128] = {};
  Shape ellipsis;
  bool anyEllipsis = false;
  auto isLetter = [](char c) { return llvm::isAlpha(c); };
  for (auto [n, term] : llvm::enumerate(terms)) {
    ArrayRef<int64_t> dims = inputs[n];
    size_t dots = term.find("...");
    llvm::StringRef before = term.take_front(std::min(dots, term.size()));
    llvm::StringRef after =
        dots == llvm::StringRef::npos ? "" : term.drop_front(dots + 3);
    size_t letters = before.size() + after.size();
    if (!llvm::all_of(before, isLetter) || !llvm::all_of(after, isLetter))
      return error("operand " + llvm::Twine(n) + " '" + term +
                   "' of the equation must be letters and at most one '...'");
    if (dots == llvm::StringRef::npos ? letters != dims.size()
                                      : letters > dims.size())
      return error("operand " + llvm::Twine(n) + " '" + term + "' does not "
                   "match its rank-" + llvm::Twine(dims.size()) + " shape");
    auto bind = [&](char c, int64_t d) -> llvm::Error {
      int64_t &size = letterSize[static_cast<unsigned char>(c)];
      ++letterCount[static_cast<unsigned char>(c)];
      if (size == -2 || isDynamic(size))
        size = d;
      else if (!compatible(size, d))
        return error("index '" + llvm::Twine(c) + "' has sizes " +
                     llvm::Twine(size) + " and " + llvm::Twine(d));
      return llvm::Error::success();
    };
    for (auto [i, c] : llvm::enumerate(before))
      if (llvm::Error e = bind(c, dims[i]))
        return std::move(e);
    for (auto [i, c] : llvm::enumerate(after))
      if (llvm::Error e = bind(c, dims[dims.size() - after.size() + i]))
        return std::move(e);
    if (dots != llvm::StringRef::npos) {
      anyEllipsis = true;
      Expected<Shape> merged = broadcast(
          ellipsis, dims.slice(before.size(), dims.size() - letters));
      if (!merged)
        return error("'...' dims: " + llvm::toString(merged.takeError()));
      ellipsis = *merged;
    }
  }
  std::string output;
  if (explicitOutput) {
    output = rhs.str();
  } else {
    if (anyEllipsis)
      output = "...";
    for (int c = 0; c < 128; ++c)
      if (letterCount[c] == 1)
        output.push_back(static_cast<char>(c));
  }
  Shape result;
  llvm::StringRef out = output;
  bool seenDots = false;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out.substr(i).starts_with("...")) {
      if (seenDots)
        return error("the output '" + out + "' has '...' twice");
      seenDots = true;
      llvm::append_range(result, ellipsis);
      i += 2;
      continue;
    }
    char c = out[i];
    if (!isLetter(c) || letterSize[static_cast<unsigned char>(c)] == -2)
      return error("output index '" + llvm::Twine(c) +
                   "' does not appear in the operands");
    if (out.take_front(i).contains(c))
      return error("output index '" + llvm::Twine(c) + "' appears twice");
    result.push_back(letterSize[static_cast<unsigned char>(c)]);
  }
  return result;
}

} // namespace mlir::strata::shape
