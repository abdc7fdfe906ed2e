// The URL keeps the whole view: decode(encode(state)) is the state
import assert from "node:assert/strict";
import { test } from "node:test";

import { emptyState } from "../../generator/static/javascripts/catalog/state.js";
import { decode, encode } from "../../generator/static/javascripts/catalog/url.js";

const KNOWN = new Set(["a", "b"]);

test("the empty state is the bare page", () => {
  assert.equal(encode(emptyState()), "");
  assert.deepEqual(decode("", KNOWN), emptyState());
});

test("every part of the state round-trips", () => {
  const state = emptyState();
  state.search = "person detector";
  state.facets.task.add("detection");
  state.facets.license_class.add("permissive").add("copyleft");
  state.ranges.gflops = [null, 3];
  state.ranges.accuracy = [70.5, 90];
  state.sort = { key: "latency", desc: true };
  state.compare = ["b", "a"];
  state.view = "compare";
  state.y = "metric:Rank-1|Market-1501|%";
  const query = encode(state);
  assert.match(query, /license_class=copyleft&license_class=permissive/); // sorted: one URL per view
  assert.match(query, /gflops=\.\.3/);
  assert.deepEqual(decode(query, KNOWN), state);
});

test("a stale or hand-written link is read safely", () => {
  const state = decode("?sort=-nonsense&compare=a&compare=zzz&compare=a&view=compare&gflops=x..2&mparams=5", KNOWN);
  assert.deepEqual(state.sort, { key: "", desc: false });
  assert.deepEqual(state.compare, ["a"]);
  assert.equal(state.view, "compare");
  assert.deepEqual(state.ranges.gflops, [null, 2]);
  assert.deepEqual(state.ranges.mparams, [null, null]); // no ".."
  assert.equal(decode("?view=compare", KNOWN).view, "list"); // nothing to compare
});
