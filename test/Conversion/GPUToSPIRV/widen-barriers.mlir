// RUN: strata-opt %s --strata-spirv-widen-barriers | FileCheck %s

// CHECK: spirv.ControlBarrier <Workgroup>, <Workgroup>, <AcquireRelease|UniformMemory|WorkgroupMemory>
spirv.module Logical GLSL450 {
  spirv.func @k() "None" {
    spirv.ControlBarrier <Workgroup>, <Workgroup>, <AcquireRelease|WorkgroupMemory>
    spirv.Return
  }
}
