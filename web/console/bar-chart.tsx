/**
 * Horizontal bars under a title: one image for assistive technology, named by `label` with every figure it shows.
 * Each bar has its own scale (`max`), so that counts and times can share a chart; `gapBefore` separates groups.
 */
export interface Bar {
  /** The CSS class suffix (`bar-<key>`): the colour, never the only carrier of meaning. */
  readonly key: string;
  readonly label: string;
  readonly value: number;
  readonly text: string;
  readonly max: number;
  readonly gapBefore?: boolean;
}

const W = 400;
const LABEL_W = 150;
const BAR_W = 170;
const ROW_H = 24;
const HEAD_H = 24;
const GAP = 10;

export function BarChart(props: {
  readonly title: string;
  readonly label: string;
  readonly bars: readonly Bar[];
  /** data-* attributes to find the chart by. */
  readonly data?: Readonly<Record<string, string>>;
}) {
  const { bars } = props;
  const tops: number[] = [];
  let top = HEAD_H;
  for (const b of bars) {
    if (b.gapBefore === true) top += GAP;
    tops.push(top);
    top += ROW_H;
  }
  const height = top + 4;
  const data = Object.fromEntries(Object.entries(props.data ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <svg
      class="chart"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${String(W)} ${String(height)}`}
      width={W}
      height={height}
      {...data}
    >
      <title>{props.label}</title>
      <text x={0} y={16} class="chart-title">
        {props.title}
      </text>
      <line x1={LABEL_W} x2={LABEL_W} y1={HEAD_H - 2} y2={height - 2} class="chart-axis" />
      {bars.map((b, i) => {
        const y = tops[i] ?? HEAD_H;
        const w = b.value <= 0 || b.max <= 0 ? 0 : Math.max(2, Math.min(1, b.value / b.max) * BAR_W);
        return (
          <g key={`${b.key}-${String(i)}`}>
            <text x={LABEL_W - 6} y={y + 16} text-anchor="end" class="chart-label">
              {b.label}
            </text>
            <rect x={LABEL_W} y={y + 4} width={w} height={ROW_H - 8} rx={2} class={`bar bar-${b.key}`} />
            <text x={LABEL_W + w + 6} y={y + 16} class="chart-value">
              {b.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
