import { closeSummary } from '@jido-code/commands';
import type { CloseReport, SessionManager } from '@jido-code/session';
import type { ShellOutput } from './shell-output.js';

/**
 * The shell's last step, whatever ended it: closes and saves every open session, prints one line
 * per session, and each save's error. True when every session was saved (a session that was not
 * keeps its changes in its journal for the next start to recover).
 */
export async function shutdown(
  manager: SessionManager,
  output: ShellOutput,
  withProgress: (work: () => Promise<CloseReport[]>) => Promise<CloseReport[]> = (work) => work(),
): Promise<boolean> {
  const reports = await withProgress(() => manager.closeAll());
  output.print(closeSummary(reports));
  for (const report of reports) {
    if (report.error !== undefined) await output.fail(report.error);
  }
  return reports.every((report) => report.saved);
}
