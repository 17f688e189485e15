// Starts what the browser tests run against: the fake DNS and SMTP servers on loopback, the real
// mailsift-server (SQLite in a temp folder, the default dashboard folder beside the binary) with an
// API key made by `mailsift-server keys create`, and headless Debian chromium through
// playwright-core. Every process is ended by its PID in stop().
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (error) {
  throw new Error(`playwright-core is not installed in tests/browser (${error.message}); run scripts/install-deps --test.`);
}

const run = promisify(execFile);

export function requiredEnv(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the browser tests through ctest (label browser).`);
  return value;
}

/** A child process whose output is kept, with a way to wait for a line. */
class Child {
  constructor(name, binary, args) {
    this.name = name;
    this.output = '';
    this.exited = null;
    this.process = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.waiters = [];
    const collect = (chunk) => {
      this.output += chunk.toString();
      this.waiters = this.waiters.filter((w) => !w());
    };
    this.process.stdout.on('data', collect);
    this.process.stderr.on('data', collect);
    this.process.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.waiters = this.waiters.filter((w) => !w());
    });
  }

  /** Resolves with the first match of `pattern` in the output; rejects on exit or timeout. */
  waitFor(pattern, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms:\n${this.output}`));
      }, timeoutMs);
      const check = () => {
        const match = pattern.exec(this.output);
        if (match) {
          clearTimeout(timer);
          resolve(match);
          return true;
        }
        if (this.exited) {
          clearTimeout(timer);
          reject(new Error(`${this.name} exited (${JSON.stringify(this.exited)}) before printing ${pattern}:\n${this.output}`));
          return true;
        }
        return false;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  /** SIGTERM to this PID, SIGKILL after 10 s; resolves once it exited. */
  async stop() {
    if (this.exited) return;
    const gone = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

/** The fake world: which domains exist, which mailboxes, and one slow mail server. */
export const SLOW_ROWS = 400;
export function slowKnown(i) {
  return i % 3 !== 0;
}

function zoneFile() {
  return [
    'good.test MX 10 mx.good.test',
    'mx.good.test A 127.77.0.1',
    'slow.test MX 10 mx.slow.test',
    'mx.slow.test A 127.77.0.2',
    'catchall.test MX 10 mx.catchall.test',
    'mx.catchall.test A 127.77.0.3',
    '',
  ].join('\n');
}

function smtpScript() {
  const slowLocals = [];
  for (let i = 0; i < SLOW_ROWS; i += 1) if (slowKnown(i)) slowLocals.push(`u${i}`);
  return [
    '127.77.0.1 hostname=mx.good.test known_local=alice,bob,carol,info',
    `127.77.0.2 hostname=mx.slow.test delay_ms=40 known_local=${slowLocals.join(',')}`,
    '127.77.0.3 hostname=mx.catchall.test catch_all=on',
    '',
  ].join('\n');
}

function serverConfig(dir, dnsAddress, smtpPort) {
  const lists = join(requiredEnv('MAILSIFT_SOURCE_DIR'), 'config', 'lists');
  const list = (name) => `'${join(lists, name)}'`;
  return `http:
  address: 127.0.0.1
  port: 0
  threads: 8
store:
  url: 'sqlite://${join(dir, 'mailsift.db')}'
plugins:
  stages:
    - name: mailsift.stage.syntax
      config: {}
    - name: mailsift.stage.lists
      config:
        role_file: ${list('role_local_parts.txt')}
        disposable_file: ${list('disposable_domains.txt')}
        disposable_wildcard_file: ${list('disposable_wildcard_domains.txt')}
        free_file: ${list('free_domains.txt')}
    - name: mailsift.stage.typo
      config:
        providers_file: ${list('well_known_providers.txt')}
        free_file: ${list('free_domains.txt')}
        disposable_file: ${list('disposable_domains.txt')}
    - name: mailsift.stage.dns
      config: {servers: ['${dnsAddress}'], timeout_ms: 500, tries: 2, failure_ttl: 0}
    - name: mailsift.stage.smtp
      config:
        port: ${smtpPort}
        helo_name: probe.mailsift.test
        connect_timeout_ms: 2000
        banner_timeout_ms: 2000
        command_timeout_ms: 2000
        per_host_connections: 2
        starttls: false
  connectors:
    - {name: mailsift.connector.file, config: {}}
    - {name: mailsift.connector.input, config: {}}
    - {name: mailsift.connector.excel, config: {}}
jobs:
  workers: 2
  chunk_size: 20
  poll_ms: 50
  heartbeat_ms: 1000
  lease_ttl_ms: 10000
  spool_dir: '${join(dir, 'spool')}'
`;
}

/** Everything the tests need; call stop() at the end whatever happened. */
export class Harness {
  async start() {
    this.dir = mkdtempSync(join(tmpdir(), 'mailsift-browser-'));
    this.children = [];
    const zone = join(this.dir, 'zone.txt');
    const script = join(this.dir, 'smtp.txt');
    writeFileSync(zone, zoneFile());
    writeFileSync(script, smtpScript());

    const dns = this.spawn('fake-dns', requiredEnv('MAILSIFT_FAKE_DNS'), ['--listen', '127.0.0.1:0', '--zone', zone]);
    const dnsAddress = (await dns.waitFor(/fake-dns listening on (127\.0\.0\.1:\d+)/))[1];
    const smtp = this.spawn('fake-smtp', requiredEnv('MAILSIFT_FAKE_SMTP'), ['--port', '0', '--script', script]);
    const smtpPort = (await smtp.waitFor(/fake-smtp: listening on \d+ addresses, port (\d+)/))[1];

    const config = join(this.dir, 'mailsift.yaml');
    this.config = config;
    writeFileSync(config, serverConfig(this.dir, dnsAddress, smtpPort));
    const binary = requiredEnv('MAILSIFT_SERVER_BINARY');
    const made = await this.cli('keys', 'create', '--account', 'browser');
    this.key = made.stdout.trim();
    if (!/^msk_\S+$/.test(this.key)) throw new Error(`keys create printed no key: ${made.stdout} ${made.stderr}`);

    this.server = this.spawn('mailsift-server', binary, ['serve', '--config', config]);
    const port = (await this.server.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/))[1];
    this.base = `http://127.0.0.1:${port}`;

    this.browser = await chromium.launch({
      executablePath: process.env.MAILSIFT_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      // playwright gives every launch a fresh, temporary --user-data-dir of its own.
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-default-apps', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
      ],
    });
  }

  /** `mailsift-server <args> --config <the test config>`; resolves with stdout and stderr. */
  async cli(...args) {
    return run(requiredEnv('MAILSIFT_SERVER_BINARY'), [...args, '--config', this.config]);
  }

  spawn(name, binary, args) {
    const child = new Child(name, binary, args);
    this.children.push(child);
    return child;
  }

  /** The API as a client other than the browser sees it (for comparisons). */
  async api(path, { method = 'GET', body, key = this.key } = {}) {
    const headers = { Authorization: `Bearer ${key}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(`${this.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  async apiJson(path, options) {
    const response = await this.api(path, options);
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  serverLog() {
    return this.server ? this.server.output : '';
  }

  async stop() {
    if (this.browser) await this.browser.close().catch(() => {});
    for (const child of [...(this.children || [])].reverse()) await child.stop();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
