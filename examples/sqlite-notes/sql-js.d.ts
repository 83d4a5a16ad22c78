// Types for the part of sql.js this example uses. A project of its own would install
// @types/sql.js instead; this repository does not, so the declaration lives here.
declare module 'sql.js' {
  type SqlValue = number | string | Uint8Array | null;

  interface QueryExecResult {
    columns: string[];
    values: SqlValue[][];
  }

  interface Database {
    run(sql: string, params?: SqlValue[]): Database;
    exec(sql: string): QueryExecResult[];
    getRowsModified(): number;
    export(): Uint8Array;
    close(): void;
  }

  interface SqlJsStatic {
    Database: new (data?: ArrayLike<number> | Buffer | null) => Database;
  }

  export default function initSqlJs(config?: { locateFile?: (file: string) => string }): Promise<SqlJsStatic>;
}
