// The seed's own signing algorithm (Rule A as its JavaScript writes it), timed with Node's
// crypto on the same inputs as the Rust benchmarks. Reads the inputs as JSON on stdin
// (`latipay-bench inputs`), checks each signature against the documented one, and prints
// `node_<case>_ns<TAB>nanoseconds per signature`.
'use strict';
const crypto = require('crypto');

function seedSign(data, apiKey) {
  const message = Object.keys(data)
    .filter(item => data[item] != null && data[item] != undefined && data[item] !== '')
    .sort()
    .map(item => `${item}=${data[item]}`)
    .join('&')
    .concat(apiKey);
  return crypto.createHmac('sha256', apiKey).update(message).digest('hex');
}

function time(fn, ms) {
  // Warm up (JIT), then the median of timed batches.
  const warmEnd = process.hrtime.bigint() + BigInt(ms / 4) * 1000000n;
  while (process.hrtime.bigint() < warmEnd) fn();
  const batches = [];
  const end = process.hrtime.bigint() + BigInt(ms) * 1000000n;
  while (process.hrtime.bigint() < end) {
    const n = 2000;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    batches.push(Number(process.hrtime.bigint() - t0) / n);
  }
  batches.sort((a, b) => a - b);
  return batches[Math.floor(batches.length / 2)];
}

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
for (const c of input.cases) {
  const got = seedSign(c.data, input.api_key);
  if (got !== c.signature) {
    console.error(`node: ${c.name}: signature ${got}, documented ${c.signature}`);
    process.exit(1);
  }
  let sink = 0;
  const ns = time(() => { sink += seedSign(c.data, input.api_key).length; }, 2000);
  if (sink === 0) process.exit(1);
  console.log(`node_${c.name}_ns\t${ns.toFixed(1)}`);
}
