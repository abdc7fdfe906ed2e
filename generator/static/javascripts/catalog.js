/* The catalog page: search, facets, ranges, sorting, a compare view and a chart over models.json.
 * Card text is untrusted: it reaches the DOM only through textContent and element properties. */
(function () {
  "use strict";

  const PAGE_SIZE = 50; // rows rendered at once: style and layout cost grows with each row
  const FACETS = ["task", "tag", "framework", "license", "precision", "device"];
  const RANGES = ["gflops", "mparams", "accuracy"];
  const CONTINUOUS = new Set(["search", ...RANGES]); // typing: one history entry per burst
  const STATUS_ICONS = { passed: "✔", failed: "✘", error: "!", skipped: "–" };
  const NOT_GIVEN = "not given";
  const NO_ACCURACY = "no accuracy published";
  const TITLES = {
    task: "Task", tag: "Tag", framework: "Framework", license: "License", precision: "IR precision",
    device: "Validated on", gflops: "GFLOPs", mparams: "MParams", accuracy: "Accuracy",
  };
  // the table's columns: on small screens each row is a card and these label its values
  const COLUMN_LABELS = ["", "", "Task", "Tags", "Framework", "License", "GFLOPs", "MParams",
    "Accuracy", "Precisions", "Validation"];
  const LINK_SCHEMES = new Set(["http:", "https:"]);

  let loaded = null; // {url, promise} of the parsed models.json, kept across page changes
  let current = null; // the catalog on the page now

  /* ---------------------------------------------------------------- helpers */

  function el(tag, props, children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (key === "text") node.textContent = value;
        else if (key === "class") node.className = value;
        else if (key === "dataset") Object.assign(node.dataset, value);
        else if (key.startsWith("aria-") || key === "role" || key === "scope") {
          node.setAttribute(key, value);
        } else node[key] = value;
      }
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function safeLink(url, text) {
    // only http(s) links from cards: a javascript: or data: URL stays plain text
    try {
      const parsed = new URL(url, location.href);
      if (LINK_SCHEMES.has(parsed.protocol)) return el("a", { href: parsed.href, text: text });
    } catch (error) {
      /* not a URL: shown as text */
    }
    return document.createTextNode(text);
  }

  function number(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function dims(shape) {
    return "[" + (shape || []).join(", ") + "]";
  }

  function plural(count, word) {
    return count.toLocaleString("en") + " " + word + (count === 1 ? "" : "s");
  }

  function parseBound(text) {
    if (text === null || text === undefined || String(text).trim() === "") return null;
    const value = Number(text);
    return Number.isFinite(value) ? value : null;
  }

  function load(url) {
    if (!loaded || loaded.url !== url) {
      const promise = fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + response.statusText);
        return response.json();
      });
      loaded = { url: url, promise: promise };
      promise.catch(function () {
        loaded = null; // try again on the next visit
      });
    }
    return loaded.promise;
  }

  /* ------------------------------------------------------------ the models */

  function prepare(raw, index, root, frameworks) {
    const tags = raw.tags || [];
    const complexity = raw.complexity || {};
    const first = (raw.accuracy || [])[0] || null;
    // ranges, sorting and the chart compare one direction: error rates never rank as accuracy
    const main = (raw.accuracy || []).find((a) => a.better !== "lower" && typeof a.value === "number");
    const license = raw.license ? raw.license.id : "";
    const passed = [];
    for (const result of raw.validation || []) {
      if (result.status === "passed" && !passed.includes(result.device)) passed.push(result.device);
    }
    const framework = raw.framework || "";
    return {
      raw: raw,
      index: index,
      name: raw.name,
      url: new URL(raw.page, root).href,
      text: [raw.name, raw.description || "", tags.join(" ")].join("\n").toLowerCase(),
      taskLabel: raw.task_title || raw.task,
      frameworkLabel: framework ? frameworks[framework] || framework : "",
      license: license,
      first: first,
      values: {
        task: [raw.task],
        tag: tags,
        framework: [framework],
        license: [license],
        precision: Object.keys(raw.ir || {}),
        device: passed,
      },
      numbers: {
        gflops: typeof complexity.gflops === "number" ? complexity.gflops : null,
        mparams: typeof complexity.mparams === "number" ? complexity.mparams : null,
        accuracy: main ? main.value : null,
      },
      codes: {}, // facet value indexes, filled by the catalog
    };
  }

  // how each column sorts: a key per model, null for a missing value (always last)
  const SORT_KEYS = {
    name: (m) => m.name,
    task: (m) => m.taskLabel.toLowerCase(),
    tags: (m) => (m.values.tag.length ? m.values.tag.join(", ") : null),
    framework: (m) => m.frameworkLabel.toLowerCase() || null,
    license: (m) => m.license.toLowerCase() || null,
    gflops: (m) => m.numbers.gflops,
    mparams: (m) => m.numbers.mparams,
    accuracy: (m) => m.numbers.accuracy,
    precisions: (m) => (m.values.precision.length ? m.values.precision.join(", ") : null),
    validation: (m) => (m.raw.validation && m.raw.validation.length ? validationText(m) : null),
  };

  function validationText(m) {
    return m.raw.validation.map((r) => r.device + " " + r.status).join(", ");
  }

  /* ----------------------------------------------------------------- state */

  function emptyState() {
    const facets = {};
    for (const facet of FACETS) facets[facet] = new Set();
    const ranges = {};
    for (const range of RANGES) ranges[range] = [null, null];
    return {
      search: "",
      facets: facets,
      ranges: ranges,
      sort: { key: "", desc: false },
      compare: [],
      view: "list",
      y: "",
    };
  }

  // the URL is the state: ?search=..&task=a&task=b&gflops=..3&sort=-accuracy&compare=x&view=compare
  // (not `q` or `h`: Material's search reads those)
  function decode(query, known) {
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

  function encode(state) {
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

  /* --------------------------------------------------------------- catalog */

  class Catalog {
    constructor(root, raw) {
      this.root = root;
      this.path = location.pathname;
      const frameworks = JSON.parse(root.dataset.frameworks || "{}");
      const base = new URL(".", document.getElementById("zoo-catalog-source").href);
      this.models = raw.models.map((m, i) => prepare(m, i, base, frameworks));
      this.byName = new Map(this.models.map((m) => [m.name, m]));
      this.rows = new Map(); // model index -> its <tr>, built once
      this.orders = {}; // sort id -> model indexes in that order
      this.pending = null; // the control whose URL update waits for the typing to pause
      this.lastSource = null;
      this.find();
      this.buildFacets();
      this.buildRanges();
      this.buildMetrics();
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
      this.caption = q("#zoo-chart-caption");
      this.plot = q(".zoo-catalog__plot");
      this.headers = [...this.root.querySelectorAll("th[data-column]")];
      this.filtersPanel = q("#zoo-filters");
      this.filtersToggle = q("[data-action=filters]");
      this.chips = q(".zoo-catalog__chips");
      this.closeFilters = q("[data-action=close-filters]");
    }

    buildFacets() {
      this.facets = {};
      for (const facet of FACETS) {
        const labels = new Map();
        for (const m of this.models) {
          for (const value of m.values[facet]) {
            if (!labels.has(value)) labels.set(value, this.label(facet, value, m));
          }
        }
        const values = [...labels.keys()].sort((a, b) => {
          if ((a === "") !== (b === "")) return a === "" ? 1 : -1; // "not given" last
          return labels.get(a).localeCompare(labels.get(b), "en");
        });
        const codes = new Map(values.map((value, i) => [value, i]));
        for (const m of this.models) m.codes[facet] = m.values[facet].map((v) => codes.get(v));
        const fieldset = this.root.querySelector(`[data-facet="${facet}"]`);
        const container = fieldset.querySelector(".zoo-facet__values");
        const entries = values.map((value) => {
          const input = el("input", { type: "checkbox", value: value, name: facet });
          const count = el("span", { class: "zoo-facet__count" });
          const row = el("label", { class: "zoo-facet__value" }, [
            input,
            el("span", { class: "zoo-facet__label", text: labels.get(value) }),
            count,
          ]);
          return { value: value, input: input, count: count, row: row };
        });
        container.replaceChildren(...entries.map((entry) => entry.row));
        fieldset.hidden = values.length === 0;
        this.facets[facet] = {
          values: values, labels: labels, entries: entries, counts: new Int32Array(values.length),
        };
      }
    }

    label(facet, value, m) {
      if (value === "") return NOT_GIVEN;
      if (facet === "task") return m.taskLabel;
      if (facet === "framework") return m.frameworkLabel;
      return value;
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

    buildMetrics() {
      // the y axis: the main (first higher-is-better) accuracy figure, any named metric, or the size
      const names = new Map();
      for (const m of this.models) {
        for (const metric of m.raw.accuracy || []) {
          names.set(metric.metric, (names.get(metric.metric) || 0) + 1);
        }
      }
      const options = [el("option", { value: "", text: "Accuracy: each model's main metric" })];
      for (const name of [...names.keys()].sort((a, b) => names.get(b) - names.get(a))) {
        options.push(el("option", { value: "metric:" + name, text: name }));
      }
      options.push(el("option", { value: "mparams", text: "MParams" }));
      this.metricSelect.replaceChildren(...options);
    }

    listen() {
      this.search.addEventListener("input", () => {
        this.state.search = this.search.value;
        this.changed("search");
      });
      for (const facet of FACETS) {
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
      });
      this.filtersPanel.addEventListener("keydown", (event) => {
        if (!this.root.classList.contains("zoo-catalog--drawer")) return;
        if (event.key === "Escape") this.drawer(false);
        else if (event.key === "Tab") this.trapFocus(event);
      });
      this.root.addEventListener("click", (event) => {
        if (event.target === this.root) this.drawer(false); // the backdrop around the drawer
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
        this.removeFilter(this.activeFilters()[Number(button.dataset.filter)]);
      } else if (action === "relax") {
        this.removeFilter(this.filterGroups()[Number(button.dataset.group)]);
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

    // one entry per removable value: the search, each checked facet value, each range
    activeFilters() {
      const state = this.state;
      const filters = [];
      if (state.search.trim()) {
        filters.push({ kind: "search", label: `Search: ${state.search.trim()}` });
      }
      for (const facet of FACETS) {
        const labels = this.facets[facet].labels;
        for (const value of state.facets[facet]) {
          const label = labels.has(value) ? labels.get(value) : value || NOT_GIVEN;
          filters.push({ kind: "facet", facet: facet, values: [value], label: `${TITLES[facet]}: ${label}` });
        }
      }
      for (const range of RANGES) {
        const [low, high] = state.ranges[range];
        if (low === null && high === null) continue;
        filters.push({ kind: "range", range: range, label: rangeLabel(TITLES[range], low, high) });
      }
      return filters;
    }

    // the filter groups the list must pass (a facet's values form one group): what relaxing removes
    filterGroups() {
      const groups = [];
      for (const filter of this.activeFilters()) {
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

    removeFilter(filter) {
      if (!filter) return;
      if (filter.kind === "search") this.state.search = "";
      else if (filter.kind === "range") this.state.ranges[filter.range] = [null, null];
      else for (const value of filter.values) this.state.facets[filter.facet].delete(value);
      this.syncControls();
      this.changed("filter");
    }

    renderChips() {
      const filters = this.activeFilters();
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
      this.filtersToggle.textContent = filters.length ? `Filters (${filters.length})` : "Filters";
    }

    // how many models each filter group would give without it, when together they give none
    relaxations() {
      const groups = this.filterGroups();
      const terms = this.state.search.toLowerCase().split(/\s+/).filter(Boolean);
      const tests = groups.map((group) => {
        if (group.kind === "search") return (m) => terms.every((term) => m.text.includes(term));
        if (group.kind === "facet") {
          const wanted = new Set(group.values);
          return (m) => m.values[group.facet].some((value) => wanted.has(value));
        }
        const [low, high] = this.state.ranges[group.range];
        return (m) => {
          const value = m.numbers[group.range];
          return value !== null && (low === null || value >= low) && (high === null || value <= high);
        };
      });
      const counts = new Array(groups.length).fill(0);
      for (const m of this.models) {
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

    deadEnd() {
      const relax = this.relaxations();
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
          text: `Clear all filters: ${plural(this.models.length, "model")}`,
        }));
      }
      return cell;
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
      for (const facet of FACETS) {
        for (const entry of this.facets[facet].entries) {
          entry.input.checked = state.facets[facet].has(entry.value);
        }
      }
      for (const range of RANGES) {
        const [low, high] = state.ranges[range];
        const inputs = this.ranges[range];
        if (parseBound(inputs.min.value) !== low) inputs.min.value = number(low);
        if (parseBound(inputs.max.value) !== high) inputs.max.value = number(high);
      }
      const y = [...this.metricSelect.options].some((o) => o.value === state.y) ? state.y : "";
      this.metricSelect.value = y;
    }

    /* --------------------------------------------------------------- filter */

    update() {
      const started = performance.now();
      this.filter();
      this.shown = Math.min(PAGE_SIZE, this.matches.length);
      this.renderFacets();
      this.renderHeaders();
      this.renderTable();
      this.renderChips();
      this.renderView(); // schedules the chart
      const detail = { matches: this.matches.length, ms: performance.now() - started };
      this.root.dispatchEvent(new CustomEvent("zoo-catalog:render", { detail: detail, bubbles: true }));
    }

    filter() {
      const state = this.state;
      const terms = state.search.toLowerCase().split(/\s+/).filter(Boolean);
      // filter groups: text, then one per active facet, then one per active range
      const facets = FACETS.filter((f) => state.facets[f].size).map((facet) => {
        const info = this.facets[facet];
        const wanted = new Uint8Array(info.values.length);
        info.values.forEach((value, i) => (wanted[i] = state.facets[facet].has(value) ? 1 : 0));
        return { facet: facet, wanted: wanted };
      });
      const ranges = RANGES.filter((r) => state.ranges[r][0] !== null || state.ranges[r][1] !== null)
        .map((range) => ({ range: range, low: state.ranges[range][0], high: state.ranges[range][1] }));
      for (const facet of FACETS) this.facets[facet].counts.fill(0);
      const matches = []; // walking the sorted order leaves them sorted
      for (const index of this.order()) {
        const m = this.models[index];
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
          const value = m.numbers[group.range];
          const inside = value !== null && (group.low === null || value >= group.low) &&
            (group.high === null || value <= group.high);
          if (!inside) fails = 2;
        }
        if (fails === 0) {
          matches.push(m.index);
          for (const facet of FACETS) {
            const counts = this.facets[facet].counts;
            for (const code of m.codes[facet]) counts[code] += 1;
          }
        } else if (fails === 1) {
          const counts = this.facets[failed].counts;
          for (const code of m.codes[failed]) counts[code] += 1;
        }
      }
      this.matches = matches;
    }

    // every model's index in the current sort order, computed once per column and direction
    order() {
      const { key, desc } = this.state.sort;
      const id = key ? (desc ? "-" : "") + key : "";
      if (!this.orders[id]) {
        const indexes = this.models.map((m) => m.index);
        if (key) {
          const keys = this.models.map(SORT_KEYS[key]);
          const direction = desc ? -1 : 1;
          indexes.sort((a, b) => {
            const x = keys[a];
            const y = keys[b];
            if (x === y) return a - b;
            if (x === null) return 1;
            if (y === null) return -1;
            return (x < y ? -1 : 1) * direction;
          });
        }
        this.orders[id] = indexes;
      }
      return this.orders[id];
    }

    /* --------------------------------------------------------------- render */

    renderFacets() {
      for (const facet of FACETS) {
        const { entries, counts } = this.facets[facet];
        entries.forEach((entry, i) => {
          const text = counts[i].toLocaleString("en");
          if (entry.count.textContent !== text) entry.count.textContent = text;
          entry.row.classList.toggle("zoo-facet__value--empty", counts[i] === 0);
        });
      }
    }

    renderHeaders() {
      const { key, desc } = this.state.sort;
      for (const th of this.headers) {
        const sort = th.dataset.column === key ? (desc ? "descending" : "ascending") : "none";
        th.setAttribute("aria-sort", sort);
      }
    }

    renderTable() {
      const rows = [];
      for (let i = 0; i < this.shown; i++) rows.push(this.row(this.models[this.matches[i]]));
      if (!rows.length) {
        const columns = this.headers.length + 1; // the sortable ones and the select column
        const cell = el("td", { colSpan: columns }, this.deadEnd());
        rows.push(el("tr", { class: "zoo-catalog__empty" }, [cell]));
      }
      const children = this.tbody.children;
      const same = rows.length === children.length && rows.every((row, i) => row === children[i]);
      if (!same) this.tbody.replaceChildren(...rows); // re-inserting rows costs a layout
      this.renderMore();
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
      this.more.hidden = left <= 0;
      this.more.textContent = `Show ${Math.min(PAGE_SIZE, left)} more (${left.toLocaleString("en")} not shown)`;
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
        tr = this.buildRow(m);
        this.rows.set(m.index, tr);
      }
      return tr; // renderSelection keeps the checkboxes of built rows current
    }

    buildRow(m) {
      const raw = m.raw;
      const checkbox = el("input", {
        type: "checkbox",
        checked: this.state.compare.includes(m.name),
        dataset: { name: m.name },
        "aria-label": "Select " + m.name + " for comparison",
      });
      const first = m.first;
      const accuracy = first
        ? [
            el("span", { class: "zoo-catalog__metric", text: first.metric + " " }),
            number(first.value) + (first.unit || ""),
            first.better === "lower" ? " ↓" : "",
          ]
        : [NO_ACCURACY];
      const cells = [
        el("td", { class: "zoo-catalog__select" }, [checkbox]),
        el("td", { class: "zoo-catalog__name" }, [
          el("a", { href: m.url, text: m.name }),
          el("span", { class: "zoo-catalog__description", text: raw.description || "" }),
        ]),
        el("td", { text: m.taskLabel }),
        el("td", { text: m.values.tag.join(", ") }),
        el("td", { text: m.frameworkLabel || "-" }),
        el("td", { text: m.license || "-" }),
        el("td", { class: "zoo-catalog__number", text: number(m.numbers.gflops) || "-" }),
        el("td", { class: "zoo-catalog__number", text: number(m.numbers.mparams) || "-" }),
        el("td", { class: "zoo-catalog__number" }, accuracy),
        el("td", { text: m.values.precision.join(", ") || "-" }),
        el("td", null, validationBadges(raw.validation || [])),
      ];
      cells.forEach((td, i) => {
        if (!COLUMN_LABELS[i]) return;
        td.dataset.label = COLUMN_LABELS[i];
        const text = td.textContent;
        if (text === "-" || text === "") td.classList.add("zoo-catalog__none"); // no line on a card
      });
      if (!first) cells[8].classList.add("zoo-catalog__missing");
      return el("tr", null, cells);
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
      this.list.hidden = compare;
      this.chartSection.hidden = compare;
      this.compareSection.hidden = !compare;
      if (compare) this.renderCompare();
      else this.scheduleChart();
    }

    /* -------------------------------------------------------------- compare */

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

    /* ---------------------------------------------------------------- chart */

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

    lowerOnly(m) {
      return m.numbers.accuracy === null && (m.raw.accuracy || []).length > 0;
    }

    chartValue(m) {
      const y = this.metricSelect.value;
      if (y === "") return m.numbers.accuracy;
      if (y === "mparams") return m.numbers.mparams;
      const name = y.replace(/^metric:/, "");
      const metric = (m.raw.accuracy || []).find((a) => a.metric === name);
      return metric && typeof metric.value === "number" ? metric.value : null;
    }

    renderChart() {
      if (this.chartSection.hidden || !this.root.isConnected) return;
      const points = [];
      for (const index of this.matches) {
        const m = this.models[index];
        const x = m.numbers.gflops;
        const y = this.chartValue(m);
        if (x !== null && x > 0 && y !== null) points.push({ name: m.name, url: m.url, x: x, y: y });
      }
      points.sort((a, b) => a.x - b.x || (a.name < b.name ? -1 : 1));
      const label = this.metricSelect.selectedOptions[0].textContent;
      const left = this.matches.length - points.length;
      this.caption.textContent =
        `${label} against GFLOPs (log scale) for ${plural(points.length, "model")}` +
        (left ? ` (${left.toLocaleString("en")} without both figures left out)` : "") +
        (this.metricSelect.value === "" && this.matches.some((i) => this.lowerOnly(this.models[i]))
          ? "; lower-is-better figures such as error rates are not accuracy: pick them by name above"
          : "") +
        ". Click a point to open its model page; the table lists the same models.";
      this.plot.dataset.points = String(points.length);
      this.plot.zooPoints = points;
      this.plot.hidden = points.length === 0; // no empty axes
      const data = [points.map((p) => p.x), points.map((p) => p.y)];
      if (typeof uPlot === "undefined") {
        this.caption.textContent += " (The chart library did not load.)";
        return;
      }
      if (!this.chart || this.chartLabel !== label || this.chartScheme !== colorScheme()) {
        this.buildChart(label, data);
      } else {
        this.chart.setData(data);
      }
      const chart = { points: points.length };
      this.root.dispatchEvent(new CustomEvent("zoo-catalog:chart", { detail: chart, bubbles: true }));
    }

    buildChart(label, data) {
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
        width: Math.max(this.plot.clientWidth, 300),
        height: 360,
        scales: { x: { time: false, distr: 3 } },
        axes: [axis("GFLOPs (log scale)"), axis(label)],
        series: [
          {},
          {
            label: label,
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
      this.chartLabel = label;
      this.chartScheme = colorScheme();
      if (!this.resizer) {
        this.resizer = new ResizeObserver(() => {
          if (this.chart && this.plot.clientWidth) {
            this.chart.setSize({ width: this.plot.clientWidth, height: 360 });
          }
        });
        this.resizer.observe(this.plot);
      }
    }

    // the point nearest to the cursor, within 10 px
    nearest(u) {
      const { left, top } = u.cursor;
      if (left === undefined || left < 0) return null;
      const points = this.plot.zooPoints || [];
      let best = null;
      let bestDistance = 100;
      for (const point of points) {
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
      tip.textContent = `${point.name}: ${point.x} GFLOPs, ${point.y}`;
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
  }

  // a CSS color at 60% opacity, so that dense clouds of points stay readable
  function translucent(color) {
    const context = document.createElement("canvas").getContext("2d");
    context.fillStyle = color;
    const normal = context.fillStyle; // "#rrggbb" or "rgba(r, g, b, a)"
    if (normal.startsWith("#")) return normal + "99";
    return normal.replace(/^rgba?\(([^,]+),([^,]+),([^,)]+).*$/, "rgba($1,$2,$3,0.6)");
  }

  function rangeLabel(title, low, high) {
    if (low !== null && high !== null) return `${title}: ${number(low)} to ${number(high)}`;
    return low !== null ? `${title} ≥ ${number(low)}` : `${title} ≤ ${number(high)}`;
  }

  function colorScheme() {
    return document.body.getAttribute("data-md-color-scheme") || "";
  }

  function validationBadges(results) {
    if (!results.length) return ["-"];
    const badges = [];
    for (const result of results) {
      const status = Object.hasOwn(STATUS_ICONS, result.status) ? result.status : "error";
      const text = `${STATUS_ICONS[status]} ${result.device} ${result.precision || ""}`.trim();
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

  /* ----------------------------------------------------- compare view rows */

  // [label, cells] per spec; numeric rows mark the best value (lowest cost, best accuracy)
  function compareRows(models) {
    const rows = [];
    const text = (label, value) => rows.push([label, models.map((m) => el("td", { text: value(m) || "-" }))]);
    const nodes = (label, value) => rows.push([label, models.map((m) => el("td", null, value(m)))]);
    // a model without any accuracy figure says so; "-" is a figure it has not for this metric
    const none = (m) => ((m.raw.accuracy || []).length ? "-" : NO_ACCURACY);
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
    best("GFLOPs", (m) => m.numbers.gflops, true, (m) => number(m.numbers.gflops));
    best("MParams", (m) => m.numbers.mparams, true, (m) => number(m.numbers.mparams));
    text("Introduced", (m) => number(m.raw.year));
    const metrics = [];
    for (const m of models) {
      for (const metric of m.raw.accuracy || []) {
        const key = metric.metric + (metric.dataset ? " · " + metric.dataset : "");
        if (!metrics.some((known) => known.key === key)) {
          metrics.push({ key: key, name: metric.metric, dataset: metric.dataset, lower: metric.better === "lower" });
        }
      }
    }
    for (const wanted of metrics) {
      const find = (m) => (m.raw.accuracy || []).find((a) => {
        return a.metric === wanted.name && (a.dataset || undefined) === (wanted.dataset || undefined);
      });
      best(
        wanted.key + (wanted.lower ? " ↓" : ""),
        (m) => {
          const metric = find(m);
          return metric && typeof metric.value === "number" ? metric.value : null;
        },
        wanted.lower,
        (m) => {
          const metric = find(m);
          return number(metric.value) + (metric.unit || "");
        },
        none,
      );
    }
    if (!metrics.length) text("Accuracy", none);
    text("Speed", (m) => (m.raw.speed || []).map((s) => {
      return `${s.value} ${s.unit}` + (s.device ? ` (${s.device})` : "");
    }).join("; "));
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

  function tensorLines(tensors) {
    if (!tensors || !tensors.length) return ["-"];
    return tensors.map((t) => {
      const parts = [t.name ? t.name + ": " : "", dims(t.shape)];
      for (const extra of [t.layout, t.type || "f32", t.color_order]) if (extra) parts.push(" " + extra);
      return el("div", { class: "zoo-catalog__tensor", text: parts.join("") });
    });
  }

  /* ------------------------------------------------------------- lifecycle */

  function mount() {
    const root = document.getElementById("zoo-catalog");
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
  new MutationObserver(() => {
    if (current && current.root.isConnected) current.scheduleChart();
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  if (typeof document$ !== "undefined") document$.subscribe(mount);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
  else mount();
})();
