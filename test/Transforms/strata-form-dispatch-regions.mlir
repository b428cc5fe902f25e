// RUN: strata-opt %s --split-input-file --strata-form-dispatch-regions | FileCheck %s
// RUN: strata-opt %s --split-input-file --strata-form-dispatch-regions="target=null device=1" | FileCheck %s --check-prefix=NULL

// An elementwise chain is one region: each producer has one user, which
// reads it through a permutation. The step is named after the root's layer.

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: schedule.executable @cpu_0 target("cpu") device(0)
// CHECK: schedule.export @chain_dispatch_0(read, write)
// CHECK: func.func @chain_dispatch_0(%[[X:.*]]: tensor<8xf32> {bufferization.writable = false}) -> tensor<8xf32>
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: return
// CHECK-LABEL: func.func @chain(
// CHECK-SAME: %[[A:.*]]: tensor<8xf32>
// CHECK-NEXT: %[[D:.*]] = schedule.dispatch @cpu_0::@chain_dispatch_0(%[[A]]) step("relu") : (tensor<8xf32>) -> tensor<8xf32>
// CHECK-NEXT: return %[[D]]
// NULL: schedule.executable @null_1 target("null") device(1)
// NULL: schedule.dispatch @null_1::@chain_dispatch_0
func.func @chain(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %c = arith.constant 2.0 : f32
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c : f32
    linalg.yield %m : f32
  } -> tensor<8xf32> loc("scale")
  %1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%0 : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %z : f32
    linalg.yield %m : f32
  } -> tensor<8xf32> loc("relu")
  return %1 : tensor<8xf32>
}

// -----

// A matmul's result read by two ops is a root of its own; the fill of its
// accumulator is recomputed in its region. The reshape between two regions
// is recomputed by the one that reads it.

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: schedule.executable @cpu_0
// CHECK: schedule.export @shared_dispatch_0(read, read, write)
// CHECK: schedule.export @shared_dispatch_1(read, write)
// CHECK: schedule.export @shared_dispatch_2(read, read, write)
// CHECK: func.func @shared_dispatch_0(%{{.*}}: tensor<2x3xf32> {{{.*}}}, %{{.*}}: tensor<3x4xf32> {{{.*}}}) -> tensor<2x4xf32>
// CHECK: linalg.fill
// CHECK: linalg.matmul
// CHECK: func.func @shared_dispatch_1(%{{.*}}: tensor<2x4xf32> {{{.*}}}) -> tensor<8xf32>
// CHECK: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK: func.func @shared_dispatch_2(%{{.*}}: tensor<2x4xf32> {{{.*}}}, %{{.*}}: tensor<8xf32> {{{.*}}}) -> tensor<2x4xf32>
// CHECK-LABEL: func.func @shared(
// CHECK: %[[M:.*]] = schedule.dispatch @cpu_0::@shared_dispatch_0({{.*}}) step("mm")
// CHECK: %[[N:.*]] = schedule.dispatch @cpu_0::@shared_dispatch_1(%[[M]]) step("neg")
// CHECK: %[[S:.*]] = schedule.dispatch @cpu_0::@shared_dispatch_2(%[[M]], %[[N]]) step("sum")
// CHECK: return %[[S]], %[[N]]
func.func @shared(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> (tensor<2x4xf32>, tensor<8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>)
      outs(%acc : tensor<2x4xf32>) -> tensor<2x4xf32> loc("mm")
  %flat = tensor.collapse_shape %mm [[0, 1]] : tensor<2x4xf32> into tensor<8xf32>
  %e8 = tensor.empty() : tensor<8xf32>
  %neg = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%flat : tensor<8xf32>) outs(%e8 : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<8xf32> loc("neg")
  %back = tensor.expand_shape %neg [[0, 1]] output_shape [2, 4] : tensor<8xf32> into tensor<2x4xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%mm, %back : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32> loc("sum")
  return %sum, %neg : tensor<2x4xf32>, tensor<8xf32>
}

// -----

// A producer read through a broadcast would be recomputed per tile, so it
// is a region of its own.

#row = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#id1 = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @broadcast(
// CHECK: %[[B:.*]] = schedule.dispatch @cpu_0::@broadcast_dispatch_0(%{{.*}}) step("bias") : (tensor<4xf32>) -> tensor<4xf32>
// CHECK: schedule.dispatch @cpu_0::@broadcast_dispatch_1(%{{.*}}, %[[B]]) step("add") : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
func.func @broadcast(%x: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %e1 = tensor.empty() : tensor<4xf32>
  %bias = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%b : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = math.exp %in : f32
    linalg.yield %n : f32
  } -> tensor<4xf32> loc("bias")
  %e = tensor.empty() : tensor<3x4xf32>
  %add = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %bias : tensor<3x4xf32>, tensor<4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%p: f32, %q: f32, %out: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  } -> tensor<3x4xf32> loc("add")
  return %add : tensor<3x4xf32>
}

// -----

// A contraction's initial value (a bias broadcast over the output) is read
// once per output element, so its producer joins the contraction's
// region. A fill written as a generic without inputs (what canonicalization
// leaves of a broadcast splat) is recomputed by each region that reads it,
// even when two contractions share it.

#bias = affine_map<(d0, d1) -> (d1)>
#out2 = affine_map<(d0, d1) -> (d0, d1)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @init_dispatch_0(
// CHECK-SAME: %{{.*}}: tensor<3x5xf32> {{.*}}, %{{.*}}: tensor<5x4xf32> {{.*}}, %{{.*}}: tensor<4xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<3x5xf32>, tensor<5x4xf32>)
// CHECK-LABEL: func.func @init_dispatch_1(
// CHECK-SAME: %{{.*}}: tensor<3x5xf32> {{.*}}, %{{.*}}: tensor<5x4xf32> {{.*}}) -> tensor<3x4xf32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x4xf32>)
// CHECK-NEXT: ^bb0(%{{.*}}: f32):
// CHECK-NEXT: linalg.yield
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<3x5xf32>, tensor<5x4xf32>)
// CHECK-LABEL: func.func @init(
// CHECK: schedule.dispatch @cpu_0::@init_dispatch_0({{.*}}) step("biased")
// CHECK: schedule.dispatch @cpu_0::@init_dispatch_1(
// CHECK: schedule.dispatch @cpu_0::@init_dispatch_2(
// CHECK: schedule.dispatch @cpu_0::@init_dispatch_3(
// CHECK-NOT: schedule.dispatch
func.func @init(%x: tensor<3x5xf32>, %w: tensor<5x4xf32>, %b: tensor<4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %e = tensor.empty() : tensor<3x4xf32>
  %broadcast = linalg.generic {indexing_maps = [#bias, #out2], iterator_types = ["parallel", "parallel"]}
      ins(%b : tensor<4xf32>) outs(%e : tensor<3x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<3x4xf32>
  %biased = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<3x5xf32>, tensor<5x4xf32>) outs(%broadcast : tensor<3x4xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<3x4xf32> loc("biased")
  %zero = arith.constant 0.0 : f32
  %zeros = linalg.generic {indexing_maps = [#out2], iterator_types = ["parallel", "parallel"]}
      outs(%e : tensor<3x4xf32>) {
  ^bb0(%out: f32):
    linalg.yield %zero : f32
  } -> tensor<3x4xf32>
  %first = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<3x5xf32>, tensor<5x4xf32>) outs(%zeros : tensor<3x4xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<3x4xf32>
  %second = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<3x5xf32>, tensor<5x4xf32>) outs(%zeros : tensor<3x4xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<3x4xf32>
  %sum = arith.addf %first, %second : tensor<3x4xf32>
  return %biased, %sum : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// Data movement feeding data movement is one step: a pad and the inserts
// of a concatenation.

// CHECK-LABEL: func.func @concat_dispatch_0(
// CHECK: tensor.pad
// CHECK: tensor.insert_slice
// CHECK: tensor.insert_slice
// CHECK-LABEL: func.func @concat(
// CHECK-NEXT: %[[C:.*]] = schedule.dispatch @cpu_0::@concat_dispatch_0(%{{.*}}, %{{.*}}) step("concat")
// CHECK-NEXT: return %[[C]]
func.func @concat(%x: tensor<2xf32>, %y: tensor<4xf32>) -> tensor<8xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %zero : f32
  } : tensor<2xf32> to tensor<4xf32> loc("pad")
  %e = tensor.empty() : tensor<8xf32>
  %0 = tensor.insert_slice %p into %e[0] [4] [1] : tensor<4xf32> into tensor<8xf32>
  %1 = tensor.insert_slice %y into %0[4] [4] [1] : tensor<4xf32> into tensor<8xf32> loc("concat")
  return %1 : tensor<8xf32>
}

// -----

// Every output is a buffer a step wrote: a returned argument and a value
// returned twice are copied. A returned reshape of an argument is a
// region of its own.

// CHECK-LABEL: func.func @outputs(
// CHECK-SAME: %[[X:.*]]: tensor<2x2xf32>
// CHECK: %[[R:.*]] = schedule.dispatch @cpu_0::@outputs_dispatch_0(%[[X]]) step("outputs_dispatch_0") : (tensor<2x2xf32>) -> tensor<4xf32>
// CHECK: %[[C0:.*]] = schedule.copy %[[X]] to device(0) step("outputs_output_0") : tensor<2x2xf32>
// CHECK: %[[C2:.*]] = schedule.copy %[[R]] to device(0) step("outputs_output_2") : tensor<4xf32>
// CHECK: return %[[C0]], %[[R]], %[[C2]]
func.func @outputs(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<4xf32>, tensor<4xf32>) {
  %r = tensor.collapse_shape %x [[0, 1]] : tensor<2x2xf32> into tensor<4xf32>
  return %x, %r, %r : tensor<2x2xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A returned reshape, alone or at the end of a chain of reshapes, joins
// the region of the op it reshapes, which then writes the output, and the
// step keeps that op's name. A reshape of a value that another op reads
// too is still a region of its own.

#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @views_dispatch_0(
// CHECK-SAME: -> tensor<1x8xf32>
// CHECK: linalg.matmul
// CHECK-NEXT: tensor.collapse_shape
// CHECK-NEXT: tensor.expand_shape
// CHECK-NEXT: return
// CHECK-LABEL: func.func @views(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x3xf32>, %[[B:[^:]*]]: tensor<3x4xf32>, %[[C:[^:]*]]: tensor<2x4xf32>
// CHECK-NEXT: %[[M:.*]] = schedule.dispatch @cpu_0::@views_dispatch_0(%[[A]], %[[B]]) step("mm") : {{.*}} -> tensor<1x8xf32>
// CHECK-NEXT: %[[N:.*]] = schedule.dispatch @cpu_0::@views_dispatch_1(%[[C]]) step("neg") : {{.*}} -> tensor<2x4xf32>
// CHECK-NEXT: %[[F:.*]] = schedule.dispatch @cpu_0::@views_dispatch_2(%[[N]]) step("views_dispatch_2") : {{.*}} -> tensor<8xf32>
// CHECK-NEXT: %[[S:.*]] = schedule.dispatch @cpu_0::@views_dispatch_3(%[[N]]) step("sum")
// CHECK-NEXT: return %[[M]], %[[F]], %[[S]]
func.func @views(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<2x4xf32>) -> (tensor<1x8xf32>, tensor<8xf32>, tensor<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>)
      outs(%acc : tensor<2x4xf32>) -> tensor<2x4xf32> loc("mm")
  %flat = tensor.collapse_shape %mm [[0, 1]] : tensor<2x4xf32> into tensor<8xf32> loc("flatten")
  %row = tensor.expand_shape %flat [[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32> loc("unsqueeze")
  %neg = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<2x4xf32> loc("neg")
  %nflat = tensor.collapse_shape %neg [[0, 1]] : tensor<2x4xf32> into tensor<8xf32>
  %sum = linalg.generic {indexing_maps = [#id2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%neg, %neg : tensor<2x4xf32>, tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32> loc("sum")
  return %row, %nflat, %sum : tensor<1x8xf32>, tensor<8xf32>, tensor<2x4xf32>
}

// -----

// A reshape in the chain that another op reads too keeps the op it
// reshapes a region of its own, and the returned reshape a step that
// copies.

#id1 = affine_map<(d0) -> (d0)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @shared_view(
// CHECK-NEXT: %[[G:.*]] = schedule.dispatch @cpu_0::@shared_view_dispatch_0(%{{.*}}) step("g") : {{.*}} -> tensor<2x4xf32>
// CHECK-NEXT: %[[R:.*]] = schedule.dispatch @cpu_0::@shared_view_dispatch_1(%[[G]]) step("shared_view_dispatch_1") : {{.*}} -> tensor<1x8xf32>
// CHECK-NEXT: %[[H:.*]] = schedule.dispatch @cpu_0::@shared_view_dispatch_2(%[[G]]) step("h") : {{.*}} -> tensor<8xf32>
// CHECK-NEXT: return %[[R]], %[[H]]
func.func @shared_view(%c: tensor<2x4xf32>) -> (tensor<1x8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<2x4xf32>
  %g = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%c : tensor<2x4xf32>) outs(%e : tensor<2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<2x4xf32> loc("g")
  %flat = tensor.collapse_shape %g [[0, 1]] : tensor<2x4xf32> into tensor<8xf32>
  %row = tensor.expand_shape %flat [[0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
  %e8 = tensor.empty() : tensor<8xf32>
  %h = linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%flat : tensor<8xf32>) outs(%e8 : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %x = arith.mulf %in, %in : f32
    linalg.yield %x : f32
  } -> tensor<8xf32> loc("h")
  return %row, %h : tensor<1x8xf32>, tensor<8xf32>
}

// -----

// Only tensors cross between steps: a loop that makes a scalar runs in its
// user's step.

// CHECK-LABEL: func.func @scalar_dispatch_0(
// CHECK: scf.for
// CHECK: tensor.from_elements
// CHECK-LABEL: func.func @scalar(
// CHECK-NEXT: schedule.dispatch @cpu_0::@scalar_dispatch_0
// CHECK-NEXT: return
func.func @scalar(%x: tensor<4xf64>) -> tensor<f64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f64
  %p = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %one) -> (f64) {
    %v = tensor.extract %x[%i] : tensor<4xf64>
    %m = arith.mulf %acc, %v : f64
    scf.yield %m : f64
  }
  %t = tensor.from_elements %p : tensor<f64>
  return %t : tensor<f64>
}

// -----

// A scalar that two steps read crosses between them as a 0-d tensor.

// CHECK-LABEL: func.func @shared_scalar_dispatch_0(
// CHECK: %[[P:.*]] = scf.for
// CHECK: %[[B:.*]] = tensor.from_elements %[[P]] : tensor<f64>
// CHECK: return %[[B]] : tensor<f64>
// CHECK-LABEL: func.func @shared_scalar_dispatch_1(
// CHECK-SAME: %[[A:.*]]: tensor<f64>
// CHECK: %[[S:.*]] = tensor.extract %[[A]][] : tensor<f64>
// CHECK: tensor.from_elements %[[S]] : tensor<f64>
// CHECK-LABEL: func.func @shared_scalar(
// CHECK: %[[D:.*]] = schedule.dispatch @cpu_0::@shared_scalar_dispatch_0(%{{.*}}) step("shared_scalar_dispatch_0") : (tensor<4xf64>) -> tensor<f64>
// CHECK: schedule.dispatch @cpu_0::@shared_scalar_dispatch_1(%[[D]])
// CHECK: schedule.dispatch @cpu_0::@shared_scalar_dispatch_2(%[[D]])
func.func @shared_scalar(%x: tensor<4xf64>) -> (tensor<f64>, tensor<1xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f64
  %p = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %one) -> (f64) {
    %v = tensor.extract %x[%i] : tensor<4xf64>
    %m = arith.mulf %acc, %v : f64
    scf.yield %m : f64
  }
  %t = tensor.from_elements %p : tensor<f64>
  %u = tensor.from_elements %p : tensor<1xf64>
  return %t, %u : tensor<f64>, tensor<1xf64>
}

// -----

// An index crosses as an i64.

// CHECK-LABEL: func.func @shared_index_dispatch_0(
// CHECK: %[[N:.*]] = scf.for
// CHECK: %[[I:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: tensor.from_elements %[[I]] : tensor<i64>
// CHECK-LABEL: func.func @shared_index_dispatch_1(
// CHECK-SAME: %[[A:.*]]: tensor<i64>
// CHECK: %[[E:.*]] = tensor.extract %[[A]][] : tensor<i64>
// CHECK: arith.index_cast %[[E]] : i64 to index
func.func @shared_index(%x: tensor<4xf64>) -> (tensor<i64>, tensor<1xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %n = scf.for %i = %c0 to %c4 step %c1 iter_args(%a = %c0) -> (index) {
    %b = arith.addi %a, %c1 : index
    scf.yield %b : index
  }
  %i = arith.index_cast %n : index to i64
  %t = tensor.from_elements %i : tensor<i64>
  %u = tensor.from_elements %i : tensor<1xi64>
  return %t, %u : tensor<i64>, tensor<1xi64>
}

// -----

// A dense constant of 1 KiB or more stays in the host function and is
// read by its steps like any other buffer; a small one is recomputed by
// each region that reads it.
// CHECK-LABEL: func.func @weights_dispatch_0(
// CHECK-SAME: %{{.*}}: tensor<256xf32> {bufferization.writable = false}, %{{.*}}: tensor<256xf32> {bufferization.writable = false}) -> tensor<256xf32>
// CHECK-NOT: tensor<256xf32> = dense
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK-LABEL: func.func @weights(
// CHECK: %[[W:.*]] = arith.constant dense<"0x000040C0000000C0{{.*}}"> : tensor<256xf32>
// CHECK: schedule.dispatch @cpu_0::@weights_dispatch_0(%{{.*}}, %[[W]])
func.func @weights(%x: tensor<256xf32>) -> tensor<256xf32> {
  %w = arith.constant dense<"0x000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF000000000000803F0000004000004040000040C0000000C0000080BF00000000"> : tensor<256xf32>
  %s = arith.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %e = tensor.empty() : tensor<256xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0 mod 4)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %w, %s : tensor<256xf32>, tensor<256xf32>, tensor<4xf32>) outs(%e : tensor<256xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %n = arith.addf %m, %c : f32
    linalg.yield %n : f32
  } -> tensor<256xf32>
  return %0 : tensor<256xf32>
}
