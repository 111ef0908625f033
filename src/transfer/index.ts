/** Import and export of connections (the CSV/JSON contract of docs/architecture.md). */
export { CSV_COLUMNS, OPTIONAL_COLUMNS, BACKUP_SEPARATOR, type CsvColumn, type LineProblem } from './columns';
export { parseConnectionsCsv, streamCsvRows, type CsvItem, type CsvRow, type ParsedCsv } from './parse-csv';
export { validateRows, RowValidator, type ImportRow, type ImportedConnection, type ValidatedRows } from './validate-rows';
export { csvImportSource, type CheckProgress, type CsvImportSource, type CsvImportSourceOptions, type ImportCheck } from './import-source';
export { EXPORT_FORMATS, exportedConnection, formatCsv, formatJson, type ExportFormat, type ExportedConnection } from './export-connections';
export { MAX_IMPORT_BYTES, decodeCsvText, openCsvFile, readCsvFile, streamCsvText, textStream, type CsvFile } from './read-file';
export { checkWorkspaceId } from './workspace-id';
export { deadlineUid, escapeIcsText, foldIcsLine, formatIcs, type IcsCalendar } from './ics';
