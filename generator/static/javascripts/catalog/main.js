/* The catalog page: search, facets, ranges, sorting, a compare view and a chart over models.json.
 * Card text is untrusted: it reaches the DOM only through textContent and element properties.
 * The list repaints without forced layouts: a filter change only writes to the DOM (no reads). */
import { el } from "./dom.js";
import { activeFilters, facetIndex, filterGroups, withoutGroup } from "./facets.js";
import { filterModels, relaxations, sortOrder } from "./filter.js";
import { CatalogChart, colorScheme } from "./chart.js";
import { buildRow, compareRows, deadEnd } from "./table.js";
import {
  CONTINUOUS, FACETS, NOT_GIVEN, PAGE_SIZE, RANGES, emptyState, number, parseBound, plural, prepare,
} from "./state.js";
import { decode, encode } from "./url.js";

let current = null; // the catalog on the page now

/* models.json, parsed: the loader (catalog.js) starts the download before the modules load. */
function load(url) {
  const early = window.zooCatalogData;
  if (!early || early.url !== url) {
    const promise = fetch(url).then((response) => {
      if (!response.ok) throw new Error(response.status + " " + response.statusText);
      return response.json();
    });
    window.zooCatalogData = { url: url, promise: promise };
    promise.catch(() => {
      window.zooCatalogData = null; // try again on the next visit
    });
  }
  return window.zooCatalogData.promise;
}

class Catalog {
  constructor(root, raw) {
    this.root = root;
    this.path = location.pathname;
    const base = new URL(".", document.getElementById("zoo-catalog-source").href);
    this.models = raw.models.map((m, i) => prepare(m, i, base));
    this.byName = new Map(this.models.map((m) => [m.name, m]));
    this.index = facetIndex(this.models);
    this.rows = new Map(); // model index -> its <tr>, built once
    this.orders = {}; // sort id -> model indexes in that order
    this.pending = null; // the control whose URL update waits for the typing to pause
    this.lastSource = null;
    this.find();
    this.chart = new CatalogChart(root, this.chartSection, () => this.scheduleChart());
    this.buildFacets();
    this.buildRanges();
    this.listen();
    this.restore();
    root.dataset.ready = "true"; // for tests and the benchmark
  }

  find() {
    const q = (selector) => this.root.querySelector(selector);
    this.search = q("#zoo-search");
    this.count = q("#zoo-count");
    this.tbody = q(".zoo-catalog__table tbody");
    this.more = q("[data-action=more]");
    this.compareButton = q("[data-action=compare]");
    this.clearSelection = q("[data-action=clear-selection]");
    this.list = q(".zoo-catalog__list");
    this.compareSection = q(".zoo-catalog__compare");
    this.compareTable = q(".zoo-catalog__compare-table");
    this.chartSection = q(".zoo-catalog__chart");
    this.metricSelect = q("#zoo-chart-metric");
    this.headers = [...this.root.querySelectorAll("th[data-column]")];
    this.filtersPanel = q("#zoo-filters");
    this.filtersToggle = q("[data-action=filters]");
    this.chips = q(".zoo-catalog__chips");
    this.closeFilters = q("[data-action=close-filters]");
  }

  buildFacets() {
    this.entries = {};
    for (const facet of FACETS) {
      const { values, labels } = this.index[facet];
      const fieldset = this.root.querySelector(`[data-facet="${facet}"]`);
      if (!fieldset) continue; // a zoo's own catalog template may leave a facet out
      const container = fieldset.querySelector(".zoo-facet__values");
      const entries = values.map((value) => {
        const input = el("input", { type: "checkbox", value: value, name: facet });
        const count = el("span", { class: "zoo-facet__count" });
        const row = el("label", { class: "zoo-facet__value" }, [
          input,
          el("span", { class: "zoo-facet__label", text: labels.get(value) }),
          count,
        ]);
        return { value: value, input: input, count: count, row: row, shown: null, empty: null };
      });
      container.replaceChildren(...entries.map((entry) => entry.row));
      fieldset.hidden = values.length === 0;
      this.entries[facet] = entries;
    }
  }

  buildRanges() {
    this.ranges = {};
    for (const range of RANGES) {
      const fieldset = this.root.querySelector(`[data-range="${range}"]`);
      const inputs = {
        min: fieldset.querySelector("[data-bound=min]"),
        max: fieldset.querySelector("[data-bound=max]"),
      };
      const values = this.models.map((m) => m.numbers[range]).filter((v) => v !== null);
      fieldset.hidden = values.length === 0;
      if (values.length) {
        inputs.min.placeholder = String(Math.min(...values));
        inputs.max.placeholder = String(Math.max(...values));
      }
      this.ranges[range] = inputs;
    }
  }

  listen() {
    this.search.addEventListener("input", () => {
      this.state.search = this.search.value;
      this.changed("search");
    });
    for (const facet of Object.keys(this.entries)) {
      const fieldset = this.root.querySelector(`[data-facet="${facet}"]`);
      fieldset.addEventListener("change", (event) => {
        const input = event.target;
        const selected = this.state.facets[facet];
        if (input.checked) selected.add(input.value);
        else selected.delete(input.value);
        this.changed(facet);
      });
    }
    for (const range of RANGES) {
      const inputs = this.ranges[range];
      const read = () => {
        this.state.ranges[range] = [parseBound(inputs.min.value), parseBound(inputs.max.value)];
        this.changed(range);
      };
      inputs.min.addEventListener("input", read);
      inputs.max.addEventListener("input", read);
    }
    for (const th of this.headers) {
      th.querySelector("button").addEventListener("click", () => {
        const key = th.dataset.column;
        const sort = this.state.sort;
        this.state.sort = { key: key, desc: sort.key === key ? !sort.desc : false };
        this.changed("sort");
      });
    }
    this.tbody.addEventListener("change", (event) => {
      const name = event.target.dataset.name;
      if (name === undefined) return;
      const compare = this.state.compare.filter((n) => n !== name);
      if (event.target.checked) compare.push(name);
      this.state.compare = compare;
      this.renderSelection();
      this.commit("compare");
    });
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button) this.act(button.dataset.action, button);
      else if (event.target === this.root) this.drawer(false); // the backdrop around the drawer
    });
    this.filtersPanel.addEventListener("keydown", (event) => {
      if (!this.root.classList.contains("zoo-catalog--drawer")) return;
      if (event.key === "Escape") this.drawer(false);
      else if (event.key === "Tab") this.trapFocus(event);
    });
    this.metricSelect.addEventListener("change", () => {
      this.state.y = this.metricSelect.value;
      this.commit("y");
      this.renderChart();
    });
  }

  act(action, button) {
    if (action === "filters") {
      this.drawer(!this.root.classList.contains("zoo-catalog--drawer"));
    } else if (action === "close-filters") {
      this.drawer(false);
    } else if (action === "remove-filter") {
      this.removeFilter(activeFilters(this.state, this.index)[Number(button.dataset.filter)]);
    } else if (action === "relax") {
      this.removeFilter(filterGroups(this.state, this.index)[Number(button.dataset.group)]);
      this.count.focus(); // the relaxing button is gone with the empty list
    } else if (action === "more") {
      this.showMore();
    } else if (action === "clear-filters") {
      const fresh = emptyState();
      Object.assign(this.state, { search: "", facets: fresh.facets, ranges: fresh.ranges });
      this.syncControls();
      this.changed("clear");
    } else if (action === "compare" || action === "list") {
      this.showView(action, "view");
    } else if (action === "clear-selection" || action === "remove") {
      const keep = action === "remove" ? (n) => n !== button.dataset.name : () => false;
      this.state.compare = this.state.compare.filter(keep);
      this.renderSelection();
      if (this.state.view === "compare") {
        this.showView(this.state.compare.length ? "compare" : "list", "compare");
      } else {
        this.commit("compare");
      }
    }
  }

  /* -------------------------------------------------- the filter drawer */

  // small screens only (CSS): the filters slide over the list; Escape or "Show results" closes
  drawer(open) {
    this.root.classList.toggle("zoo-catalog--drawer", open);
    // the page under the drawer does not scroll (a class, not body:has(): that selector makes
    // every change of the list restyle the whole page)
    document.documentElement.classList.toggle("zoo-drawer-open", open);
    this.filtersToggle.setAttribute("aria-expanded", String(open));
    if (open) this.closeFilters.focus();
    else if (getComputedStyle(this.filtersToggle).display !== "none") this.filtersToggle.focus();
  }

  // Tab and Shift+Tab stay inside the open drawer, as in a dialog
  trapFocus(event) {
    const focusable = [...this.filtersPanel.querySelectorAll("button, input, select")].filter(
      (node) => !node.disabled && node.offsetParent !== null,
    );
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      last.focus();
      event.preventDefault();
    } else if (!event.shiftKey && document.activeElement === last) {
      first.focus();
      event.preventDefault();
    }
  }

  /* ------------------------------------------------ active filters, chips */

  removeFilter(filter) {
    if (!filter) return;
    this.state = withoutGroup(this.state, filter);
    this.syncControls();
    this.changed("filter");
  }

  renderChips() {
    const filters = activeFilters(this.state, this.index);
    const key = filters.map((filter) => filter.label).join("\n");
    if (key === this.chipsKey) return; // a sort or "show more" leaves them as they are
    this.chipsKey = key;
    this.chips.hidden = filters.length === 0;
    this.chips.replaceChildren(...filters.map((filter, i) => el("li", null, [
      el("button", {
        type: "button",
        class: "zoo-catalog__chip",
        dataset: { action: "remove-filter", filter: String(i) },
        "aria-label": `Remove filter ${filter.label}`,
      }, [el("span", { text: filter.label }), el("span", { "aria-hidden": "true", text: "×" })]),
    ])));
    const text = filters.length ? `Filters (${filters.length})` : "Filters";
    if (this.filtersToggle.textContent !== text) this.filtersToggle.textContent = text;
  }

  // switch between the list and the comparison; focus follows to what the reader sees
  showView(view, source) {
    this.state.view = view;
    this.commit(source);
    this.renderView();
    // a disabled button takes no focus: then the match count, which leads the list
    const list = this.compareButton.disabled ? this.count : this.compareButton;
    (view === "compare" ? this.compareSection.querySelector("h2") : list).focus();
  }

  // a filter control changed: the list, the counts and the chart follow, then the URL
  changed(source) {
    if (this.state.view === "compare" && source !== "sort") this.state.view = "list";
    this.update();
    this.commit(source);
  }

  /* ------------------------------------------------------------- history */

  commit(source) {
    if (this.pending && this.pending !== source) this.writeURL(this.pending);
    clearTimeout(this.timer);
    if (CONTINUOUS.has(source)) {
      this.pending = source; // one entry per typing burst, written when it pauses
      this.timer = setTimeout(() => this.writeURL(source), 300);
    } else {
      this.writeURL(source);
    }
  }

  writeURL(source) {
    clearTimeout(this.timer);
    this.pending = null;
    const url = location.pathname + encode(this.state) + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    // state null: Material's instant navigation handles popstate entries with a state itself
    if (CONTINUOUS.has(source) && this.lastSource === source) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    this.lastSource = source;
  }

  restore() {
    clearTimeout(this.timer);
    this.pending = null;
    this.lastSource = null;
    this.state = decode(location.search, this.byName);
    this.syncControls();
    this.renderSelection(); // the only path besides the selection controls that changes it
    this.update();
  }

  syncControls() {
    const state = this.state;
    if (this.search.value !== state.search) this.search.value = state.search;
    for (const [facet, entries] of Object.entries(this.entries)) {
      for (const entry of entries) {
        const checked = state.facets[facet].has(entry.value);
        if (entry.input.checked !== checked) entry.input.checked = checked;
      }
    }
    for (const range of RANGES) {
      const [low, high] = state.ranges[range];
      const inputs = this.ranges[range];
      if (parseBound(inputs.min.value) !== low) inputs.min.value = number(low);
      if (parseBound(inputs.max.value) !== high) inputs.max.value = number(high);
    }
  }

  /* --------------------------------------------------------------- filter */

  update() {
    const started = performance.now();
    const { key, desc } = this.state.sort;
    const id = key ? (desc ? "-" : "") + key : "";
    if (!this.orders[id]) this.orders[id] = sortOrder(this.models, key, desc);
    this.matches = filterModels(this.models, this.orders[id], this.index, this.state);
    this.shown = Math.min(PAGE_SIZE, this.matches.length);
    // writes only, each skipped when unchanged: nothing here reads layout
    this.renderFacets();
    this.renderHeaders();
    this.renderTable();
    this.renderChips();
    this.renderView(); // schedules the chart
    const detail = { matches: this.matches.length, ms: performance.now() - started };
    this.root.dispatchEvent(new CustomEvent("zoo-catalog:render", { detail: detail, bubbles: true }));
  }

  /* --------------------------------------------------------------- render */

  renderFacets() {
    for (const [facet, entries] of Object.entries(this.entries)) {
      const counts = this.index[facet].counts;
      entries.forEach((entry, i) => {
        const count = counts[i];
        if (entry.shown !== count) {
          entry.shown = count;
          entry.count.textContent = count.toLocaleString("en");
        }
        const empty = count === 0;
        if (entry.empty !== empty) {
          entry.empty = empty;
          entry.row.classList.toggle("zoo-facet__value--empty", empty);
        }
      });
    }
  }

  renderHeaders() {
    const { key, desc } = this.state.sort;
    for (const th of this.headers) {
      const sort = th.dataset.column === key ? (desc ? "descending" : "ascending") : "none";
      if (th.getAttribute("aria-sort") !== sort) th.setAttribute("aria-sort", sort);
    }
  }

  renderTable() {
    const rows = [];
    for (let i = 0; i < this.shown; i++) rows.push(this.row(this.models[this.matches[i]]));
    if (!rows.length) {
      const columns = this.headers.length + 1; // the sortable ones and the select column
      const relax = relaxations(this.models, filterGroups(this.state, this.index), this.state);
      const cell = el("td", { colSpan: columns }, deadEnd(relax, this.models.length));
      rows.push(el("tr", { class: "zoo-catalog__empty" }, [cell]));
    }
    this.placeRows(rows);
    this.renderMore();
  }

  // when most rows stay (a narrower or wider filter), they are left in place, keeping their
  // style and layout: only the rows that leave are removed and the ones that come inserted;
  // when most change (a sort), one replaceChildren is cheaper than many moves
  placeRows(rows) {
    const children = [...this.tbody.children];
    const wanted = new Set(rows);
    const staying = children.filter((child) => wanted.has(child));
    if (rows.length === children.length && rows.every((row, i) => row === children[i])) return;
    if (staying.length * 2 < rows.length) {
      this.tbody.replaceChildren(...rows);
      return;
    }
    for (const child of children) if (!wanted.has(child)) child.remove();
    let next = this.tbody.firstElementChild;
    for (const row of rows) {
      if (row === next) next = next.nextElementSibling;
      else this.tbody.insertBefore(row, next);
    }
  }

  showMore() {
    const start = this.shown;
    this.shown = Math.min(this.shown + PAGE_SIZE, this.matches.length);
    const rows = [];
    for (let i = start; i < this.shown; i++) rows.push(this.row(this.models[this.matches[i]]));
    this.tbody.append(...rows);
    this.renderMore();
    if (this.more.hidden && rows.length) rows[0].querySelector("a").focus();
  }

  renderMore() {
    const left = this.matches.length - this.shown;
    const hidden = left <= 0;
    if (this.more.hidden !== hidden) this.more.hidden = hidden;
    const text = `Show ${Math.min(PAGE_SIZE, left)} more (${left.toLocaleString("en")} not shown)`;
    if (!hidden && this.more.textContent !== text) this.more.textContent = text;
    this.renderCount();
  }

  renderCount() {
    const total = this.models.length;
    const matches = this.matches.length;
    let text = matches === total
      ? `All ${plural(total, "model")}`
      : `${plural(matches, "model")} of ${total.toLocaleString("en")} match`;
    if (this.shown < matches) text += `; showing the first ${this.shown.toLocaleString("en")}`;
    this.count.textContent = text + ".";
    // the drawer hides the count: its close button says what closing it shows
    this.closeFilters.textContent = `Show ${plural(matches, "model")}`;
  }

  row(m) {
    let tr = this.rows.get(m.index);
    if (!tr) {
      tr = buildRow(m, this.state.compare.includes(m.name));
      this.rows.set(m.index, tr);
    }
    return tr; // renderSelection keeps the checkboxes of built rows current
  }

  renderSelection() {
    const count = this.state.compare.length;
    this.compareButton.textContent = `Compare selected (${count})`;
    this.compareButton.disabled = count < 2;
    this.clearSelection.disabled = count === 0;
    for (const [index, tr] of this.rows) {
      tr.firstChild.firstChild.checked = this.state.compare.includes(this.models[index].name);
    }
  }

  renderView() {
    const compare = this.state.view === "compare";
    if (this.list.hidden !== compare) this.list.hidden = compare;
    if (this.chartSection.hidden !== compare) this.chartSection.hidden = compare;
    if (this.compareSection.hidden !== !compare) this.compareSection.hidden = !compare;
    if (compare) this.renderCompare();
    else this.scheduleChart();
  }

  renderCompare() {
    const models = this.state.compare.map((name) => this.byName.get(name));
    const head = el("tr", null, [el("th", { scope: "col", text: "Model" })]);
    for (const m of models) {
      head.append(
        el("th", { scope: "col" }, [
          el("a", { href: m.url, text: m.name }),
          " ",
          el("button", {
            type: "button",
            class: "zoo-catalog__remove",
            text: "Remove",
            dataset: { action: "remove", name: m.name },
            "aria-label": "Remove " + m.name + " from the comparison",
          }),
        ]),
      );
    }
    const body = compareRows(models).map(([label, cells]) => {
      return el("tr", null, [el("th", { scope: "row", text: label }), ...cells]);
    });
    this.compareTable.replaceChildren(el("thead", null, [head]), el("tbody", null, body));
  }

  // after the frame that shows the table: the chart never delays the list, and a burst of
  // changes draws it once
  scheduleChart() {
    if (this.chartPending) return;
    this.chartPending = true;
    requestAnimationFrame(() => {
      setTimeout(() => {
        this.chartPending = false;
        this.renderChart();
      }, 0);
    });
  }

  renderChart() {
    if (this.chartSection.hidden || !this.root.isConnected) return;
    this.chart.render(this.models, this.matches, this.state.y);
  }
}

function mount() {
  const root = document.getElementById("zoo-catalog");
  if (current) current.chart.destroy();
  current = null;
  document.documentElement.classList.remove("zoo-drawer-open"); // left open on another page
  if (!root) return;
  const source = document.getElementById("zoo-catalog-source");
  load(source.href).then(
    (raw) => {
      if (root.isConnected) current = new Catalog(root, raw);
    },
    (error) => {
      root.querySelector("#zoo-count").textContent =
        `Could not load ${source.getAttribute("href")}: ${error.message}`;
    },
  );
}

window.addEventListener("popstate", () => {
  // same page, other filters: ours; another page: Material's instant navigation loads it
  if (current && current.root.isConnected && location.pathname === current.path) current.restore();
});
// the chart's colors follow the light/dark palette toggle
let scheme = colorScheme();
new MutationObserver(() => {
  if (colorScheme() === scheme) return;
  scheme = colorScheme();
  if (current && current.root.isConnected) current.scheduleChart();
}).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

if (typeof document$ !== "undefined") document$.subscribe(mount);
else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
else mount();
