// Gates that open once a matrix's first heatmap raster is on screen (or a few seconds after the gate was
// first asked for): heavy work that is not needed for it — loading Plotly (~4.6 MB of script), whole-matrix
// percentiles and histograms, the side panels — waits for it, so opening a big matrix paints quickly. One
// gate per matrix (a matrix opened later in the same page waits for its own first paint) and one for the
// page (the first paint of any matrix).
const FALLBACK_MS = 3000;

interface Gate { opened: Promise<void>; open(): void }
const gates = new Map<string, Gate>();

function gate(key: string): Gate {
  let g = gates.get(key);
  if (!g) {
    let open!: () => void;
    const opened = new Promise<void>(resolve => { open = resolve; });
    g = { opened, open };
    gates.set(key, g);
    setTimeout(open, FALLBACK_MS);
  }
  return g;
}

const PAGE = '\0page'; // never a matrix id (those are store paths)
gate(PAGE);

/** The first raster of matrix `matrixId` is on screen. */
export function firstPainted(matrixId: string): void {
  gate(PAGE).open();
  gate(matrixId).open();
}

/** Resolves once matrix `matrixId` (or, without one, any matrix in this page) has painted its first raster. */
export function afterFirstPaint(matrixId?: string): Promise<void> {
  return gate(matrixId ?? PAGE).opened;
}
