//===- ExportPtx.h - one kernel's PTX, for reading --------------*- C++ -*-===//

#ifndef STRATA_TARGETS_PTX_EXPORTPTX_H
#define STRATA_TARGETS_PTX_EXPORTPTX_H

namespace mlir::strata {

/// Registers strata-translate's --export-ptx (and its --ptx-kernel).
void registerPtxExportTranslation();

} // namespace mlir::strata

#endif // STRATA_TARGETS_PTX_EXPORTPTX_H
