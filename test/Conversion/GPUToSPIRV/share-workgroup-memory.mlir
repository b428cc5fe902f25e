// RUN: strata-opt %s --strata-spirv-share-workgroup-memory | FileCheck %s

// Two kernels' buffers share variables: per element type, the i-th
// largest of each kernel's is one variable as long as the largest of
// them (f32: 64 and 32 of @a with 48 of @b, i32: 16 of @b alone). A
// variable both kernels use stays its own.
// CHECK: spirv.GlobalVariable @__workgroup_shared__0 : !spirv.ptr<!spirv.struct<(!spirv.array<64 x f32>)>, Workgroup>
// CHECK: spirv.GlobalVariable @__workgroup_shared__1 : !spirv.ptr<!spirv.struct<(!spirv.array<32 x f32>)>, Workgroup>
// CHECK: spirv.GlobalVariable @__workgroup_shared__2 : !spirv.ptr<!spirv.struct<(!spirv.array<16 x i32>)>, Workgroup>
// CHECK-NOT: @__workgroup_mem__0
// CHECK-NOT: @__workgroup_mem__1
// CHECK-NOT: @__workgroup_mem__2
// CHECK: spirv.GlobalVariable @__workgroup_mem__3 : !spirv.ptr<!spirv.struct<(!spirv.array<8 x f32>)>, Workgroup>
// CHECK-NOT: @__workgroup_mem__4
// CHECK-LABEL: spirv.func @a
// CHECK: spirv.mlir.addressof @__workgroup_shared__1 : !spirv.ptr<!spirv.struct<(!spirv.array<32 x f32>)>, Workgroup>
// CHECK: spirv.mlir.addressof @__workgroup_shared__0 : !spirv.ptr<!spirv.struct<(!spirv.array<64 x f32>)>, Workgroup>
// CHECK: spirv.mlir.addressof @__workgroup_mem__3
// CHECK-LABEL: spirv.func @b
// CHECK: spirv.mlir.addressof @__workgroup_shared__0
// CHECK: spirv.mlir.addressof @__workgroup_shared__2
// CHECK: spirv.mlir.addressof @__workgroup_mem__3
spirv.module Logical GLSL450 {
  spirv.GlobalVariable @__workgroup_mem__0 : !spirv.ptr<!spirv.struct<(!spirv.array<32 x f32>)>, Workgroup>
  spirv.GlobalVariable @__workgroup_mem__1 : !spirv.ptr<!spirv.struct<(!spirv.array<64 x f32>)>, Workgroup>
  spirv.GlobalVariable @__workgroup_mem__2 : !spirv.ptr<!spirv.struct<(!spirv.array<48 x f32>)>, Workgroup>
  spirv.GlobalVariable @__workgroup_mem__3 : !spirv.ptr<!spirv.struct<(!spirv.array<8 x f32>)>, Workgroup>
  spirv.GlobalVariable @__workgroup_mem__4 : !spirv.ptr<!spirv.struct<(!spirv.array<16 x i32>)>, Workgroup>
  spirv.func @a() "None" {
    %zero = spirv.Constant 0 : i32
    %one = spirv.Constant 1.0 : f32
    %p = spirv.mlir.addressof @__workgroup_mem__0 : !spirv.ptr<!spirv.struct<(!spirv.array<32 x f32>)>, Workgroup>
    %q = spirv.mlir.addressof @__workgroup_mem__1 : !spirv.ptr<!spirv.struct<(!spirv.array<64 x f32>)>, Workgroup>
    %r = spirv.mlir.addressof @__workgroup_mem__3 : !spirv.ptr<!spirv.struct<(!spirv.array<8 x f32>)>, Workgroup>
    %pe = spirv.AccessChain %p[%zero, %zero] : !spirv.ptr<!spirv.struct<(!spirv.array<32 x f32>)>, Workgroup>, i32, i32 -> !spirv.ptr<f32, Workgroup>
    spirv.Store "Workgroup" %pe, %one : f32
    %qe = spirv.AccessChain %q[%zero, %zero] : !spirv.ptr<!spirv.struct<(!spirv.array<64 x f32>)>, Workgroup>, i32, i32 -> !spirv.ptr<f32, Workgroup>
    spirv.Store "Workgroup" %qe, %one : f32
    %re = spirv.AccessChain %r[%zero, %zero] : !spirv.ptr<!spirv.struct<(!spirv.array<8 x f32>)>, Workgroup>, i32, i32 -> !spirv.ptr<f32, Workgroup>
    spirv.Store "Workgroup" %re, %one : f32
    spirv.Return
  }
  spirv.func @b() "None" {
    %zero = spirv.Constant 0 : i32
    %one = spirv.Constant 1.0 : f32
    %p = spirv.mlir.addressof @__workgroup_mem__2 : !spirv.ptr<!spirv.struct<(!spirv.array<48 x f32>)>, Workgroup>
    %pe = spirv.AccessChain %p[%zero, %zero] : !spirv.ptr<!spirv.struct<(!spirv.array<48 x f32>)>, Workgroup>, i32, i32 -> !spirv.ptr<f32, Workgroup>
    spirv.Store "Workgroup" %pe, %one : f32
    %i = spirv.mlir.addressof @__workgroup_mem__4 : !spirv.ptr<!spirv.struct<(!spirv.array<16 x i32>)>, Workgroup>
    %ie = spirv.AccessChain %i[%zero, %zero] : !spirv.ptr<!spirv.struct<(!spirv.array<16 x i32>)>, Workgroup>, i32, i32 -> !spirv.ptr<i32, Workgroup>
    spirv.Store "Workgroup" %ie, %zero : i32
    %r = spirv.mlir.addressof @__workgroup_mem__3 : !spirv.ptr<!spirv.struct<(!spirv.array<8 x f32>)>, Workgroup>
    %re = spirv.AccessChain %r[%zero, %zero] : !spirv.ptr<!spirv.struct<(!spirv.array<8 x f32>)>, Workgroup>, i32, i32 -> !spirv.ptr<f32, Workgroup>
    spirv.Store "Workgroup" %re, %one : f32
    spirv.Return
  }
}
