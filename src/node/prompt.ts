/**
 * Reading secrets on the command line: a no-echo prompt on a terminal, or the whole of stdin
 * (`--password-stdin`). A password is never accepted as a command-line flag (it would be
 * visible in `ps` and shell history).
 */
import { terminalLine } from '../shared/untrusted-text.js';

/** Reads all of stdin; one trailing newline (`\n` or `\r\n`) is removed. */
export async function readStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Prompts on stderr and reads one line from the terminal without echoing it. */
export function promptHidden(
  question: string,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!stdin.isTTY) {
      reject(new Error('not a terminal'));
      return;
    }
    process.stderr.write(terminalLine(question)); // it may name an account from a file
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003')
          return done(Object.assign(new Error('cancelled'), { code: 'cancelled' }));
        if (ch === '\u0004') return done();
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
