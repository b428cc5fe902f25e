//===- MemorySpace.cpp - buffers, their views and memory spaces ----------===//

#include "passes/Utils/MemorySpace.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::strata {

/// The buffer that `op` is a view of, or null. memref.transpose is a view
/// too, but not a ViewLikeOpInterface.
static Value viewSource(Operation *op) {
  if (auto view = dyn_cast<ViewLikeOpInterface>(op))
    return view.getViewSource();
  if (auto transpose = dyn_cast<memref::TransposeOp>(op))
    return transpose.getIn();
  return nullptr;
}

void setMemorySpace(Value memref, Attribute space) {
  auto type = cast<MemRefType>(memref.getType());
  memref.setType(MemRefType::get(type.getShape(), type.getElementType(),
                                 type.getLayout(), space));
  for (Operation *user : memref.getUsers())
    if (viewSource(user) == memref)
      for (Value result : user->getResults())
        setMemorySpace(result, space);
}

Value viewedBuffer(Value value) {
  while (Operation *op = value.getDefiningOp()) {
    Value source = viewSource(op);
    if (!source)
      break;
    value = source;
  }
  return value;
}

bool isWorkgroupMemory(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  auto space = memref ? dyn_cast_if_present<gpu::AddressSpaceAttr>(
                            memref.getMemorySpace())
                      : nullptr;
  return space && space.getValue() == gpu::AddressSpace::Workgroup;
}

} // namespace mlir::strata
