//===- ScheduleToArtifact.h - the schedule IR as an artifact ----*- C++ -*-===//
//
// Turns a module whose executables are compiled and serialized, and whose
// entry function holds only schedule steps, into the artifact's model.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DRIVER_SCHEDULETOARTIFACT_H
#define STRATA_DRIVER_SCHEDULETOARTIFACT_H

#include "runtime/artifact/Artifact.h"
#include "targets/TargetBackend.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::strata {

/// The dtype name the manifest uses for `type`, or "" if it has none.
std::string dtypeName(Type type);

/// The artifact for `entry`, whose signature `function` describes (inputs
/// and outputs, no buffers yet), with `blobs[i]` the device code of the
/// module's i-th schedule.executable. Errors are emitted on the IR.
FailureOr<::strata::artifact::ArtifactSpec>
scheduleToArtifact(ModuleOp module, func::FuncOp entry,
                   ::strata::artifact::FunctionSpec function,
                   ArrayRef<SerializedExecutable> blobs);

} // namespace mlir::strata

#endif // STRATA_DRIVER_SCHEDULETOARTIFACT_H
