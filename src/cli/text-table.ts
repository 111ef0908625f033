/** Rows of cells as aligned columns, two spaces apart, for the command line's plain-text tables. */
export function textTable(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd());
}
