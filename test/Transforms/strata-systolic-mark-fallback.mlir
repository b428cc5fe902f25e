// RUN: strata-opt %s --strata-systolic-mark-fallback | FileCheck %s
// RUN: strata-opt %s --strata-systolic-mark-fallback --strata-place-dispatches="devices=systolic,cpu fallback-slot=1" | FileCheck %s --check-prefix=PLACED

// The dispatch whose kernel the array cannot map (an exp) is marked with
// the reason; the matmul is not. Placement then moves the marked one to
// the host slot and copies its input there.

#id = affine_map<(d0, d1) -> (d0, d1)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
module {
  schedule.executable @systolic_0 target("systolic") device(0) {
    schedule.export @mm(read, read, write)
    schedule.export @exp(read, write)
    builtin.module {
      func.func @mm(%a: tensor<4x8xf32> {bufferization.writable = false}, %b: tensor<8x4xf32> {bufferization.writable = false}) -> tensor<4x4xf32> {
        %zero = arith.constant 0.0 : f32
        %e = tensor.empty() : tensor<4x4xf32>
        %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
        %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<4x8xf32>, tensor<8x4xf32>) outs(%f : tensor<4x4xf32>) {
        ^bb0(%x: f32, %y: f32, %acc: f32):
          %m = arith.mulf %x, %y : f32
          %s = arith.addf %acc, %m : f32
          linalg.yield %s : f32
        } -> tensor<4x4xf32>
        return %r : tensor<4x4xf32>
      }
      func.func @exp(%x: tensor<4x4xf32> {bufferization.writable = false}) -> tensor<4x4xf32> {
        %e = tensor.empty() : tensor<4x4xf32>
        %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
        ^bb0(%v: f32, %o: f32):
          %y = math.exp %v : f32
          linalg.yield %y : f32
        } -> tensor<4x4xf32>
        return %r : tensor<4x4xf32>
      }
    }
  }
  func.func @main(%a: tensor<4x8xf32>, %b: tensor<8x4xf32>) -> tensor<4x4xf32> {
    // CHECK: schedule.dispatch @systolic_0::@mm(%{{.*}}, %{{.*}}) step("mm") :
    // CHECK-NOT: schedule.fallback
    // CHECK: schedule.dispatch @systolic_0::@exp(%{{.*}}) step("exp") {schedule.fallback = "{{.*}}the systolic target cannot run this linalg.generic in kernel 'exp': only matmuls and convolutions (f32 multiply-accumulates, or i8 ones into i32) run on the array"}
    %0 = schedule.dispatch @systolic_0::@mm(%a, %b) step("mm") : (tensor<4x8xf32>, tensor<8x4xf32>) -> tensor<4x4xf32>
    %1 = schedule.dispatch @systolic_0::@exp(%0) step("exp") : (tensor<4x4xf32>) -> tensor<4x4xf32>
    return %1 : tensor<4x4xf32>
  }
}

// PLACED: schedule.executable @cpu_1 target("cpu") device(1)
// PLACED-NEXT: schedule.export @exp(read, write)
// PLACED: schedule.executable @systolic_0 target("systolic") device(0)
// PLACED-NEXT: schedule.export @mm(read, read, write)
// PLACED-NOT: schedule.export
// PLACED: %[[MM:.*]] = schedule.dispatch @systolic_0::@mm
// PLACED: %[[COPY:.*]] = schedule.copy %[[MM]] to device(1) step("exp/to_device_1")
// PLACED: schedule.dispatch @cpu_1::@exp(%[[COPY]]) step("exp")
// PLACED-NOT: schedule.fallback
