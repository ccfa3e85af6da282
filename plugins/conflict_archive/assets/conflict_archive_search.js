// Conflict Archive: the archive's search, on Pagefind's indexes (pagefind/ at the site root).
//
// On every page: a search box in the header that shows the first results as one types and
// opens the search page on Enter. On the search page (search/): words, filters with counts,
// a range of months and a sort, all kept in the page's URL so that a query can be shared,
// cited and gone back to. Everything the editor wrote reaches the page as text, never HTML.
(() => {
  "use strict";

  const script = document.currentScript;
  // This file is assets/conflict_archive_search.js: the site root is two steps up from it.
  const root = new URL("..", script ? script.src : document.baseURI);
  const PAGE_SIZE = 25;
  const QUICK_RESULTS = 8;

  // Two indexes: the articles' (and the site's own pages') in pagefind/, the events' in
  // pagefind/events/. A query on the search page is for one kind and loads that index alone;
  // the header box searches both, the events' merged into the articles' by Pagefind. Each use
  // loads its own copy of Pagefind's script (a module is one per URL), so each has its own
  // worker and the search page's queries never pass through the header box's merged index:
  // Pagefind's instances that share one worker (`createInstance`) fail now and then when two
  // work at once ("memory access out of bounds").
  const ARTICLES = "pagefind/";
  const EVENTS = "pagefind/events/";
  const uses = {
    event: { script: `${EVENTS}pagefind.js` },
    article: { script: `${ARTICLES}pagefind.js` },
    header: { script: `${ARTICLES}pagefind.js?header`, merge: EVENTS },
  };
  const loaded = {};
  function pagefind(use) {
    if (!loaded[use]) {
      const { script, merge } = uses[use];
      loaded[use] = import(new URL(script, root).href).then(async (module) => {
        await module.options({ baseUrl: root.pathname, excerptLength: 24 });
        await module.init();
        if (merge) await module.mergeIndex(new URL(merge, root).pathname, { baseUrl: root.pathname });
        return module;
      });
    }
    return loaded[use];
  }

  function element(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  // ---- The header box -------------------------------------------------------------------

  function headerBox() {
    const header = document.querySelector(".md-header__inner");
    if (!header || document.querySelector(".md-search") || document.getElementById("ca-header-search")) return;
    const searchPage = new URL("search/", root).href;
    const input = element("input", {
      id: "ca-header-q",
      name: "q",
      type: "search",
      placeholder: "Search the archive",
      autocomplete: "off",
    });
    // The first results follow the box as links, reached with Tab; Escape closes them.
    const results = element("ul", { id: "ca-header-results", class: "ca-header-search__results", hidden: true, "aria-live": "polite" });
    const form = element(
      "form",
      { id: "ca-header-search", class: "ca-header-search", role: "search", action: searchPage },
      element("label", { for: "ca-header-q", class: "ca-visually-hidden", text: "Search the archive" }),
      input,
      results,
    );
    const source = header.querySelector(".md-header__source");
    header.insertBefore(form, source);
    if (location.protocol === "file:") return; // the form still opens the search page, which explains
    let typed = 0;
    input.addEventListener("input", () => quickResults().catch(close)); // no results, no box
    async function quickResults() {
      const mine = ++typed;
      const words = input.value.trim();
      if (!words) return close();
      const module = await pagefind("header");
      const search = await module.debouncedSearch(words, {}, 250);
      if (search === null || mine !== typed) return;
      const found = await Promise.all(search.results.slice(0, QUICK_RESULTS).map((r) => r.data()));
      results.replaceChildren(
        ...found.map((data) =>
          element(
            "li",
            {},
            element("a", { href: data.url }, element("strong", { text: data.meta.title || data.url }),
              element("span", { text: data.meta.kind === "event" ? ` ${data.meta.date}, ${data.meta.place}` : ` ${data.meta.date || ""}` })),
          ),
        ),
        element("li", {}, element("a", { href: `${searchPage}?q=${encodeURIComponent(words)}`, text: `All results for “${words}”` })),
      );
      results.hidden = false;
    }
    function close() {
      results.hidden = true;
    }
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    form.addEventListener("focusout", (event) => {
      if (!form.contains(event.relatedTarget)) close();
    });
  }

  // ---- The search page ------------------------------------------------------------------

  function searchPage(container) {
    const names = JSON.parse(container.dataset.filters); // [[filter, its title], ...], in order
    const known = new Set(names.map(([name]) => name));
    const form = container.querySelector("#ca-search-form");
    const facets = container.querySelector("#ca-search-facets");
    const status = container.querySelector("#ca-search-status");
    const table = container.querySelector("#ca-search-results");
    const more = container.querySelector("#ca-search-more");
    const note = container.querySelector("#ca-search-sort-note");
    if (location.protocol === "file:") {
      container.querySelector("#ca-search-offline").hidden = false;
      form.hidden = true;
      return;
    }
    // Every month with a record, so that a range of months becomes a filter on them.
    const months = JSON.parse(container.dataset.months || "[]");
    // Filters and sorts that only events have: an article's figures are its events'.
    const EVENT_ONLY = new Set(["killed", "injured"]);
    function applies(kind, name) {
      return kind === "event" || !EVENT_ONLY.has(name);
    }
    // What a search of its kind can use: an article search drops the events' own filters and sorts.
    function forKind(s) {
      for (const name of Object.keys(s.filters)) if (!applies(s.kind, name)) delete s.filters[name];
      if (!applies(s.kind, s.sort)) s.sort = "";
      return s;
    }
    // A filter's counts need its whole file of the index, one of the largest: only the files of
    // the panels a reader has opened, and of the filters chosen, are fetched, so a query costs
    // what it shows. A panel is open if the reader opened it, else if one of its values is chosen.
    const counted = new Set();
    const panels = new Map(); // filter name: open (true) or closed (false) by the reader
    let shown = [];
    let current = null;
    let run = 0;

    function state() {
      const params = new URLSearchParams(location.search);
      const filters = {};
      const kind = params.get("kind") === "article" ? "article" : "event";
      for (const name of known) {
        if (name === "kind") continue;
        const values = params.getAll(name).filter(Boolean);
        if (values.length) filters[name] = values;
      }
      return forKind({
        q: params.get("q") || "",
        kind,
        from: params.get("from") || "",
        to: params.get("to") || "",
        sort: params.get("sort") || "",
        filters,
      });
    }

    function toUrl(s) {
      const params = new URLSearchParams();
      if (s.q) params.set("q", s.q);
      if (s.kind !== "event") params.set("kind", s.kind);
      for (const [name, values] of Object.entries(s.filters)) for (const value of values) params.append(name, value);
      if (s.from) params.set("from", s.from);
      if (s.to) params.set("to", s.to);
      if (s.sort) params.set("sort", s.sort);
      const query = params.toString();
      return query ? `?${query}` : location.pathname;
    }

    function fromForm() {
      const s = state();
      const chosen = {};
      for (const box of facets.querySelectorAll("input[type=checkbox]:checked")) {
        (chosen[box.name] = chosen[box.name] || []).push(box.value);
      }
      return forKind({
        q: form.q.value.trim(),
        kind: form.kind.value,
        from: form.from.value,
        to: form.to.value,
        sort: form.sort.value,
        filters: Object.keys(chosen).length || facets.childElementCount ? chosen : s.filters,
      });
    }

    function go(s) {
      history.pushState(null, "", toUrl(s));
      refresh();
    }

    function refresh() {
      const showing = show();
      const mine = run; // show() has counted itself in already
      showing.catch((error) => {
        if (mine !== run) return; // a newer search has the status line
        status.textContent = `The search index could not be loaded (${error.message}). The browse pages list every event.`;
      });
    }

    function pagefindFilters(s) {
      // The events' index holds nothing else; the articles' holds the site's own pages too,
      // and once the header box has been used, the events' merged in.
      const filters = s.kind === "article" ? { kind: "article" } : {};
      for (const name of counted) if (applies(s.kind, name)) filters[name] = []; // loads its file, narrows nothing
      for (const [name, values] of Object.entries(s.filters)) filters[name] = { any: values };
      if (s.from || s.to) {
        const inRange = months.filter((m) => (!s.from || m >= s.from) && (!s.to || m <= s.to));
        filters.month = { any: inRange.length ? inRange : ["none"] };
      }
      return filters;
    }

    function pagefindSort(s) {
      if (s.sort === "oldest") return { date: "asc" };
      if (s.sort === "killed" || s.sort === "injured") return { [s.sort]: "desc" };
      if (s.sort === "relevance" && s.q) return undefined;
      return { date: "desc" };
    }

    function renderFacets(s, counts) {
      // The panels are made afresh for each result: focus goes back to the control that had it.
      const focused = facets.contains(document.activeElement) ? document.activeElement : null;
      const refocus = focused && (focused.dataset.panel || `${focused.name}\n${focused.value}`);
      facets.replaceChildren(
        element("h2", { text: "Filters" }),
        ...names
          .filter(([name]) => name !== "kind" && name !== "month" && applies(s.kind, name))
          // A filter asked for and not answered has no value among these records.
          .map(([name, label]) => facet(s, name, label, counts[name] || (counted.has(name) || s.filters[name] ? {} : null))),
      );
      for (const control of facets.querySelectorAll("summary, input")) {
        if (refocus && (control.dataset.panel || `${control.name}\n${control.value}`) === refocus) control.focus();
      }
    }

    // An open panel has its counts, from now on and in either kind's index.
    function keepOpen(name) {
      panels.set(name, true);
      counted.add(name);
    }

    function facet(s, name, label, counts) {
      const chosen = s.filters[name] || [];
      const open = panels.has(name) ? panels.get(name) : chosen.length > 0;
      const panel = element(
        "details",
        { class: "ca-facet", "data-filter": name, open },
        element("summary", { "data-panel": name, text: chosen.length ? `${label} (${chosen.length} chosen)` : label }),
      );
      let last = open;
      panel.addEventListener("toggle", () => {
        if (panel.open === last) return; // the toggle of a panel made open
        last = panel.open;
        if (!panel.open) return panels.set(name, false);
        keepOpen(name);
        if (!counts) refresh(); // its counts are fetched with the results again
      });
      if (!counts) {
        panel.append(element("p", { class: "ca-note", text: "Counting…" }));
        return panel;
      }
      const values = Object.entries(counts);
      for (const value of chosen) if (!values.some(([v]) => v === value)) values.push([value, 0]);
      values.sort((a, b) => (name === "year" ? b[0].localeCompare(a[0]) : b[1] - a[1] || a[0].localeCompare(b[0])));
      const visible = values.filter(([value, count]) => count > 0 || chosen.includes(value));
      const list = element(
        "ul",
        {},
        ...visible.map(([value, count], i) => {
          const id = `ca-f-${name}-${i}`;
          const box = element("input", { type: "checkbox", id, name, value, checked: chosen.includes(value) });
          box.addEventListener("change", () => {
            keepOpen(name); // the panel stays open with its last value unticked
            go(fromForm());
          });
          return element(
            "li",
            {},
            box,
            " ",
            element("label", { for: id }, value, element("span", { class: "ca-count", text: ` (${count.toLocaleString("en")})` })),
          );
        }),
      );
      panel.append(
        element(
          "fieldset",
          {},
          element("legend", { class: "ca-visually-hidden", text: label }),
          visible.length ? list : element("p", { class: "ca-note", text: "None in these results." }),
        ),
      );
      return panel;
    }

    function row(data) {
      const link = element("a", { href: data.url, text: data.meta.kind === "event" ? data.meta.report : data.meta.title });
      if (data.meta.kind === "event") {
        return element(
          "tr",
          {},
          element("td", { text: data.meta.date }),
          element("td", { text: data.meta.place }),
          element("td", { text: data.meta.type }),
          element("td", { text: data.meta.killed }),
          element("td", { text: data.meta.injured }),
          element("td", {}, link),
        );
      }
      return element("tr", {}, element("td", { text: data.meta.date }), element("td", { colspan: "4", text: data.meta.summary || "" }), element("td", {}, link));
    }

    async function showMore() {
      const mine = run;
      const next = current.results.slice(shown.length, shown.length + PAGE_SIZE);
      const data = await Promise.all(next.map((r) => r.data()));
      if (mine !== run) return;
      shown = shown.concat(data);
      table.tBodies[0].append(...data.map(row));
      more.hidden = shown.length >= current.results.length;
    }

    async function show() {
      const mine = ++run;
      container.dataset.ready = "false"; // until these results are on the page
      const s = state();
      form.q.value = s.q;
      form.kind.value = s.kind;
      form.from.value = s.from;
      form.to.value = s.to;
      for (const option of form.sort.options) option.disabled = !applies(s.kind, option.value);
      form.sort.value = s.sort || (s.q ? "relevance" : "newest");
      status.textContent = "Searching…";
      const module = await pagefind(s.kind);
      const search = await module.search(s.q || null, { filters: pagefindFilters(s), sort: pagefindSort(s) });
      if (mine !== run) return;
      current = search;
      shown = [];
      renderFacets(s, search.filters);
      const noun = s.kind === "event" ? "event" : "article";
      const count = search.results.length;
      status.textContent = `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}${s.q ? ` matching “${s.q}”` : ""}.`;
      note.hidden = !(s.sort === "killed" || s.sort === "injured");
      note.textContent = note.hidden ? "" : `Sorted by ${s.sort}: the best estimate, else the lower bound. Events whose ${s.sort} figure was not reported are left out of this sort.`;
      table.querySelector("thead").replaceChildren(
        s.kind === "event"
          ? element("tr", {}, ...["Date", "Place", "Type", "Killed", "Injured", "Report"].map((h) => element("th", { scope: "col", text: h })))
          : element("tr", {}, element("th", { scope: "col", text: "Published" }), element("th", { scope: "col", colspan: "4", text: "Summary" }), element("th", { scope: "col", text: "Article" })),
      );
      table.tBodies[0].replaceChildren();
      table.hidden = count === 0;
      await showMore();
      container.dataset.ready = "true";
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      go(fromForm());
    });
    for (const control of [form.kind[0], form.kind[1], form.from, form.to, form.sort]) {
      control.addEventListener("change", () => go(fromForm()));
    }
    more.addEventListener("click", () => showMore());
    window.addEventListener("popstate", refresh);
    refresh();
  }

  function start() {
    headerBox();
    const container = document.getElementById("ca-search");
    if (container) searchPage(container);
  }
  // Material's instant navigation swaps pages without loading them: start again on each.
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
