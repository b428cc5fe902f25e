//===- MemorySpace.cpp - moving a buffer to another memory space ----------===//

#include "passes/Utils/MemorySpace.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::strata {

void setMemorySpace(Value memref, Attribute space) {
  auto type = cast<MemRefType>(memref.getType());
  memref.setType(MemRefType::get(type.getShape(), type.getElementType(),
                                 type.getLayout(), space));
  for (Operation *user : memref.getUsers())
    if (auto view = dyn_cast<ViewLikeOpInterface>(user))
      if (view.getViewSource() == memref)
        for (Value result : user->getResults())
          setMemorySpace(result, space);
}

} // namespace mlir::strata
