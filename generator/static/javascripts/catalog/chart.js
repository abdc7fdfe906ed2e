/* The chart below the list: one (metric, dataset) or MParams against GFLOPs, both log where the
 * figures are sizes, for the models the filters leave. Drawn with uPlot (a global script). */
import { el } from "./dom.js";
import { MPARAMS, chartChoices, chartPoints, pickChoice, spread } from "./chartdata.js";
import { plural } from "./state.js";

const HEIGHT = 360;

// a CSS color at 60% opacity, so that dense clouds of points stay readable
function translucent(color) {
  const context = document.createElement("canvas").getContext("2d");
  context.fillStyle = color;
  const normal = context.fillStyle; // "#rrggbb" or "rgba(r, g, b, a)"
  if (normal.startsWith("#")) return normal + "99";
  return normal.replace(/^rgba?\(([^,]+),([^,]+),([^,)]+).*$/, "rgba($1,$2,$3,0.6)");
}

export function colorScheme() {
  return document.body.getAttribute("data-md-color-scheme") || "";
}

export class CatalogChart {
  constructor(root, section, resized) {
    this.resized = resized; // called when the width changes: points are spread in pixels
    this.root = root;
    this.section = section;
    this.select = section.querySelector("#zoo-chart-metric");
    this.caption = section.querySelector("#zoo-chart-caption");
    this.plot = section.querySelector(".zoo-catalog__plot");
    this.width = 0; // from the ResizeObserver: no layout read while drawing
    this.choicesKey = null;
  }

  /* Draws the matching models on `wanted` (a choice key) or the fullest choice; returns the key
   * drawn ("" when none). */
  render(models, matches, wanted) {
    const choices = chartChoices(models, matches);
    this.renderChoices(choices);
    const choice = pickChoice(choices, wanted);
    this.select.value = choice ? choice.key : "";
    this.select.disabled = choices.length < 2;
    const points = chartPoints(models, matches, choice);
    const left = matches.length - points.length;
    if (!choice) {
      this.caption.textContent = matches.length
        ? "None of these models publishes GFLOPs with an accuracy figure or MParams: nothing to chart."
        : "No model to chart.";
    } else {
      this.caption.textContent =
        `${choice.label} against GFLOPs, ${plural(points.length, "model")}` +
        (left ? ` (${left.toLocaleString("en")} without both figures left out)` : "") +
        `; GFLOPs on a log scale${choice.log ? ", MParams too" : ""}` +
        (choice.key === MPARAMS ? "" : `, ${choice.better === "lower" ? "lower" : "higher"} is better`) +
        ". Points at the same spot are set side by side. Click a point to open its model page.";
    }
    // read once, after the frame that showed the list (the chart is drawn later): then the
    // ResizeObserver keeps it
    if (!this.width) this.width = this.section.clientWidth;
    if (points.length) spread(points, Math.max(this.width - 60, 100), HEIGHT - 60, choice.log);
    this.plot.dataset.points = String(points.length);
    this.plot.zooPoints = points;
    this.plot.hidden = points.length === 0; // no empty axes
    const data = [points.map((p) => p.x), points.map((p) => p.y)];
    if (typeof uPlot === "undefined") {
      this.caption.textContent += " (The chart library did not load.)";
    } else if (points.length && (!this.chart || this.shape !== choice.key + "\n" + colorScheme())) {
      this.build(choice, data, choice.key + "\n" + colorScheme());
    } else if (this.chart) {
      this.chart.setData(data);
    }
    this.root.dispatchEvent(new CustomEvent("zoo-catalog:chart", { detail: { points: points.length }, bubbles: true }));
    return choice ? choice.key : "";
  }

  renderChoices(choices) {
    const key = choices.map((c) => c.key + "\t" + c.count).join("\n");
    if (key === this.choicesKey) return;
    this.choicesKey = key;
    this.select.replaceChildren(...choices.map((choice) => el("option", {
      value: choice.key,
      text: `${choice.label}: ${plural(choice.count, "model")}`,
    })));
  }

  build(choice, data, shape) {
    if (this.chart) this.chart.destroy();
    const style = getComputedStyle(this.root);
    const color = (name) => style.getPropertyValue(name).trim();
    const ink = color("--md-default-fg-color--light");
    const grid = color("--md-default-fg-color--lightest");
    const accent = color("--md-typeset-a-color") || "#4051b5";
    const axis = (text) => ({
      label: text,
      stroke: ink,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    });
    const tip = el("div", { class: "zoo-catalog__tip", hidden: true });
    const opts = {
      width: Math.max(this.width || this.plot.clientWidth, 300),
      height: HEIGHT,
      scales: { x: { time: false, distr: 3 }, y: choice.log ? { distr: 3 } : {} },
      axes: [axis("GFLOPs (log scale)"), axis(choice.axis)],
      series: [
        {},
        {
          label: choice.label,
          stroke: accent,
          paths: () => null,
          points: { show: true, size: 7, width: 1, stroke: accent, fill: translucent(accent) },
        },
      ],
      legend: { show: false },
      cursor: { x: false, y: false, points: { show: false }, drag: { x: false, y: false } },
      hooks: { setCursor: [(u) => this.hover(u, tip)] },
    };
    this.chart = new uPlot(opts, data, this.plot);
    this.chart.over.append(tip);
    this.chart.over.addEventListener("click", (event) => this.open(event));
    this.plot.uplot = this.chart;
    this.shape = shape;
    if (!this.resizer) {
      this.resizer = new ResizeObserver((entries) => {
        const width = Math.round(entries[entries.length - 1].contentRect.width);
        if (width && width !== this.width) {
          this.width = width;
          if (this.chart) this.chart.setSize({ width: width, height: HEIGHT });
          this.resized();
        }
      });
      this.resizer.observe(this.plot);
    }
  }

  // the point nearest to the cursor, within 10 px
  nearest(u) {
    const { left, top } = u.cursor;
    if (left === undefined || left < 0) return null;
    let best = null;
    let bestDistance = 100;
    for (const point of this.plot.zooPoints || []) {
      const dx = u.valToPos(point.x, "x") - left;
      const dy = u.valToPos(point.y, "y") - top;
      const distance = dx * dx + dy * dy;
      if (distance < bestDistance) {
        best = point;
        bestDistance = distance;
      }
    }
    return best;
  }

  hover(u, tip) {
    const point = this.nearest(u);
    u.over.style.cursor = point ? "pointer" : "";
    tip.hidden = !point;
    if (!point) return;
    tip.textContent = `${point.name}: ${point.xText}, ${point.yText}`;
    tip.style.left = u.valToPos(point.x, "x") + 10 + "px";
    tip.style.top = u.valToPos(point.y, "y") + 10 + "px";
  }

  open(event) {
    const point = this.nearest(this.chart);
    if (!point) return;
    if (event.ctrlKey || event.metaKey) {
      window.open(point.url, "_blank", "noopener");
      return;
    }
    // a real link click, so Material's instant navigation takes it like any other
    const link = el("a", { href: point.url, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
  }

  destroy() {
    if (this.resizer) this.resizer.disconnect();
    if (this.chart) this.chart.destroy();
  }
}
