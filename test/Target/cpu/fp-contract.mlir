// A multiply feeding an add becomes one FMA, except in the arithmetic that
// a rounding (a quantizer) reads, which rounds one operation at a time as
// the reference runtimes compute it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: strata-compile %s --target-option=cpu=x86-64-v3 --dump-stages=%t -o %t/out.strata
// RUN: FileCheck %s --check-prefix=MLIR < %t/2-linalg.mlir
// RUN: FileCheck %s --check-prefix=ASM < %t/cpu_0.s

// MLIR-LABEL: func.func @rescale
// MLIR: arith.mulf {{.*}} {strata.no_contract} : f32
// MLIR: arith.addf {{.*}} {strata.no_contract} : f32
// MLIR: math.roundeven
// MLIR: arith.mulf
// MLIR-NOT: no_contract
// MLIR: arith.addf
// MLIR-NOT: no_contract
// MLIR: return

// The rounded rescale: multiplies, adds, no FMA; the plain one: FMAs.
// ASM-LABEL: strata_rescale_dispatch_0:
// ASM-NOT: vfmadd
// ASM: vroundps
// ASM-NOT: vfmadd
// ASM-LABEL: strata_rescale_dispatch_1:
// ASM: vfmadd213ps
func.func @rescale(%x: tensor<64xf32>, %s: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %m = strata.mul %x, %s : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %a = strata.add %m, %b : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %r = strata.round %a : (tensor<64xf32>) -> tensor<64xf32>
  %m2 = strata.mul %s, %b : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %a2 = strata.add %m2, %x : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %r, %a2 : tensor<64xf32>, tensor<64xf32>
}
