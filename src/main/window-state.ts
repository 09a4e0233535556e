/** Remembers the window's bounds between runs (a small JSON file in userData; nothing secret). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, screen, type BrowserWindow, type Rectangle } from 'electron';

const file = () => join(app.getPath('userData'), 'window-state.json');

/** The saved bounds, if they still fit on a connected display. */
export function savedBounds(): Partial<Rectangle> {
  try {
    const b = JSON.parse(readFileSync(file(), 'utf8')) as Rectangle;
    const fits = screen
      .getAllDisplays()
      .some(
        ({ workArea: a }) =>
          b.x >= a.x &&
          b.y >= a.y &&
          b.x + b.width <= a.x + a.width &&
          b.y + b.height <= a.y + a.height,
      );
    return fits ? b : { width: b.width, height: b.height };
  } catch {
    return {};
  }
}

/** Saves the bounds whenever the window closes. */
export function rememberBounds(window: BrowserWindow): void {
  window.on('close', () => {
    try {
      writeFileSync(file(), JSON.stringify(window.getNormalBounds()));
    } catch {
      // Not worth failing a quit for.
    }
  });
}
