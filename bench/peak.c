/* Measures one core's peak f32 FMA throughput: independent chains of
 * vector FMAs (AVX-512 when the compiler targets it, else AVX2) that never
 * touch memory. Prints GFLOP/s. Built by bench/matmul.py with -march=native. */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define FMA _mm512_fmadd_ps
#define SET1 _mm512_set1_ps
#define ADD _mm512_add_ps
static float sum(vec v) { return _mm512_reduce_add_ps(v); }
#else
typedef __m256 vec;
#define LANES 8
#define FMA _mm256_fmadd_ps
#define SET1 _mm256_set1_ps
#define ADD _mm256_add_ps
static float sum(vec v) {
  float out[8];
  _mm256_storeu_ps(out, v);
  return out[0] + out[1] + out[2] + out[3] + out[4] + out[5] + out[6] + out[7];
}
#endif

#define CHAINS 12

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  vec acc[CHAINS];
  vec a = SET1(0.999999f), b = SET1(1e-7f);
  for (int i = 0; i < CHAINS; ++i)
    acc[i] = SET1((float)i);
  const long iterations = 200000000L / CHAINS;
  double best = 0;
  for (int trial = 0; trial < 3; ++trial) {
    double start = seconds();
    for (long n = 0; n < iterations; ++n)
      for (int i = 0; i < CHAINS; ++i)
        acc[i] = FMA(acc[i], a, b);
    double elapsed = seconds() - start;
    double gflops = 2.0 * LANES * CHAINS * iterations / elapsed / 1e9;
    if (gflops > best)
      best = gflops;
  }
  vec total = acc[0];
  for (int i = 1; i < CHAINS; ++i)
    total = ADD(total, acc[i]);
  printf("%.2f\n", best);
  fprintf(stderr, "(checksum %g)\n", sum(total));
  return 0;
}
