// Times one ONNX model with onnxruntime-node's CPU provider, with THREADS
// intra-op threads, on the inputs given as .npy files; prints the median
// latency in milliseconds as JSON. Used by models.py as the peer of
// strata-run.
//   node ort_bench.js MODEL.onnx RUNS THREADS INPUT.npy...
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function readNpy(path) {
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

async function main() {
  const [model, runsArg, threadsArg, ...inputs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threadsArg), interOpNumThreads: 1,
    executionProviders: ['cpu'], graphOptimizationLevel: 'all'});
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i]); });
  await session.run(feeds);  // warm-up
  const times = [];
  for (let i = 0; i < Number(runsArg); ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({median_ms: times[Math.floor(times.length / 2)]}));
}

main().catch((e) => { console.error(`ort_bench.js: error: ${e.message}`); process.exit(1); });
