//===- Tiles.h - loops mapped to workgroups and invocations -----*- C++ -*-===//
//
// strata-gpu-tile-and-fuse marks a workgroup's tiles with `#gpu.block`
// mappings, the tile passes write each invocation's own code as a loop
// mapped to `#gpu.thread`, and strata-gpu-distribute maps both. The
// arithmetic on loop extents they share is here too.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LINALGTOGPU_TILES_H
#define STRATA_PASSES_LINALGTOGPU_TILES_H

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
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

/// The iterations of `loops`, whose extents `ranges` holds.
inline int64_t iterations(ArrayRef<int64_t> ranges, ArrayRef<unsigned> loops) {
  int64_t product = 1;
  for (unsigned loop : loops)
    product *= ranges[loop];
  return product;
}

/// Reduced elements per output from which a reduction is shared by a
/// workgroup rather than folded by one invocation.
inline constexpr int64_t kMinWorkgroupReduction = 32;

/// Bytes per element of `type` (a scalar or shaped type), at least 1.
inline int64_t elementBytes(Type type) {
  return std::max<int64_t>(
      1, getElementTypeOrSelf(type).getIntOrFloatBitWidth() / 8);
}

/// Where a kernel's workgroup buffers start, in bytes: ldmatrix, vector
/// accesses and wgmma descriptors take 16-byte aligned rows.
inline constexpr int64_t kWorkgroupBufferAlignment = 16;

/// The bytes a workgroup buffer of static `type` takes, up to where the
/// next one starts.
inline int64_t workgroupBufferBytes(MemRefType type) {
  return llvm::alignTo(type.getNumElements() * elementBytes(type),
                       kWorkgroupBufferAlignment);
}

/// The row-major digits of `linear`, less than the product of `extents`.
inline SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear,
                                      ArrayRef<int64_t> extents) {
  SmallVector<Value> digits(extents.size());
  for (size_t d = extents.size(); d-- > 1;) {
    Value extent = arith::ConstantIndexOp::create(b, loc, extents[d]);
    digits[d] = arith::RemUIOp::create(b, loc, linear, extent);
    linear = arith::DivUIOp::create(b, loc, linear, extent);
  }
  if (!extents.empty())
    digits[0] = linear;
  return digits;
}

/// Sets `values` of `loops` to the row-major digits of `linear`, which is
/// less than the product of their extents in `ranges`.
inline void assignDigits(OpBuilder &b, Location loc,
                         SmallVectorImpl<Value> &values,
                         ArrayRef<int64_t> ranges, ArrayRef<unsigned> loops,
                         Value linear) {
  SmallVector<int64_t> extents;
  for (unsigned loop : loops)
    extents.push_back(ranges[loop]);
  for (auto [loop, digit] :
       llvm::zip(loops, delinearize(b, loc, linear, extents)))
    values[loop] = digit;
}

/// The results of `map` at loop values `values`, one `affine.apply` each.
inline SmallVector<Value> applyMap(OpBuilder &b, Location loc, AffineMap map,
                                   ArrayRef<Value> values) {
  SmallVector<Value> results;
  for (AffineExpr expr : map.getResults())
    results.push_back(affine::AffineApplyOp::create(
        b, loc, AffineMap::get(map.getNumDims(), 0, expr), values));
  return results;
}

} // namespace mlir::strata

#endif // STRATA_PASSES_LINALGTOGPU_TILES_H
