// Starts the real oneko binary in local mode for the end-to-end stories: a temporary data
// folder (embedded store), in-process Redis, the local cluster (its programs cached by
// `make kube-bins`) and the demo (project hello with tags 1.0.0, 1.1.0 and latest).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, createWriteStream } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const adminPassword = 'e2e-admin-password-1';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const kubePrograms = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'kwok'];

export function kubeBinDir() {
  return process.env.ONEKO_KUBE_BIN_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'oneko', 'kube-v1.37.2');
}

/** waitFor polls f until it returns a truthy value or the timeout passes. */
export async function waitFor(what, f, timeoutMs = 120_000, everyMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await f();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** startServer runs bin/oneko and resolves once it is ready and the demo's versions exist. */
export async function startServer({ bin = process.env.ONEKO_BIN, logFile, dataDir: givenDir, env: extraEnv = {}, readyTimeout = 180_000 } = {}) {
  if (!bin || !existsSync(bin)) throw new Error(`oneko binary not found at ${bin}: run make build (or make e2e)`);
  const dir = kubeBinDir();
  await waitFor(`the local cluster's programs in ${dir} (make kube-bins)`, () => kubePrograms.every((p) => existsSync(join(dir, p))), 60 * 60_000, 5000);
  const dataDir = givenDir || mkdtempSync(join(tmpdir(), 'oneko-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    ONEKO_DATA_DIR: dataDir,
    ONEKO_ADMIN_PASSWORD: adminPassword,
    ONEKO_HTTP_ADDR: `127.0.0.1:${port}`,
    ONEKO_KUBE_BIN_DIR: dir,
    ONEKO_LOG_LEVEL: process.env.ONEKO_LOG_LEVEL || 'info',
    ...extraEnv,
  };
  delete env.ONEKO_MONGO_URI;
  delete env.ONEKO_KUBECONFIG;
  delete env.KUBECONFIG;
  const child = spawn(bin, [], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const log = createWriteStream(logFile || join(dataDir, 'oneko.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on('exit', (code, sig) => (exited = `exited with ${code ?? sig}`));
  // Never leave the server (and its cluster) behind, whatever ends this process.
  const killOnExit = () => {
    if (!exited) child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));
  const api = adminClient(url);
  let hello;
  try {
    await waitFor('oneko to answer /readyz', async () => {
      if (exited) throw new Error(`oneko ${exited}; log in ${logFile || join(dataDir, 'oneko.log')}`);
      return (await fetch(`${url}/readyz`)).ok;
    }, readyTimeout);
    hello = await waitFor('the demo project hello', async () => {
      if (exited) throw new Error(`oneko ${exited}`);
      const r = await api.get('/api/v1/projects?q=hello');
      return r.items.find((p) => p.name === 'hello');
    }, 180_000);
    await waitFor('the demo versions 1.0.0, 1.1.0 and latest', async () => {
      const r = await api.get(`/api/v1/projects/${hello.id}/versions`);
      const names = r.items.map((v) => v.name);
      return ['1.0.0', '1.1.0', 'latest'].every((n) => names.includes(n));
    }, 180_000);
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  return {
    url,
    api,
    dataDir,
    hello,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 20_000))]);
        if (!exited) child.kill('SIGKILL');
      }
      if (!process.env.ONEKO_E2E_KEEP) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** adminClient calls the API as the bootstrap admin (Basic auth needs no CSRF check). */
export function adminClient(url, username = 'admin', password = adminPassword) {
  const auth = 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
  const call = async (method, path, body, headers = {}) => {
    const r = await fetch(url + path, {
      method,
      headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return {
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b ?? {}),
    /**
     * put replaces a document. PUTs of projects, registries and users name the revision they
     * change (428 otherwise): without ifMatch, the document's current ETag is read first.
     */
    async put(p, b, ifMatch) {
      if (ifMatch === undefined) {
        const r = await fetch(url + p, { headers: { Authorization: auth, Accept: 'application/json' } });
        ifMatch = r.headers.get('ETag') ?? undefined;
      }
      return call('PUT', p, b, ifMatch ? { 'If-Match': ifMatch } : {});
    },
    del: (p) => call('DELETE', p),
    async createUser(username, role, password = `${username}-password-1`) {
      await call('POST', '/api/v1/users', { username, email: `${username}@example.test`, firstName: username, lastName: 'E2E', role, password });
      return { username, password };
    },
  };
}
