import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { placeLabels } from './format';
import { Scroll } from './ui';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

/**
 * A chart on a canvas, described for screen readers by its label, with its figures in a table
 * one click away (the table is the accessible form of the chart).
 */
export function ChartView(props: { label: string; config: ChartConfiguration; table?: { head: string[]; rows: ComponentChildren[][] }; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, {
      ...props.config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...props.config.options },
    });
    return () => chart.destroy();
  }, [props.config]);
  return (
    <figure class="chart" data-testid={props.testId}>
      <div class="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={props.label} />
      </div>
      <figcaption>{props.label}</figcaption>
      {props.table && (
        <details>
          <summary>The figures</summary>
          <Scroll label="The figures">
            <table>
              <thead>
                <tr>
                  {props.table.head.map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {props.table.rows.map((row) => (
                  <tr>
                    {row.map((cell) => (
                      <td>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        </details>
      )}
    </figure>
  );
}

export const COLORS = ['#1f5fa8', '#c0392b', '#2e8b57', '#b8860b', '#6a3d9a', '#d35400', '#008b8b', '#7f8c8d'];

/** An axis of amounts in compact figures (25bn, 1.2tn, 850k): a small fund's axis reads as well as a large one's. */
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
export const AMOUNTS = {
  ticks: { callback: (v: number | string) => compact.format(Number(v)).replace('B', 'bn').replace('T', 'tn').replace('M', 'm').replace('K', 'k') },
};

/** Dated events drawn on a chart's time axis (a category axis of dates): a dashed line at each, and labels that do not overlap. */
export function markersOnTimeAxis(markers: { index: number; label: string }[]): Plugin {
  // One label per point of the axis: the markers at it, joined.
  const byIndex = new Map<number, string[]>();
  for (const m of markers) byIndex.set(m.index, [...(byIndex.get(m.index) ?? []), m.label]);
  return {
    id: 'markers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales } = chart;
      ctx.save();
      ctx.strokeStyle = '#4d5560';
      ctx.fillStyle = '#1b1f24';
      ctx.setLineDash([3, 3]);
      ctx.font = '11px system-ui, sans-serif';
      const items = [...byIndex.entries()]
        .sort(([a], [b]) => a - b)
        .map(([index, labels]) => {
          const x = scales.x.getPixelForValue(index);
          ctx.beginPath();
          ctx.moveTo(x, area.top);
          ctx.lineTo(x, area.bottom);
          ctx.stroke();
          const label = labels.join(' · ');
          const width = ctx.measureText(label).width;
          // A label that would run past the chart's right edge goes to the left of its line.
          return { x: x + 3 + width > area.right ? Math.max(area.left, x - width - 3) : x + 3, width, label };
        })
        .sort((a, b) => a.x - b.x);
      for (const p of placeLabels(items, 4)) ctx.fillText(p.label, p.x, area.top + 11 + p.row * 12);
      ctx.restore();
    },
  };
}
