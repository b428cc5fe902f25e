// Times one ONNX model with onnxruntime-node's CPU provider, with THREADS
// intra-op threads, on the inputs given as .npy files; prints the median
// latency in milliseconds as JSON. Used by models.py as the peer of
// strata-run.
//   node ort_bench.js MODEL.onnx RUNS THREADS INPUT.npy...
'use strict';
const ort = require('onnxruntime-node');
const {readNpy} = require('./npy.js');

async function main() {
  const [model, runsArg, threadsArg, ...inputs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threadsArg), interOpNumThreads: 1,
    executionProviders: ['cpu'], graphOptimizationLevel: 'all'});
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(inputs[i], ort); });
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
