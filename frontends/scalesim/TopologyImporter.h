//===- TopologyImporter.h - SCALE-Sim topology CSVs into strata -*- C++ -*-===//
//
// SCALE-Sim describes a network as a CSV of independent layers: conv rows
// (Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
// Channels, Num Filter, Strides) or GEMM rows (Layer name, M, N, K). Each
// row becomes one strata.conv2d or strata.matmul with inputs of its own,
// so that a topology compiles and runs like any model.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_SCALESIM_TOPOLOGYIMPORTER_H
#define STRATA_FRONTENDS_SCALESIM_TOPOLOGYIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::strata {

/// Imports the topology in `text` (`path` names it in diagnostics) as one
/// function `topology`: per layer, inputs `<layer>_ifmap` and
/// `<layer>_filter` (GEMM: `<layer>_a` M x K and `<layer>_b` K x N) and
/// the output `<layer>_ofmap`, all f32. As in SCALE-Sim, a conv layer is
/// an im2col without padding whose output is ceil((H - Fh + S) / S) high
/// (and as wide): the ifmap input is declared that much larger where the
/// division leaves a remainder. Layers whose name contains "DP" are
/// depthwise (one filter per channel). Returns null after diagnostics.
OwningOpRef<ModuleOp> importScaleSimTopology(llvm::StringRef text,
                                             llvm::StringRef path,
                                             MLIRContext *context);

} // namespace mlir::strata

#endif // STRATA_FRONTENDS_SCALESIM_TOPOLOGYIMPORTER_H
