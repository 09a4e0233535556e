/**
 * The part of Papa Parse that src/shared/report-accounts.ts uses, as the renderer's typecheck
 * sees it (tsconfig.web.json maps `papaparse` here): @types/papaparse references Node's types
 * for its stream API, and the renderer's program must not see Node. The Node programs use
 * @types/papaparse itself, so both agree with the library.
 */
export interface ParseError {
  type: string;
  code: string;
  message: string;
  row?: number;
  index?: number;
}

export interface ParseStepResult<T> {
  data: T;
  errors: ParseError[];
  meta: { cursor: number };
}

export interface ParseConfig<T> {
  delimiter?: string;
  newline?: string;
  quoteChar?: string;
  escapeChar?: string;
  step?: (row: ParseStepResult<T>) => void;
}

export function parse<T>(input: string, config: ParseConfig<T>): void;

declare const Papa: { parse: typeof parse };
export default Papa;
