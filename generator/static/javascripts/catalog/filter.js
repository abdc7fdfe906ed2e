/* Filtering, facet counts, dead-end relaxations and sort orders over prepared models: no DOM. */
import { FACETS, RANGES } from "./state.js";

// how each column sorts: a key per model, null for a missing value (always last)
export const SORT_KEYS = {
  name: (m) => m.name,
  task: (m) => m.taskLabel.toLowerCase(),
  tags: (m) => (m.values.tag.length ? m.values.tag.join(", ") : null),
  framework: (m) => m.frameworkLabel.toLowerCase() || null,
  license: (m) => m.license.toLowerCase() || null,
  gflops: (m) => m.numbers.gflops,
  mparams: (m) => m.numbers.mparams,
  accuracy: (m) => m.numbers.accuracy,
  latency: (m) => m.numbers.latency,
  precisions: (m) => (m.values.precision.length ? m.values.precision.join(", ") : null),
  validation: (m) => (m.raw.validation && m.raw.validation.length ? validationText(m) : null),
};

function validationText(m) {
  return m.raw.validation.map((r) => r.device + " " + r.status).join(", ");
}

/* Every model's index in one column's order; equal keys keep the models' own order. */
export function sortOrder(models, key, desc) {
  const indexes = models.map((m) => m.index);
  if (!key) return indexes;
  const keys = models.map(SORT_KEYS[key]);
  const direction = desc ? -1 : 1;
  return indexes.sort((a, b) => {
    const x = keys[a];
    const y = keys[b];
    if (x === y) return a - b;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * direction;
  });
}

export function searchTerms(text) {
  return text.toLowerCase().split(/\s+/).filter(Boolean);
}

function inside(value, low, high) {
  return value !== null && (low === null || value >= low) && (high === null || value <= high);
}

/* The models (indexes, in `order`) that pass every filter group, and each facet value's count:
 * the models it would give with the other groups kept (written into index[facet].counts). */
export function filterModels(models, order, index, state) {
  const terms = searchTerms(state.search);
  // filter groups: text, then one per active facet, then one per active range
  const facets = FACETS.filter((f) => state.facets[f].size).map((facet) => {
    const info = index[facet];
    const wanted = new Uint8Array(info.values.length);
    info.values.forEach((value, i) => (wanted[i] = state.facets[facet].has(value) ? 1 : 0));
    return { facet: facet, wanted: wanted };
  });
  const ranges = RANGES.filter((r) => state.ranges[r][0] !== null || state.ranges[r][1] !== null)
    .map((range) => ({ range: range, low: state.ranges[range][0], high: state.ranges[range][1] }));
  for (const facet of FACETS) index[facet].counts.fill(0);
  const matches = []; // walking the sorted order leaves them sorted
  for (const i of order) {
    const m = models[i];
    let fails = 0;
    let failed = null; // the facet of the only failing group: it still counts for that facet
    if (terms.length && !terms.every((term) => m.text.includes(term))) {
      fails = 2; // a text miss never counts toward a facet
    }
    for (let g = 0; g < facets.length && fails < 2; g++) {
      const group = facets[g];
      if (!m.codes[group.facet].some((code) => group.wanted[code])) {
        fails += 1;
        failed = group.facet;
      }
    }
    for (let g = 0; g < ranges.length && fails < 2; g++) {
      const group = ranges[g];
      if (!inside(m.numbers[group.range], group.low, group.high)) fails = 2;
    }
    if (fails === 0) {
      matches.push(m.index);
      for (const facet of FACETS) {
        const counts = index[facet].counts;
        for (const code of m.codes[facet]) counts[code] += 1;
      }
    } else if (fails === 1) {
      const counts = index[failed].counts;
      for (const code of m.codes[failed]) counts[code] += 1;
    }
  }
  return matches;
}

/* How many models each filter group would give without it (the others kept). */
export function relaxations(models, groups, state) {
  const terms = searchTerms(state.search);
  const tests = groups.map((group) => {
    if (group.kind === "search") return (m) => terms.every((term) => m.text.includes(term));
    if (group.kind === "facet") {
      const wanted = new Set(group.values);
      return (m) => m.values[group.facet].some((value) => wanted.has(value));
    }
    const [low, high] = state.ranges[group.range];
    return (m) => inside(m.numbers[group.range], low, high);
  });
  const counts = new Array(groups.length).fill(0);
  for (const m of models) {
    let failed = -1;
    let fails = 0;
    for (let g = 0; g < tests.length && fails < 2; g++) {
      if (!tests[g](m)) {
        fails += 1;
        failed = g;
      }
    }
    if (fails === 1) counts[failed] += 1; // only that group keeps this model out
  }
  return groups.map((group, i) => ({ group: group, index: i, count: counts[i] }));
}
