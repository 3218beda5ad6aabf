import type { MachineDescription } from './machine.js';
import { allowedExcess, allowedExponent, type FigureRow, type SlopeRow } from './results.js';

/** Everything written to `bench/results/latest.json`. */
export interface BenchReport {
  readonly generatedAt: string;
  readonly quick: boolean;
  readonly durationMs: number;
  readonly machine: MachineDescription;
  readonly figures: readonly FigureRow[];
  readonly slopes: readonly SlopeRow[];
  /** How each figure was obtained, where it is not obvious (e.g. which resume path was measured). */
  readonly notes: readonly string[];
}

/** A duration in the unit that keeps 3 to 4 significant digits. */
function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} µs`;
}

function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  return ratio >= 100 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(2)}×`;
}

/** Text columns padded to a common width. */
function renderColumns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function renderMarkdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const figureHeader = ['operation', 'size', 'subject p50', 'floor p50', 'ratio', 'target', 'status'] as const;
const slopeHeader = [
  'operation',
  'grows with',
  'from → to',
  'subject',
  'floor',
  'subject exp.',
  'floor exp.',
  'excess',
  'per unit',
  'expected',
  'status',
] as const;

function figureCells(row: FigureRow): string[] {
  return [
    row.operation,
    row.size,
    row.shown?.subject ?? formatMs(row.subject.medianMs),
    row.shown?.floor ?? formatMs(row.floor.medianMs),
    row.shown?.ratio ?? formatRatio(row.ratio),
    row.target,
    row.status,
  ];
}

function slopeCells(row: SlopeRow): string[] {
  return [
    row.operation,
    row.variable,
    `${row.from.toLocaleString('en-US')} → ${row.to.toLocaleString('en-US')}`,
    `${formatMs(row.subjectFromMs)} → ${formatMs(row.subjectToMs)}`,
    `${formatMs(row.floorFromMs)} → ${formatMs(row.floorToMs)}`,
    row.subjectExponent.toFixed(2),
    row.floorExponent.toFixed(2),
    row.excessExponent.toFixed(2),
    row.subjectPerUnit,
    row.expected === 'linear'
      ? `linear (exp. ≤ ${allowedExponent.linear} or excess ≤ ${allowedExcess.linear})`
      : `flat (exp. ≤ ${allowedExponent.flat} or excess ≤ ${allowedExcess.flat})`,
    row.status,
  ];
}

/** The figures table as aligned text. */
export function renderFigures(rows: readonly FigureRow[]): string {
  return renderColumns(figureHeader, rows.map(figureCells));
}

/** The slopes table as aligned text. */
export function renderSlopes(rows: readonly SlopeRow[]): string {
  return renderColumns(slopeHeader, rows.map(slopeCells));
}

/** Both tables as Markdown, for the README. */
export function renderMarkdownTables(report: BenchReport): string {
  return [
    renderMarkdown(figureHeader, report.figures.map(figureCells)),
    '',
    renderMarkdown(slopeHeader, report.slopes.map(slopeCells)),
  ].join('\n');
}
