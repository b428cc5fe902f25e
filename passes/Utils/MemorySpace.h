//===- MemorySpace.h - moving a buffer to another memory space --*- C++ -*-===//

#ifndef STRATA_PASSES_UTILS_MEMORYSPACE_H
#define STRATA_PASSES_UTILS_MEMORYSPACE_H

#include "mlir/IR/Value.h"

namespace mlir::strata {

/// Puts `memref`, and every view of it, in memory space `space`. Ops that
/// only load or store through them are unaffected.
void setMemorySpace(Value memref, Attribute space);

/// Whether `type` is a memref in GPU workgroup memory.
bool isWorkgroupMemory(Type type);

} // namespace mlir::strata

#endif // STRATA_PASSES_UTILS_MEMORYSPACE_H
