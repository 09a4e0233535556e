import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

// The IPC contract (src/shared/ipc.ts) is the only typed path between the window and main:
// raw `ipcMain`/`ipcRenderer`/`webContents.send` outside its wrappers is a lint error, and
// the window's side of it never loads zod (main validates; preload and the page only type).

const eslint = new ESLint({ cwd: process.cwd() });
async function rawIpc(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'typed-ipc/no-raw-ipc')
    .map((m) => m.message);
}

describe('no loosely typed IPC outside the wrappers (eslint typed-ipc/no-raw-ipc)', () => {
  const refused: [string, string][] = [
    [
      'src/main/probe.ts',
      "import { ipcMain } from 'electron';\nipcMain.handle('signet:eval', () => 1);",
    ],
    [
      'src/main/probe.ts',
      "import * as electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);",
    ],
    [
      'src/main/probe.ts',
      "import type { BrowserWindow } from 'electron';\n" +
        "export const f = (w: BrowserWindow) => w.webContents.send('signet:event:session-changed', null);",
    ],
    [
      'src/main/probe.ts',
      "import type { WebContents } from 'electron';\n" +
        "export const f = (contents: WebContents) => contents.send('x', 1);",
    ],
    [
      'src/preload/probe.ts',
      "import { ipcRenderer } from 'electron';\nexport const f = () => ipcRenderer.invoke('signet:signIn', {});",
    ],
    ['src/preload/probe.ts', "import { ipcRenderer as r } from 'electron/renderer';\nvoid r;"],
  ];
  it.each(refused)('%s: refuses %j', async (file, source) => {
    expect(await rawIpc(file, source)).not.toEqual([]);
  });

  it('lets the wrappers and the typed calls through', async () => {
    for (const file of [
      'src/main/ipc.ts',
      'src/preload/ipc.ts',
      'src/main/index.ts',
      'src/preload/index.ts',
    ])
      expect(await rawIpc(file, readFileSync(file, 'utf8')), file).toEqual([]);
    expect(
      await rawIpc(
        'src/main/probe.ts',
        "import { emit } from './ipc';\nemit(null, 'sessionChanged', null);",
      ),
    ).toEqual([]);
  });
});

describe('the window’s side of the contract loads no zod', () => {
  it('preload and every renderer module import without zod', async () => {
    vi.resetModules();
    const loaded: string[] = [];
    vi.doMock('zod', async () => {
      loaded.push('zod');
      return vi.importActual('zod');
    });
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: () => undefined },
      ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
    }));
    vi.stubGlobal('window', {});
    try {
      await import('../../src/preload/index');
      // Every module of the page but its entry point (which renders into the DOM).
      const renderer = readdirSync('src/renderer', { recursive: true, encoding: 'utf8' })
        .filter((f) => /\.tsx?$/.test(f) && f !== 'main.tsx')
        .map((f) => resolve('src/renderer', f));
      expect(renderer.length).toBeGreaterThan(20);
      for (const file of renderer) await expect(import(file), file).resolves.toBeDefined();
      expect(loaded).toEqual([]);
      // The check itself works: main's schemas do load zod.
      await import('../../src/main/ipc-requests');
      expect(loaded).toEqual(['zod']);
    } finally {
      vi.unstubAllGlobals();
      vi.doUnmock('zod');
      vi.doUnmock('electron');
    }
  });
});
