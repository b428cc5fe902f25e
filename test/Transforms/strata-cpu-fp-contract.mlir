// RUN: strata-opt %s --strata-cpu-fp-contract | FileCheck %s

// Every float op may contract into an FMA except those a lowering marked
// exact; the marker itself is dropped.
// CHECK-LABEL: llvm.func @kernel
// CHECK: %[[M:.*]] = llvm.fmul %arg0, %arg1 {fastmathFlags = #llvm.fastmath<contract>} : f32
// CHECK: %[[A:.*]] = llvm.fadd %[[M]], %arg2 {fastmathFlags = #llvm.fastmath<contract>} : f32
// CHECK: %[[E:.*]] = llvm.fmul %[[A]], %arg1 : f32
// CHECK-NOT: strata.no_contract
// CHECK: %[[F:.*]] = llvm.fadd %[[E]], %arg2 : f32
// CHECK: %[[G:.*]] = llvm.fsub %[[F]], %arg0 {fastmathFlags = #llvm.fastmath<nnan, contract>} : f32
// CHECK: llvm.return %[[G]]
llvm.func @kernel(%a: f32, %b: f32, %c: f32) -> f32 {
  %0 = llvm.fmul %a, %b : f32
  %1 = llvm.fadd %0, %c : f32
  %2 = llvm.fmul %1, %b {strata.no_contract} : f32
  %3 = llvm.fadd %2, %c {strata.no_contract} : f32
  %4 = llvm.fsub %3, %a {fastmathFlags = #llvm.fastmath<nnan>} : f32
  llvm.return %4 : f32
}
