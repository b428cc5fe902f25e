//===- SerializePtx.h - PTX and cubin from an NVVM gpu.module ---*- C++ -*-===//

#ifndef STRATA_TARGETS_PTX_SERIALIZEPTX_H
#define STRATA_TARGETS_PTX_SERIALIZEPTX_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#include <string>
#include <vector>

namespace mlir::strata {

/// The CUDA toolkit the build found (the folder above ptxas's bin/), or
/// /usr/local/cuda; libdevice is looked for there.
llvm::StringRef defaultCudaToolkit();

/// Whether `func`, in a lowered gpu.module, is a kernel.
bool isNvvmKernel(LLVM::LLVMFuncOp func);

/// The PTX of `module`, lowered to NVVM with its #nvvm.target, through
/// LLVM's NVPTX backend with libdevice from `toolkit` linked in. Reports
/// on the module a missing toolkit, and a call that neither the module nor
/// libdevice defines.
FailureOr<std::string> serializeToPtx(gpu::GPUModuleOp module,
                                      llvm::StringRef toolkit);

/// `module`'s PTX assembled for its target, in process.
FailureOr<std::vector<uint8_t>> serializeToCubin(gpu::GPUModuleOp module,
                                                 llvm::StringRef toolkit);

/// Registers what serializing needs: the NVVM target's interface and the
/// LLVM IR translations of the dialects a lowered kernel holds.
void registerPtxSerialization(DialectRegistry &registry);

} // namespace mlir::strata

#endif // STRATA_TARGETS_PTX_SERIALIZEPTX_H
