// What the chart draws: one (metric, dataset, unit) at a time, never an empty choice, and
// coincident points spread apart
import assert from "node:assert/strict";
import { test } from "node:test";

import { MPARAMS, chartChoices, chartPoints, pickChoice, spread } from "../../generator/static/javascripts/catalog/chartdata.js";
import { prepare } from "../../generator/static/javascripts/catalog/state.js";
import { BASE, models, record } from "./fixtures.mjs";

test("choices: each metric on its dataset, fullest first, MParams last; none without points", () => {
  const all = models();
  const choices = chartChoices(all, all.map((m) => m.index));
  assert.deepEqual(choices.map((c) => [c.label, c.count]), [
    ["mAP on COCO (%)", 2], ["AP on WIDER (%)", 1], ["CER on ICDAR (%)", 1], ["MParams", 4],
  ]);
  assert.equal(choices[2].axis, "CER on ICDAR (%), lower is better");
  assert.ok(choices.every((c) => c.count > 0));
  assert.deepEqual(chartChoices(all, [4]), []); // bare: no GFLOPs, nothing to offer
  const some = chartChoices(all, [3]);
  assert.deepEqual(some.map((c) => c.label), ["CER on ICDAR (%)", "MParams"]);
  assert.equal(pickChoice(some, "metric:mAP|COCO|%").key, some[0].key); // gone: the fullest
  assert.equal(pickChoice(some, MPARAMS).key, MPARAMS);
});

test("points carry the figures as written for the tooltip", () => {
  const all = models();
  const choice = chartChoices(all, [0, 1])[0];
  const points = chartPoints(all, [1, 0], choice);
  assert.deepEqual(points.map((p) => [p.name, p.x, p.y, p.xText, p.yText]), [
    ["det-small", 2.5, 80.5, "2.5 GFLOPs", "mAP on COCO: 80.5%"],
    ["det-large", 12, 88, "12 GFLOPs", "mAP on COCO: 88%"],
  ]);
});

test("eight models at equal GFLOPs and close figures show as eight points", () => {
  // the shipped re-identification models: Rank-1 on Market-1501 at four GFLOPs figures
  const figures = [[0.174, 84.3], [1.993, 95.9], [0.564, 92.7], [1.17, 94.7], [1.993, 96.2],
    [1.17, 94.8], [0.564, 92.9], [0.174, 86.1]];
  const all = figures.map(([gflops, rank1], i) => prepare(record(`reid-${i}`, "reidentification",
    { complexity: { gflops: gflops, mparams: 1 } },
    { metrics: [[{ metric: "Rank-1", dataset: "Market-1501", unit: "%", value: rank1 }, `${rank1}%`]] },
  ), i, BASE));
  const matches = all.map((m) => m.index);
  const choice = chartChoices(all, matches)[0];
  const width = 900;
  const height = 300;
  const points = spread(chartPoints(all, matches, choice), width, height, false);
  assert.equal(points.length, 8);
  const xs = points.map((p) => Math.log10(p.x));
  const low = Math.min(...points.map((p) => Math.log10(p.shownX)));
  const span = Math.max(...points.map((p) => Math.log10(p.shownX))) - low;
  const ys = points.map((p) => p.y);
  const px = xs.map((x) => ((x - low) / span) * width);
  const py = ys.map((y) => ((y - 84.3) / (96.2 - 84.3)) * height);
  for (let i = 0; i < 8; i++) {
    for (let j = i + 1; j < 8; j++) {
      const apart = Math.max(Math.abs(px[i] - px[j]), Math.abs(py[i] - py[j]));
      assert.ok(apart >= 7.9, `${points[i].name} and ${points[j].name} are ${apart} px apart`);
    }
  }
  // the real figures stay for the tooltip
  assert.deepEqual(points.map((p) => p.shownX).sort(), figures.map(([g]) => g).sort());
});
