//===- ArtifactInternal.h - artifact layout, limits, names ------*- C++ -*-===//
//
// Limits and names that the serializer, the parser and the validator must
// agree on. Not installed; only runtime/artifact/*.cpp include it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_ARTIFACT_ARTIFACTINTERNAL_H
#define STRATA_RUNTIME_ARTIFACT_ARTIFACTINTERNAL_H

#include "runtime/artifact/Artifact.h"

#include <cstdio>

namespace strata::artifact {

// Byte offsets of the header fields (docs/artifact-format.md); the rest of
// the 64 bytes, from kReservedOffset on, is reserved and zero.
inline constexpr size_t kVersionOffset = 8;
inline constexpr size_t kHeaderSizeOffset = 12;
inline constexpr size_t kManifestOffsetOffset = 16;
inline constexpr size_t kManifestSizeOffset = 24;
inline constexpr size_t kFileSizeOffset = 32;
inline constexpr size_t kManifestChecksumOffset = 40;
inline constexpr size_t kReservedOffset = 48;

// Counts above these are rejected as absurd before anything is allocated
// for them; they are far above what a real model needs.
inline constexpr size_t kMaxBlobs = 1 << 20;
inline constexpr size_t kMaxDevices = 1 << 8;
inline constexpr size_t kMaxExecutables = 1 << 16;
inline constexpr size_t kMaxKernels = 1 << 16;
inline constexpr size_t kMaxBindings = 1 << 16;
inline constexpr size_t kMaxPushConstants = 1 << 10;
inline constexpr size_t kMaxFunctions = 1 << 16;
inline constexpr size_t kMaxTensors = 1 << 16;
inline constexpr size_t kMaxBuffers = 1 << 20;
inline constexpr size_t kMaxSteps = 1 << 20;
inline constexpr size_t kMaxRank = 64;
inline constexpr size_t kMaxFeatures = 1 << 8;
/// Workgroups of one dispatch, all dims together.
inline constexpr uint64_t kMaxWorkgroups = uint64_t(1) << 40;

/// `value` as 16 lowercase hex digits, the manifest's checksum spelling.
inline std::string hex64(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx",
                static_cast<unsigned long long>(value));
  return text;
}

/// validate() with blob sizes given apart from the model.
bool validateWithBlobSizes(const ArtifactSpec &spec,
                           const std::vector<uint64_t> &blobSizes,
                           std::string *error);

} // namespace strata::artifact

#endif // STRATA_RUNTIME_ARTIFACT_ARTIFACTINTERNAL_H
