/* The URL is the state: ?search=..&task=a&task=b&gflops=..3&sort=-accuracy&compare=x&view=compare
 * (not `q` or `h`: Material's search reads those). */
import { FACETS, RANGES, emptyState, number, parseBound } from "./state.js";
import { SORT_KEYS } from "./filter.js";

// `known`: the model names (a Set or Map), so a stale link compares only models that exist
export function decode(query, known) {
  const params = new URLSearchParams(query);
  const state = emptyState();
  state.search = params.get("search") || "";
  for (const facet of FACETS) {
    for (const value of params.getAll(facet)) state.facets[facet].add(value);
  }
  for (const range of RANGES) {
    const text = params.get(range);
    if (text && text.includes("..")) {
      const [low, high] = text.split("..");
      state.ranges[range] = [parseBound(low), parseBound(high)];
    }
  }
  const sort = params.get("sort") || "";
  const key = sort.replace(/^-/, "");
  if (Object.hasOwn(SORT_KEYS, key)) state.sort = { key: key, desc: sort.startsWith("-") };
  state.compare = params.getAll("compare").filter((name, i, all) => {
    return known.has(name) && all.indexOf(name) === i;
  });
  state.view = params.get("view") === "compare" && state.compare.length ? "compare" : "list";
  state.y = params.get("y") || "";
  return state;
}

export function encode(state) {
  const params = new URLSearchParams();
  if (state.search) params.set("search", state.search);
  for (const facet of FACETS) {
    for (const value of [...state.facets[facet]].sort()) params.append(facet, value);
  }
  for (const range of RANGES) {
    const [low, high] = state.ranges[range];
    if (low !== null || high !== null) params.set(range, number(low) + ".." + number(high));
  }
  if (state.sort.key) params.set("sort", (state.sort.desc ? "-" : "") + state.sort.key);
  if (state.y) params.set("y", state.y);
  for (const name of state.compare) params.append("compare", name);
  if (state.view === "compare") params.set("view", "compare");
  const query = params.toString();
  return query ? "?" + query : "";
}
