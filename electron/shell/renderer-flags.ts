// V8 flags every window's renderer starts with, through Chromium's --js-flags switch (electron/main/main.ts):
// --expose-gc, so that the rpc client can collect the garbage answers leave behind once they pile up
// (shared/rpc/answer-garbage.ts; the page itself gets gc() too, and has no use for it). The memory bench
// starts its simulated windows with the same flags.
export const RENDERER_JS_FLAGS: readonly string[] = ['--expose-gc'];
