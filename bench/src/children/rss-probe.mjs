// Preloaded (`node --import`) into a CLI run by the "cli" figure: writes the process's peak
// resident set size (KiB, from getrusage) to the file named by JIDO_BENCH_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.JIDO_BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
