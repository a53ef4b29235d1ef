// Benchmark across NATs (e2e/netlab.mjs): the same two homes connected straight through
// their NATs and through the TURN relay (coturn), in one run: click → chat channel open,
// and a 100 MiB file through the app. Run through `make bench-nat` (release build).
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dist, joinAs, keepPeerConnections, selectedPair, serverBin, userEntry, waitUntilHealthy } from '../e2e/harness.mjs';
import { addresses, startLab } from '../e2e/netlab.mjs';
import { browserCpuMs, cpuMs, machineCpuMs, median } from './measure.mjs';
import { appPair, throughApp } from './transfer.mjs';

const rounds = Number(process.env.ROUNDS ?? 5);
const size = 100 << 20;
const secret = 'bench-nat-secret';
const rate = (ms) => size / 1e6 / (ms / 1000);

/** Which path a pair of pages took: 'relay' if either end of alice's pair is a relay. */
async function route(alice) {
  const pair = await selectedPair(alice);
  return [pair.local.type, pair.remote.type].includes('relay') ? 'relay' : 'direct';
}

/** alice (home A) clicks bob (home B) in a fresh room: ms from the click to the channel open. */
async function clickToOpen(browsers, server, room) {
  const init = keepPeerConnections;
  const alice = await joinAs(browsers.homeA, server, 'alice', room, { init });
  const bob = await joinAs(browsers.homeB, server, 'bob', room, { init });
  await userEntry(alice, 'bob').click();
  await alice.waitForFunction(() => performance.getEntriesByName('natter:open:bob').length > 0, null, { timeout: 30_000 });
  const ms = await alice.evaluate(
    () => performance.getEntriesByName('natter:open:bob')[0].startTime - performance.getEntriesByName('natter:select:bob')[0].startTime,
  );
  const took = await route(alice);
  await alice.context().close();
  await bob.context().close();
  return { ms, route: took };
}

const scratch = mkdtempSync(path.join(tmpdir(), 'natter-bench-nat-'));
const file = path.join(scratch, 'bench.bin');
writeFileSync(file, randomBytes(size));
const lab = await startLab({ nat: 'preserving' });
try {
  const turn = await lab.startCoturn({ secret });
  const server = lab.run(
    'public',
    serverBin,
    ['--bind', addresses.public, '--port', '80', '--static-dir', dist, '--turn-urls', turn.url, '--turn-secret', secret],
    { stdio: 'ignore' },
  );
  await waitUntilHealthy(`http://${addresses.public}/healthz`, Date.now() + 10_000);
  const site = { url: `http://${addresses.public}/` };
  const browsers = { homeA: await lab.launchBrowser('homeA'), homeB: await lab.launchBrowser('homeB') };

  // Relayed: the homes cannot reach each other's NAT, as behind a strict firewall.
  const modes = { direct: false, relayed: true };
  const open = { direct: [], relayed: [] };
  for (let round = 0; round < rounds + 1; round++) {
    for (const [mode, blocked] of Object.entries(modes)) {
      await lab.blockBetweenHomes(blocked);
      const { ms, route: took } = await clickToOpen(browsers, site, `open-${mode}-${round}`);
      if (took !== (blocked ? 'relay' : 'direct')) throw new Error(`${mode} round went ${took}`);
      // The first round warms the relay (its first allocation) and the browsers: not counted.
      if (round > 0) open[mode].push(ms);
      console.log(`click → open, ${mode}, round ${round}${round ? '' : ' (warm-up)'}: ${ms.toFixed(0)} ms`);
    }
  }
  await lab.blockBetweenHomes(false);

  // A connection each way of travel, each with the homes blocked or not throughout: ICE
  // keeps checking, and would move a relayed connection to a direct path once one opens.
  const options = { init: keepPeerConnections };
  const speed = { direct: [], relayed: [] };
  const cpu = { direct: [], relayed: [] };
  for (const [mode, blocked] of Object.entries(modes)) {
    await lab.blockBetweenHomes(blocked);
    const pair = await appPair(browsers.homeA, site, { room: `files-${mode}`, receiver: browsers.homeB, options });
    for (let round = 0; round < rounds + 1; round++) {
      const before = { browsers: browserCpuMs(), coturn: cpuMs('/usr/bin/turnserver'), machine: machineCpuMs() };
      const mbs = rate(await throughApp(pair, file));
      const machine = machineCpuMs();
      const used = {
        browsers: browserCpuMs() - before.browsers,
        coturn: cpuMs('/usr/bin/turnserver') - before.coturn,
        busy: machine.busy - before.machine.busy,
        softirq: machine.softirq - before.machine.softirq,
      };
      if (round > 0) cpu[mode].push(used);
      const took = await route(pair.alice);
      if (took !== (blocked ? 'relay' : 'direct')) throw new Error(`${mode} transfer went ${took}`);
      // The first transfer on a connection is slower (BENCHMARKS.md): not counted.
      if (round > 0) speed[mode].push(mbs);
      console.log(
        `100 MiB, ${mode}, round ${round}${round ? '' : ' (first on the connection)'}: ${mbs.toFixed(1)} MB/s; ` +
          `CPU ms: browsers ${used.browsers}, coturn ${used.coturn}, kernel softirq ${used.softirq}, machine ${used.busy}`,
      );
    }
    await pair.alice.context().close();
    await pair.bob.context().close();
  }
  await lab.blockBetweenHomes(false);
  const [od, or] = [median(open.direct), median(open.relayed)];
  const [sd, sr] = [median(speed.direct), median(speed.relayed)];
  console.log(`medians of ${rounds} rounds:`);
  console.log(`  click → chat channel open: direct ${od.toFixed(0)} ms, relayed ${or.toFixed(0)} ms, ratio ${(or / od).toFixed(2)}`);
  console.log(`  100 MiB file (accept → digest checked): direct ${sd.toFixed(1)} MB/s, relayed ${sr.toFixed(1)} MB/s, ratio ${(sr / sd).toFixed(2)}`);
  for (const mode of Object.keys(cpu)) {
    const of = (key) => median(cpu[mode].map((used) => used[key]));
    console.log(
      `  CPU per 100 MiB, ${mode}: browsers ${of('browsers')} ms, coturn ${of('coturn')} ms, ` +
        `kernel softirq ${of('softirq')} ms, the machine in all ${of('busy')} ms`,
    );
  }
  server.kill();
  await once(server, 'exit');
} finally {
  await lab.close();
  rmSync(scratch, { recursive: true, force: true });
}
