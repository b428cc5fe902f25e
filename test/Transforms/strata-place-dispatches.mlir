// RUN: strata-opt %s --split-input-file --strata-place-dispatches="devices=cpu,null place=relu=1" | FileCheck %s
// RUN: strata-opt %s --split-input-file --strata-place-dispatches | FileCheck %s --check-prefix=NONE
// RUN: not strata-opt %s --strata-place-dispatches="devices=cpu,null place=scale=0" 2>&1 | FileCheck %s --check-prefix=EMPTY
// RUN: not strata-opt %s --split-input-file --strata-place-dispatches="devices=cpu,null place=relu=2" 2>&1 | FileCheck %s --check-prefix=SLOT
// RUN: not strata-opt %s --strata-place-dispatches="devices=cpu,null place=scale=1,relu=1" 2>&1 | FileCheck %s --check-prefix=LEFT
// RUN: not strata-opt %s --split-input-file --strata-place-dispatches="place=relu=1" 2>&1 | FileCheck %s --check-prefix=NODEVICES

// The relu step moves with its kernel to a new executable for slot 1; it
// reads the scale step's result through one copy to its device, and the
// input through another (inputs live on slot 0), made once though read
// twice.
// CHECK: schedule.executable @null_1 target("null") device(1) {
// CHECK-NEXT: schedule.export @relu(read, read, write)
// CHECK: func.func @relu(
// CHECK: schedule.executable @cpu_0 target("cpu") device(0) {
// CHECK-NEXT: schedule.export @scale(read, write)
// CHECK-NOT: @relu
// CHECK-LABEL: func.func @main(
// CHECK-SAME: %[[X:.*]]: tensor<4xf32>
// CHECK: %[[S:.*]] = schedule.dispatch @cpu_0::@scale(%[[X]]) step("scale")
// CHECK: %[[S1:.*]] = schedule.copy %[[S]] to device(1) step("relu/to_device_1")
// CHECK: %[[X1:.*]] = schedule.copy %[[X]] to device(1) step("relu/to_device_1")
// CHECK: %[[R:.*]] = schedule.dispatch @null_1::@relu(%[[S1]], %[[X1]]) step("relu")
// CHECK: return %[[R]]
// NONE-NOT: schedule.copy
// EMPTY: error: device 1 ('null') runs no step; place one there or drop the device
// SLOT: error: place 'relu=2' is not STEP=SLOT with a slot in [0, 2)
// LEFT: error: device 0 ('cpu') runs no step; place one there or drop the device
// NODEVICES: error: placing steps needs the devices to place them on
schedule.executable @cpu_0 target("cpu") device(0) {
  schedule.export @scale(read, write)
  schedule.export @relu(read, read, write)
  builtin.module {
    func.func @scale(%x: tensor<4xf32>) -> tensor<4xf32> {
      return %x : tensor<4xf32>
    }
    func.func @relu(%x: tensor<4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
      return %x : tensor<4xf32>
    }
  }
}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = schedule.dispatch @cpu_0::@scale(%x) step("scale") : (tensor<4xf32>) -> tensor<4xf32>
  %1 = schedule.dispatch @cpu_0::@relu(%0, %x) step("relu") : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}
