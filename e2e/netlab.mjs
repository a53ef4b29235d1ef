// The network lab: a public network and two homes behind NAT routers, each a network namespace
// inside the test's own (scripts/loopback.sh), so browser tests can show what crosses which NAT.
//
//   this process ─ runner 203.0.113.254 ─┐
//   public 203.0.113.1 (servers) ── br0 ─┼─ natA wan 203.0.113.2 │ lan 192.0.2.1 ─── homeA 192.0.2.2
//                                        └─ natB wan 203.0.113.3 │ lan 198.51.100.1 ─ homeB 198.51.100.2
//
// Only documentation addresses; no namespace has a route off the machine. A home reaches the
// other home only through both NATs. This process reaches the public net through its own veth
// (`addresses.runner`), so it can serve pages there and health-check servers with plain fetch.
import { execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import net from 'node:net';
import { chromium, firefox } from 'playwright-core';
import { chromiumArgs, firefoxPrefs, freePort } from './harness.mjs';

const execFileAsync = promisify(execFile);

/** Each namespace's address on the lab's networks (a NAT's is its WAN, public, side). */
export const addresses = {
  public: '203.0.113.1',
  runner: '203.0.113.254',
  natA: '203.0.113.2',
  natB: '203.0.113.3',
  homeA: '192.0.2.2',
  homeB: '198.51.100.2',
};

const sites = [
  { home: 'homeA', nat: 'natA', lan: '192.0.2' },
  { home: 'homeB', nat: 'natB', lan: '198.51.100' },
];
const namespaces = ['public', 'natA', 'natB', 'homeA', 'homeB'];
// The veth that joins this process's namespace to the public bridge.
const runnerLink = 'natterlab';

// 'preserving' keeps the inside port for every destination (endpoint-independent mapping,
// address-and-port-dependent filtering), so the mapping a STUN server saw is the one a peer can
// punch through. 'random' picks a new port for each destination (endpoint-dependent mapping):
// what STUN saw is of no use to a peer, and only a relay gets through.
const masquerade = { preserving: 'masquerade', random: 'masquerade random,fully-random' };

/** The router's rules: NAT out of the WAN, nothing in but answers to what went out. */
const routerRules = (nat) => `
table ip lab {
  chain postrouting {
    type nat hook postrouting priority srcnat;
    oifname "wan" ${masquerade[nat]}
  }
  chain forward {
    type filter hook forward priority filter; policy drop;
    iifname "lan" oifname "wan" accept
    iifname "wan" oifname "lan" ct state established,related accept
  }
  # Dropped here, an unsolicited packet leaves no conntrack entry to block the port a later
  # mapping wants (which would spoil hole punching); a home router drops them silently too.
  chain input {
    type filter hook input priority filter;
    iifname "wan" drop
  }
}`;

/**
 * Run by node inside a namespace (`-e`, arguments: a Unix socket's path and a port): joins
 * every connection to the socket to that port of the namespace's loopback.
 */
const bidiBridge = `const net = require('node:net');
const [socket, port] = process.argv.slice(1);
net.createServer((client) => {
  const browser = net.connect(Number(port), '127.0.0.1');
  client.pipe(browser).pipe(client);
  client.on('error', () => browser.destroy());
  browser.on('error', () => client.destroy());
}).listen(socket, () => console.log('up'));`;

/** Fails early, with the fix, when the lab cannot be built here. */
function checkHost() {
  if (process.getuid?.() !== 0) throw new Error('the network lab needs root (it makes network namespaces)');
  const onPath = (command) => process.env.PATH.split(':').some((dir) => existsSync(path.join(dir, command)));
  for (const command of ['ip', 'nft', 'nsenter', 'setpriv', 'unshare']) {
    if (!onPath(command)) throw new Error(`${command} not installed: run scripts/setup.sh test`);
  }
}

/** Throws unless this namespace is a private one (scripts/loopback.sh), free of another lab. */
async function checkOwnNamespace() {
  const { stdout } = await execFileAsync('ip', ['-o', 'link', 'show']);
  const links = stdout.split('\n').filter(Boolean).map((line) => line.split(': ')[1].split('@')[0]);
  if (links.includes(runnerLink)) throw new Error('another network lab is still open here: close() it first');
  // Besides loopback, scripts/loopback.sh's link to nowhere (so Chromium counts itself online).
  const others = links.filter((link) => !['lo', 'natter0', 'natter1'].includes(link));
  if (others.length > 0) {
    throw new Error(`the network lab runs inside scripts/loopback.sh, not where ${others.join(', ')} are`);
  }
}

/**
 * A process that holds a new network namespace open (loopback up) until it is killed or this
 * process dies (parent-death signal), so a crashed test leaves no namespace behind.
 */
async function holdNamespace(name) {
  const holder = spawn(
    'unshare',
    ['--net', 'setpriv', '--pdeathsig', 'KILL', 'sh', '-c', 'ip link set lo up && echo up && exec sleep infinity'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [ready] = await Promise.race([once(holder.stdout, 'data'), once(holder, 'exit')]);
  if (holder.exitCode !== null || !String(ready).startsWith('up')) {
    throw new Error(`could not make the ${name} network namespace (unshare exited ${holder.exitCode})`);
  }
  holder.stdout.destroy();
  return holder;
}

/** Waits until a STUN server answers a binding request (RFC 5389) at ip:port. */
async function waitForStun(ip, port, deadline) {
  const socket = dgram.createSocket('udp4');
  const request = Buffer.alloc(20);
  request.writeUInt16BE(0x0001, 0); // Binding request, no attributes
  request.writeUInt32BE(0x2112a442, 4); // magic cookie; the transaction id stays zero
  const answered = new Promise((resolve) => socket.on('message', resolve));
  socket.on('error', () => {}); // e.g. ICMP port unreachable before it listens: keep asking
  try {
    while (Date.now() < deadline) {
      socket.send(request, port, ip);
      const reply = await Promise.race([answered, new Promise((resolve) => setTimeout(resolve, 100))]);
      if (reply) return;
    }
    throw new Error(`no STUN answer from ${ip}:${port}`);
  } finally {
    socket.close();
  }
}

/** Kills every process still in the network namespace that `holder` holds, by pid. */
function killNamespaceMembers(holder) {
  if (holder.exitCode !== null || holder.signalCode !== null) return; // its pid may be reused
  let namespace;
  try {
    namespace = readlinkSync(`/proc/${holder.pid}/ns/net`);
  } catch {
    return;
  }
  if (namespace === readlinkSync('/proc/self/ns/net')) return; // never this process's own
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      if (Number(pid) !== holder.pid && readlinkSync(`/proc/${pid}/ns/net`) === namespace) {
        process.kill(Number(pid), 'SIGKILL');
      }
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
}

/** Ends `child` with `signal` (SIGKILL after `grace` ms) and waits for it. */
async function stopChild(child, signal = 'SIGTERM', grace = 2000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), grace);
  await exited;
  clearTimeout(timer);
}

/** One lab: its namespaces, the processes and browsers started in them, and a temp dir. */
class Lab {
  homes = sites.map((site) => site.home);
  addresses = addresses;
  #holders = new Map();
  #children = new Set();
  #browsers = new Set();
  /** Listeners in this process (the Firefox BiDi bridges). */
  #servers = new Set();
  #dir = mkdtempSync(path.join(os.tmpdir(), 'natter-lab-'));
  #closed;

  constructor(nat) {
    this.nat = nat;
  }

  #netns(name) {
    const holder = this.#holders.get(name);
    if (!holder) throw new Error(`no namespace ${name} in the lab (${namespaces.join(', ')})`);
    return `--net=/proc/${holder.pid}/ns/net`;
  }

  /**
   * Spawns `command` inside namespace `ns` (node's `spawn` options); the lab ends it on
   * close(), and it dies with this process.
   */
  run(ns, command, args = [], options = {}) {
    const child = spawn('nsenter', [this.#netns(ns), 'setpriv', '--pdeathsig', 'KILL', command, ...args], options);
    this.#children.add(child);
    child.once('exit', () => this.#children.delete(child));
    return child;
  }

  /** Runs `command` inside `ns` to its end; resolves to its output, rejects with its errors. */
  async exec(ns, command, args = [], { input } = {}) {
    const child = this.run(ns, command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(input);
    const [code] = await once(child, 'exit');
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} in ${ns} exited ${code}: ${stderr.trim()}`);
    return stdout;
  }

  async build() {
    for (const name of namespaces) this.#holders.set(name, await holdNamespace(name));
    const pid = (name) => String(this.#holders.get(name).pid);
    const ip = (...args) => execFileAsync('ip', args);
    const sh = (ns, script) => this.exec(ns, 'sh', ['-ec', script]);

    // Each veth is made here with its ends straight in their namespaces.
    await ip('link', 'add', runnerLink, 'type', 'veth', 'peer', 'name', 'runner', 'netns', pid('public'));
    for (const { home, nat } of sites) {
      await ip('link', 'add', 'wan', 'netns', pid(nat), 'type', 'veth', 'peer', 'name', nat, 'netns', pid('public'));
      await ip('link', 'add', 'lan', 'netns', pid(nat), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pid(home));
    }

    await sh('public', `
      ip link add br0 type bridge
      ip addr add ${addresses.public}/24 dev br0
      ip link set br0 up
      for port in runner ${sites.map((site) => site.nat).join(' ')}; do ip link set "$port" master br0 up; done
      # The internet's other end: what has no route here (a home's private address that a
      # TURN server relays to) goes out and is lost, as it would be, instead of failing
      # to send, which makes coturn close the whole allocation.
      ip link add void type veth peer name void-end
      ip link set void arp off up && ip link set void-end up && ip route add default dev void`);
    await ip('addr', 'add', `${addresses.runner}/24`, 'dev', runnerLink);
    await ip('link', 'set', runnerLink, 'up');
    for (const { home, nat, lan } of sites) {
      await sh(nat, `
        ip addr add ${addresses[nat]}/24 dev wan && ip link set wan up
        ip addr add ${lan}.1/24 dev lan && ip link set lan up
        sysctl -qw net.ipv4.ip_forward=1`);
      await this.exec(nat, 'nft', ['-f', '-'], { input: routerRules(this.nat) });
      await sh(home, `
        ip addr add ${addresses[home]}/24 dev eth0 && ip link set eth0 up
        ip route add default via ${lan}.1`);
    }
  }

  /**
   * Stops (or lets again) the two homes' traffic reach each other's NAT, as if some
   * firewall between them dropped it: only a relay gets through while blocked. STUN and
   * TURN still work.
   */
  async blockBetweenHomes(blocked) {
    for (const [nat, other] of [['natA', addresses.natB], ['natB', addresses.natA]]) {
      // Declared first, so that deleting it works whether or not it was there.
      const drop = `table ip block {\n  chain forward {\n    type filter hook forward priority filter - 10;\n    ip daddr ${other} drop\n  }\n}\n`;
      const rules = `table ip block {}\ndelete table ip block\n${blocked ? drop : ''}`;
      await this.exec(nat, 'nft', ['-f', '-'], { input: rules });
    }
  }

  /**
   * Turns both NATs into `nat` ones from now on: new mappings follow the new rule, those
   * already made stay as they are.
   */
  async setNat(nat) {
    if (!(nat in masquerade)) throw new Error(`nat must be ${Object.keys(masquerade).join(' or ')}, not ${nat}`);
    for (const { nat: router } of sites) {
      await this.exec(router, 'nft', ['-f', '-'], { input: `delete table ip lab\n${routerRules(nat)}` });
    }
    this.nat = nat;
  }

  /**
   * Starts coturn (STUN and TURN, REST-API credentials from `secret`) in the public namespace
   * with a config of its own, never the system service; resolves once it answers STUN.
   */
  async startCoturn({ secret, ip = addresses.public, port = 3478 }) {
    if (!existsSync('/usr/bin/turnserver')) throw new Error('coturn not installed: run scripts/setup.sh test');
    const dir = mkdtempSync(path.join(this.#dir, 'coturn-'));
    const config = path.join(dir, 'turnserver.conf');
    const log = path.join(dir, 'turnserver.log');
    writeFileSync(config, [
      `listening-ip=${ip}`,
      `relay-ip=${ip}`,
      `listening-port=${port}`,
      'min-port=49152',
      'max-port=49407',
      'use-auth-secret',
      `static-auth-secret=${secret}`,
      'realm=natter.test',
      'fingerprint',
      'no-cli',
      'no-tls',
      'no-dtls',
      `userdb=${path.join(dir, 'turndb')}`,
      `pidfile=${path.join(dir, 'turnserver.pid')}`,
      `log-file=${log}`,
      'simple-log',
      'no-stdout-log',
    ].join('\n') + '\n');
    const child = this.run('public', '/usr/bin/turnserver', ['-c', config], { stdio: 'ignore' });
    const exited = once(child, 'exit').then(([code]) => {
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-10).join('\n') : '';
      throw new Error(`turnserver exited ${code} on start:\n${tail}`);
    });
    exited.catch(() => {}); // only a failed start reports it
    await Promise.race([waitForStun(ip, port, Date.now() + 10_000), exited]);
    return {
      url: `turn:${ip}:${port}`,
      stunUrl: `stun:${ip}:${port}`,
      log,
      /** TURN credentials in coturn's REST scheme, valid for `ttl` seconds. */
      credentials(name, ttl = 3600) {
        const username = `${Math.floor(Date.now() / 1000) + ttl}:${name}`;
        return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
      },
      stop: () => stopChild(child),
    };
  }

  /**
   * A headless Chromium whose network is namespace `ns`'s: Playwright drives it over pipes, so
   * the browser can live anywhere. http://203.0.113.1 and http://203.0.113.254 count as secure
   * origins (getUserMedia), as an https site would; the flag names ports, so serve on port 80.
   */
  async launchBrowser(ns, extraArgs = []) {
    const wrapper = path.join(this.#dir, `chromium-${ns}`);
    const exec = `exec nsenter ${this.#netns(ns)} setpriv --pdeathsig KILL /usr/bin/chromium "$@"`;
    writeFileSync(wrapper, `#!/bin/sh\n${exec}\n`, { mode: 0o755 });
    const secure = `--unsafely-treat-insecure-origin-as-secure=http://${addresses.public},http://${addresses.runner}`;
    const browser = await chromium.launch({
      executablePath: wrapper,
      headless: true,
      args: [...chromiumArgs, '--use-fake-ui-for-media-stream', secure, ...extraArgs],
    });
    this.#browsers.add(browser);
    browser.once('disconnected', () => this.#browsers.delete(browser));
    return browser;
  }

  /**
   * A headless Firefox ESR whose network is namespace `ns`'s. Playwright speaks WebDriver
   * BiDi to it over a WebSocket on the browser's loopback, which is the namespace's own: a
   * process inside it joins that port to a Unix socket (a file, seen from every namespace),
   * and this process listens on the same port of its own loopback and joins it to that
   * socket. The browser keeps its port (Firefox checks the Host header). As in Chromium, the
   * lab's public addresses count as secure origins.
   */
  async launchFirefox(ns) {
    const port = await freePort();
    const socket = path.join(this.#dir, `bidi-${ns}.sock`);
    const inside = this.run(ns, process.execPath, ['-e', bidiBridge, socket, String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [ready] = await Promise.race([once(inside.stdout, 'data'), once(inside, 'exit')]);
    if (!String(ready).startsWith('up')) throw new Error(`no BiDi bridge in ${ns}`);
    const outside = net.createServer((client) => {
      const browser = net.connect(socket);
      client.pipe(browser).pipe(client);
      client.on('error', () => browser.destroy());
      browser.on('error', () => client.destroy());
    });
    await new Promise((resolve) => outside.listen(port, '127.0.0.1', resolve));
    this.#servers.add(outside);
    const wrapper = path.join(this.#dir, `firefox-${ns}`);
    const script = [
      '#!/bin/sh',
      // Playwright asks for any free port (0); the bridge's is the one.
      'for arg; do shift; [ "$arg" = --remote-debugging-port=0 ] && arg=--remote-debugging-port=' + port + '; set -- "$@" "$arg"; done',
      `exec nsenter ${this.#netns(ns)} setpriv --pdeathsig KILL /usr/bin/firefox-esr "$@"`,
    ].join('\n');
    writeFileSync(wrapper, `${script}\n`, { mode: 0o755 });
    const browser = await firefox.launch({
      channel: 'moz-firefox',
      executablePath: wrapper,
      headless: true,
      firefoxUserPrefs: {
        ...firefoxPrefs,
        'dom.securecontext.allowlist': `${addresses.public},${addresses.runner}`,
      },
    });
    this.#browsers.add(browser);
    browser.once('disconnected', () => this.#browsers.delete(browser));
    return browser;
  }

  /** Ends every browser and process of the lab and removes its namespaces; safe to call again. */
  close() {
    this.#closed ??= this.#teardown();
    return this.#closed;
  }

  async #teardown() {
    const closeBrowser = (browser) =>
      Promise.race([browser.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    await Promise.all([...this.#browsers].map(closeBrowser));
    await Promise.all([...this.#children].map((child) => stopChild(child)));
    for (const server of this.#servers) server.close();
    await execFileAsync('ip', ['link', 'del', runnerLink]).catch(() => {});
    // Whatever a process left running (a browser's helpers, a daemon's children) goes too.
    for (const holder of this.#holders.values()) killNamespaceMembers(holder);
    await Promise.all([...this.#holders.values()].map((holder) => stopChild(holder, 'SIGKILL')));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/**
 * Builds the lab with both NATs of kind `nat`: 'preserving' (hole punching works with STUN) or
 * 'random' (only a TURN relay gets through). Namespaces: 'public', 'natA', 'natB', 'homeA',
 * 'homeB' (`lab.homes`). Close it with `lab.close()`, also when a test fails. Needs root and
 * scripts/loopback.sh; one lab at a time in a namespace.
 */
export async function startLab({ nat = 'preserving' } = {}) {
  if (!(nat in masquerade)) throw new Error(`nat must be ${Object.keys(masquerade).join(' or ')}, not ${nat}`);
  checkHost();
  await checkOwnNamespace();
  const lab = new Lab(nat);
  try {
    await lab.build();
  } catch (error) {
    await lab.close();
    throw error;
  }
  return lab;
}
