/** Import and export of connections (the CSV/JSON contract of docs/architecture.md). */
export { CSV_COLUMNS, BACKUP_SEPARATOR, type CsvColumn, type LineProblem } from './columns';
export { parseConnectionsCsv, type CsvRow, type ParsedCsv } from './parse-csv';
export { validateRows, type ImportRow, type ImportedConnection, type ValidatedRows } from './validate-rows';
export { planImport, changedColumns, type RowAction } from './plan-import';
export { importConnections, type ImportOptions, type ImportResult, type ImportSummary } from './import-connections';
export { EXPORT_FORMATS, exportConnections, exportedConnection, formatCsv, formatJson, type ExportFormat, type ExportedConnection } from './export-connections';
export { importReport, importResultJson, problemsReport } from './format-report';
export { readCsvFile } from './read-file';
export { checkWorkspaceId } from './workspace-id';
