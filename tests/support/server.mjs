// The built binary as the node test scripts (tests/browser, tests/openapi) run it: `serve` on
// port 0 with the given environment, resolved with the port of its "listening" log line.

import { spawn } from 'node:child_process';

/// Starts `binary serve` in `cwd` with `env`; resolves `{ child, port }`, rejects when the
/// server exits first or says nothing within 20 s. `onStart(child)` sees the child at once, so a
/// caller can kill it on exit even if the start fails.
export function startServer(binary, { cwd, env, onStart = () => {} }) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve'], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    onStart(child);
    const timer = setTimeout(() => reject(new Error('no "listening" line within 20 s')), 20_000);
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      pending += chunk;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'listening') {
            clearTimeout(timer);
            resolve({ child, port: entry.port });
          }
        } catch {
          // not a log line
        }
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited early (${code ?? signal})`));
    });
  });
}

/// SIGTERM, then SIGKILL after 10 s; resolves once the child has exited.
export async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
