//===- FusionRoots.h - which linalg ops tile, and which fuse ----*- C++ -*-===//
//
// The cpu and GPU pipelines tile a kernel the same way: each root op is
// tiled and the producers that belong to it are fused into its tiles.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_UTILS_FUSIONROOTS_H
#define STRATA_PASSES_UTILS_FUSIONROOTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::strata {

struct FusionRoots {
  /// Linalg ops on tensors, outside loops, not fused into a consumer, in
  /// program order.
  SmallVector<linalg::LinalgOp> roots;
  /// Ops fused into their consumer's tiles: fills (cheap to recompute per
  /// tile) and ops whose only user reads them through a permutation, so
  /// that each element is computed once. A producer read by a contraction
  /// or through a broadcast would be recomputed for every tile of the
  /// loops its map leaves out.
  llvm::DenseSet<Operation *> fusible;

  /// Whether tile-and-fuse should fuse `producer` into a consumer's tile.
  /// A pad is not: fused, it pads every tile with dynamic sizes, and it is
  /// cheaper once, whole. A producer with other users is a root of its
  /// own; fusing it would compute it twice.
  bool fusesIntoConsumer(Operation *producer) const;
};

/// The roots of `func`; the ops in `unfused` are roots even where they
/// would fuse.
FusionRoots findFusionRoots(func::FuncOp func,
                            const llvm::DenseSet<Operation *> &unfused = {});

/// Whether `op` fills its output with one value: a `linalg.fill`, or a
/// generic without inputs that yields a value from outside (what
/// canonicalization leaves of a broadcast constant).
bool isFill(Operation *op);

/// Whether the consumer that owns `use` reads each element of the producer
/// result it uses once per tile of its outputs, so that fusing the
/// producer computes each element once: through a permutation, or as the
/// initial value of its outputs (a broadcast bias a convolution accumulates
/// onto) where the producer reduces nothing.
bool readsOncePerTile(OpOperand &use);

/// Tiles `root` into an `scf.forall` as `tiling` says, fuses into its tiles
/// the producers that `roots` gives it and `fuse` (if any) accepts, and
/// replaces the root's uses; the tiled ops, or failure.
FailureOr<scf::SCFTileAndFuseResult>
tileAndFuseRoot(RewriterBase &rewriter, linalg::LinalgOp root,
                scf::SCFTilingOptions tiling, const FusionRoots &roots,
                function_ref<bool(Operation *)> fuse = nullptr);

/// Whether `op` is inside a loop (a tile's `scf.forall`, a reduction's
/// `scf.for`, a model's loop).
bool inLoop(Operation *op);

} // namespace mlir::strata

#endif // STRATA_PASSES_UTILS_FUSIONROOTS_H
