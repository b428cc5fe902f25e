// The reference for production_models.py's quantized chain: runs one ONNX
// model with onnxruntime-node's CPU provider (the one bench/ installs from
// npm) on one thread, on float32 .npy inputs, and writes each output as
// OUT_DIR/N.bin (raw little-endian float32) plus OUT_DIR/shapes.json.
//   node ort_reference.js MODEL.onnx OUT_DIR INPUT.npy...
'use strict';
const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');
const {readNpy} = require('../../bench/npy.js');

async function main() {
  const [model, outDir, ...inputs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu']});
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i], ort); });
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
