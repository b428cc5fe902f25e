// Reads a little-endian float32 .npy file as an onnxruntime tensor; shared
// by ort_bench.js and the tests' reference runner (test/e2e).
'use strict';
const fs = require('fs');

function readNpy(path, ort) {
  const buf = fs.readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  if (!header.includes("'descr': '<f4'"))
    throw new Error(`${path}: only little-endian float32 .npy inputs are supported`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1]
      .split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const offset = 10 + headerLen;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + offset,
      buf.byteOffset + buf.length));
  return new ort.Tensor('float32', data, shape);
}

module.exports = {readNpy};
