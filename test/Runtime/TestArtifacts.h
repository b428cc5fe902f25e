//===- TestArtifacts.h - artifacts around the test kernels ------*- C++ -*-===//
//
// Models for the runtime's unit tests and strata-run's lit tests, packaged
// with StrataArtifact's writer around test/Runtime/kernels.c, so that the
// runtime is tested without the compiler.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TEST_RUNTIME_TESTARTIFACTS_H
#define STRATA_TEST_RUNTIME_TESTARTIFACTS_H

#include "runtime/artifact/Artifact.h"

#include <string>
#include <vector>

namespace strata::testing {

/// The test kernels' shared object, as built by CMake, and a variant in
/// which add subtracts.
const std::vector<uint8_t> &testKernels();
const std::vector<uint8_t> &testKernelsVariant();

/// `add(a, b) -> sum`, all f32 of `shape`, one workgroup per element.
artifact::ArtifactSpec addModel(const std::vector<int64_t> &shape = {2, 3});

/// `pipeline(x: 4xf32) -> (y, prod)`: prod = x * c for a constant
/// c = [1, 2, 3, 4] through a transient; y = prod + 1 through a fill. Uses
/// every buffer kind and step op.
artifact::ArtifactSpec pipelineModel();

/// The pipeline model on two device slots: x * c on slot 0 (cpu), then a
/// transfer of the product to slot 1 (`second`: "cpu" or "null"), which
/// computes y = prod + 1 there; prod comes back from slot 0.
artifact::ArtifactSpec twoDevicesModel(const std::string &second);

/// `negate(v: 3xi64) -> neg`.
artifact::ArtifactSpec negateModel();

/// `identity(x) -> y` of any dtype and shape, one copy step, no kernels.
artifact::ArtifactSpec identityModel(const std::string &dtype,
                                     const std::vector<int64_t> &shape);

/// `grid() -> ids: 32xi32`, a 4x4x2 dispatch that records workgroup ids.
artifact::ArtifactSpec gridModel();

/// `fail() -> out: 8xf32`, a kernel that returns 7 in workgroup 3.
artifact::ArtifactSpec failModel();

/// Models for the cuda device, whose kernels the stand-in driver
/// (fake-cuda.c) runs as no-ops: `variant` is "kernel" (one 256-thread
/// kernel writing 4xf32), "no-arch" (the same, for no architecture),
/// "big-block" (2048 threads), "big-shared" (64 KiB of shared memory),
/// "unaligned" (binding its output from byte 4), "tensor-map" or
/// "tensor-map-wide" (reading a bf16 input through a tensor map).
artifact::ArtifactSpec cudaModel(const std::string &variant);

/// `fill() -> y: 3xf16` on `device`: a fill of 6 bytes with a 4-byte
/// pattern, which the GPU devices fill only in whole words.
artifact::ArtifactSpec oddFillModel(const std::string &device);

/// A model by name (add, pipeline, negate, grid, fail, two-functions,
/// missing-symbol, identity, cpu-cpu, cpu-null, cuda-<variant>,
/// cuda-odd-fill, vulkan-odd-fill); `dtype` and `shape` apply to identity.
/// False for an unknown name.
/// y = a * b (5x6 by 6x7, f32) as a program for an 8x8 systolic array;
/// variant "corrupt" spoils the program's magic.
artifact::ArtifactSpec systolicModel(const std::string &variant);

bool namedModel(const std::string &name, const std::string &dtype,
                const std::vector<int64_t> &shape, artifact::ArtifactSpec *out);

} // namespace strata::testing

#endif // STRATA_TEST_RUNTIME_TESTARTIFACTS_H
