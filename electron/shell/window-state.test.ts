import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultState, loadState, placeWindow, sanitizeState, saveState } from './window-state';

test('state round-trips through a JSON file; missing or damaged files give defaults', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mx-state-'));
  try {
    const file = path.join(dir, 'sub', 'state.json');
    assert.deepEqual(loadState(file), defaultState());
    const s = { window: { x: 10, y: 20, width: 900, height: 700, maximized: true }, colormap: 'viridis' };
    saveState(file, s);
    assert.deepEqual(loadState(file), s);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['state.json'], 'no temp file left behind');
    fs.writeFileSync(file, '{"window": {"width": 9');
    assert.deepEqual(loadState(file), defaultState());
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

test('sanitizeState drops malformed fields and enforces a minimum size', () => {
  const s = sanitizeState({ window: { width: 10, height: 'x' }, colormap: '<script>' });
  assert.deepEqual(s.window, defaultState().window);
  assert.equal(s.colormap, undefined);
  assert.deepEqual(sanitizeState({ window: { width: 10, height: 10 } }).window, { width: 480, height: 360 });
});

test('placeWindow keeps a visible position, drops an off-screen one, cascades', () => {
  const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  assert.deepEqual(placeWindow({ x: 100, y: 100, width: 800, height: 600 }, displays), { x: 100, y: 100, width: 800, height: 600 });
  assert.deepEqual(placeWindow({ x: 100, y: 100, width: 800, height: 600 }, displays, 30), { x: 130, y: 130, width: 800, height: 600 });
  assert.deepEqual(placeWindow({ x: 5000, y: 100, width: 800, height: 600 }, displays), { width: 800, height: 600 }, 'monitor unplugged');
  assert.deepEqual(placeWindow({ x: 100, y: -500, width: 800, height: 600 }, displays), { width: 800, height: 600 }, 'title bar above the screen');
  assert.deepEqual(placeWindow({ width: 800, height: 600 }, displays), { width: 800, height: 600 });
});
