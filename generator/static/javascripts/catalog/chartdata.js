/* What the chart plots, without the DOM: one (metric, dataset, unit) or MParams against GFLOPs,
 * the choices that give at least one point, and points spread so none hides another. */

export const MPARAMS = "mparams";
const SEPARATOR = "|";

function metricKey(metric) {
  return "metric:" + [metric.metric, metric.dataset || "", metric.unit || ""].join(SEPARATOR);
}

function positive(value) {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/* The vertical axes the matching models can fill, most points first: each (metric, dataset,
 * unit) any of them publishes, and MParams. A choice without a point is never offered. */
export function chartChoices(models, matches) {
  const choices = new Map();
  const add = (key, make) => {
    if (!choices.has(key)) choices.set(key, { ...make(), key: key, count: 0 });
    choices.get(key).count += 1;
  };
  for (const i of matches) {
    const m = models[i];
    if (!positive(m.numbers.gflops)) continue;
    const seen = new Set();
    for (const metric of m.metrics) {
      const key = metricKey(metric);
      if (seen.has(key) || metric.value === null) continue;
      seen.add(key); // a model is one point per choice
      add(key, () => describe(metric));
    }
    if (positive(m.numbers.mparams)) {
      add(MPARAMS, () => ({ label: "MParams", axis: "MParams (log scale)", log: true, better: "" }));
    }
  }
  return [...choices.values()].sort((a, b) => {
    if ((a.key === MPARAMS) !== (b.key === MPARAMS)) return a.key === MPARAMS ? 1 : -1;
    return b.count - a.count || a.label.localeCompare(b.label, "en");
  });
}

function describe(metric) {
  const name = metric.metric + (metric.dataset ? " on " + metric.dataset : "");
  const unit = metric.unit ? ` (${metric.unit})` : "";
  const direction = metric.better === "lower" ? "lower is better" : "higher is better";
  return {
    label: name + unit,
    axis: `${name}${unit}, ${direction}`,
    log: false,
    better: metric.better,
    metric: metric.metric,
    dataset: metric.dataset || "",
    unit: metric.unit || "",
  };
}

/* The choice to draw: the wanted one when it has points, else the one with the most. */
export function pickChoice(choices, wanted) {
  return choices.find((choice) => choice.key === wanted) || choices[0] || null;
}

/* The points of one choice, with the figures as their cards wrote them for the tooltip. */
export function chartPoints(models, matches, choice) {
  const points = [];
  if (!choice) return points;
  for (const i of matches) {
    const m = models[i];
    if (!positive(m.numbers.gflops)) continue;
    let y = null;
    let yText = "";
    if (choice.key === MPARAMS) {
      if (positive(m.numbers.mparams)) {
        y = m.numbers.mparams;
        yText = m.view.mparams + " MParams";
      }
    } else {
      const metric = m.metrics.find((f) => metricKey(f) === choice.key);
      if (metric && metric.value !== null) {
        y = metric.value;
        yText = `${choice.metric}${choice.dataset ? " on " + choice.dataset : ""}: ${metric.text}`;
      }
    }
    if (y === null) continue;
    points.push({ name: m.name, url: m.url, x: m.numbers.gflops, y: y, shownX: m.numbers.gflops,
      xText: m.view.gflops + " GFLOPs", yText: yText });
  }
  points.sort((a, b) => a.x - b.x || a.y - b.y || (a.name < b.name ? -1 : 1));
  return points;
}

/* Points closer than `gap` pixels on both axes (equal GFLOPs, nearly equal figures) are spread
 * side by side along the (log) GFLOPs axis, so 8 models at one spot show as 8 dots. Sets
 * point.x (where it is drawn); point.shownX keeps the real figure. */
export function spread(points, width, height, yLog, gap = 8) {
  if (points.length < 2) return points;
  const project = (values, log) => {
    const v = values.map((x) => (log ? Math.log10(x) : x));
    const low = Math.min(...v);
    const span = Math.max(...v) - low || 1;
    return { v: v, low: low, span: span };
  };
  const xs = project(points.map((p) => p.shownX), true);
  const ys = project(points.map((p) => p.y), yLog);
  const px = xs.v.map((v) => ((v - xs.low) / xs.span) * width);
  const py = ys.v.map((v) => ((v - ys.low) / ys.span) * height);
  const clusters = [];
  points.forEach((point, i) => {
    const near = clusters.find((c) => Math.abs(px[c[0]] - px[i]) < gap && Math.abs(py[c[0]] - py[i]) < gap);
    if (near) near.push(i);
    else clusters.push([i]);
  });
  for (const cluster of clusters) {
    if (cluster.length < 2) continue;
    const centre = cluster.reduce((sum, i) => sum + px[i], 0) / cluster.length;
    cluster.forEach((i, k) => {
      const offset = (k - (cluster.length - 1) / 2) * gap;
      points[i].x = 10 ** (xs.low + ((centre + offset) / width) * xs.span);
    });
  }
  return points;
}
