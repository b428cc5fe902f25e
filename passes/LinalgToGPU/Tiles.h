//===- Tiles.h - loops mapped to workgroups and invocations -----*- C++ -*-===//
//
// strata-gpu-tile-and-fuse marks a workgroup's tiles with `#gpu.block`
// mappings, the tile passes write each invocation's own code as a loop
// mapped to `#gpu.thread`, and strata-gpu-distribute maps both.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LINALGTOGPU_TILES_H
#define STRATA_PASSES_LINALGTOGPU_TILES_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::strata {

/// Whether `op` is an `scf.forall` mapped to GPU ids of kind `Mapping`.
template <typename Mapping> bool isMappedTo(Operation *op) {
  auto forall = dyn_cast_if_present<scf::ForallOp>(op);
  return forall && forall.getMapping() &&
         llvm::all_of(*forall.getMapping(),
                      [](Attribute attr) { return isa<Mapping>(attr); });
}

/// A loop of workgroup tiles.
inline bool isWorkgroupTiles(Operation *op) {
  return isMappedTo<gpu::GPUBlockMappingAttr>(op);
}

/// A loop of one iteration per invocation of a workgroup.
inline bool isInvocationLoop(Operation *op) {
  return isMappedTo<gpu::GPUThreadMappingAttr>(op);
}

/// An empty loop of one iteration per invocation of a workgroup of
/// `workgroupSize`, for the invocations' own code.
inline scf::ForallOp createInvocationLoop(OpBuilder &b, Location loc,
                                          int64_t workgroupSize) {
  return scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(workgroupSize)},
      ValueRange{},
      b.getArrayAttr({gpu::GPUThreadMappingAttr::get(
          b.getContext(), gpu::MappingId::LinearDim0)}));
}

} // namespace mlir::strata

#endif // STRATA_PASSES_LINALGTOGPU_TILES_H
