// The reference for production_models.py's quantized chain: runs one ONNX
// model with onnxruntime-node's CPU provider (the one bench/ installs from
// npm) on one thread, on float32 .npy inputs, and writes each output as
// OUT_DIR/N.bin (raw little-endian float32) plus OUT_DIR/shapes.json.
//   node ort_reference.js MODEL.onnx OUT_DIR INPUT.npy...
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function readNpy(file) {
  const buf = fs.readFileSync(file);
  const headerLen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + headerLen);
  if (!header.includes("'descr': '<f4'"))
    throw new Error(`${file}: only little-endian float32 .npy inputs are supported`);
  const shape = header.match(/'shape': \(([^)]*)\)/)[1]
      .split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const offset = 10 + headerLen;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + offset,
      buf.byteOffset + buf.length));
  return new ort.Tensor('float32', data, shape);
}

async function main() {
  const [model, outDir, ...inputs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu']});
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i]); });
  const results = await session.run(feeds);
  const shapes = [];
  session.outputNames.forEach((name, i) => {
    const t = results[name];
    fs.writeFileSync(path.join(outDir, `${i}.bin`), Buffer.from(
        new Float32Array(t.data).buffer));
    shapes.push(t.dims.map(Number));
  });
  fs.writeFileSync(path.join(outDir, 'shapes.json'), JSON.stringify(shapes));
}
main().catch((e) => { console.error(e.message); process.exit(1); });
