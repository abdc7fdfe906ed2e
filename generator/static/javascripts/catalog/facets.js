/* Facet values, their labels and order, and the active filters as removable entries: no DOM. */
import { FACETS, LICENSE_CLASSES, NOT_GIVEN, RANGES, TITLES, number } from "./state.js";

function label(facet, value, m) {
  if (value === "") return NOT_GIVEN;
  if (facet === "task") return m.taskLabel;
  if (facet === "framework") return m.frameworkLabel;
  return value;
}

/* Per facet: its values in display order, their labels, and a per-model code array
 * (m.codes[facet]) that the filter compares instead of strings. */
export function facetIndex(models) {
  const index = {};
  for (const facet of FACETS) {
    const labels = new Map();
    for (const m of models) {
      for (const value of m.values[facet]) {
        if (!labels.has(value)) labels.set(value, label(facet, value, m));
      }
    }
    const rank = (value) => {
      const known = LICENSE_CLASSES.indexOf(value);
      return facet === "license_class" && known >= 0 ? known : LICENSE_CLASSES.length;
    };
    const values = [...labels.keys()].sort((a, b) => {
      if ((a === "") !== (b === "")) return a === "" ? 1 : -1; // "not given" last
      return rank(a) - rank(b) || labels.get(a).localeCompare(labels.get(b), "en");
    });
    const codes = new Map(values.map((value, i) => [value, i]));
    for (const m of models) m.codes[facet] = m.values[facet].map((v) => codes.get(v));
    index[facet] = { values: values, labels: labels, counts: new Int32Array(values.length) };
  }
  return index;
}

export function rangeLabel(title, low, high) {
  if (low !== null && high !== null) return `${title}: ${number(low)} to ${number(high)}`;
  return low !== null ? `${title} ≥ ${number(low)}` : `${title} ≤ ${number(high)}`;
}

/* One entry per removable value: the search, each checked facet value, each range. */
export function activeFilters(state, index) {
  const filters = [];
  if (state.search.trim()) {
    filters.push({ kind: "search", label: `Search: ${state.search.trim()}` });
  }
  for (const facet of FACETS) {
    const labels = index[facet].labels;
    for (const value of state.facets[facet]) {
      const text = labels.has(value) ? labels.get(value) : value || NOT_GIVEN;
      filters.push({ kind: "facet", facet: facet, values: [value], label: `${TITLES[facet]}: ${text}` });
    }
  }
  for (const range of RANGES) {
    const [low, high] = state.ranges[range];
    if (low === null && high === null) continue;
    filters.push({ kind: "range", range: range, label: rangeLabel(TITLES[range], low, high) });
  }
  return filters;
}

/* The groups the list must pass (a facet's values form one group): what relaxing removes. */
export function filterGroups(state, index) {
  const groups = [];
  for (const filter of activeFilters(state, index)) {
    const last = groups[groups.length - 1];
    if (filter.kind === "facet" && last && last.kind === "facet" && last.facet === filter.facet) {
      last.values.push(filter.values[0]);
      last.label += " or " + filter.label.slice(TITLES[filter.facet].length + 2);
    } else {
      groups.push({ ...filter, values: filter.values ? [...filter.values] : undefined });
    }
  }
  return groups;
}

/* The state without one group (a copy: the caller assigns it). */
export function withoutGroup(state, group) {
  const next = {
    ...state,
    facets: Object.fromEntries(FACETS.map((f) => [f, new Set(state.facets[f])])),
    ranges: { ...state.ranges },
  };
  if (group.kind === "search") next.search = "";
  else if (group.kind === "range") next.ranges[group.range] = [null, null];
  else for (const value of group.values) next.facets[group.facet].delete(value);
  return next;
}
