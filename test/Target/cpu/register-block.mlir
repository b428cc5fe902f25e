// The matmul's register block follows the cpu's register file: on
// AVX-512's 32 zmm registers, 8 rows of two vectors (16 accumulators); on
// AVX2's 16 ymm registers, 4 rows (8). The inner loop is one load of each B
// vector (from B's row, read in place), a broadcast per row, an FMA per
// accumulator and the loop's counters, and nothing spills to the stack.
// RUN: rm -rf %t && mkdir -p %t
// RUN: strata-compile %s -O3 --target-option=cpu=x86-64-v4 --dump-stages=%t/v4 -o %t/v4.strata
// RUN: FileCheck %s --check-prefix=AVX512 --implicit-check-not=rsp < %t/v4/cpu_0.s
// RUN: strata-compile %s -O3 --target-option=cpu=x86-64-v3 --dump-stages=%t/v3 -o %t/v3.strata
// RUN: FileCheck %s --check-prefix=AVX2 --implicit-check-not=rsp < %t/v3/cpu_0.s

// AVX512-COUNT-8: vbroadcastss {{.*}}%zmm
// AVX512-COUNT-2: vmovups {{.*}}%zmm
// AVX512-COUNT-16: vfmadd231ps %zmm{{[0-9]+}}, %zmm{{[0-9]+}}, %zmm{{[0-9]+}}
// AVX512-NOT: {{vmov|vbroadcast|rsp}}
// AVX512: cmpq
// AVX512-NEXT: jne

// AVX2-COUNT-4: vbroadcastss {{.*}}%ymm
// AVX2-COUNT-2: vmovups {{.*}}%ymm
// AVX2-COUNT-8: vfmadd231ps %ymm{{[0-9]+}}, %ymm{{[0-9]+}}, %ymm{{[0-9]+}}
// AVX2-NOT: {{vmov|vbroadcast|rsp}}
// AVX2: cmpq
// AVX2-NEXT: jne
func.func @matmul(%a: tensor<64x256xf32>, %b: tensor<256x64xf32>) -> tensor<64x64xf32> {
  %0 = strata.matmul %a, %b : (tensor<64x256xf32>, tensor<256x64xf32>) -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}
