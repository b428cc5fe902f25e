// What the array's mapping refuses for lack of room, of a zero padding or
// of a layout it can load, as the fallback mark says it: padding by a
// value, along a leading dimension or by an amount known only at run time;
// an added operand whose rows and columns are both strided (a batch
// matmul's, batch innermost), or whose pixels are transposed; and, on
// arrays too small for them, a padded row, and the tiles each dataflow
// needs.

// RUN: strata-opt %s --strata-systolic-mark-fallback | FileCheck %s --check-prefix=PADS
// PADS: step("pad_value") {schedule.fallback = "{{.*}}kernel 'pad_value': the array pads with zeros only"}
// PADS: step("pad_lead") {schedule.fallback = "{{.*}}kernel 'pad_lead': the array pads the last two dimensions only"}
// PADS: step("pad_dynamic") {schedule.fallback = "{{.*}}kernel 'pad_dynamic': the array pads by static amounts only"}
// PADS: schedule.dispatch @systolic_0::@pad_wide({{.*}}) step("pad_wide") :
// PADS: schedule.dispatch @systolic_0::@matmul({{.*}}) step("matmul") :
// PADS: step("strided_addend") {schedule.fallback = "{{.*}}kernel 'strided_addend': the addend after it has neither rows nor columns contiguous"}
// PADS: step("transposed_pixels") {schedule.fallback = "{{.*}}kernel 'transposed_pixels': the addend after it is not laid out by output pixel"}
// PADS: step("copy_i32") {schedule.fallback = "{{.*}}kernel 'copy_i32': the array copies f32, bf16 and i8 tensors, and an i8 array's i32 sums"}

// A ReLU with no contraction goes through the accumulator, whose values
// are f32: not a bf16 array's.
// RUN: printf '{"dtype": "bf16"}' > %t.bf16.json
// RUN: strata-opt %s --strata-systolic-mark-fallback=config=%t.bf16.json | FileCheck %s --check-prefix=BF16
// BF16: step("relu_bf16") {schedule.fallback = "{{.*}}kernel 'relu_bf16': the array adds and applies activations to f32 tensors"}

// RUN: printf '{"scratchpad_kib": 1}' > %t.narrow.json
// RUN: strata-opt %s --strata-systolic-mark-fallback=config=%t.narrow.json | FileCheck %s --check-prefix=NARROW
// NARROW: step("pad_wide") {schedule.fallback = "{{.*}}kernel 'pad_wide': a padded row does not fit half the scratchpad"}

// RUN: printf '{"rows": 128, "cols": 128, "scratchpad_kib": 1}' > %t.os-spad.json
// RUN: strata-opt %s --strata-systolic-mark-fallback=config=%t.os-spad.json | FileCheck %s --check-prefix=OSSPAD
// OSSPAD: step("matmul") {schedule.fallback = "{{.*}}kernel 'matmul': the scratchpad cannot hold a row of A and a column of B twice"}

// RUN: printf '{"accumulator_kib": 1}' > %t.os-acc.json
// RUN: strata-opt %s --strata-systolic-mark-fallback=config=%t.os-acc.json | FileCheck %s --check-prefix=OSACC
// OSACC: step("matmul") {schedule.fallback = "{{.*}}kernel 'matmul': the accumulator cannot hold one output tile"}

// RUN: printf '{"rows": 16, "cols": 16, "dataflow": "ws", "scratchpad_kib": 1}' > %t.ws-spad.json
// RUN: strata-opt %s --strata-systolic-mark-fallback=config=%t.ws-spad.json | FileCheck %s --check-prefix=WSSPAD
// WSSPAD: step("matmul") {schedule.fallback = "{{.*}}kernel 'matmul': the scratchpad cannot hold two stationary tiles and two streamed rows"}

// RUN: printf '{"rows": 4, "cols": 512, "dataflow": "ws", "scratchpad_kib": 32, "accumulator_kib": 1}' > %t.ws-acc.json
// RUN: strata-opt %s --strata-systolic-mark-fallback=config=%t.ws-acc.json | FileCheck %s --check-prefix=WSACC
// WSACC: step("matmul") {schedule.fallback = "{{.*}}kernel 'matmul': the accumulator cannot hold one row of outputs"}

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#ba = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#bb = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#bc = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#bid = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#binner = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
#ci = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 + d6, d4 + d7)>
#cw = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d2, d5, d6, d7)>
#co = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
#eid = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
#eswap = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4, d3)>
#c2 = affine_map<(d0, d1) -> (d0, d1)>
module {
  schedule.executable @systolic_0 target("systolic") device(0) {
    schedule.export @pad_value(read, write)
    schedule.export @pad_lead(read, write)
    schedule.export @pad_dynamic(read, write)
    schedule.export @pad_wide(read, write)
    schedule.export @matmul(read, read, write)
    schedule.export @strided_addend(read, read, read, write)
    schedule.export @transposed_pixels(read, read, read, write)
    schedule.export @copy_i32(read, write)
    schedule.export @relu_bf16(read, write)
    builtin.module {
      func.func @pad_value(%x: tensor<2x4x4xf32>) -> tensor<2x6x6xf32> {
        %one = arith.constant 1.000000e+00 : f32
        %0 = tensor.pad %x low[0, 1, 1] high[0, 1, 1] {
        ^bb0(%i: index, %j: index, %k: index):
          tensor.yield %one : f32
        } : tensor<2x4x4xf32> to tensor<2x6x6xf32>
        return %0 : tensor<2x6x6xf32>
      }
      func.func @pad_lead(%x: tensor<2x4x4xf32>) -> tensor<4x4x4xf32> {
        %zero = arith.constant 0.000000e+00 : f32
        %0 = tensor.pad %x low[1, 0, 0] high[1, 0, 0] {
        ^bb0(%i: index, %j: index, %k: index):
          tensor.yield %zero : f32
        } : tensor<2x4x4xf32> to tensor<4x4x4xf32>
        return %0 : tensor<4x4x4xf32>
      }
      func.func @pad_dynamic(%x: tensor<2x4x4xf32>) -> tensor<2x6x6xf32> {
        %zero = arith.constant 0.000000e+00 : f32
        %c1 = arith.constant 1 : index
        %0 = tensor.pad %x low[0, %c1, 1] high[0, 1, 1] {
        ^bb0(%i: index, %j: index, %k: index):
          tensor.yield %zero : f32
        } : tensor<2x4x4xf32> to tensor<2x6x6xf32>
        return %0 : tensor<2x6x6xf32>
      }
      func.func @pad_wide(%x: tensor<1x2x128xf32>) -> tensor<1x4x130xf32> {
        %zero = arith.constant 0.000000e+00 : f32
        %0 = tensor.pad %x low[0, 1, 1] high[0, 1, 1] {
        ^bb0(%i: index, %j: index, %k: index):
          tensor.yield %zero : f32
        } : tensor<1x2x128xf32> to tensor<1x4x130xf32>
        return %0 : tensor<1x4x130xf32>
      }
      func.func @matmul(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>) -> tensor<4x5xf32> {
        %zero = arith.constant 0.000000e+00 : f32
        %e = tensor.empty() : tensor<4x5xf32>
        %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x5xf32>) -> tensor<4x5xf32>
        %y = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x6xf32>, tensor<6x5xf32>) outs(%f : tensor<4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %0 = arith.mulf %in, %in_0 : f32
          %1 = arith.addf %out, %0 : f32
          linalg.yield %1 : f32
        } -> tensor<4x5xf32>
        return %y : tensor<4x5xf32>
      }
      func.func @strided_addend(%x: tensor<2x4x6xf32>, %w: tensor<2x6x5xf32>, %r: tensor<4x5x2xf32>) -> tensor<2x4x5xf32> {
        %zero = arith.constant 0.000000e+00 : f32
        %e = tensor.empty() : tensor<2x4x5xf32>
        %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
        %y = linalg.generic {indexing_maps = [#ba, #bb, #bc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<2x4x6xf32>, tensor<2x6x5xf32>) outs(%f : tensor<2x4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %0 = arith.mulf %in, %in_0 : f32
          %1 = arith.addf %out, %0 : f32
          linalg.yield %1 : f32
        } -> tensor<2x4x5xf32>
        %z = linalg.generic {indexing_maps = [#bid, #binner, #bid], iterator_types = ["parallel", "parallel", "parallel"]} ins(%y, %r : tensor<2x4x5xf32>, tensor<4x5x2xf32>) outs(%e : tensor<2x4x5xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %0 = arith.addf %in, %in_0 : f32
          linalg.yield %0 : f32
        } -> tensor<2x4x5xf32>
        return %z : tensor<2x4x5xf32>
      }
      func.func @transposed_pixels(%x: tensor<1x1x2x6x6xf32>, %w: tensor<1x4x2x3x3xf32>, %r: tensor<1x1x4x4x4xf32>) -> tensor<1x1x4x4x4xf32> {
        %zero = arith.constant 0.000000e+00 : f32
        %e = tensor.empty() : tensor<1x1x4x4x4xf32>
        %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x1x4x4x4xf32>) -> tensor<1x1x4x4x4xf32>
        %y = linalg.generic {indexing_maps = [#ci, #cw, #co], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x1x2x6x6xf32>, tensor<1x4x2x3x3xf32>) outs(%f : tensor<1x1x4x4x4xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %0 = arith.mulf %in, %in_0 : f32
          %1 = arith.addf %out, %0 : f32
          linalg.yield %1 : f32
        } -> tensor<1x1x4x4x4xf32>
        %z = linalg.generic {indexing_maps = [#eid, #eswap, #eid], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%y, %r : tensor<1x1x4x4x4xf32>, tensor<1x1x4x4x4xf32>) outs(%e : tensor<1x1x4x4x4xf32>) {
        ^bb0(%in: f32, %in_0: f32, %out: f32):
          %0 = arith.addf %in, %in_0 : f32
          linalg.yield %0 : f32
        } -> tensor<1x1x4x4x4xf32>
        return %z : tensor<1x1x4x4x4xf32>
      }
      func.func @copy_i32(%x: tensor<2x3xi32>) -> tensor<6xi32> {
        %0 = tensor.collapse_shape %x [[0, 1]] : tensor<2x3xi32> into tensor<6xi32>
        return %0 : tensor<6xi32>
      }
      func.func @relu_bf16(%x: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
        %zero = arith.constant 0.000000e+00 : bf16
        %e = tensor.empty() : tensor<2x3xbf16>
        %0 = linalg.generic {indexing_maps = [#c2, #c2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xbf16>) outs(%e : tensor<2x3xbf16>) {
        ^bb0(%in: bf16, %out: bf16):
          %1 = arith.maximumf %in, %zero : bf16
          linalg.yield %1 : bf16
        } -> tensor<2x3xbf16>
        return %0 : tensor<2x3xbf16>
      }
    }
  }
  func.func @m(%x: tensor<2x4x4xf32>, %r: tensor<1x2x128xf32>, %a: tensor<4x6xf32>, %w: tensor<6x5xf32>, %ba: tensor<2x4x6xf32>, %bw: tensor<2x6x5xf32>, %br: tensor<4x5x2xf32>, %ci: tensor<1x1x2x6x6xf32>, %cw: tensor<1x4x2x3x3xf32>, %cr: tensor<1x1x4x4x4xf32>, %i: tensor<2x3xi32>, %h: tensor<2x3xbf16>) -> (tensor<2x6x6xf32>, tensor<4x4x4xf32>, tensor<2x6x6xf32>, tensor<1x4x130xf32>, tensor<4x5xf32>, tensor<2x4x5xf32>, tensor<1x1x4x4x4xf32>, tensor<6xi32>, tensor<2x3xbf16>) {
    %0 = schedule.dispatch @systolic_0::@pad_value(%x) step("pad_value") : (tensor<2x4x4xf32>) -> tensor<2x6x6xf32>
    %1 = schedule.dispatch @systolic_0::@pad_lead(%x) step("pad_lead") : (tensor<2x4x4xf32>) -> tensor<4x4x4xf32>
    %2 = schedule.dispatch @systolic_0::@pad_dynamic(%x) step("pad_dynamic") : (tensor<2x4x4xf32>) -> tensor<2x6x6xf32>
    %3 = schedule.dispatch @systolic_0::@pad_wide(%r) step("pad_wide") : (tensor<1x2x128xf32>) -> tensor<1x4x130xf32>
    %4 = schedule.dispatch @systolic_0::@matmul(%a, %w) step("matmul") : (tensor<4x6xf32>, tensor<6x5xf32>) -> tensor<4x5xf32>
    %5 = schedule.dispatch @systolic_0::@strided_addend(%ba, %bw, %br) step("strided_addend") : (tensor<2x4x6xf32>, tensor<2x6x5xf32>, tensor<4x5x2xf32>) -> tensor<2x4x5xf32>
    %6 = schedule.dispatch @systolic_0::@transposed_pixels(%ci, %cw, %cr) step("transposed_pixels") : (tensor<1x1x2x6x6xf32>, tensor<1x4x2x3x3xf32>, tensor<1x1x4x4x4xf32>) -> tensor<1x1x4x4x4xf32>
    %7 = schedule.dispatch @systolic_0::@copy_i32(%i) step("copy_i32") : (tensor<2x3xi32>) -> tensor<6xi32>
    %8 = schedule.dispatch @systolic_0::@relu_bf16(%h) step("relu_bf16") : (tensor<2x3xbf16>) -> tensor<2x3xbf16>
    return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<2x6x6xf32>, tensor<4x4x4xf32>, tensor<2x6x6xf32>, tensor<1x4x130xf32>, tensor<4x5xf32>, tensor<2x4x5xf32>, tensor<1x1x4x4x4xf32>, tensor<6xi32>, tensor<2x3xbf16>
  }
}
