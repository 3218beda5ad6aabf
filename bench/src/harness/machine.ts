import { execFileSync } from 'node:child_process';
import { cpus, freemem, loadavg, platform, release, totalmem, type } from 'node:os';

/** What the numbers were measured on. */
export interface MachineDescription {
  readonly os: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly node: string;
  /** `df -T` of the directory the benchmark writes to: device, type, mount point. */
  readonly filesystem:
    | { readonly device: string; readonly type: string; readonly mountedOn: string }
    | string;
  /** 1-minute load average when the run started (a busy machine inflates every figure alike). */
  readonly loadAverageAtStart: number;
}

function filesystemOf(directory: string): MachineDescription['filesystem'] {
  try {
    const output = execFileSync('df', ['-T', directory], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const fields = output.trim().split('\n').at(-1)?.split(/\s+/) ?? [];
    const [device, fsType] = fields;
    if (device === undefined || fsType === undefined) return 'unknown';
    return { device, type: fsType, mountedOn: fields.at(-1) ?? '' };
  } catch {
    return 'unknown (df -T not available)';
  }
}

/** Describes this machine, and the file system holding `directory`. */
export function describeMachine(directory: string): MachineDescription {
  const processors = cpus();
  return {
    os: `${type()} ${release()} (${platform()})`,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpuCount: processors.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    freeMemoryGiB: Math.round((freemem() / 2 ** 30) * 10) / 10,
    node: process.version,
    filesystem: filesystemOf(directory),
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

/** One line for the table header and the README. */
export function machineLine(machine: MachineDescription): string {
  const filesystem =
    typeof machine.filesystem === 'string'
      ? machine.filesystem
      : `${machine.filesystem.type} on ${machine.filesystem.device}`;
  return `${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, tmpdir on ${filesystem}, load ${machine.loadAverageAtStart}`;
}
