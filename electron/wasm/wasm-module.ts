// The WebAssembly JS API as our kernels use it (@types/node 20 does not declare it; lib "dom" would
// bring the DOM), and their compilation: once per thread, on first use.
export type WasmModule = object;
export interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (d: { initial: number }) => WasmMemory;
  Instance: new (m: WasmModule, imports: object) => { exports: Record<string, unknown> };
}

export const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
export const WASM_PAGE = 65536;

/**
 * A getter of the module compiled from `base64` (a NAME.wasm.ts built by scripts/build-wasm.mjs): compiled
 * on the first call, null where WebAssembly or a feature the module uses (SIMD) is missing — the caller
 * then keeps its JS code.
 */
export function lazyModule(base64: string): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      try { compiled = wasm ? new wasm.Module(Buffer.from(base64, 'base64')) : null; } catch { compiled = null; }
    }
    return compiled;
  };
}
