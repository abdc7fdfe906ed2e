// models.json records as the generator writes them (card data + `view`), for the pure modules
import { prepare } from "../../generator/static/javascripts/catalog/state.js";

export const BASE = new URL("https://zoo.example/");

// [card's accuracy entry, the figure as written]
function metric(name, value, text, dataset, unit = "%", better = "higher") {
  return [{ metric: name, dataset: dataset, unit: unit, value: value, better: better }, text];
}

export function record(name, task, extra, view) {
  const metrics = view.metrics || [];
  const main = metrics.findIndex(([m]) => m.better === "higher");
  const figures = { main: main, shown: main >= 0 ? main : 0, figures: metrics.map(([, text]) => text) };
  if (main < 0) delete figures.main;
  if (!metrics.length) delete figures.shown;
  const { metrics: _, ...rest } = view;
  return {
    name: name,
    task: task,
    task_title: task,
    description: `The ${name} model`,
    tags: [],
    page: `models/${name}/`,
    validation: [],
    accuracy: metrics.map(([m]) => m),
    ...extra,
    view: {
      gflops: extra.complexity ? String(extra.complexity.gflops) : undefined,
      mparams: extra.complexity ? String(extra.complexity.mparams) : undefined,
      license_class: "unknown",
      ...figures,
      ...rest,
    },
  };
}

export const RAW = [
  record("det-small", "detection", {
    tags: ["person"], framework: "pytorch", license: { id: "Apache-2.0" },
    complexity: { gflops: 2.5, mparams: 1.2 }, ir: { FP32: "a.xml", FP16: "b.xml" },
    validation: [{ device: "CPU", precision: "FP32", status: "passed", glyph: "✔" }],
  }, {
    license_class: "permissive", metrics: [metric("mAP", 80.5, "80.5%", "COCO")],
    speed: { latency_ms: 3.5, latency_text: "3.50", device: "CPU", precision: "FP32" },
  }),
  record("det-large", "detection", {
    tags: ["person", "coco"], framework: "onnx", license: { id: "GPL-3.0-only" },
    complexity: { gflops: 12, mparams: 25 }, ir: { FP32: "a.xml" },
  }, { license_class: "copyleft", metrics: [metric("mAP", 88, "88%", "COCO")] }),
  record("face-tiny", "detection", {
    tags: ["face"], license: { id: "CC-BY-NC-4.0" }, complexity: { gflops: 0.5, mparams: 0.3 },
  }, {
    license_class: "non-commercial", metrics: [metric("AP", 70.1, "70.1%", "WIDER")],
    speed: { latency_ms: 1.25, latency_text: "1.25", device: "GPU", precision: "FP16" },
  }),
  record("reader", "text_recognition", { complexity: { gflops: 0.8, mparams: 0.9 } }, {
    metrics: [metric("CER", 3.1, "3.1%", "ICDAR", "%", "lower")],
  }),
  record("bare", "classification", {}, {}),
];

export function models() {
  return RAW.map((raw, i) => prepare(raw, i, BASE));
}

export function names(all, indexes) {
  return indexes.map((i) => all[i].name);
}
