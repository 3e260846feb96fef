// The OpenAPI document against reality (issue 16, docs/openapi.md):
//
//   node openapi.test.mjs lint BINARY OUT_DIR
//     starts the built binary on port 0, fetches /v1/openapi.json, saves it as OUT_DIR/openapi.json
//     and lints it with Redocly's recommended rules, every one an error (redocly.yaml).
//   node openapi.test.mjs responses BINARY EXCHANGE_DIR
//     validates every exchange the integration suites recorded in EXCHANGE_DIR/*.jsonl
//     (FERR_EXCHANGE_LOG_DIR, tests/support/http_client.cpp) against the document the same
//     binary serves: status documented for the operation, documented headers present, body
//     valid against its schema. No exchange at all is a failure: the check would prove nothing.
//
// Exits 0 only when everything conforms; the server is stopped at the end in every case.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { startServer as launch, stopServer as stop } from '../support/server.mjs';
import { ResponseChecker } from './responses.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [mode, binary, dir] = process.argv.slice(2);
if (!['lint', 'responses'].includes(mode) || !binary || !dir) {
  console.error('usage: openapi.test.mjs lint|responses BINARY DIR');
  process.exit(2);
}

process.exitCode = 1; // only a run that reaches the end passes
const tmp = mkdtempSync(path.join(tmpdir(), 'ferr-openapi-'));
let server = null;
process.on('exit', () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
setTimeout(() => {
  console.error('not ok - the test did not finish within 240 s');
  process.exit(1);
}, 240_000).unref();

function startServer() {
  const env = {
    ...process.env,
    FERRLABS_LISTEN: '127.0.0.1:0',
    DATABASE_URL: `sqlite:${path.join(tmp, 'ferrlabs.db')}`,
    FERRLABS_MAIL: `file:${path.join(tmp, 'mail')}`,
    FERRLABS_TELEMETRY_SALT: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
    JWT_SECRET: 'openapi-test-secret-0123456789abcdefghij', // 40 characters
  };
  return launch(binary, { cwd: tmp, env, onStart: (child) => (server = child) }).then(
    ({ port }) => port,
  );
}

async function stopServer() {
  await stop(server);
  server = null;
}

async function fetchDocument() {
  const port = await startServer();
  const response = await fetch(`http://127.0.0.1:${port}/v1/openapi.json`);
  const text = await response.text();
  await stopServer();
  if (response.status !== 200) throw new Error(`GET /v1/openapi.json answered ${response.status}`);
  return text;
}

async function lint() {
  const text = await fetchDocument();
  const file = path.join(dir, 'openapi.json');
  writeFileSync(file, text);
  const redocly = path.join(here, 'node_modules', '.bin', 'redocly');
  try {
    const { stdout, stderr } = await promisify(execFile)(
      redocly, ['lint', '--config', path.join(here, 'redocly.yaml'), '--format', 'stylish', file],
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
    console.log(stdout.trim());
    console.log(stderr.split('\n').filter((l) => /valid|warning|error/i.test(l)).join('\n'));
    console.log(`ok - redocly lint: ${file}`);
    return true;
  } catch (error) {
    console.log(`${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    console.log(`not ok - redocly lint found problems in ${file}`);
    return false;
  }
}

async function responses() {
  const checker = new ResponseChecker(JSON.parse(await fetchDocument()));
  const files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  let total = 0;
  const problems = new Map(); // "label: problem" → [count, example target]
  for (const file of files) {
    const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
    for (const [index, line] of lines.entries()) {
      if (line === '') continue;
      total += 1;
      let exchange;
      try {
        exchange = JSON.parse(line);
      } catch {
        problems.set(`${file}:${index + 1}: not one JSON record per line`, [1, '(unreadable)']);
        continue;
      }
      const { label, problems: found } = checker.check(exchange);
      for (const problem of found) {
        const key = `${label}: ${problem}`;
        const seen = problems.get(key) ?? [0, exchange.target];
        seen[0] += 1;
        problems.set(key, seen);
      }
    }
  }
  const unexercised = checker.unexercised();
  console.log(`${total} responses recorded in ${files.length} files; ` +
              `${unexercised.length} operations not exercised: ${unexercised.join(', ')}`);
  for (const [key, [count, target]] of problems) {
    console.log(`not ok - ${key} (${count}×, e.g. ${target})`);
  }
  if (total === 0) {
    console.log('not ok - no exchange was recorded: run this test with the integration suites');
    return false;
  }
  console.log(`${problems.size === 0 ? 'ok' : 'not ok'} - every response conforms to the document`);
  return problems.size === 0;
}

const passed = mode === 'lint' ? await lint() : await responses();
process.exitCode = passed ? 0 : 1;
process.exit();
