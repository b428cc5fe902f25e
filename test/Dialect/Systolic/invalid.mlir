// RUN: strata-opt %s --split-input-file --verify-diagnostics

// Each op's verifier against the array its module names.

func.func @no_array() {
  // expected-error @+1 {{'systolic.config' op is not inside a module with a systolic.array attribute}}
  systolic.config os f32 activation none scale 1.0 out f32
  return
}

// -----

// expected-error @+1 {{systolic.array needs rows from 1 to 4096}}
module attributes {systolic.array = {rows = 0 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
}

// -----

// expected-error @+1 {{systolic.array needs dataflow "os", "ws" or "is"}}
module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "rs", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.config' op sets dataflow ws on an array built for os}}
    systolic.config ws f32 activation none scale 1.0 out f32
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.config' op has a scale that is zero or not finite}}
    systolic.config os f32 activation none scale 0.0 out f32
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%a: memref<64x64xf32>) {
    // expected-error @+1 {{'systolic.mvin' op its SRAM tile ends at element 1088, past the 1024 the SRAM holds}}
    systolic.mvin %a[0] stride 256 to spad[0] stride 64 tile [17, 64] : memref<64x64xf32>
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%a: memref<8x8xf32>) {
    // expected-error @+1 {{'systolic.mvin' op its SRAM tile rows overlap (stride 4 < 8 columns)}}
    systolic.mvin %a[0] stride 32 to spad[0] stride 4 tile [8, 8] : memref<8x8xf32>
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%a: memref<8x8xf32>) {
    // expected-error @+1 {{'systolic.mvin' op reaches byte 260 of a 256-byte binding}}
    systolic.mvin %a[4] stride 32 to spad[0] stride 8 tile [8, 8] : memref<8x8xf32>
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%a: memref<8x8xbf16>) {
    // expected-error @+1 {{'systolic.mvin' op moves 2-byte elements into the accumulator, which holds 4-byte ones}}
    systolic.mvin %a[0] stride 16 to acc[0] stride 8 tile [8, 8] : memref<8x8xbf16>
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%y: memref<8x8xf32>) {
    // expected-error @+1 {{'systolic.mvout' op writes DRAM rows that overlap (stride 16 < 32 bytes)}}
    systolic.mvout acc[0] stride 8 tile [8, 8] to %y[0] stride 16 : memref<8x8xf32>
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.preload' op on an output-stationary array, which keeps no operand in its PEs}}
    systolic.preload spad[0] stride 8 tile [8, 8]
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "ws", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.preload' op preloads a 9x8 operand that does not fit the 8x8 array}}
    systolic.preload spad[0] stride 9 tile [8, 9] transposed
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.compute' op computes a 9x8 output tile that does not fit the 8x8 array}}
    systolic.compute a[0, 4] b[64, 8] c[0, 8] mkn [9, 4, 8]
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "ws", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.compute' op gives B an address; on a weight-stationary array it comes from the preload}}
    systolic.compute a[0, 4] b[64, 8] c[0, 8] mkn [9, 4, 8]
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "is", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.compute' op gives A an address; on an input-stationary array it comes from the preload}}
    systolic.compute a[0, 4] b[64, 8] c[0, 8] mkn [8, 4, 8] transpose_a
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.compute' op its C tile ends at element 264, past the 256 the SRAM holds}}
    systolic.compute a[0, 4] b[64, 8] c[200, 8] mkn [8, 4, 8]
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  // expected-error @+1 {{argument 0: systolic.role must be "ifmap", "filter" or "ofmap"}}
  func.func @k(%a: memref<8xf32> {systolic.role = "weights"}) {
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%x: memref<1x3x9x9xf32>) {
    // expected-error @+1 {{'systolic.im2col' op reads pixel (10, 8) outside its 9x9 image}}
    systolic.im2col %x[0] image [9, 9] window [3, 3] stride [2, 2] dilation [1, 1] out_width 4 taps [0, 27] pixels [0, 20] to spad[0] stride 20 : memref<1x3x9x9xf32>
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%x: memref<1x3x9x9xf32>) {
    // expected-error @+1 {{'systolic.im2col' op reaches byte 1296 of a 972-byte binding}}
    systolic.im2col %x[0] image [9, 9] window [3, 3] stride [2, 2] dilation [1, 1] out_width 4 taps [0, 28] pixels [0, 16] to spad[0] stride 16 : memref<1x3x9x9xf32>
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k() {
    // expected-error @+1 {{'systolic.zero' op its SRAM tile ends at element 4104, past the 4096 the SRAM holds}}
    systolic.zero spad[4000] stride 8 tile [13, 8]
    return
  }
}

// -----

module attributes {systolic.array = {rows = 8 : i64, cols = 8 : i64, dataflow = "os", scratchpad_bytes = 4096 : i64, accumulator_bytes = 1024 : i64}} {
  func.func @k(%a: memref<8x8xf32>) {
    // expected-error @+1 {{'systolic.mvin' op adds to the scratchpad; only the accumulator accumulates}}
    systolic.mvin %a[0] stride 32 to spad[0] stride 8 tile [8, 8] accumulate : memref<8x8xf32>
    return
  }
}
