import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartConfiguration } from 'chart.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Scroll } from './ui';

Chart.register(BarController, BarElement, CategoryScale, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip);

/**
 * A chart on a canvas, described for screen readers by its label, with its figures in a table
 * one click away (the table is the accessible form of the chart).
 */
export function ChartView(props: { label: string; config: ChartConfiguration; table?: { head: string[]; rows: ComponentChildren[][] }; testId?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, { ...props.config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...props.config.options } });
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
                <tr>{props.table.head.map((h) => <th scope="col">{h}</th>)}</tr>
              </thead>
              <tbody>
                {props.table.rows.map((row) => (
                  <tr>{row.map((cell) => <td>{cell}</td>)}</tr>
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
