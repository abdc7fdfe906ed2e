/* The list's rows, the dead-end message and the compare view's rows, built from the view model
 * (figures as written, glyphs, speed): layout only, no formatting of values here. */
import { el, safeLink } from "./dom.js";
import { NO_ACCURACY, NOT_MEASURED, plural } from "./state.js";

// the table's columns: on small screens each row is a card and these label its values
const COLUMN_LABELS = ["", "", "Task", "Tags", "Framework", "License", "GFLOPs", "MParams",
  "Accuracy", "Latency (ms)", "Precisions", "Validation"];
const ACCURACY_COLUMN = 8;

function dims(shape) {
  return "[" + (shape || []).join(", ") + "]";
}

export function validationBadges(results) {
  if (!results.length) return ["-"];
  const badges = [];
  for (const result of results) {
    const status = ["passed", "failed", "error", "skipped"].includes(result.status) ? result.status : "error";
    const text = `${result.glyph} ${result.device} ${result.precision || ""}`.trim();
    badges.push(
      el("span", {
        class: `zoo-status zoo-${status}`,
        title: `${result.status} on ${result.device}, ${result.checked_at || ""}`,
        text: text,
      }),
      " ",
    );
  }
  return badges;
}

function metricCell(metric) {
  if (!metric) return [NO_ACCURACY];
  return [
    el("span", { class: "zoo-catalog__metric", text: metric.metric + " " }),
    metric.text,
    metric.better === "lower" ? " ↓" : "",
    metric.dataset ? el("span", { class: "zoo-catalog__dataset", text: " " + metric.dataset }) : null,
  ];
}

function speedCell(speed) {
  if (!speed) return [NOT_MEASURED];
  const where = [speed.device, speed.precision].filter(Boolean).join(" ");
  return [speed.latency_text, el("span", { class: "zoo-catalog__dataset", text: " " + where })];
}

export function buildRow(m, checked) {
  const raw = m.raw;
  const view = m.view;
  const checkbox = el("input", {
    type: "checkbox",
    checked: checked,
    dataset: { name: m.name },
    "aria-label": "Select " + m.name + " for comparison",
  });
  const license = el("td", { class: "zoo-catalog__license", text: m.license || "-" });
  if (m.license) license.title = `License class: ${view.license_class || "unknown"}`;
  const cells = [
    el("td", { class: "zoo-catalog__select" }, [checkbox]),
    el("td", { class: "zoo-catalog__name" }, [
      el("a", { href: m.url, text: m.name }),
      el("span", { class: "zoo-catalog__description", text: raw.description || "" }),
    ]),
    el("td", { text: m.taskLabel }),
    el("td", { text: m.values.tag.join(", ") }),
    el("td", { text: m.frameworkLabel || "-" }),
    license,
    el("td", { class: "zoo-catalog__number", text: view.gflops || "-" }),
    el("td", { class: "zoo-catalog__number", text: view.mparams || "-" }),
    el("td", { class: "zoo-catalog__number" }, metricCell(m.shown)),
    el("td", { class: "zoo-catalog__number" }, speedCell(view.speed)),
    el("td", { text: m.values.precision.join(", ") || "-" }),
    el("td", null, validationBadges(raw.validation || [])),
  ];
  cells.forEach((td, i) => {
    if (!COLUMN_LABELS[i]) return;
    td.dataset.label = COLUMN_LABELS[i];
    const text = td.textContent;
    if (text === "-" || text === "") td.classList.add("zoo-catalog__none"); // no line on a card
  });
  if (!m.shown) cells[ACCURACY_COLUMN].classList.add("zoo-catalog__missing");
  if (!view.speed) cells[ACCURACY_COLUMN + 1].classList.add("zoo-catalog__missing");
  return el("tr", null, cells);
}

/* The empty list: which filter emptied it and what relaxing each would give. */
export function deadEnd(relax, total) {
  const helping = relax.filter((r) => r.count > 0).sort((a, b) => b.count - a.count);
  const cell = [el("p", { class: "zoo-catalog__empty-title", text: "No model matches these filters." })];
  if (helping.length === 1) {
    const { group, count } = helping[0];
    cell.push(el("p", {
      text: `The filter “${group.label}” leaves nothing: without it, ${plural(count, "model")} match.`,
    }));
  } else if (helping.length > 1) {
    cell.push(el("p", { text: "These filters leave nothing together. Without one of them:" }));
  } else if (relax.length) {
    cell.push(el("p", {
      text: "No single filter empties the list: without any one of them, still no model matches.",
    }));
  }
  if (helping.length) {
    cell.push(el("ul", { class: "zoo-catalog__relax" }, helping.map((r) => el("li", null, [
      el("button", {
        type: "button",
        class: "md-button zoo-catalog__button",
        dataset: { action: "relax", group: String(r.index) },
        text: `Remove “${r.group.label}”: ${plural(r.count, "model")}`,
      }),
    ]))));
  } else if (relax.length) {
    cell.push(el("button", {
      type: "button",
      class: "md-button zoo-catalog__button",
      dataset: { action: "clear-filters" },
      text: `Clear all filters: ${plural(total, "model")}`,
    }));
  }
  return cell;
}

function tensorLines(tensors) {
  if (!tensors || !tensors.length) return ["-"];
  return tensors.map((t) => {
    const parts = [t.name ? t.name + ": " : "", dims(t.shape)];
    for (const extra of [t.layout, t.type || "f32", t.color_order]) if (extra) parts.push(" " + extra);
    return el("div", { class: "zoo-catalog__tensor", text: parts.join("") });
  });
}

/* [label, cells] per spec; numeric rows mark the best value (lowest cost, best accuracy). */
export function compareRows(models) {
  const rows = [];
  const text = (label, value) => rows.push([label, models.map((m) => el("td", { text: value(m) || "-" }))]);
  const nodes = (label, value) => rows.push([label, models.map((m) => el("td", null, value(m)))]);
  // a model without any accuracy figure says so; "-" is a figure it has not for this metric
  const none = (m) => (m.metrics.length ? "-" : NO_ACCURACY);
  const best = (label, value, lower, show, missing) => {
    const values = models.map(value);
    const known = values.filter((v) => v !== null);
    const target = known.length > 1 ? (lower ? Math.min(...known) : Math.max(...known)) : null;
    rows.push([label, models.map((m, i) => {
      const empty = missing ? missing(m) : "-";
      const cell = el("td", { class: "zoo-catalog__number" }, [values[i] === null ? empty : show(m)]);
      if (target !== null && values[i] === target) {
        cell.classList.add("zoo-catalog__best");
        cell.append(" ", el("span", { class: "zoo-catalog__badge", text: "best" }));
      }
      return cell;
    })]);
  };
  text("Task", (m) => m.taskLabel);
  text("Description", (m) => m.raw.description);
  text("Tags", (m) => m.values.tag.join(", "));
  text("Framework", (m) => m.frameworkLabel);
  nodes("License", (m) => {
    const license = m.raw.license;
    if (!license) return ["-"];
    return [license.url ? safeLink(license.url, license.id) : license.id];
  });
  text("License class", (m) => m.view.license_class);
  best("GFLOPs", (m) => m.numbers.gflops, true, (m) => m.view.gflops);
  best("MParams", (m) => m.numbers.mparams, true, (m) => m.view.mparams);
  text("Introduced", (m) => (m.raw.year ? String(m.raw.year) : ""));
  const metrics = [];
  for (const m of models) {
    for (const metric of m.metrics) {
      const key = metric.metric + (metric.dataset ? " · " + metric.dataset : "");
      if (!metrics.some((known) => known.key === key)) {
        metrics.push({ key: key, name: metric.metric, dataset: metric.dataset, lower: metric.better === "lower" });
      }
    }
  }
  for (const wanted of metrics) {
    const find = (m) => m.metrics.find((a) => {
      return a.metric === wanted.name && (a.dataset || null) === (wanted.dataset || null);
    });
    best(
      wanted.key + (wanted.lower ? " ↓" : ""),
      (m) => {
        const metric = find(m);
        return metric && typeof metric.value === "number" ? metric.value : null;
      },
      wanted.lower,
      (m) => find(m).text,
      none,
    );
  }
  if (!metrics.length) text("Accuracy", none);
  best("Latency (ms), measured", (m) => m.numbers.latency, true,
    (m) => m.view.speed.text, () => NOT_MEASURED);
  text("Speed, published", (m) => (m.view.published_speed || []).join("; "));
  nodes("Inputs", (m) => tensorLines(m.raw.inputs));
  nodes("Outputs", (m) => tensorLines(m.raw.outputs));
  if (models.some((m) => m.raw.original)) {
    nodes("Original inputs", (m) => tensorLines((m.raw.original || {}).inputs));
    nodes("Original outputs", (m) => tensorLines((m.raw.original || {}).outputs));
  }
  text("Precisions", (m) => m.values.precision.join(", "));
  nodes("Validation", (m) => validationBadges(m.raw.validation || []));
  text("Files", (m) => (m.raw.files || []).map((f) => f.name).join(", "));
  if (models.some((m) => (m.raw.parts || []).length || m.raw.part_of)) {
    text("Parts", (m) => (m.raw.parts || []).join(", "));
    text("Part of", (m) => m.raw.part_of);
  }
  nodes("Homepage", (m) => [m.raw.homepage ? safeLink(m.raw.homepage, m.raw.homepage) : "-"]);
  return rows;
}
