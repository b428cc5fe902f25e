// RUN: printf '{"dtype": "i8"}' > %t.json
// RUN: strata-opt %s --strata-systolic-mark-fallback=config=%t.json | FileCheck %s

// On an i8 array: a matmul with its requantization to i8 runs on the
// array; one whose clip has two upper bounds and no lower one is no
// requantization the array applies, so it falls back.

// CHECK: schedule.dispatch @systolic_0::@requant(%{{.*}}) step("requant") :
// CHECK: step("two_mins") {schedule.fallback = "{{.*}}kernel 'two_mins': only matmuls and convolutions (f32 multiply-accumulates, or i8 ones into i32) run on the array"}

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
module {
  schedule.executable @systolic_0 target("systolic") device(0) {
    schedule.export @requant(read, read, write)
    schedule.export @two_mins(read, read, write)
    builtin.module {
      func.func @requant(%x: tensor<4x6xi8>, %w: tensor<6x5xi8>) -> tensor<4x5xi8> {
        %zero = arith.constant 0 : i32
        %scale = arith.constant 2.500000e-01 : f32
        %lo = arith.constant -1.280000e+02 : f32
        %hi = arith.constant 1.270000e+02 : f32
        %e = tensor.empty() : tensor<4x5xi32>
        %f = linalg.fill ins(%zero : i32) outs(%e : tensor<4x5xi32>) -> tensor<4x5xi32>
        %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x6xi8>, tensor<6x5xi8>) outs(%f : tensor<4x5xi32>) {
        ^bb0(%in: i8, %in_0: i8, %out: i32):
          %0 = arith.extsi %in : i8 to i32
          %1 = arith.extsi %in_0 : i8 to i32
          %2 = arith.muli %0, %1 : i32
          %3 = arith.addi %out, %2 : i32
          linalg.yield %3 : i32
        } -> tensor<4x5xi32>
        %e8 = tensor.empty() : tensor<4x5xi8>
        %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<4x5xi32>) outs(%e8 : tensor<4x5xi8>) {
        ^bb0(%in: i32, %out: i8):
          %0 = arith.sitofp %in : i32 to f32
          %1 = arith.mulf %0, %scale : f32
          %2 = math.roundeven %1 : f32
          %3 = arith.minimumf %2, %hi : f32
          %4 = arith.maximumf %3, %lo : f32
          %5 = arith.fptosi %4 : f32 to i8
          linalg.yield %5 : i8
        } -> tensor<4x5xi8>
        return %q : tensor<4x5xi8>
      }
      func.func @two_mins(%x: tensor<4x6xi8>, %w: tensor<6x5xi8>) -> tensor<4x5xi8> {
        %zero = arith.constant 0 : i32
        %scale = arith.constant 2.500000e-01 : f32
        %zf = arith.constant 0.000000e+00 : f32
        %hi = arith.constant 1.270000e+02 : f32
        %e = tensor.empty() : tensor<4x5xi32>
        %f = linalg.fill ins(%zero : i32) outs(%e : tensor<4x5xi32>) -> tensor<4x5xi32>
        %mm = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x6xi8>, tensor<6x5xi8>) outs(%f : tensor<4x5xi32>) {
        ^bb0(%in: i8, %in_0: i8, %out: i32):
          %0 = arith.extsi %in : i8 to i32
          %1 = arith.extsi %in_0 : i8 to i32
          %2 = arith.muli %0, %1 : i32
          %3 = arith.addi %out, %2 : i32
          linalg.yield %3 : i32
        } -> tensor<4x5xi32>
        %e8 = tensor.empty() : tensor<4x5xi8>
        %q = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%mm : tensor<4x5xi32>) outs(%e8 : tensor<4x5xi8>) {
        ^bb0(%in: i32, %out: i8):
          %0 = arith.sitofp %in : i32 to f32
          %1 = arith.mulf %0, %scale : f32
          %2 = math.roundeven %1 : f32
          %3 = arith.minimumf %2, %hi : f32
          %4 = arith.minimumf %3, %zf : f32
          %5 = arith.fptosi %4 : f32 to i8
          linalg.yield %5 : i8
        } -> tensor<4x5xi8>
        return %q : tensor<4x5xi8>
      }
    }
  }
  func.func @m(%x: tensor<4x6xi8>, %w: tensor<6x5xi8>) -> (tensor<4x5xi8>, tensor<4x5xi8>) {
    %0 = schedule.dispatch @systolic_0::@requant(%x, %w) step("requant") : (tensor<4x6xi8>, tensor<6x5xi8>) -> tensor<4x5xi8>
    %1 = schedule.dispatch @systolic_0::@two_mins(%x, %w) step("two_mins") : (tensor<4x6xi8>, tensor<6x5xi8>) -> tensor<4x5xi8>
    return %0, %1 : tensor<4x5xi8>, tensor<4x5xi8>
  }
}
