// A compact export control: PNG at a chosen scale, SVG, and (optionally) the plotted data as CSV.

export function ExportMenu(props: { scale: number; onScale(s: number): void; onExport(kind: 'png' | 'svg' | 'csv'): void; testid: string; csv?: boolean }) {
  return (
    <span className="export" data-testid={`export-${props.testid}`}>
      <select aria-label="PNG scale" data-testid={`export-scale-${props.testid}`} value={props.scale} onChange={e => props.onScale(Number(e.target.value))}>
        <option value={1}>1×</option><option value={2}>2×</option><option value={4}>4×</option>
      </select>
      <button data-testid={`export-png-${props.testid}`} onClick={() => props.onExport('png')}>PNG</button>
      <button data-testid={`export-svg-${props.testid}`} onClick={() => props.onExport('svg')}>SVG</button>
      {props.csv !== false ? <button data-testid={`export-csv-${props.testid}`} onClick={() => props.onExport('csv')}>CSV</button> : null}
    </span>
  );
}
