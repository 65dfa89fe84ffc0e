// allegiance's page: camps network, timeline, event table, sentence and article views.
// Every piece of data goes into the page as text (textContent, text nodes, attributes),
// never as markup, so a story that contains "<script>" shows those characters.
"use strict";

(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
    "ASSAULT"];
  // Camp colours: distinct hues, none the support green or hostility red of the edges.
  const CAMP_COLOURS = ["#2b6cd4", "#e08a00", "#8a3ccf", "#00897b", "#c2185b", "#6d7f00",
    "#5d4037", "#0097a7", "#ad1457", "#455a64"];
  const NEUTRAL = "#9aa1ad";
  const QUAD = { 1: "#a6d96a", 2: "#1a9850", 3: "#fdae61", 4: "#d7301f" };  // as style.css
  const PAGE = 25;
  // The table's filters, as the API's query parameters and the address's keys.
  const FILTERS = [
    "actor", "type", "country", "since", "until", "min_confidence", "modality", "quad_class",
  ];

  const state = { filters: {}, cursors: [null], theatres: [], tickets: {} };

  // Answers can come back out of order (a slow first graph, then a quick filter): each view
  // draws only the answer to the latest request it made.
  function ticket(view) {
    const mine = (state.tickets[view] || 0) + 1;
    state.tickets[view] = mine;
    return () => state.tickets[view] === mine;
  }

  // DOM helpers --------------------------------------------------------------------------
  function $(sel) { return document.querySelector(sel); }

  // An element with attributes and children; strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function svgEl(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    setAttrs(node, attrs);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else node.setAttribute(key, String(value));
    }
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function showError(message) {
    const box = $("#message");
    box.textContent = message;
    box.hidden = !message;
  }

  // The API: JSON in, the one error shape turned into a message. ---------------------------
  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    for (const [key, value] of Object.entries(params || {})) {
      if (value !== null && value !== undefined && value !== "") url.searchParams.set(key, value);
    }
    busy(+1);
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      const body = await response.json().catch(() => null);
      if (!response.ok) {
        const message = body && body.error ? body.error.message : response.statusText;
        throw new Error(message);
      }
      return body;
    } finally {
      // Counted down after the caller's own continuation has run, so a request that leads
      // to another (an event, then its article) never shows the page idle in between.
      setTimeout(() => busy(-1));
    }
  }

  // Requests in flight, on <body data-pending> for the cursor style and for tests.
  function busy(change) {
    state.pending = (state.pending || 0) + change;
    document.body.dataset.pending = String(state.pending);
  }

  function guarded(fn) {
    return async function (...args) {
      try {
        await fn(...args);
      } catch (err) {
        showError(err.message || String(err));
      }
    };
  }

  // Text with spans marked: each span a <mark> holding its own slice of the text. -----------
  function markedText(text, spans, onClick) {
    const out = el("div", { class: "text" });
    let at = 0;
    for (const span of spans) {
      if (span.start < at || span.end > text.length || span.end <= span.start) continue;
      out.append(document.createTextNode(text.slice(at, span.start)));
      const mark = el("mark", { class: span.kind, title: span.label || span.kind },
        text.slice(span.start, span.end));
      if (onClick) mark.addEventListener("click", () => onClick(span));
      out.append(mark);
      at = span.end;
    }
    out.append(document.createTextNode(text.slice(at)));
    return out;
  }

  // Camps -----------------------------------------------------------------------------------
  // Camps are computed per period (a calendar year by default): the period select moves
  // the window, the theatre select lists that period's theatres.
  async function loadTheatres(wanted) {
    const data = await api("/api/sides");
    state.theatres = data.theatres;
    const periods = $("#window");
    clear(periods);
    for (const label of data.windows) periods.append(el("option", { value: label }, label));
    const dated = data.windows.filter((w) => w !== "undated");
    const latest = dated.length ? dated[dated.length - 1] : data.windows[0];
    const period = data.windows.includes(wanted.period) ? wanted.period : latest;
    if (period !== undefined) await showWindow(period, false, wanted.theatre);
    else $("#camps-list").append(el("li", {}, "No theatre with camps in this store yet."));
  }

  // A period's theatres, the one with most events first; it opens on that one unless the
  // address names another.
  async function showWindow(label, filterTable, wantedTheatre) {
    $("#window").value = label;
    state.period = label;
    const select = $("#theatre");
    clear(select);
    const here = state.theatres
      .filter((t) => t.window && t.window.label === label)
      .sort((a, b) => (b.support ? b.support.events : 0) - (a.support ? a.support.events : 0));
    for (const th of here) {
      select.append(el("option", { value: th.key }, `${th.theatre} (${th.country})`));
    }
    const chosen = here.find((t) => t.key === wantedTheatre) || here[0];
    if (chosen) await showTheatre(chosen.key, filterTable);
    else saveView();
  }

  async function showTheatre(key, filterTable) {
    $("#theatre").value = key;
    state.theatre = key;
    saveView();
    const current = ticket("theatre");
    const theatre = state.theatres.find((t) => t.key === key);
    if (!theatre) return;
    const w = theatre.window || {};
    const graph = await api("/api/graph", {
      theatre: theatre.country, since: w.since, until: w.until,
    });
    if (!current()) return;
    drawNetwork(graph, key);
    listCamps(theatre);
    await listShifts(theatre.country);
    if (filterTable) {
      const form = $("#filters").elements;
      form.country.value = theatre.country;
      if (form.since) form.since.value = w.since || "";
      if (form.until) form.until.value = w.until || "";
      await applyFilters();
    }
  }

  function campOf(node, country) {
    const camp = node.camps ? node.camps[country] : undefined;
    return typeof camp === "number" ? camp : null;
  }

  // Ten fixed colours, then hues a golden angle apart: no two camps share a colour.
  function colourOf(camp) {
    if (camp === null) return NEUTRAL;
    if (camp < CAMP_COLOURS.length) return CAMP_COLOURS[camp];
    return `hsl(${Math.round((camp * 137.508) % 360)}, 65%, 40%)`;
  }

  // Camps stand in a grid (up to three a row), each a ring of its members (two rings when
  // crowded), the neutral actors in a row below. Deterministic: the same store draws the
  // same picture.
  const WIDTH = 760, ROW = 230, NEUTRAL_BAND = 70, MAX_NODES = 48;

  function layout(nodes, country) {
    const groups = new Map();
    for (const node of nodes) {
      const camp = campOf(node, country);
      const key = camp === null ? "neutral" : camp;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(node);
    }
    const camps = [...groups.keys()].filter((k) => k !== "neutral").sort((a, b) => a - b);
    const cols = Math.min(3, Math.max(1, camps.length));
    const rows = Math.max(1, Math.ceil(camps.length / cols));
    const neutral = groups.get("neutral") || [];
    const height = rows * ROW + (neutral.length ? NEUTRAL_BAND : 0);
    const cellWidth = WIDTH / cols;
    // Room for the ring inside its cell, leaving space for the labels around it.
    const room = Math.max(14, Math.min(cellWidth / 2 - 75, ROW / 2 - 35));
    const places = new Map(), centres = new Map();
    camps.forEach((camp, i) => {
      const cx = cellWidth * ((i % cols) + 0.5);
      const cy = ROW * (Math.floor(i / cols) + 0.5) + 8;
      centres.set(camp, [cx, cy]);
      const members = groups.get(camp);
      members.forEach((node, j) => {
        const inner = members.length > 12 && j % 2 === 1;
        const r = members.length === 1 ? 0 : Math.min(room, 18 + 7 * members.length);
        const angle = -Math.PI / 2 + (2 * Math.PI * j) / members.length;
        const k = inner ? 0.6 : 1;
        places.set(node.id, [cx + k * r * Math.cos(angle), cy + k * r * Math.sin(angle)]);
      });
    });
    neutral.forEach((node, j) => {
      const y = camps.length ? height - 20 - 26 * (j % 2) : height / 2;
      places.set(node.id, [(WIDTH * (j + 0.5)) / neutral.length, y]);
    });
    return { places, centres, height };
  }

  // The strongest actors of a theatre, by the evidence on their edges, when there are many.
  function strongest(nodes, edges) {
    if (nodes.length <= MAX_NODES) return nodes;
    const strength = new Map();
    for (const e of edges) {
      for (const id of [e.source, e.target]) strength.set(id, (strength.get(id) || 0) + e.weight);
    }
    return [...nodes].sort((a, b) => (strength.get(b.id) || 0) - (strength.get(a.id) || 0))
      .slice(0, MAX_NODES);
  }

  function drawNetwork(graph, country) {
    const svg = $("#network");
    clear(svg);
    const edges = graph.edges.filter((e) => e.theatre === country);
    const inTheatre = graph.nodes.filter((n) => n.camps && country in n.camps);
    const nodes = strongest(inTheatre, edges);
    const { places, centres, height } = layout(nodes, country);
    svg.setAttribute("viewBox", `0 0 ${WIDTH} ${height}`);
    const heaviest = Math.max(1, ...edges.map((e) => e.weight));
    const edgeLayer = svgEl("g", { class: "edges" });
    for (const edge of edges) {
      const a = places.get(edge.source), b = places.get(edge.target);
      if (!a || !b) continue;
      const kind = edge.sign > 0 ? "support" : "hostility";
      const line = svgEl("line", {
        class: `edge ${kind}`, x1: a[0], y1: a[1], x2: b[0], y2: b[1],
        "stroke-width": (1 + 6 * Math.sqrt(edge.weight / heaviest)).toFixed(2),
      });
      line.append(svgEl("title", {}, `${kind}: ${edge.source} – ${edge.target}, weight ` +
        `${edge.weight} from ${edge.events} event(s)`));
      edgeLayer.append(line);
    }
    svg.append(edgeLayer);
    for (const [key, [x, y]] of centres) {
      svg.append(svgEl("text", { class: "camp-label", x, y: y - ROW / 2 + 12,
        "text-anchor": "middle" }, `Camp ${Number(key) + 1}`));
    }
    if (inTheatre.length > nodes.length) {
      svg.append(svgEl("text", { class: "camp-label", x: 6, y: height - 4 },
        `the ${nodes.length} most tied of ${inTheatre.length} actors`));
    }
    const nodeLayer = svgEl("g", { class: "nodes" });
    for (const node of nodes) {
      const [x, y] = places.get(node.id);
      const camp = campOf(node, country);
      const centre = centres.get(camp);
      // Labels point away from their camp's centre, so a ring's labels do not cross it,
      // except near the right edge, where they would be cut off.
      const left = x > WIDTH - 150 || (centre ? x < centre[0] - 1 : false);
      const g = svgEl("g", { class: "node", "data-camp": camp === null ? "neutral" : camp,
        transform: `translate(${x.toFixed(1)},${y.toFixed(1)})` });
      g.append(svgEl("circle", { r: 8, fill: colourOf(camp) }));
      g.append(svgEl("text", { x: left ? -11 : 11, y: 4, "text-anchor": left ? "end" : "start" },
        node.name));
      g.append(svgEl("title", {}, `${node.name} (${node.code})` +
        (camp === null ? ", neutral" : `, camp ${camp + 1}`) + "; click for its events"));
      g.addEventListener("click", guarded(async () => {
        $("#filters").elements.actor.value = node.actor_id || node.id;
        await Promise.all([applyFilters(), showActor(node.actor_id || node.id)]);
      }));
      nodeLayer.append(g);
    }
    svg.append(nodeLayer);
  }

  function swatch(colour) {
    const dot = el("span", { class: "swatch" });
    dot.style.background = colour;  // through the CSSOM: the policy forbids style attributes
    return dot;
  }

  function names(actors) {
    const shown = actors.slice(0, 20).map((a) => a.name).join(", ");
    return actors.length > 20 ? `${shown} and ${actors.length - 20} more` : shown;
  }

  function listCamps(theatre) {
    const list = $("#camps-list");
    clear(list);
    if (!theatre) return;
    theatre.camps.forEach((camp, i) => {
      list.append(el("li", { class: "camp", "data-camp": i }, swatch(colourOf(i)),
        `Camp ${i + 1}: ${names(camp)}`));
    });
    if (theatre.neutral.length) {
      list.append(el("li", { class: "neutral" }, swatch(NEUTRAL),
        `Neutral: ${names(theatre.neutral)}`));
    }
  }

  // One actor: who backs and who opposes it, with the weight of each year's events.
  async function showActor(id) {
    const current = ticket("actor");
    const actor = await api(`/api/actors/${encodeURIComponent(id)}`);
    if (!current()) return;
    const view = $("#actor-view");
    clear(view);
    view.append(el("h3", {}, `${actor.name} (${actor.code || actor.id})`));
    for (const [side, title] of [["backers", "Backed by"], ["opponents", "Opposed by"]]) {
      view.append(el("h4", {}, title));
      const list = el("ul", { class: side });
      for (const row of actor[side].slice(0, 15)) {
        const years = Object.entries(row.years)
          .map(([year, w]) => `${year} ${w > 0 ? "+" : ""}${w.toFixed(1)}`).join(", ");
        list.append(el("li", {}, `${row.actor.name} `,
          el("span", { class: "years" }, years || "undated")));
      }
      if (!actor[side].length) list.append(el("li", { class: "hint" }, "none in these events"));
      view.append(list);
    }
  }

  // Who changed sides from one period to the next, as the server compares the camps.
  async function listShifts(country) {
    const current = ticket("shifts");
    const data = await api("/api/shifts", { theatre: country });
    if (!current()) return;
    const list = $("#shifts-list");
    clear(list);
    for (const s of data.shifts) {
      const sides = `${s.side_before || "none"} → ${s.side_after || "none"}`;
      list.append(el("li", { class: "shift" },
        `${s.before} → ${s.after}: ${s.actor.name} ${s.change} (${sides})`));
    }
    if (!data.shifts.length) {
      list.append(el("li", {}, "No actor changed sides between periods here."));
    }
  }

  // Timeline: one stacked bar a month, by QuadClass, counted by the server. ----------------
  async function loadTimeline() {
    const current = ticket("timeline");
    const data = await api("/api/timeline", state.filters);
    if (!current()) return;
    drawTimeline(data.months);
  }

  function monthsBetween(first, last) {
    const out = [];
    let [y, m] = first.split("-").map(Number);
    const [ly, lm] = last.split("-").map(Number);
    while (y < ly || (y === ly && m <= lm)) {
      out.push(`${y}-${String(m).padStart(2, "0")}`);
      m += 1;
      if (m > 12) { m = 1; y += 1; }
    }
    return out;
  }

  function drawTimeline(rows) {
    const svg = $("#timeline");
    clear(svg);
    if (!rows.length) {
      svg.append(svgEl("text", { x: 320, y: 150, "text-anchor": "middle" }, "No dated events"));
      return;
    }
    const counts = new Map();
    for (const row of rows) {
      if (!counts.has(row.month)) counts.set(row.month, {});
      counts.get(row.month)[row.quad_class] = row.events;
    }
    const months = monthsBetween(rows[0].month, rows[rows.length - 1].month);
    const totals = months.map((m) => Object.values(counts.get(m) || {}).reduce((a, b) => a + b, 0));
    const top = Math.max(1, ...totals);
    const left = 30, bottom = 270, height = 250, width = 600;
    const step = width / months.length;
    svg.append(svgEl("text", { x: left - 4, y: bottom - height + 4, "text-anchor": "end" }, top));
    svg.append(svgEl("line", { x1: left, x2: left + width, y1: bottom, y2: bottom, stroke: "#d9dde5" }));
    months.forEach((month, i) => {
      let y = bottom;
      const x = left + i * step;
      for (const quad of [1, 2, 3, 4]) {
        const n = (counts.get(month) || {})[quad] || 0;
        if (!n) continue;
        const h = (n / top) * height;
        y -= h;
        const rect = svgEl("rect", { class: "bar", x: x + 0.5, y, width: Math.max(1, step - 1),
          height: h, fill: QUAD[quad], "data-month": month });
        rect.append(svgEl("title", {}, `${month}: ${n} event(s), QuadClass ${quad}`));
        rect.addEventListener("click", guarded(() => filterMonth(month)));
        svg.append(rect);
      }
      const [year, mm] = month.split("-");
      if (mm === "01" || i === 0) {
        svg.append(svgEl("text", { x, y: bottom + 14 }, year));
      }
    });
  }

  async function filterMonth(month) {
    const [y, m] = month.split("-").map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const form = $("#filters").elements;
    form.since.value = `${month}-01`;
    form.until.value = `${month}-${String(last).padStart(2, "0")}`;
    await applyFilters();
  }

  // Event table: a page at a time from the server, with a cursor per page. -----------------
  function readFilters() {
    const form = $("#filters").elements;
    const out = {};
    for (const name of FILTERS) {
      const value = form[name].value.trim();
      if (value) out[name] = value;
    }
    return out;
  }

  async function applyFilters() {
    state.filters = readFilters();
    state.cursors = [null];
    showError("");
    showDownloads();
    saveView();
    await Promise.all([loadEvents(), loadTimeline(), loadMap()]);
  }

  // The map: country outlines (drawn once), shaded by the filtered events, and a dot per
  // place. Equirectangular: two units a degree.
  function project(lon, lat) {
    return [((lon + 180) * 2).toFixed(1), ((90 - lat) * 2).toFixed(1)];
  }

  async function loadMap() {
    const current = ticket("map");
    const data = await api("/api/map", state.filters);
    if (!current()) return;
    const svg = $("#map");
    clear(svg);
    const most = Math.max(1, ...Object.values(data.events_by_country));
    for (const country of data.countries) {
      const d = country.rings.map((ring) =>
        "M" + ring.map(([lon, lat]) => project(lon, lat).join(",")).join("L") + "Z").join("");
      const n = data.events_by_country[country.iso3] || 0;
      const path = svgEl("path", { d, class: n ? "country hit" : "country",
        "data-iso3": country.iso3 });
      if (n) path.style.fill = `rgba(215, 48, 31, ${(0.15 + 0.6 * n / most).toFixed(2)})`;
      path.append(svgEl("title", {}, `${country.name}: ${n} event${n === 1 ? "" : "s"}`));
      svg.append(path);
    }
    for (const place of data.places) {
      const [x, y] = project(place.lon, place.lat);
      const dot = svgEl("circle", { class: "place", cx: x, cy: y,
        r: (1.5 + Math.sqrt(place.events)).toFixed(1) });
      dot.append(svgEl("title", {}, `${place.name}: ${place.events} event` +
        (place.events === 1 ? "" : "s")));
      svg.append(dot);
    }
  }

  // The view in the address (#actor=Turkey&period=2020&theatre=LBY%202020): a link to it
  // opens the same filters, period and theatre.
  function saveView() {
    const params = new URLSearchParams(state.filters);
    if (state.sort && state.sort !== "date") params.set("sort", state.sort);
    if (state.period) params.set("period", state.period);
    if (state.theatre) params.set("theatre", state.theatre);
    const hash = params.toString();
    history.replaceState(null, "", hash ? `#${hash}` : window.location.pathname);
  }

  function readView() {
    const params = new URLSearchParams(window.location.hash.slice(1));
    const form = $("#filters").elements;
    for (const name of FILTERS) {
      if (params.has(name)) form[name].value = params.get(name);
    }
    if (params.has("sort")) state.sort = params.get("sort");
    markSort();
    return { period: params.get("period"), theatre: params.get("theatre") };
  }

  // The column the table is sorted by: the server sorts and pages in that order.
  function markSort() {
    for (const button of document.querySelectorAll("#events th button")) {
      const on = button.dataset.sort === (state.sort || "date");
      if (on) {
        const down = ["date", "articles"].includes(button.dataset.sort);
        button.setAttribute("aria-sort", down ? "descending" : "ascending");
      } else {
        button.removeAttribute("aria-sort");
      }
    }
  }

  async function sortBy(column) {
    state.sort = column;
    state.cursors = [null];
    markSort();
    saveView();
    await loadEvents();
  }

  // Download links of the table's events under its filters, in three formats.
  function showDownloads() {
    for (const link of document.querySelectorAll("#downloads a")) {
      const url = new URL("/api/export", window.location.origin);
      for (const [key, value] of Object.entries(state.filters)) url.searchParams.set(key, value);
      url.searchParams.set("format", link.dataset.format);
      link.href = url.pathname + url.search;
    }
  }

  function actorCell(id, code, name) {
    if (!id) return el("td", {}, "–");
    return el("td", {}, el("span", { class: "code" }, code || ""), name || id);
  }

  async function loadEvents() {
    const cursor = state.cursors[state.cursors.length - 1];
    const current = ticket("events");
    const sort = state.sort || "date";
    const data = await api("/api/events", { ...state.filters, limit: PAGE, cursor, sort });
    if (!current()) return;
    const body = $("#events tbody");
    clear(body);
    for (const ev of data.events) {
      const row = el("tr", { "data-id": ev.id, tabindex: 0 },
        el("td", {}, ev.date || "undated"),
        el("td", {}, ev.mode ? `${ev.type}/${ev.mode}` : ev.type),
        actorCell(ev.source_id, ev.source_code, ev.source_name),
        actorCell(ev.target_id, ev.target_code, ev.target_name),
        el("td", {}, ev.modality),
        el("td", { class: "num" }, ev.num_articles),
        el("td", {}, ev.location_name || ""));
      const open = guarded(() => openEvent(ev.id, row));
      row.addEventListener("click", open);
      row.addEventListener("keydown", (e) => { if (e.key === "Enter") open(); });
      body.append(row);
    }
    const first = (state.cursors.length - 1) * PAGE;
    $("#count").textContent = data.total
      ? `Events ${first + 1}–${first + data.events.length} of ${data.total}`
      : "No events match these filters.";
    $("#prev").disabled = state.cursors.length <= 1;
    $("#next").disabled = !data.next_cursor;
    state.next = data.next_cursor;
  }

  // One event: each sentence that reported it, source, target and trigger marked. ----------
  async function openEvent(id, row) {
    for (const open of document.querySelectorAll("#events tr.open")) open.classList.remove("open");
    if (row) row.classList.add("open");
    const current = ticket("event");
    const ev = await api(`/api/events/${encodeURIComponent(id)}`);
    if (!current()) return;
    const box = $("#event-detail");
    clear(box);
    const target = ev.target_name ? ` → ${ev.target_name}` : "";
    box.append(el("h3", {}, `${ev.source_name} ${ev.type}${ev.mode ? "/" + ev.mode : ""}${target}`));
    box.append(el("p", { class: "meta" },
      `${ev.date || "undated"} (${ev.date_precision}) · ${ev.modality} · CAMEO ${ev.cameo} · ` +
      `QuadClass ${ev.quad_class} · ${ev.num_articles} article(s)` +
      (ev.location_name ? ` · ${ev.location_name}` : "")));
    for (const rep of ev.reports) {
      const open = el("button", { type: "button", class: "open-article" }, "Open the article");
      open.addEventListener("click", guarded(() => openArticle(rep.article_id)));
      box.append(el("div", { class: "report" },
        el("div", { class: "sentence" }, markedText(rep.sentence, rep.spans)),
        el("p", { class: "meta" }, `${rep.title || rep.source} · ${rep.published || "no date"} `,
          open),
        el("p", { class: "rule" }, `read by: ${rep.rule || "(not recorded)"}`)));
    }
    if (ev.reports.length) await openArticle(ev.reports[0].article_id);
  }

  async function openArticle(id) {
    const current = ticket("article");
    const art = await api(`/api/articles/${encodeURIComponent(id)}`);
    if (!current()) return;
    const view = $("#article-view");
    clear(view);
    view.append(el("h3", {}, art.title || "(no title)"));
    view.append(el("p", { class: "meta" }, `${art.published || "no date"} · ${art.source}`));
    view.append(markedText(art.text, art.spans, (span) => {
      if (span.event_ids) openEvent(span.event_ids[0]).catch((e) => showError(e.message));
    }));
  }

  // Start -----------------------------------------------------------------------------------
  async function start() {
    const typeSelect = $("#filters").elements.type;
    for (const type of TYPES) typeSelect.append(el("option", { value: type }, type));
    $("#filters").addEventListener("submit", guarded(async (e) => {
      e.preventDefault();
      await applyFilters();
    }));
    $("#filters button[type=reset]").addEventListener("click", guarded(async (e) => {
      e.preventDefault();
      $("#filters").reset();  // cleared before the filters are read, not after
      await applyFilters();
    }));
    $("#theatre").addEventListener("change", guarded((e) => showTheatre(e.target.value, true)));
    $("#window").addEventListener("change", guarded((e) => showWindow(e.target.value, true)));
    for (const button of document.querySelectorAll("#events th button")) {
      button.addEventListener("click", guarded(() => sortBy(button.dataset.sort)));
    }
    $("#next").addEventListener("click", guarded(async () => {
      state.cursors.push(state.next);
      await loadEvents();
    }));
    $("#prev").addEventListener("click", guarded(async () => {
      state.cursors.pop();
      await loadEvents();
    }));
    const health = await api("/api/health");
    $("#summary").textContent = `${health.articles} articles · ${health.events} events · ` +
      `${health.actors} actors · ${health.first_date} to ${health.last_date}`;
    const wanted = readView();
    await Promise.all([applyFilters(), loadTheatres(wanted)]);
  }

  document.addEventListener("DOMContentLoaded", guarded(start));
})();
