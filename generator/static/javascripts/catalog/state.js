/* The catalog's data and view state, without the DOM: constants, the models as the page reads
 * them (display values come ready-made from models.json's `view`), the empty state. */

export const PAGE_SIZE = 50; // rows rendered at once: style and layout cost grows with each row
export const FACETS = ["task", "tag", "framework", "license", "license_class", "precision", "device"];
export const RANGES = ["gflops", "mparams", "accuracy"];
export const CONTINUOUS = new Set(["search", ...RANGES]); // typing: one history entry per burst
export const NOT_GIVEN = "not given";
export const NO_ACCURACY = "no accuracy published";
export const NOT_MEASURED = "not measured";
export const TITLES = {
  task: "Task", tag: "Tag", framework: "Framework", license: "License",
  license_class: "License class", precision: "IR precision", device: "Validated on",
  gflops: "GFLOPs", mparams: "MParams", accuracy: "Accuracy",
};
// the order the license classes are listed in, most permissive first
export const LICENSE_CLASSES = ["permissive", "copyleft", "non-commercial", "unknown"];

export function number(value) {
  return value === null || value === undefined ? "" : String(value);
}

export function plural(count, word) {
  return count.toLocaleString("en") + " " + word + (count === 1 ? "" : "s");
}

export function parseBound(text) {
  if (text === null || text === undefined || String(text).trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

function numeric(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/* One model of models.json as the page uses it: `base` is the site root (a URL). */
export function prepare(raw, index, base) {
  const view = raw.view || {};
  const tags = raw.tags || [];
  const complexity = raw.complexity || {};
  const license = raw.license ? raw.license.id : "";
  const passed = [];
  for (const result of raw.validation || []) {
    if (result.status === "passed" && !passed.includes(result.device)) passed.push(result.device);
  }
  const framework = raw.framework || "";
  // each accuracy figure with its text as the card wrote it (the generator's `figures`)
  const figures = view.figures || [];
  const metrics = (raw.accuracy || []).map((a, i) => ({
    metric: a.metric, dataset: a.dataset || "", unit: a.unit || "", value: numeric(a.value),
    text: figures[i], better: a.better || "higher",
  }));
  const main = Number.isInteger(view.main) ? metrics[view.main] || null : null;
  return {
    raw: raw,
    view: view,
    index: index,
    name: raw.name,
    url: new URL(raw.page, base).href,
    text: [raw.name, raw.description || "", tags.join(" ")].join("\n").toLowerCase(),
    taskLabel: raw.task_title || raw.task,
    frameworkLabel: view.framework || framework,
    metrics: metrics,
    main: main, // ranked, filtered and charted as accuracy: the first higher-is-better figure
    shown: Number.isInteger(view.shown) ? metrics[view.shown] || null : null, // what a row shows
    license: license,
    values: {
      task: [raw.task],
      tag: tags,
      framework: [framework],
      license: [license],
      license_class: [view.license_class || "unknown"],
      precision: Object.keys(raw.ir || {}),
      device: passed,
    },
    numbers: {
      gflops: numeric(complexity.gflops),
      mparams: numeric(complexity.mparams),
      // the main metric (first higher-is-better figure), computed by the generator
      accuracy: main ? main.value : null,
      latency: view.speed ? numeric(view.speed.latency_ms) : null,
    },
    codes: {}, // facet value indexes, filled by facetIndex
  };
}

export function emptyState() {
  const facets = {};
  for (const facet of FACETS) facets[facet] = new Set();
  const ranges = {};
  for (const range of RANGES) ranges[range] = [null, null];
  return {
    search: "",
    facets: facets,
    ranges: ranges,
    sort: { key: "", desc: false },
    compare: [],
    view: "list",
    y: "",
  };
}
