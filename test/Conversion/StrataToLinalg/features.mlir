// RUN: strata-opt %s --convert-strata-to-linalg --split-input-file | FileCheck %s

// random_uniform_like: splitmix64 of the linear index, keyed by the seed;
// the top 24 bits (an f32 significand) scaled by 2^-24, then to [low, high).
// CHECK-LABEL: func.func @random
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: arith.index_castui
// CHECK: arith.xori
// CHECK-COUNT-2: arith.muli %{{.*}} : i64
// CHECK: %[[TOP:.*]] = arith.shrui %{{.*}}, %c40_i64 : i64
// CHECK: arith.uitofp %[[TOP]] : i64 to f32
// CHECK: arith.constant 5.96046448E-8 : f32
// CHECK: arith.constant 4.000000e+00 : f32
// CHECK: arith.constant -1.000000e+00 : f32
func.func @random(%x: tensor<2x3xf64>) -> tensor<2x3xf32> {
  %0 = strata.random_uniform_like %x {dtype = f32, low = -1.0 : f64, high = 3.0 : f64, seed = 5.0 : f64} : (tensor<2x3xf64>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// tfidf_vectorizer: per output column the n-gram's length and items as
// constant tables (column 1 has no n-gram), one generic summing matches over
// (row, column, start, skip), then TFIDF's weights per column.
// CHECK-LABEL: func.func @tfidf
// CHECK-DAG: arith.constant dense<[2, 0, 1]> : tensor<3xi64>
// CHECK-DAG: arith.constant dense<{{\[\[}}5, 6], [0, 0], [4, 0]]> : tensor<3x2xi64>
// CHECK: %[[LOOPS:.*]] = tensor.empty() : tensor<6x2xi8>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[LOOPS]] : tensor<6x2xi8>) outs(%{{.*}} : tensor<2x3xf32>)
// CHECK: tensor.extract %arg0
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.addf
// CHECK: arith.constant dense<[2.000000e+00, 1.000000e+00, 5.000000e-01]> : tensor<3xf32>
// CHECK: linalg.generic
// CHECK: arith.mulf
func.func @tfidf(%x: tensor<2x6xi32>) -> tensor<2x3xf32> {
  %0 = strata.tfidf_vectorizer %x {mode = "TFIDF", min_gram_length = 1 : i64, max_gram_length = 2 : i64, max_skip_count = 1 : i64, ngram_counts = array<i64: 0, 1>, ngram_indexes = array<i64: 2, 0>, pool = array<i64: 4, 5, 6>, weights = array<f64: 0.5, 2.0>} : (tensor<2x6xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// IDF yields the weight where the count is non-zero.
// CHECK-LABEL: func.func @idf
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: arith.cmpf ogt
// CHECK: arith.select
func.func @idf(%x: tensor<6xi64>) -> tensor<1xf32> {
  %0 = strata.tfidf_vectorizer %x {mode = "IDF", min_gram_length = 1 : i64, max_gram_length = 1 : i64, max_skip_count = 0 : i64, ngram_counts = array<i64: 0>, ngram_indexes = array<i64: 0>, pool = array<i64: 4>, weights = array<f64: 3.0>} : (tensor<6xi64>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}
