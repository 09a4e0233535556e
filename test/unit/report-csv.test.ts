/**
 * The connection report's accounts file: the RFC 4180 reader, the header and rows, JSON, and
 * the `expect` vocabulary. Errors name lines and columns, never a field's value.
 */
import { describe, expect, it } from 'vitest';
import {
  AccountsFileError,
  matchesExpectation,
  normaliseExpectation,
  parseAccountsCsv,
  parseAccountsFile,
  parseAccountsJson,
  parseCsv,
} from '../../src/shared/report-accounts';

const fields = (text: string) => parseCsv(text).map((r) => r.fields);
const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AccountsFileError);
    return (err as Error).message;
  }
  throw new Error('expected an AccountsFileError');
};

describe('parseCsv (RFC 4180)', () => {
  it('splits plain fields and records, with or without a final line break', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fields('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('accepts CRLF and LF line breaks alike', () => {
    expect(fields('a,b\r\n1,2\r\n3,4\n5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    expect(fields('"a,b","say ""hi""","two\nlines"\n')).toEqual([
      ['a,b', 'say "hi"', 'two\nlines'],
    ]);
    expect(fields('"",""""\n')).toEqual([['', '"']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(fields('a,,c,\n')).toEqual([['a', '', 'c', '']]);
    expect(fields(',\n')).toEqual([['', '']]);
  });

  it('keeps spaces as part of fields (a password may start or end with one)', () => {
    expect(fields(' a , b \n')).toEqual([[' a ', ' b ']]);
  });

  it('ignores a byte-order mark and skips blank lines', () => {
    expect(fields('\uFEFFa,b\n\n1,2\n   \n\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('numbers each record by the line it starts on', () => {
    const records = parseCsv('h\n"x\ny"\n\nz\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
  });

  it('refuses an unclosed quote, naming the line it opened on', () => {
    expect(errorOf(() => parseCsv('a,b\n1,"2\n3,4\n'))).toMatch(/^line 2: .*never closed/);
  });

  it('refuses a quote inside an unquoted field and text after a closing quote', () => {
    expect(errorOf(() => parseCsv('a,b"c\n'))).toMatch(/^line 1: a quote inside an unquoted/);
    expect(errorOf(() => parseCsv('x\n"ab"c,d\n'))).toMatch(/^line 2: text after a closing quote/);
    // Papa Parse alone would skip these spaces: the record is refused as before.
    expect(errorOf(() => parseCsv('a,"b" ,c\n'))).toMatch(/^line 1: text after a closing quote/);
  });

  it('names the line an unclosed quote opened on, after a field that spans lines', () => {
    const m = errorOf(() => parseCsv('h\n"x\ny","Secret\nz\n'));
    expect(m).toBe('line 3: a quoted field is never closed');
  });

  it('takes a lone CR as a line break too', () => {
    expect(fields('a,b\r1,2\r')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('handles an empty input', () => {
    expect(parseCsv('')).toEqual([]);
  });
});

describe('parseAccountsCsv', () => {
  it('reads the documented columns in any order and case, and normalises expect', () => {
    const rows = parseAccountsCsv(
      'Note,USERNAME,Expect,password\n' +
        'ok,grace,success,Cobol-1959!\n' +
        ',grace,LDAP:52E,wrong\n' +
        'blocked,blocked@signet.test, unauthorized ,Blocked-User-2024\n',
    );
    expect(rows).toEqual([
      { username: 'grace', password: 'Cobol-1959!', expect: 'success', note: 'ok', line: 2 },
      { username: 'grace', password: 'wrong', expect: 'ldap:52e', line: 3 },
      {
        username: 'blocked@signet.test',
        password: 'Blocked-User-2024',
        expect: 'unauthorized',
        note: 'blocked',
        line: 4,
      },
    ]);
  });

  it('takes a quoted password with a comma and a quote exactly as written', () => {
    const [row] = parseAccountsCsv('username,password\nada,"a,b""c "\n');
    expect(row?.password).toBe('a,b"c ');
  });

  it('leaves an empty or missing password out (the CLI then asks for it)', () => {
    const rows = parseAccountsCsv('username,password,expect\nada,,success\n');
    expect(rows[0]).toEqual({ username: 'ada', expect: 'success', line: 2 });
    expect(parseAccountsCsv('username\nada\n')[0]).toEqual({ username: 'ada', line: 2 });
  });

  it('trims the username but refuses an empty one', () => {
    expect(parseAccountsCsv('username,password\n  ada  ,x\n')[0]?.username).toBe('ada');
    expect(errorOf(() => parseAccountsCsv('username,password\n ,x\n'))).toBe(
      'line 2: the username is empty',
    );
  });

  it('refuses an unknown or duplicated column without echoing the header', () => {
    const m = errorOf(() => parseAccountsCsv('username,pasword\nada,secret\n'));
    expect(m).toMatch(/^line 1: column 2 of the header is not one of/);
    expect(m).not.toContain('pasword');
    expect(errorOf(() => parseAccountsCsv('username,note,note\na,b,c\n'))).toMatch(/twice/);
    expect(errorOf(() => parseAccountsCsv('password,expect\nx,success\n'))).toMatch(
      /no username column/,
    );
  });

  it('a file whose first row is an account (no header) is refused', () => {
    expect(errorOf(() => parseAccountsCsv('grace,Cobol-1959!,success\n'))).toMatch(
      /column 1 of the header/,
    );
  });

  it('refuses a row with the wrong number of fields, without quoting it', () => {
    const m = errorOf(() => parseAccountsCsv('username,password,expect\nada,pa,ss,word,success\n'));
    expect(m).toBe('line 2: 5 fields, but the header has 3 (quote a field that contains a comma)');
  });

  it('refuses an unknown expect value without echoing it', () => {
    const m = errorOf(() => parseAccountsCsv('username,password,expect\nada,x,Secret Value!\n'));
    expect(m).toMatch(/^line 2: expect must be/);
    expect(m).not.toContain('Secret');
  });

  it('refuses an empty file and a header without accounts', () => {
    expect(errorOf(() => parseAccountsCsv(''))).toMatch(/empty/);
    expect(errorOf(() => parseAccountsCsv('username,password\n'))).toMatch(/no accounts/);
  });
});

describe('parseAccountsJson', () => {
  it('reads an array of objects', () => {
    expect(
      parseAccountsJson(
        JSON.stringify([
          { username: 'grace', password: 'Cobol-1959!', expect: 'success', note: 'n' },
          { username: 'alan', expect: 'ldap:533' },
        ]),
      ),
    ).toEqual([
      { username: 'grace', password: 'Cobol-1959!', expect: 'success', note: 'n', line: 1 },
      { username: 'alan', expect: 'ldap:533', line: 2 },
    ]);
  });

  it('names the item and field of a problem', () => {
    expect(errorOf(() => parseAccountsJson('{"username":"a"}'))).toMatch(/JSON array/);
    expect(errorOf(() => parseAccountsJson('[]'))).toMatch(/no accounts/);
    expect(errorOf(() => parseAccountsJson('[{"username":"a"},{"user":"b"}]'))).toMatch(
      /^item 2: unknown field "user"/,
    );
    expect(errorOf(() => parseAccountsJson('[{"username":"a","password":42}]'))).toBe(
      'item 1: password must be a string',
    );
    expect(errorOf(() => parseAccountsJson('["a"]'))).toMatch(/^item 1: must be an object/);
  });

  it('a syntax error gives the line, never the text around it', () => {
    const m = errorOf(() =>
      parseAccountsJson('[\n{"username":"a","password":"Hunter2-Secret"\n,}]'),
    );
    expect(m).toMatch(/^not valid JSON/);
    expect(m).not.toContain('Hunter2');
  });
});

describe('parseAccountsFile', () => {
  it('chooses JSON by the .json extension and CSV otherwise', () => {
    expect(parseAccountsFile('a.JSON', '[{"username":"x"}]')).toHaveLength(1);
    expect(parseAccountsFile('a.csv', 'username\nx\n')).toHaveLength(1);
    expect(parseAccountsFile('accounts.txt', 'username\nx\n')).toHaveLength(1);
  });
});

describe('expect', () => {
  it('normalises success, error codes and AD sub-codes', () => {
    expect(normaliseExpectation(' Success ')).toBe('success');
    expect(normaliseExpectation('ldap:52E')).toBe('ldap:52e');
    expect(normaliseExpectation('ldap: 775')).toBe('ldap:775');
    expect(normaliseExpectation('a0.mfa_required')).toBe('a0.mfa_required');
    for (const bad of ['', 'ldap', 'ldap:', 'ldap:xyz', 'two words', '52e'])
      expect(() => normaliseExpectation(bad), bad).toThrow(AccountsFileError);
  });

  it('matches results', () => {
    const ok = { result: 'success' as const, errorCode: null, adSubCode: null };
    const wrong = {
      result: 'failure' as const,
      errorCode: 'invalid_user_password',
      adSubCode: '52e',
    };
    const down = {
      result: 'failure' as const,
      errorCode: 'server_error',
      adSubCode: null,
      tenantCode: 'connection_unavailable',
    };
    expect(matchesExpectation('success', ok)).toBe(true);
    expect(matchesExpectation('success', wrong)).toBe(false);
    expect(matchesExpectation('invalid_user_password', wrong)).toBe(true);
    expect(matchesExpectation('ldap:52e', wrong)).toBe(true);
    expect(matchesExpectation('ldap:533', wrong)).toBe(false);
    expect(matchesExpectation('invalid_user_password', ok)).toBe(false);
    expect(matchesExpectation('connection_unavailable', down)).toBe(true);
    expect(matchesExpectation('server_error', down)).toBe(true);
  });
});
