/**
 * The benches that touch the keychain run inside a private D-Bus session with an unlocked
 * scratch gnome-keyring (as `npm test` does), so the user's own keychain is never touched:
 * without a session bus, `enterKeyringSession()` re-runs the calling script inside
 * `dbus-run-session` with a scratch HOME and exits with its status.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Re-runs this script in a private keyring session when there is none; returns when inside. */
export function enterKeyringSession(): void {
  if (
    !process.env.DBUS_SESSION_BUS_ADDRESS &&
    !process.env.SIGNET_BENCH_INNER &&
    has('dbus-run-session') &&
    has('gnome-keyring-daemon')
  ) {
    const home = mkdtempSync(join(tmpdir(), 'signet-bench-home-'));
    const self = process.argv
      .slice(1)
      .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    const r = spawnSync(
      'dbus-run-session',
      [
        '--',
        'sh',
        '-c',
        `printf bench | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec '${process.execPath}' ${process.execArgv.map((a) => `'${a}'`).join(' ')} ${self}`,
      ],
      {
        stdio: ['inherit', 'inherit', 'pipe'],
        env: { ...process.env, SIGNET_BENCH_INNER: '1', HOME: home },
      },
    );
    // dbus-daemon's own chatter (fd limits) is not ours to print.
    const err = r.stderr
      .toString()
      .split('\n')
      .filter((l) => l && !/dbus-daemon|fd limit/.test(l));
    if (err.length) process.stderr.write(`${err.join('\n')}\n`);
    rmSync(home, { recursive: true, force: true });
    process.exit(r.status ?? 1);
  }
}
