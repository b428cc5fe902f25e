//===- ScheduleOps.cpp - schedule dialect and op verifiers ----------------===//
//
// Registers the dialect, prints and parses binding access lists as
// keywords, and checks that executables hold one module, that exports
// describe a kernel every device could run, and that dispatches match the
// kernels they name.
//
//===----------------------------------------------------------------------===//

#include "dialects/Schedule/IR/ScheduleOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::strata::schedule;

#include "dialects/Schedule/IR/ScheduleDialect.cpp.inc"
#include "dialects/Schedule/IR/ScheduleEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/Schedule/IR/ScheduleAttrs.cpp.inc"

void ScheduleDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/Schedule/IR/ScheduleOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialects/Schedule/IR/ScheduleAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TensorMapAttr
//===----------------------------------------------------------------------===//

// The limits of cuTensorMapEncodeTiled (CUDA driver API), so that the
// runtime's encoding cannot fail for a map that verifies.
LogicalResult
TensorMapAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                      int64_t binding, StringRef symbol, Type element,
                      ArrayRef<int64_t> shape, ArrayRef<int64_t> box,
                      int64_t swizzle) {
  if (binding < 0 || symbol.empty())
    return emitError() << "a tensor map needs a binding >= 0 and a symbol";
  unsigned bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 0;
  if (bits != 8 && bits != 16 && bits != 32 && bits != 64)
    return emitError() << "a tensor map's elements are 8, 16, 32 or 64-bit "
                          "integers or floats, not "
                       << element;
  if (shape.empty() || shape.size() > 5 || box.size() != shape.size())
    return emitError() << "a tensor map has 1 to 5 dims and a box of as "
                          "many, not "
                       << shape.size() << " and " << box.size();
  for (auto [dim, size] : llvm::zip(shape, box))
    if (dim < 1 || size < 1 || size > 256)
      return emitError() << "a tensor map's dims are >= 1 and its boxes 1 "
                            "to 256, not "
                         << dim << " in boxes of " << size;
  if (swizzle != 0 && swizzle != 32 && swizzle != 64 && swizzle != 128)
    return emitError() << "a tensor map swizzles 0, 32, 64 or 128 bytes, not "
                       << swizzle;
  int64_t bytes = bits / 8, row = box.back() * bytes;
  if (row % 16 || (swizzle && row > swizzle))
    return emitError() << "a box row of " << row
                       << " bytes is not a multiple of 16"
                       << (swizzle ? " within the swizzle" : "");
  if (shape.size() > 1 && shape.back() * bytes % 16)
    return emitError() << "a tensor map's rows of " << shape.back() * bytes
                       << " bytes are not a multiple of 16";
  return success();
}

//===----------------------------------------------------------------------===//
// Access lists: `(read, write)`
//===----------------------------------------------------------------------===//

static ParseResult parseAccessList(OpAsmParser &parser,
                                   DenseI32ArrayAttr &bindings) {
  SmallVector<int32_t> values;
  StringRef keyword;
  SMLoc loc = parser.getCurrentLocation();
  // A kernel may take no bindings at all.
  if (succeeded(parser.parseOptionalKeyword(&keyword))) {
    while (true) {
      std::optional<Access> access = symbolizeAccess(keyword);
      if (!access)
        return parser.emitError(loc, "unknown access '")
               << keyword << "' (known: read, write, read_write)";
      values.push_back(static_cast<int32_t>(*access));
      if (failed(parser.parseOptionalComma()))
        break;
      loc = parser.getCurrentLocation();
      if (parser.parseKeyword(&keyword))
        return failure();
    }
  }
  bindings = parser.getBuilder().getDenseI32ArrayAttr(values);
  return success();
}

static void printAccessList(OpAsmPrinter &printer, Operation *,
                            DenseI32ArrayAttr bindings) {
  llvm::interleaveComma(bindings.asArrayRef(), printer, [&](int32_t value) {
    printer << stringifyAccess(static_cast<Access>(value));
  });
}

//===----------------------------------------------------------------------===//
// ExecutableOp
//===----------------------------------------------------------------------===//

ModuleOp ExecutableOp::getInnerModule() {
  auto modules = getBody().front().getOps<ModuleOp>();
  return modules.empty() ? ModuleOp() : *modules.begin();
}

LogicalResult ExecutableOp::verify() {
  int modules = 0;
  for (Operation &op : getBody().front()) {
    if (isa<ModuleOp>(op))
      ++modules;
    else if (!isa<ExportOp>(op))
      return emitOpError("may hold only schedule.export ops and one "
                         "builtin.module, not ")
             << op.getName();
  }
  if (modules != 1)
    return emitOpError("must hold one builtin.module with its kernels, has ")
           << modules;
  return success();
}

//===----------------------------------------------------------------------===//
// ExportOp
//===----------------------------------------------------------------------===//

LogicalResult ExportOp::verify() {
  for (auto [i, access] : llvm::enumerate(getBindings()))
    if (!symbolizeAccess(access))
      return emitOpError("binding ") << i << " has no access " << access;
  if (std::optional<ArrayRef<int64_t>> count = getWorkgroups()) {
    if (count->size() != 3 ||
        llvm::any_of(*count, [](int64_t n) { return n < 0; }))
      return emitOpError("workgroups must be 3 counts >= 0");
  }
  ArrayRef<int64_t> size = getWorkgroupSize();
  if (size.size() != 3 || llvm::any_of(size, [](int64_t n) { return n < 1; }))
    return emitOpError("workgroup_size must be 3 sizes >= 1");
  if (llvm::any_of(getScratch(), [](int64_t n) { return n < 0; }))
    return emitOpError("scratch sizes must be >= 0");
  if (getPushConstantsAttr().getInt() < 0 || getSharedMemoryAttr().getInt() < 0)
    return emitOpError("push_constants and shared_memory must be >= 0");
  if (std::optional<ArrayAttr> maps = getTensorMaps())
    for (auto map : maps->getAsRange<TensorMapAttr>())
      if (map.getBinding() >= static_cast<int64_t>(getBindings().size()))
        return emitOpError("tensor map of binding ")
               << map.getBinding() << ", which does not exist";
  if (std::optional<StringRef> function = getFunction()) {
    ModuleOp module = (*this)->getParentOfType<ExecutableOp>().getInnerModule();
    // GPU kernels live one level down, in a gpu.module or spirv.module.
    auto defines = [&](Operation *table) {
      return SymbolTable::lookupSymbolIn(table, *function) != nullptr;
    };
    if (module && !defines(module) &&
        llvm::none_of(module.getBody()->getOperations(), [&](Operation &op) {
          return op.hasTrait<OpTrait::SymbolTable>() && defines(&op);
        }))
      return emitOpError("function '")
             << *function << "' is not in the executable's module";
  }
  // The chain of kernels ends, and each runs on the same bindings.
  llvm::SmallPtrSet<Operation *, 4> seen = {getOperation()};
  auto executable = (*this)->getParentOfType<ExecutableOp>();
  for (ExportOp next = *this; std::optional<StringRef> name = next.getThen();) {
    next = executable.lookupSymbol<ExportOp>(*name);
    if (!next)
      return emitOpError("then @") << *name << " is not an export of the "
                                   << "executable";
    if (!seen.insert(next).second)
      return emitOpError("then @") << *name << " runs again: the chain of "
                                   << "kernels must end";
    if (next.getBindings() != getBindings() ||
        next.getScratch() != getScratch() ||
        next.getPushConstants() != getPushConstants())
      return emitOpError("then @")
             << *name << " takes other bindings, scratch or push constants";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// DispatchOp
//===----------------------------------------------------------------------===//

LogicalResult DispatchOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto kernel =
      symbolTable.lookupNearestSymbolFrom<ExportOp>(*this, getKernelAttr());
  if (!kernel)
    return emitOpError("kernel ")
           << getKernelAttr() << " is not a schedule.export of an executable";
  size_t inputs = getOperands().size(), outputs = getResults().size();
  if (kernel.getBindings().size() != inputs + outputs)
    return emitOpError("kernel ")
           << getKernelAttr() << " takes " << kernel.getBindings().size()
           << " bindings, the dispatch has " << inputs << " operands and "
           << outputs << " results";
  for (size_t i = 0; i < inputs; ++i)
    if (kernel.getAccess(i) != Access::Read)
      return emitOpError("operand ")
             << i << " is bound for reading, but the kernel's binding " << i
             << " is " << stringifyAccess(kernel.getAccess(i));
  for (size_t i = inputs; i < inputs + outputs; ++i)
    if (kernel.getAccess(i) == Access::Read)
      return emitOpError("result ")
             << i - inputs << " needs a binding the kernel writes, but its "
             << "binding " << i << " is read-only";
  // Until the target compiles it, the kernel is a function on tensors
  // whose type the dispatch must match.
  auto executable = kernel->getParentOfType<ExecutableOp>();
  ModuleOp module = executable.getInnerModule();
  auto function = module
                      ? module.lookupSymbol<func::FuncOp>(
                            kernel.getFunction().value_or(kernel.getSymName()))
                      : func::FuncOp();
  if (function && llvm::all_of(function.getArgumentTypes(),
                               llvm::IsaPred<RankedTensorType>)) {
    FunctionType type = function.getFunctionType();
    if (!llvm::equal(type.getInputs(), getOperands().getTypes()) ||
        !llvm::equal(type.getResults(), getResults().getTypes()))
      return emitOpError("types ")
             << FunctionType::get(getContext(), getOperands().getTypes(),
                                  getResults().getTypes())
             << " do not match kernel function @" << function.getSymName()
             << " of type " << type;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// FillOp
//===----------------------------------------------------------------------===//

LogicalResult FillOp::verify() {
  auto type = cast<RankedTensorType>(getResult().getType());
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return emitOpError("fills tensors of integers or floats, not ") << type;
  int64_t bytes =
      type.getNumElements() *
      std::max<int64_t>(1, (element.getIntOrFloatBitWidth() + 7) / 8);
  if (bytes % 4)
    return emitOpError("fills whole 32-bit patterns, but ")
           << type << " has " << bytes << " bytes";
  return success();
}

#define GET_OP_CLASSES
#include "dialects/Schedule/IR/ScheduleOps.cpp.inc"
