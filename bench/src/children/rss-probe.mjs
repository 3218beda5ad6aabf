// Preloaded (`node --import`) into a CLI run by the "cli" figure: writes the process's peak
// resident set size (KiB) to the file named by JIDO_BENCH_RSS_FILE at exit.
//
// On Linux this is VmHWM from /proc/self/status, the peak of this process's own memory since it
// started. getrusage's maxRSS is not: the kernel carries the parent's peak across the fork and
// exec that start a child, so a child of a bench process holding a large fixture reported the
// parent's size (a child of a 441 MB parent reported 404 MB against its own 40 MB).
import { readFileSync, writeFileSync } from 'node:fs';

function peakKib() {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: getrusage below.
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  const file = process.env.JIDO_BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(peakKib()));
});
