// Ambient declarations the renderer needs (tsconfig has `types: []`).
declare module 'plotly.js-dist-min' {
  import * as Plotly from 'plotly.js';
  export default Plotly;
}

interface ImportMeta {
  glob<T = unknown>(pattern: string | string[], options?: { eager?: boolean }): Record<string, T>;
}

interface Window {
  /** Debug/test hook: the explorer's live state (read by the e2e tests and the UI bench). */
  __explorer?: import('./explorer-hook').ExplorerHook;
}
