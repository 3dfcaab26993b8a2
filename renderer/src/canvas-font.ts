// The font of the heatmap's axes and colour bar (a module of its own so the small entry script can warm it up).
export const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
