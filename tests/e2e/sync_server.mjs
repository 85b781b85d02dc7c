// A real CouchDB-protocol server for team sync (issue 15): `pouchdb-server` from npm (pinned in
// package.json), on 127.0.0.1, with its data in a temporary directory (LevelDB, so a killed
// server keeps what it had, as CouchDB would).
//
// startSyncServer() creates an admin (admin party off), two member users and a non-member, and a
// project database whose `_security` object admits only the members. It returns
// { url, dbName, dbUrl, users, request(path), seed(docs), stop(), kill(), restart() }.
//
// Also a command for people trying team mode (`make sync-server`):
//   node tests/e2e/sync_server.mjs [--port 5984] [--dir .sync-server] [--db rafah-desk]
// starts the same server in the foreground with users ann/ann-password and bob/bob-password.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = join(HERE, 'node_modules', '.bin', 'pouchdb-server');

export const ADMIN = { name: 'admin', password: 'admin-password' };
export const USERS = {
  ann: { name: 'ann', password: 'ann-password' },
  bob: { name: 'bob', password: 'bob-password' },
  eve: { name: 'eve', password: 'eve-password' },
};

async function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

function basic({ name, password }) {
  return 'Basic ' + Buffer.from(`${name}:${password}`).toString('base64');
}

async function call(url, { method = 'GET', body, user } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (user) headers.authorization = basic(user);
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

async function waitUntilUp(url, child, log, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited (${child.exitCode}):\n${log.join('')}`);
    try {
      const { status } = await call(url);
      if (status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`pouchdb-server did not answer on ${url} within ${timeoutMs} ms:\n${log.join('')}`);
}

/**
 * Starts pouchdb-server and sets up the project database.
 * Options: port (default: a free one), dir (default: a new temporary directory, removed by
 * stop()), dbName, members (user keys of USERS admitted), quiet.
 */
export async function startSyncServer({ port, dir, dbName = 'rafah-desk', members = ['ann', 'bob'], quiet = true } = {}) {
  const ownsDir = !dir;
  const dataDir = dir ? resolve(dir) : await mkdtemp(join(tmpdir(), 'crosscheck-sync-'));
  await mkdir(dataDir, { recursive: true });
  port = port || (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let child = null;
  const log = [];

  async function launch() {
    log.length = 0;
    child = spawn(BIN, ['--port', String(port), '--host', '127.0.0.1', '--dir', dataDir, '--no-stdout-logs'], {
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => {
      log.push(String(chunk));
      if (!quiet) process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      log.push(String(chunk));
      if (!quiet) process.stderr.write(chunk);
    });
    await waitUntilUp(url + '/', child, log);
  }

  async function halt(signal) {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill(signal);
    await exited;
  }

  await launch();
  // Admin party off: from here on only the admin configures, and users must log in.
  const admins = await call(`${url}/_config/admins/${ADMIN.name}`, { method: 'PUT', body: ADMIN.password });
  if (admins.status !== 200 && admins.status !== 401) throw new Error(`creating the admin: ${admins.status} ${JSON.stringify(admins.json)}`);
  // A fixed cookie secret, kept in the data directory's config.json as CouchDB keeps its own:
  // session cookies then survive a restart of the server (pouchdb-server otherwise draws a new
  // secret at every start).
  const config = await readFile(join(dataDir, 'config.json'), 'utf8').then(JSON.parse).catch(() => ({}));
  if (!config.couch_httpd_auth?.secret) {
    const value = randomBytes(16).toString('hex');
    await call(`${url}/_config/couch_httpd_auth/secret`, { method: 'PUT', user: ADMIN, body: value });
  }
  for (const user of Object.values(USERS)) {
    const id = `org.couchdb.user:${user.name}`;
    const existing = await call(`${url}/_users/${encodeURIComponent(id)}`, { user: ADMIN });
    if (existing.status === 200) continue;
    const made = await call(`${url}/_users/${encodeURIComponent(id)}`, {
      method: 'PUT',
      user: ADMIN,
      body: { name: user.name, password: user.password, roles: [], type: 'user' },
    });
    if (made.status >= 300) throw new Error(`creating user ${user.name}: ${made.status} ${JSON.stringify(made.json)}`);
  }
  const db = await call(`${url}/${dbName}`, { method: 'PUT', user: ADMIN });
  if (db.status >= 300 && db.status !== 412) throw new Error(`creating ${dbName}: ${db.status} ${JSON.stringify(db.json)}`);
  const security = await call(`${url}/${dbName}/_security`, {
    method: 'PUT',
    user: ADMIN,
    body: { admins: { names: [], roles: [] }, members: { names: members.map((key) => USERS[key].name), roles: [] } },
  });
  if (security.status >= 300) throw new Error(`setting _security: ${security.status} ${JSON.stringify(security.json)}`);

  return {
    url,
    port,
    dir: dataDir,
    dbName,
    dbUrl: `${url}/${dbName}`,
    users: USERS,
    admin: ADMIN,
    /** GET (or another method) as a user (default: the admin): { status, json }. */
    request: (path, options = {}) => call(`${url}${path}`, { user: ADMIN, ...options }),
    /** Stops gracefully and removes the temporary directory. */
    async stop() {
      await halt('SIGTERM');
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
    /** Writes `docs` (CouchDB documents with `_id`) into the project database as the admin,
     *  `chunk` at a time through `_bulk_docs`; throws if any is refused. */
    async seed(docs, chunk = 2000) {
      for (let at = 0; at < docs.length; at += chunk) {
        const answer = await call(`${url}/${dbName}/_bulk_docs`, { method: 'POST', user: ADMIN, body: { docs: docs.slice(at, at + chunk) } });
        const refused = Array.isArray(answer.json) ? answer.json.filter((row) => row.error) : [answer.json];
        if (answer.status >= 300 || refused.length) throw new Error(`seeding: ${answer.status} ${JSON.stringify(refused.slice(0, 3))}`);
      }
    },
    /** Kills the server at once (SIGKILL), keeping its data directory. */
    kill: () => halt('SIGKILL'),
    /** Starts it again on the same port and data directory. */
    restart: launch,
    log: () => log.join(''),
  };
}

// `make sync-server`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
  };
  const server = await startSyncServer({
    port: Number(option('port', '5984')),
    dir: option('dir', '.sync-server'),
    dbName: option('db', 'rafah-desk'),
    quiet: false,
  });
  console.log(`\nTeam sync server: ${server.dbUrl} (data in ${server.dir})`);
  console.log(`Members: ann / ${USERS.ann.password}, bob / ${USERS.bob.password}; not a member: eve / ${USERS.eve.password}`);
  console.log(`With \`make serve\`, use http://127.0.0.1:8080/couch/${server.dbName} (same origin, proxied). Ctrl-C stops it.`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
