// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse{workgroup-size=128 workgroup-memory-bytes=49152}))' \
// RUN:   | FileCheck %s --check-prefix=SIMT
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse{workgroup-size=128 workgroup-memory-bytes=49152 tensor-cores=mma-sync}))' \
// RUN:   | FileCheck %s --check-prefix=MMA
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse{workgroup-size=128 workgroup-memory-bytes=49152 tensor-cores=wgmma}))' \
// RUN:   | FileCheck %s --check-prefix=WGMMA
// RUN: strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse{workgroup-size=128 workgroup-memory-bytes=49152 tensor-cores=mma-sync tensor-core-f32=1}))' \
// RUN:   | FileCheck %s --check-prefix=TF32
// RUN: not strata-opt %s --split-input-file \
// RUN:   --pass-pipeline='builtin.module(func.func(strata-gpu-tile-and-fuse{tensor-cores=dpas}))' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD

// BAD: strata-gpu-tile-and-fuse: unknown tensor-cores 'dpas' (known: mma-sync, wgmma)

// A large bf16 GEMM: the SIMT tile is 64 x 32; mma.sync takes 64 x 64
// (4 warps of 32 x 32), wgmma 128 x 128 (two 64-row groups); both grids
// keep at least 128 workgroups (1024 and 256).
// SIMT-LABEL: func.func @large
// SIMT: scf.forall ({{.*}}) = (0, 0) to (2048, 2048) step (64, 32)
// MMA-LABEL: func.func @large
// MMA: scf.forall ({{.*}}) = (0, 0) to (2048, 2048) step (64, 64)
// WGMMA-LABEL: func.func @large
// WGMMA: scf.forall ({{.*}}) = (0, 0) to (2048, 2048) step (128, 128)
// WGMMA: linalg.fill
// WGMMA: linalg.matmul {{.*}} -> tensor<128x128xf32>
func.func @large(%a: tensor<2048x512xbf16>, %b: tensor<512x2048xbf16>) -> tensor<2048x2048xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<2048x2048xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  %r = linalg.matmul ins(%a, %b : tensor<2048x512xbf16>, tensor<512x2048xbf16>) outs(%fill : tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  return %r : tensor<2048x2048xf32>
}

// -----

// 128 x 128 tiles would leave 64 workgroups: wgmma takes 128 x 64 (128).
// WGMMA-LABEL: func.func @medium
// WGMMA: scf.forall ({{.*}}) = (0, 0) to (1024, 1024) step (128, 64)
// MMA-LABEL: func.func @medium
// MMA: scf.forall ({{.*}}) = (0, 0) to (1024, 1024) step (64, 64)
func.func @medium(%a: tensor<1024x256xf16>, %b: tensor<256x1024xf16>) -> tensor<1024x1024xf16> {
  %zero = arith.constant 0.0 : f16
  %empty = tensor.empty() : tensor<1024x1024xf16>
  %fill = linalg.fill ins(%zero : f16) outs(%empty : tensor<1024x1024xf16>) -> tensor<1024x1024xf16>
  %r = linalg.matmul ins(%a, %b : tensor<1024x256xf16>, tensor<256x1024xf16>) outs(%fill : tensor<1024x1024xf16>) -> tensor<1024x1024xf16>
  return %r : tensor<1024x1024xf16>
}

// -----

// A small GEMM keeps the SIMT tile: larger ones would leave SMs idle.
// WGMMA-LABEL: func.func @small
// WGMMA: scf.forall ({{.*}}) = (0, 0) to (128, 128) step (64, 32)
// MMA-LABEL: func.func @small
// MMA: scf.forall ({{.*}}) = (0, 0) to (128, 128) step (64, 32)
func.func @small(%a: tensor<128x64xf16>, %b: tensor<64x128xf16>) -> tensor<128x128xf16> {
  %zero = arith.constant 0.0 : f16
  %empty = tensor.empty() : tensor<128x128xf16>
  %fill = linalg.fill ins(%zero : f16) outs(%empty : tensor<128x128xf16>) -> tensor<128x128xf16>
  %r = linalg.matmul ins(%a, %b : tensor<128x64xf16>, tensor<64x128xf16>) outs(%fill : tensor<128x128xf16>) -> tensor<128x128xf16>
  return %r : tensor<128x128xf16>
}

// -----

// f32 runs on the tensor cores only as tf32, which wgmma does not take
// here: mma.sync's tile with tensor-core-f32, else the SIMT tile.
// WGMMA-LABEL: func.func @f32
// WGMMA: scf.forall ({{.*}}) = (0, 0) to (2048, 2048) step (64, 32)
// TF32-LABEL: func.func @f32
// TF32: scf.forall ({{.*}}) = (0, 0) to (2048, 2048) step (64, 64)
func.func @f32(%a: tensor<2048x256xf32>, %b: tensor<256x2048xf32>) -> tensor<2048x2048xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<2048x2048xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  %r = linalg.matmul ins(%a, %b : tensor<2048x256xf32>, tensor<256x2048xf32>) outs(%fill : tensor<2048x2048xf32>) -> tensor<2048x2048xf32>
  return %r : tensor<2048x2048xf32>
}
