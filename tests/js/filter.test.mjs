// Filtering, facet counts, relaxations and sort orders of the catalog (no browser)
import assert from "node:assert/strict";
import { test } from "node:test";

import { facetIndex, filterGroups, activeFilters, withoutGroup } from "../../generator/static/javascripts/catalog/facets.js";
import { filterModels, relaxations, sortOrder } from "../../generator/static/javascripts/catalog/filter.js";
import { emptyState, NOT_GIVEN } from "../../generator/static/javascripts/catalog/state.js";
import { models, names } from "./fixtures.mjs";

function run(state, sort = ["", false]) {
  const all = models();
  const index = facetIndex(all);
  const matches = filterModels(all, sortOrder(all, ...sort), index, state);
  const count = (facet, value) => index[facet].counts[index[facet].values.indexOf(value)];
  return { all, index, matches: names(all, matches), count };
}

test("no filter: every model, in card order", () => {
  assert.deepEqual(run(emptyState()).matches, ["det-small", "det-large", "face-tiny", "reader", "bare"]);
});

test("values of one facet are OR'ed, facets AND'ed", () => {
  const state = emptyState();
  state.facets.tag.add("person").add("face");
  assert.deepEqual(run(state).matches, ["det-small", "det-large", "face-tiny"]);
  state.facets.license_class.add("copyleft");
  assert.deepEqual(run(state).matches, ["det-large"]);
});

test("a facet's counts keep its own selection out, other facets in", () => {
  const state = emptyState();
  state.facets.task.add("detection");
  const { count } = run(state);
  assert.equal(count("task", "classification"), 1); // as if task were unset
  assert.equal(count("tag", "person"), 2);
  assert.equal(count("license_class", "unknown"), 0);
  assert.equal(count("license_class", "permissive"), 1);
});

test("license classes are listed most permissive first, not given last", () => {
  const { index } = run(emptyState());
  assert.deepEqual(index.license_class.values, ["permissive", "copyleft", "non-commercial", "unknown"]);
  assert.equal(index.license.values.at(-1), "");
  assert.equal(index.license.labels.get(""), NOT_GIVEN);
});

test("search: every word, any case, over name, description and tags", () => {
  const state = emptyState();
  state.search = "DET coco";
  assert.deepEqual(run(state).matches, ["det-large"]);
});

test("ranges: a missing figure is outside; an error rate is no accuracy", () => {
  const state = emptyState();
  state.ranges.gflops = [null, 3];
  assert.deepEqual(run(state).matches, ["det-small", "face-tiny", "reader"]);
  state.ranges.gflops = [null, null];
  state.ranges.accuracy = [0, 10]; // reader's CER of 3.1 is not accuracy
  assert.deepEqual(run(state).matches, []);
});

test("sorting: numbers as numbers, missing last in both directions, by measured latency", () => {
  assert.deepEqual(run(emptyState(), ["gflops", false]).matches, ["face-tiny", "reader", "det-small", "det-large", "bare"]);
  assert.deepEqual(run(emptyState(), ["gflops", true]).matches, ["det-large", "det-small", "reader", "face-tiny", "bare"]);
  assert.deepEqual(run(emptyState(), ["accuracy", true]).matches.slice(0, 3), ["det-large", "det-small", "face-tiny"]);
  assert.deepEqual(run(emptyState(), ["latency", false]).matches.slice(0, 2), ["face-tiny", "det-small"]);
});

test("a dead end says what each filter group alone keeps out", () => {
  const state = emptyState();
  state.facets.tag.add("face");
  state.facets.license_class.add("copyleft");
  state.ranges.gflops = [null, 1];
  const { all, index, matches } = run(state);
  assert.deepEqual(matches, []);
  const groups = filterGroups(state, index);
  assert.deepEqual(groups.map((g) => g.label), ["Tag: face", "License class: copyleft", "GFLOPs ≤ 1"]);
  const counts = relaxations(all, groups, state).map((r) => r.count);
  assert.deepEqual(counts, [0, 1, 0]); // without the class: face-tiny
  const relaxed = withoutGroup(state, groups[1]);
  assert.equal(relaxed.facets.license_class.size, 0);
  assert.equal(state.facets.license_class.size, 1); // a copy: the old state is unchanged
  assert.deepEqual(run(relaxed).matches, ["face-tiny"]);
});

test("values of one facet form one group; each value is its own chip", () => {
  const state = emptyState();
  state.facets.tag.add("face").add("person");
  state.search = "  tiny ";
  const index = run(state).index;
  assert.deepEqual(activeFilters(state, index).map((f) => f.label), ["Search: tiny", "Tag: face", "Tag: person"]);
  assert.deepEqual(filterGroups(state, index).map((f) => f.label), ["Search: tiny", "Tag: face or person"]);
});
