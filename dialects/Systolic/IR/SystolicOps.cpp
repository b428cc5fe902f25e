//===- SystolicOps.cpp - systolic dialect and op verifiers ----------------===//
//
// Each op checks what it can alone: tiles inside the SRAMs and the DRAM
// binding, and tiles that fit the array for its dataflow. The order rules
// (config first, a preload before a fold) are checked over whole kernels
// when the target serializes them, with the loader's own check.
//
//===----------------------------------------------------------------------===//

#include "dialects/Systolic/IR/SystolicOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OpImplementation.h"

#include "dialects/Systolic/IR/SystolicDialect.cpp.inc"
#include "dialects/Systolic/IR/SystolicEnums.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/Systolic/IR/SystolicOps.cpp.inc"

using namespace mlir;
using namespace mlir::strata::systolic;

void SystolicDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Systolic/IR/SystolicOps.cpp.inc"
      >();
}

LogicalResult SystolicDialect::verifyOperationAttribute(Operation *op,
                                                        NamedAttribute attr) {
  if (attr.getName() != kArrayAttrName)
    return op->emitError() << "unknown systolic attribute " << attr.getName();
  if (!isa<ModuleOp>(op))
    return op->emitError() << kArrayAttrName << " belongs on a module";
  return parseArrayAttr(attr.getValue(), [&] { return op->emitError(); });
}

LogicalResult SystolicDialect::verifyRegionArgAttribute(Operation *op, unsigned,
                                                        unsigned arg,
                                                        NamedAttribute attr) {
  auto role = dyn_cast<StringAttr>(attr.getValue());
  if (attr.getName() != kRoleAttrName)
    return op->emitError() << "unknown systolic attribute " << attr.getName();
  if (!role ||
      !llvm::is_contained({"ifmap", "filter", "ofmap"}, role.getValue()))
    return op->emitError() << "argument " << arg << ": " << kRoleAttrName
                           << " must be \"ifmap\", \"filter\" or \"ofmap\"";
  return success();
}

FailureOr<ArrayInfo> mlir::strata::systolic::parseArrayAttr(
    Attribute attr, function_ref<InFlightDiagnostic()> emitError) {
  auto dict = dyn_cast<DictionaryAttr>(attr);
  if (!dict)
    return emitError() << "systolic.array must be a dictionary";
  ArrayInfo info;
  auto integer = [&](StringRef key, int64_t max, int64_t *out) {
    auto value = dict.getAs<IntegerAttr>(key);
    if (!value || value.getInt() < 1 || value.getInt() > max) {
      emitError() << "systolic.array needs " << key << " from 1 to " << max;
      return false;
    }
    *out = value.getInt();
    return true;
  };
  if (!integer("rows", 4096, &info.rows) ||
      !integer("cols", 4096, &info.cols) ||
      !integer("scratchpad_bytes", int64_t(1) << 32, &info.scratchpadBytes) ||
      !integer("accumulator_bytes", int64_t(1) << 32, &info.accumulatorBytes))
    return failure();
  auto dataflow = dict.getAs<StringAttr>("dataflow");
  std::optional<Dataflow> parsed =
      dataflow ? symbolizeDataflow(dataflow.getValue()) : std::nullopt;
  if (!parsed)
    return emitError() << "systolic.array needs dataflow \"os\", \"ws\" or "
                          "\"is\"";
  info.dataflow = *parsed;
  if (auto config = dict.getAs<StringAttr>("config"))
    info.config = config.getValue().str();
  return info;
}

FailureOr<ArrayInfo> mlir::strata::systolic::getArrayInfo(Operation *op) {
  for (Operation *at = op->getParentOp(); at; at = at->getParentOp())
    if (Attribute attr = at->getAttr(SystolicDialect::kArrayAttrName))
      return parseArrayAttr(attr, [&] { return op->emitOpError(); });
  return op->emitOpError() << "is not inside a module with a "
                           << SystolicDialect::kArrayAttrName << " attribute";
}

DictionaryAttr mlir::strata::systolic::buildArrayAttr(MLIRContext *context,
                                                      const ArrayInfo &info) {
  Builder b(context);
  return b.getDictionaryAttr(
      {b.getNamedAttr("rows", b.getI64IntegerAttr(info.rows)),
       b.getNamedAttr("cols", b.getI64IntegerAttr(info.cols)),
       b.getNamedAttr("dataflow",
                      b.getStringAttr(stringifyDataflow(info.dataflow))),
       b.getNamedAttr("scratchpad_bytes",
                      b.getI64IntegerAttr(info.scratchpadBytes)),
       b.getNamedAttr("accumulator_bytes",
                      b.getI64IntegerAttr(info.accumulatorBytes)),
       b.getNamedAttr("config", b.getStringAttr(info.config))});
}

namespace {

/// Bytes of one element of `memref`.
int64_t elementBytes(MemRefType memref) {
  return std::max<int64_t>(1, memref.getElementTypeBitWidth() / 8);
}

/// Checks a tile of `rows` x `cols` elements at `addr`, rows `stride`
/// apart, against an SRAM of `capacity` elements.
LogicalResult checkSram(Operation *op, StringRef what, int64_t addr,
                        int64_t stride, int64_t rows, int64_t cols,
                        int64_t capacity) {
  if (rows > 1 && stride < cols)
    return op->emitOpError() << what << " rows overlap (stride " << stride
                             << " < " << cols << " columns)";
  int64_t end = addr + (rows - 1) * stride + cols;
  if (end > capacity)
    return op->emitOpError() << what << " ends at element " << end
                             << ", past the " << capacity << " the SRAM holds";
  return success();
}

/// Checks a DMA's byte range in `dram`: `rows` rows of `rowBytes`, `stride`
/// bytes apart from `offset`.
LogicalResult checkDram(Operation *op, MemRefType dram, int64_t offset,
                        int64_t stride, int64_t rows, int64_t rowBytes) {
  int64_t size = dram.getNumElements() * elementBytes(dram);
  int64_t end = offset + (rows - 1) * stride + rowBytes;
  if (end > size)
    return op->emitOpError()
           << "reaches byte " << end << " of a " << size << "-byte binding";
  return success();
}

/// SRAM capacities in elements: the scratchpad's of `elemBytes` each, the
/// accumulator's of 4 bytes.
int64_t capacity(const ArrayInfo &array, Memory memory, int64_t elemBytes) {
  return memory == Memory::Acc ? array.accumulatorBytes / 4
                               : array.scratchpadBytes / elemBytes;
}

} // namespace

LogicalResult ConfigOp::verify() {
  FailureOr<ArrayInfo> array = getArrayInfo(*this);
  if (failed(array))
    return failure();
  if (getDataflow() != array->dataflow)
    return emitOpError() << "sets dataflow " << stringifyDataflow(getDataflow())
                         << " on an array built for "
                         << stringifyDataflow(array->dataflow);
  float scale = getScale().convertToFloat();
  if (!std::isfinite(scale) || scale == 0)
    return emitOpError() << "has a scale that is zero or not finite";
  return success();
}

LogicalResult MvinOp::verify() {
  FailureOr<ArrayInfo> array = getArrayInfo(*this);
  if (failed(array))
    return failure();
  MemRefType dram = getDram().getType();
  int64_t bytes = elementBytes(dram);
  if (getMemory() == Memory::Acc && bytes != 4)
    return emitOpError() << "moves " << bytes
                         << "-byte elements into the accumulator, which "
                            "holds 4-byte ones";
  if (getAccumulate() && getMemory() != Memory::Acc)
    return emitOpError() << "adds to the scratchpad; only the accumulator "
                            "accumulates";
  if (failed(checkSram(*this, "its SRAM tile", getSramAddr(), getSramStride(),
                       getRows(), getCols(),
                       capacity(*array, getMemory(), bytes))))
    return failure();
  return checkDram(*this, dram, getDramOffset(), getDramStride(), getRows(),
                   getCols() * bytes);
}

LogicalResult Im2colOp::verify() {
  FailureOr<ArrayInfo> array = getArrayInfo(*this);
  if (failed(array))
    return failure();
  for (ArrayRef<int64_t> pair : {getImage(), getWindow(), getStride(),
                                 getDilation(), getTaps(), getPixels()})
    if (pair.size() != 2)
      return emitOpError() << "takes pairs for image, window, stride, "
                              "dilation, taps and pixels";
  for (ArrayRef<int64_t> pair :
       {getImage(), getWindow(), getStride(), getDilation()})
    if (pair[0] < 1 || pair[1] < 1 || pair[0] > 65535 || pair[1] > 65535)
      return emitOpError() << "has an image, window, stride or dilation "
                              "outside 1 to 65535";
  int64_t taps = getTaps()[1], pixels = getPixels()[1];
  if (getTaps()[0] < 0 || getPixels()[0] < 0 || taps < 1 || pixels < 1)
    return emitOpError() << "takes a non-empty range of taps and pixels";
  MemRefType dram = getDram().getType();
  int64_t bytes = elementBytes(dram);
  // The last pixel it reads: the last tap's channel, the last output
  // row's, at the window's far corner.
  // (The last column of an output row bounds x for every row.)
  int64_t window = getWindow()[0] * getWindow()[1];
  int64_t outWidth = int64_t(getOutWidth());
  int64_t lastTap = getTaps()[0] + taps - 1;
  int64_t lastPixel = getPixels()[0] + pixels - 1;
  int64_t y = lastPixel / outWidth * getStride()[0] +
              (getWindow()[0] - 1) * getDilation()[0];
  int64_t x =
      (outWidth - 1) * getStride()[1] + (getWindow()[1] - 1) * getDilation()[1];
  if (y >= getImage()[0] || x >= getImage()[1])
    return emitOpError() << "reads pixel (" << y << ", " << x
                         << ") outside its " << getImage()[0] << "x"
                         << getImage()[1] << " image";
  int64_t end =
      getDramOffset() +
      ((lastTap / window + 1) * getImage()[0] * getImage()[1]) * bytes;
  int64_t size = dram.getNumElements() * bytes;
  if (end > size)
    return emitOpError() << "reaches byte " << end << " of a " << size
                         << "-byte binding";
  return checkSram(*this, "its SRAM tile", getSramAddr(), getSramStride(), taps,
                   pixels, capacity(*array, Memory::Spad, bytes));
}

LogicalResult ZeroOp::verify() {
  FailureOr<ArrayInfo> array = getArrayInfo(*this);
  if (failed(array))
    return failure();
  // The scratchpad's element size is the kernel's; its bytes bound it.
  return checkSram(*this, "its SRAM tile", getSramAddr(), getSramStride(),
                   getRows(), getCols(), capacity(*array, getMemory(), 1));
}

LogicalResult MvoutOp::verify() {
  FailureOr<ArrayInfo> array = getArrayInfo(*this);
  if (failed(array))
    return failure();
  MemRefType dram = getDram().getType();
  int64_t bytes = elementBytes(dram);
  if (failed(checkSram(*this, "its SRAM tile", getSramAddr(), getSramStride(),
                       getRows(), getCols(),
                       capacity(*array, getMemory(), bytes))))
    return failure();
  // Transposed, the tile's columns are the DRAM rows.
  int64_t rows = getTransposed() ? getCols() : getRows();
  int64_t cols = getTransposed() ? getRows() : getCols();
  if (rows > 1 && int64_t(getDramStride()) < cols * bytes)
    return emitOpError() << "writes DRAM rows that overlap (stride "
                         << getDramStride() << " < " << cols * bytes
                         << " bytes)";
  return checkDram(*this, dram, getDramOffset(), getDramStride(), rows,
                   cols * bytes);
}

LogicalResult PreloadOp::verify() {
  FailureOr<ArrayInfo> array = getArrayInfo(*this);
  if (failed(array))
    return failure();
  if (array->dataflow == Dataflow::OS)
    return emitOpError() << "on an output-stationary array, which keeps no "
                            "operand in its PEs";
  // The operand as the array holds it: ws B (k x n), is A (m x k).
  int64_t rows = getTransposed() ? getCols() : getRows();
  int64_t cols = getTransposed() ? getRows() : getCols();
  bool ws = array->dataflow == Dataflow::WS;
  int64_t kDim = ws ? rows : cols, other = ws ? cols : rows;
  if (kDim > array->rows || other > array->cols)
    return emitOpError() << "preloads a " << rows << "x" << cols
                         << " operand that does not fit the " << array->rows
                         << "x" << array->cols << " array";
  return checkSram(*this, "its tile", getSramAddr(), getSramStride(), getRows(),
                   getCols(), array->scratchpadBytes);
}

LogicalResult ComputeOp::verify() {
  FailureOr<ArrayInfo> array = getArrayInfo(*this);
  if (failed(array))
    return failure();
  int64_t m = getM(), k = getK(), n = getN();
  switch (array->dataflow) {
  case Dataflow::OS:
    if (m > array->rows || n > array->cols)
      return emitOpError() << "computes a " << m << "x" << n
                           << " output tile that does not fit the "
                           << array->rows << "x" << array->cols << " array";
    break;
  case Dataflow::WS:
    if (getBAddr() != 0 || getBStride() != 0 || getTransposeB())
      return emitOpError() << "gives B an address; on a weight-stationary "
                              "array it comes from the preload";
    break;
  case Dataflow::IS:
    if (getAAddr() != 0 || getAStride() != 0 || getTransposeA())
      return emitOpError() << "gives A an address; on an input-stationary "
                              "array it comes from the preload";
    break;
  }
  // Operand tiles in the scratchpad, in bytes at one byte an element; the
  // serializer checks them again at the kernel's dtype.
  if (array->dataflow != Dataflow::IS &&
      failed(checkSram(*this, "its A tile", getAAddr(), getAStride(),
                       getTransposeA() ? k : m, getTransposeA() ? m : k,
                       array->scratchpadBytes)))
    return failure();
  if (array->dataflow != Dataflow::WS &&
      failed(checkSram(*this, "its B tile", getBAddr(), getBStride(),
                       getTransposeB() ? n : k, getTransposeB() ? k : n,
                       array->scratchpadBytes)))
    return failure();
  return checkSram(*this, "its C tile", getCAddr(), getCStride(), m, n,
                   array->accumulatorBytes / 4);
}
