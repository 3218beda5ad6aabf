import { createHash } from 'node:crypto';
import type { ImportTool } from './report.js';

/**
 * The jido session id of an imported source session: a UUID v4-shaped digest of the tool and its
 * session id. The same source always maps to the same id, so a re-import finds its earlier copy
 * without an index, and two machines importing the same file agree.
 */
export function importedSessionId(tool: ImportTool, sourceId: string): string {
  const hex = createHash('sha256').update(`jido-import\u0000${tool}\u0000${sourceId}`).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
