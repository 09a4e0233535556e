import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// ARCHITECTURE.md's arrows, as the lint rule enforces them: each folder may import only what
// sits downstream of it.
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(file: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`${source}\nexport const probe = x;\n`, {
    filePath: file,
  });
  return (result?.messages ?? []).some((m) => m.ruleId === 'no-restricted-imports');
}

describe('import directions', () => {
  const cases: [string, string, boolean][] = [
    ['src/renderer/probe.ts', "import x from '../core/session';", true],
    ['src/renderer/probe.ts', "import x from 'node:fs';", true],
    ['src/renderer/probe.ts', "import x from 'electron';", true],
    ['src/renderer/probe.ts', "import type x from '../shared/session';", false],
    ['src/core/probe.ts', "import x from 'electron';", true],
    ['src/core/probe.ts', "import x from '../tenant/server';", true],
    ['src/core/probe.ts', "import x from 'node:fs';", false],
    ['src/shared/probe.ts', "import x from 'node:path';", true],
    ['src/tenant/probe.ts', "import x from '../core/session';", true],
    ['src/main/probe.ts', "import x from '../core/index';", false],
    ['src/main/probe.ts', "import x from '../core/session';", true],
    ['src/main/probe.ts', "import x from '../core/auth/client';", true],
    ['src/cli/probe.ts', "import x from '../core/index.js';", false],
    ['src/cli/probe.ts', "import x from '../core/connection-report.js';", true],
    ['src/cli/probe.ts', "import x from '../core/session/password-grant.js';", true],
    ['src/main/probe.ts', "import x from '../tenant/server';", true],
    ['src/preload/probe.ts', "import x from '../core/session';", true],
    ['src/cli/probe.ts', "import x from '../tenant/server';", false],
    ['src/cli/probe.ts', "import x from 'electron';", true],
    ['src/core/probe.ts', "import x from '../../test/fixtures/tenant';", true],
    // node/: Node-only helpers that core, tenant and cli share; it reaches only shared/.
    ['src/node/probe.ts', "import x from '../core/session';", true],
    ['src/node/probe.ts', "import x from '../tenant/server';", true],
    ['src/node/probe.ts', "import x from '../cli/index';", true],
    ['src/node/probe.ts', "import x from 'electron';", true],
    ['src/node/probe.ts', "import x from 'node:net';", false],
    ['src/node/probe.ts', "import x from '../shared/untrusted-text';", false],
    ['src/core/auth/probe.ts', "import x from '../../node/loopback.js';", false],
    ['src/tenant/probe.ts', "import x from '../node/loopback';", false],
    ['src/cli/probe.ts', "import x from '../node/prompt.js';", false],
    ['src/renderer/probe.ts', "import x from '../node/loopback';", true],
    ['src/preload/probe.ts', "import x from '../node/prompt';", true],
    ['src/shared/probe.ts', "import x from '../node/tls-errors';", true],
  ];
  it.each(cases)('%s: `%s` restricted = %s', async (file, source, expected) => {
    expect(await restricted(file, source)).toBe(expected);
  });
});
