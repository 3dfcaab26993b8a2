// Facts about the open matrix: shape, dtype, stored entries, statistics, where it came from.
import type { MatrixInfo } from '../../../shared/queries';
import { formatCount, formatNumber } from '../../../shared/view/ticks';

const DTYPE_NAMES: Record<string, string> = { f8: 'float64', f4: 'float32', i1: 'int8', u1: 'uint8', i2: 'int16', u2: 'uint16', i4: 'int32', u4: 'uint32', c8: 'complex64', c16: 'complex128' };

export function StatsPanel({ info }: { info: MatrixInfo }) {
  const s = info.stats;
  const total = info.shape[0] * info.shape[1];
  const rows: [string, string, string?][] = [
    ['shape', `${formatCount(info.shape[0])} × ${formatCount(info.shape[1])}`, 'shape'],
    ['kind', info.kind],
    ['dtype', `${DTYPE_NAMES[info.dtype] ?? info.dtype} (${info.dtype})`, 'dtype'],
    [info.kind === 'sparse' ? 'stored (nnz)' : 'nonzero', formatCount(info.nnz), 'nnz'],
    ['density', `${(info.density * 100).toPrecision(4)} %`],
    ['min', formatNumber(s.min), 'min'],
    ['max', formatNumber(s.max), 'max'],
    ['mean', formatNumber(s.mean)],
    ['std', formatNumber(s.std)],
    ['zeros', formatCount(s.zeros)],
    ['NaN', formatCount(s.nan)],
    ['+Inf / −Inf', `${formatCount(s.posinf)} / ${formatCount(s.neginf)}`],
    ['elements', formatCount(total)],
    ['pyramid', info.levels.join(', ')],
    ['source', info.displayName ? `${info.displayName} (uploaded; copy at ${info.sourcePath})` : info.sourcePath, 'source'],
    ['format', info.sourceFormat],
    ['store', info.storePath, 'store'],
  ];
  return (
    <div className="stats" data-testid="stats-panel">
      <table>
        <tbody>
          {rows.map(([k, v, id]) => <tr key={k}><th>{k}</th><td data-testid={id ? `stat-${id}` : undefined} title={v}>{v}</td></tr>)}
        </tbody>
      </table>
      {info.header ? <pre className="header" title="source header">{info.header}</pre> : null}
    </div>
  );
}
