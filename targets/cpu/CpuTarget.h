//===- CpuTarget.h - the x86-64 host target ---------------------*- C++ -*-===//
//
// The cpu target's factory, for the registry.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGETS_CPU_CPUTARGET_H
#define STRATA_TARGETS_CPU_CPUTARGET_H

#include "targets/TargetBackend.h"

#include <memory>

namespace mlir::strata {

/// Kernels compiled for the host CPU (its features, AVX-512 when present)
/// and linked by lld into one ELF shared object ("elf-x86_64-so").
std::unique_ptr<TargetBackend> createCpuTarget();

} // namespace mlir::strata

#endif // STRATA_TARGETS_CPU_CPUTARGET_H
