/**
 * A store statement whose SQL Kysely builds and compiles once per engine, then runs as a compiled query with each
 * call's values: on a hot path (a bill creation inserts an order and a bill) Kysely's query building and compiling
 * cost more CPU than SQLite's prepared insert itself (the statement cache already keeps SQLite's preparation).
 *
 * The statement is still written with the query builder (one definition, both engines): `build(row)` makes the
 * query from a row of values, the first call compiles it and keeps its SQL, and every call runs that SQL with the
 * row's values in the row's key order. The first compile checks that the builder turned exactly those values, in
 * that order, into the query's parameters (a builder that inlines a value or skips one would make the kept SQL
 * wrong for other rows): it throws otherwise, so a test of the statement catches it. `undefined` values are
 * stored as NULL (the query builder would leave an `undefined` column out of the statement).
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import { engineOf } from './dialect.ts';

const compiledSql = new Map<string, string>();

export type StatementRow = Record<string, unknown>;

/** `name` names the statement for the whole process (one SQL per engine and name). */
export async function runCompiledOnce<Result, Row extends StatementRow>(
  db: Pick<Kysely<unknown>, 'executeQuery' | 'getExecutor'>,
  name: string,
  row: Row,
  build: (row: Row) => Compilable<Result>,
): Promise<QueryResult<Result>> {
  const values = Object.values(row).map((value) => (value === undefined ? null : value));
  const key = `${engineOf(db)}:${name}`;
  let text = compiledSql.get(key);
  if (text === undefined) {
    const normalized = Object.fromEntries(Object.keys(row).map((column, i) => [column, values[i]])) as Row;
    const compiled = build(normalized).compile();
    if (!sameValues(compiled.parameters, values)) {
      throw new Error(`${name}: the query builder's parameters are not the row's values in order`);
    }
    text = compiled.sql;
    compiledSql.set(key, text);
  }
  return db.executeQuery<Result>(CompiledQuery.raw(text, values));
}

function sameValues(parameters: readonly unknown[], values: readonly unknown[]): boolean {
  return parameters.length === values.length && parameters.every((parameter, i) => parameter === values[i]);
}
