// Shared by the benchmarks: medians, and the CPU time used by the browser, read from /proc
// (Linux): on two cores a data channel at full speed is CPU-bound, so CPU tells what work costs.
import { readdirSync, readFileSync } from 'node:fs';

/** CPU ms used so far by every Chromium process, all threads (USER_HZ is 100 on Linux). */
export function browserCpuMs() {
  return cpuMs('/usr/lib/chromium/');
}

/** CPU ms used so far by every process whose command line starts with `command`. */
export function cpuMs(command) {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(command)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks * 10;
}

/** CPU ms the whole machine spent busy so far (all cores), and in the kernel's softirqs. */
export function machineCpuMs() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) * 10, softirq: softirq * 10 };
}

/** Runs `work` and returns what it resolves to, with the browser's CPU ms meanwhile. */
export async function withCpu(work) {
  const before = browserCpuMs();
  const result = await work();
  return { result, cpu: browserCpuMs() - before };
}

/** The median of `values`. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
