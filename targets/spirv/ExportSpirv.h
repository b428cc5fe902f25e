//===- ExportSpirv.h - one kernel's SPIR-V, for reading ---------*- C++ -*-===//

#ifndef STRATA_TARGETS_SPIRV_EXPORTSPIRV_H
#define STRATA_TARGETS_SPIRV_EXPORTSPIRV_H

namespace mlir::strata {

/// Registers strata-translate's --export-spirv (and its --spirv-kernel).
void registerSpirvExportTranslation();

} // namespace mlir::strata

#endif // STRATA_TARGETS_SPIRV_EXPORTSPIRV_H
