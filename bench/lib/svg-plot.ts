/** One line of a chart: points joined in x order. */
export interface PlotSeries {
  name: string;
  color: string;
  /** Dashed lines mark baselines. */
  dashed?: boolean;
  points: Array<{ x: number; y: number }>;
}

export interface PlotPanel {
  title: string;
  xLabel: string;
  yLabel: string;
  series: PlotSeries[];
}

const PANEL_WIDTH = 480;
const PANEL_HEIGHT = 320;
const MARGIN = { left: 64, right: 20, top: 54, bottom: 48 };
const COLUMNS = 2;

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Picks a round tick step (1, 2 or 5 times a power of ten) for about five ticks up to max. */
export function niceTickStep(max: number): number {
  if (!(max > 0)) {
    return 1;
  }
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const multiple = [1, 2, 5, 10].find((candidate) => candidate * power >= raw) ?? 10;

  return multiple * power;
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toPrecision(3).replace(/\.?0+$/, '');
}

/**
 * Draws one chart on a base-2 logarithmic x axis, because concurrency levels
 * such as 1, 8 and 32 grow by factors. The y axis is linear from zero.
 */
function renderPanel(panel: PlotPanel, offsetX: number, offsetY: number): string {
  const plotWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const points = panel.series.flatMap((series) => series.points);
  const xValues = [...new Set(points.map((point) => point.x))].sort((a, b) => a - b);
  const xMin = Math.log2(Math.max(xValues[0] ?? 1, 1));
  const xMax = Math.log2(Math.max(xValues[xValues.length - 1] ?? 2, 2));
  const yStep = niceTickStep(Math.max(...points.map((point) => point.y), 0));
  const yMax = Math.max(
    yStep,
    Math.ceil(Math.max(...points.map((point) => point.y)) / yStep) * yStep,
  );

  const left = offsetX + MARGIN.left;
  const top = offsetY + MARGIN.top;
  const toX = (x: number): number =>
    left + (xMax === xMin ? plotWidth / 2 : ((Math.log2(x) - xMin) / (xMax - xMin)) * plotWidth);
  const toY = (y: number): number => top + plotHeight - (y / yMax) * plotHeight;
  const parts: string[] = [];

  parts.push(
    `<text x="${offsetX + PANEL_WIDTH / 2}" y="${offsetY + 20}" text-anchor="middle" ` +
      `font-size="14" font-weight="bold">${escapeXml(panel.title)}</text>`,
  );
  for (let y = 0; y <= yMax + yStep / 1000; y += yStep) {
    parts.push(
      `<line x1="${left}" x2="${left + plotWidth}" y1="${toY(y)}" y2="${toY(y)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${toY(y) + 4}" text-anchor="end" font-size="11">` +
        `${formatTick(y)}</text>`,
    );
  }
  for (const x of xValues) {
    parts.push(
      `<line x1="${toX(x)}" x2="${toX(x)}" y1="${top}" y2="${top + plotHeight}" stroke="#eee"/>`,
      `<text x="${toX(x)}" y="${top + plotHeight + 16}" text-anchor="middle" font-size="11">` +
        `${x}</text>`,
    );
  }
  parts.push(
    `<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" ` +
      'stroke="#444"/>',
    `<text x="${left + plotWidth / 2}" y="${top + plotHeight + 36}" text-anchor="middle" ` +
      `font-size="12">${escapeXml(panel.xLabel)}</text>`,
    `<text transform="translate(${offsetX + 16},${top + plotHeight / 2}) rotate(-90)" ` +
      `text-anchor="middle" font-size="12">${escapeXml(panel.yLabel)}</text>`,
  );

  panel.series.forEach((series, index) => {
    const sorted = [...series.points].sort((a, b) => a.x - b.x);
    const path = sorted.map((point) => `${toX(point.x)},${toY(point.y)}`).join(' ');
    const dash = series.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(
      `<polyline points="${path}" fill="none" stroke="${series.color}" stroke-width="2"${dash}/>`,
      ...sorted.map(
        (point) =>
          `<circle cx="${toX(point.x)}" cy="${toY(point.y)}" r="3" fill="${series.color}"/>`,
      ),
    );
    const legendX = offsetX + MARGIN.left + (index % 2) * (plotWidth / 2);
    const legendY = offsetY + 34 + Math.floor(index / 2) * 14;
    parts.push(
      `<line x1="${legendX}" x2="${legendX + 18}" y1="${legendY - 4}" y2="${legendY - 4}" ` +
        `stroke="${series.color}" stroke-width="2"${dash}/>`,
      `<text x="${legendX + 22}" y="${legendY}" font-size="11">${escapeXml(series.name)}</text>`,
    );
  });

  return parts.join('\n');
}

/** Renders the panels in a grid of two columns as one standalone SVG document. */
export function renderPlot(title: string, panels: PlotPanel[]): string {
  const rows = Math.ceil(panels.length / COLUMNS);
  const width = PANEL_WIDTH * COLUMNS;
  const height = PANEL_HEIGHT * rows + 40;
  const body = panels
    .map((panel, index) =>
      renderPanel(
        panel,
        (index % COLUMNS) * PANEL_WIDTH,
        40 + Math.floor(index / COLUMNS) * PANEL_HEIGHT,
      ),
    )
    .join('\n');

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="26" text-anchor="middle" font-size="16" font-weight="bold">` +
      `${escapeXml(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}
