//===- MemorySpace.h - buffers, their views and memory spaces --*- C++ -*-===//

#ifndef STRATA_PASSES_UTILS_MEMORYSPACE_H
#define STRATA_PASSES_UTILS_MEMORYSPACE_H

#include "mlir/IR/Value.h"

namespace mlir::strata {

/// Puts `memref`, and every view (or transpose) of it, in memory space
/// `space`. Ops that only load or store through them are unaffected.
void setMemorySpace(Value memref, Attribute space);

/// The buffer that `value` views, through any view-like ops and transposes.
Value viewedBuffer(Value value);

/// Whether `type` is a memref in GPU workgroup memory.
bool isWorkgroupMemory(Type type);

} // namespace mlir::strata

#endif // STRATA_PASSES_UTILS_MEMORYSPACE_H
