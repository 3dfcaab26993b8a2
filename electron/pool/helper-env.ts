// The environment a helper process starts with: the parent's, plus glibc malloc settings that hand freed
// result buffers back to the system instead of keeping them in per-thread arenas. Helpers allocate a
// few MB per answer (rasters, slices) and free it at once; with glibc's defaults that memory stays in the
// process as private pages (measured: a helper's Private 79 MiB with defaults, 36 MiB with these). A value
// the user set wins.
export const HELPER_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

export function helperEnv(base: NodeJS.ProcessEnv, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const [k, v] of Object.entries(HELPER_MALLOC_ENV)) if (env[k] === undefined) env[k] = v;
  return { ...env, ...extra };
}

/**
 * V8 flags a helper starts with (child_process.fork's and utilityProcess.fork's execArgv): gc() for
 * garbage-watch, which collects the dead buffers of big answers once they pile up.
 */
export const HELPER_EXEC_ARGV: readonly string[] = ['--expose-gc'];
