// A gate that opens once the first heatmap raster is on screen (or after a few seconds): heavy work
// that is not needed for it — loading Plotly (~4.6 MB of script), whole-matrix histograms — waits for it,
// so opening a big matrix paints quickly.
let open: () => void = () => undefined;
const gate = new Promise<void>(resolve => { open = resolve; });
setTimeout(() => open(), 3000);

export function firstPainted(): void { open(); }
export function afterFirstPaint(): Promise<void> { return gate; }
