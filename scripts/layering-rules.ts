// The import-direction rules of the project, checked over the source tree:
//   renderer → shared ← electron; only electron/main/ touches Electron; shared/ is pure (no Node, no DOM).
// Imports are found with TypeScript's own pre-processor (static, dynamic, require, export-from, import-equals),
// so comments and strings never confuse it.
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import ts from 'typescript';

export interface Violation {
  /** Path relative to the root, with forward slashes. */
  file: string;
  line: number;
  specifier: string;
  rule: string;
}

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'release', 'coverage', '.git']);
const BUILTINS = new Set(builtinModules.filter(m => !m.startsWith('_')));

export function isNodeBuiltin(spec: string): boolean {
  if (spec.startsWith('node:')) return true;
  return BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

export function isElectronModule(spec: string): boolean {
  return spec === 'electron' || spec.startsWith('electron/');
}

/** Every .ts/.tsx file under `dirs` (relative to root), skipping build output and dependencies. */
export function sourceFiles(root: string, dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(child);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

export interface ImportRef { specifier: string; line: number }

export function importsOf(source: string): ImportRef[] {
  const info = ts.preProcessFile(source, true, true);
  const lineOf = (pos: number) => source.slice(0, pos).split('\n').length;
  return info.importedFiles.map(f => ({ specifier: f.fileName, line: lineOf(f.pos) }));
}

const isTestFile = (rel: string) => /\.test\.tsx?$/.test(rel);
/** Build configuration (vite.config.ts, …) runs in Node even when it sits in renderer/. */
const isConfigFile = (rel: string) => /(^|\/)[^/]*\.config\.tsx?$/.test(rel);

/** Which top-level layer a relative import from `fromRel` lands in ('shared', 'electron', 'renderer', …). */
function targetLayer(fromRel: string, spec: string): { layer: string; rel: string } | null {
  if (!spec.startsWith('.')) return null;
  const rel = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec));
  return { layer: rel.split('/')[0], rel };
}

/**
 * Known, deliberate exceptions: [file, specifier, why]. Keep this list short; each entry is reported by the test
 * as a note so it does not silently become permanent.
 */
export const EXCEPTIONS: ReadonlyArray<readonly [string, string, string]> = [];

/** The rule a single import breaks, or null. */
export function checkImport(fromRel: string, spec: string): string | null {
  if (EXCEPTIONS.some(([f, s]) => f === fromRel && s === spec)) return null;
  const layer = fromRel.split('/')[0];
  const target = targetLayer(fromRel, spec);
  if (isElectronModule(spec) && !fromRel.startsWith('electron/main/')) return "only files under electron/main/ may import 'electron'";
  if (layer === 'shared') {
    if (isNodeBuiltin(spec) && !isTestFile(fromRel)) return 'shared/ is pure: no Node built-in modules';
    if (target && (target.layer === 'electron' || target.layer === 'renderer')) return `shared/ must not import from ${target.layer}/`;
  }
  if (layer === 'renderer' && !isConfigFile(fromRel)) {
    if (isNodeBuiltin(spec) && !isTestFile(fromRel)) return 'renderer/ runs in the page: no Node built-in modules';
    if (target && target.layer === 'electron') return 'renderer/ must not import from electron/ (talk to it through shared/client)';
  }
  if (layer === 'electron' && target && target.layer === 'renderer') return 'electron/ must not import from renderer/';
  return null;
}

export const LAYER_DIRS = ['shared', 'electron', 'renderer', 'e2e', 'bench', 'scripts'];

export function checkLayering(root: string, dirs: string[] = LAYER_DIRS): Violation[] {
  const out: Violation[] = [];
  for (const file of sourceFiles(root, dirs)) {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    for (const { specifier, line } of importsOf(source)) {
      const rule = checkImport(file, specifier);
      if (rule) out.push({ file, line, specifier, rule });
    }
  }
  return out;
}

export function formatViolations(vs: Violation[]): string {
  return vs.map(v => `${v.file}:${v.line}: imports '${v.specifier}' — ${v.rule}`).join('\n');
}
