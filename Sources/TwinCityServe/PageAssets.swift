// The page of `twincity serve`, compiled into the binary: its HTML, script and style. Plain
// JavaScript and CSS with no library and nothing fetched from another origin.

/// The static files of the page.
enum PageAssets {
    /// GET /
    static let html = ##"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>twincity — Chengdu–Chongqing twin-city economic circle</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header><h1>twincity</h1><span>multi-agent simulation of the Chengdu–Chongqing twin-city economic circle</span></header>
<main>
<section id="scenario-panel">
  <h2>Scenario</h2>
  <div class="row"><label for="shipped">start from</label><select id="shipped"></select></div>
  <div class="row"><label for="scenario-name">name</label><input id="scenario-name"></div>
  <div class="row"><label for="time-end">last year</label><input id="time-end" type="number" step="1"></div>
  <div class="row"><label for="run-seed">seed</label><input id="run-seed" type="number" step="1" min="0"></div>
  <div class="row"><label for="run-replications">replications</label><input id="run-replications" type="number" step="1" min="1"></div>
  <h3>Policies of the 2020 decision</h3>
  <div id="policies"></div>
</section>
<section id="results">
  <div class="bar">
    <button id="run" type="button">Run</button>
    <progress id="progress" value="0" max="1"></progress>
    <span id="run-state"></span>
    <a id="download" hidden>download run (zip)</a>
  </div>
  <pre id="errors" role="alert"></pre>
  <div class="bar">
    <label for="runs">run</label><select id="runs"></select>
    <label for="compare">compare with</label><select id="compare"></select>
  </div>
  <h2>Map</h2>
  <div class="bar">
    <label for="map-variable">colour by</label><select id="map-variable"></select>
    <label for="year">year <span id="year-label"></span></label><input id="year" type="range" step="1">
    <label for="flow-kind">flows</label><select id="flow-kind"><option value="population">population</option><option value="capital">capital</option><option value="industry">industry</option></select>
  </div>
  <svg id="map" role="img" aria-label="map of the cities"></svg>
  <p id="map-legend" class="hint"></p>
  <h2>Chart</h2>
  <div class="bar">
    <label for="variable">variable</label><select id="variable"></select>
    <label for="chart-cities">cities</label><select id="chart-cities" multiple size="4"></select>
    <label for="mode">show</label><select id="mode"><option value="level">values</option><option value="abs">difference to comparison</option><option value="pct">% difference to comparison</option></select>
  </div>
  <svg id="chart" role="img" aria-label="chart"></svg>
  <h2>Differences by city</h2>
  <p id="bars-note" class="hint"></p>
  <svg id="bars" role="img" aria-label="differences by city"></svg>
  <h2>Equivalent scenario file</h2>
  <pre id="toml"></pre>
</section>
</main>
</body>
</html>
"""##

    /// GET /app.css
    static let style = ##"""
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #222; background: #fafafa; }
header { background: #1b4f72; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: baseline; }
header h1 { margin: 0; font-size: 20px; }
main { display: grid; grid-template-columns: 380px 1fr; gap: 16px; padding: 12px; }
h2 { font-size: 16px; margin: 14px 0 6px; } h3 { font-size: 14px; margin: 12px 0 4px; }
#scenario-panel { max-height: calc(100vh - 70px); overflow-y: auto; }
.row { display: grid; grid-template-columns: 120px 1fr; gap: 2px 8px; margin: 3px 0; align-items: center; }
.row .hint { grid-column: 2; }
.hint { color: #666; font-size: 12px; }
fieldset.policy { border: 1px solid #bbb; margin: 6px 0; padding: 4px 8px; background: #fff; }
fieldset.policy.off .row { display: none; }
legend { font-weight: 600; }
input, select, textarea { font: inherit; max-width: 100%; }
.bar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
button#run { font-size: 15px; padding: 4px 18px; }
progress { width: 200px; }
#errors { color: #a00; white-space: pre-wrap; margin: 4px 0; }
#toml { background: #fff; border: 1px solid #ccc; padding: 8px; max-height: 300px; overflow: auto; font-size: 12px; }
svg { background: #fff; border: 1px solid #ddd; width: 100%; max-width: 760px; display: block; }
svg .tick, svg .label { font-size: 10px; fill: #333; }
svg .division { fill: #eef3f6; stroke: #7f8c8d; stroke-width: 0.7; }
svg .division:hover { fill: #dde8ee; }
svg .city { stroke: #333; stroke-width: 0.8; }
svg .flow { stroke: #1b4f72; stroke-opacity: 0.6; }
"""##

    /// GET /app.js
    static let script = ##"""
// The twincity page: a scenario panel built from the policy catalogue, runs on the server,
// charts, a map and the equivalent TOML. Plain JavaScript, no library, no other origin.
"use strict";
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const app = { catalog: null, shipped: [], boundaries: null, state: null, run: null, base: null };

function el(tag, attrs = {}, text) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}
async function getJSON(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error((await r.json()).error || r.statusText);
  return r.json();
}
async function getText(url) {
  const r = await fetch(url);
  return r.ok ? r.text() : null;
}

// ---- Tables ----------------------------------------------------------------------------
// The server reads a run's CSV files with the same reader as `plot`, `compare` and `report`
// and sends each as {header, rows}; a row becomes an object keyed by column name.
async function getTable(id, name) {
  const r = await fetch(`/api/runs/${encodeURIComponent(id)}/tables/${name}`);
  if (!r.ok) return null;
  const t = await r.json();
  return { header: t.header, rows: t.rows.map((row) => Object.fromEntries(t.header.map((h, i) => [h, row[i]]))) };
}

// ---- Scenario state and its TOML ---------------------------------------------------------
function defaultEntry(kind) {
  const values = {};
  for (const key of kind.keys) values[key.name] = key.defaultValue === null || key.defaultValue === undefined ? (key.type === "number" ? "" : []) : key.defaultValue;
  return { kind: kind.name, on: false, start: app.state ? app.state.time.start : 2020, end: "", clause: "", values };
}
function stateFrom(resolved) {
  const s = { name: resolved.name, description: resolved.description || "", time: { ...resolved.time }, run: { ...resolved.run }, model: resolved.model, policies: [] };
  app.state = s;
  const given = resolved.policy || [];
  for (const kind of app.catalog.kinds) {
    const mine = given.filter((p) => p.kind === kind.name);
    if (mine.length === 0) { s.policies.push(defaultEntry(kind)); continue; }
    for (const p of mine) {
      const entry = defaultEntry(kind);
      entry.on = true; entry.start = p.start; entry.end = p.end === undefined ? "" : p.end; entry.clause = p.clause || "";
      for (const key of kind.keys) if (p[key.name] !== undefined) entry.values[key.name] = p[key.name];
      s.policies.push(entry);
    }
  }
  return s;
}
function tomlValue(v) {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "[" + v.map(tomlValue).join(", ") + "]";
  return "{ " + Object.entries(v).map(([k, x]) => `${k} = ${tomlValue(x)}`).join(", ") + " }";
}
function tomlTable(name, table, out) {
  const scalars = Object.entries(table).filter(([, v]) => typeof v !== "object" || Array.isArray(v));
  const tables = Object.entries(table).filter(([, v]) => typeof v === "object" && !Array.isArray(v));
  if (scalars.length || !tables.length) { out.push("", `[${name}]`); for (const [k, v] of scalars.sort()) out.push(`${k} = ${tomlValue(v)}`); }
  for (const [k, v] of tables.sort()) tomlTable(`${name}.${k}`, v, out);
}
function toTOML(s) {
  const out = ["# Scenario made on the twincity page; save it in scenarios/ and run it with", "#     twincity run FILE", "schema = 1",
    `name = ${tomlValue(s.name)}`, `description = ${tomlValue(s.description)}`, `kind = "region"`];
  out.push("", "[time]", `start = ${tomlValue(Number(s.time.start))}`, `end = ${tomlValue(Number(s.time.end))}`, `dt = ${tomlValue(Number(s.time.dt))}`);
  out.push("", "[run]", `seed = ${s.run.seed}`, `replications = ${Number(s.run.replications)}`);
  tomlTable("model", s.model, out);
  for (const p of s.policies) {
    if (!p.on) continue;
    out.push("", "[[policy]]", `kind = ${tomlValue(p.kind)}`);
    if (p.clause) out.push(`clause = ${tomlValue(p.clause)}`);
    out.push(`start = ${tomlValue(Number(p.start))}`);
    if (p.end !== "" && p.end !== null) out.push(`end = ${tomlValue(Number(p.end))}`);
    const kind = app.catalog.kinds.find((k) => k.name === p.kind);
    for (const key of kind.keys) {
      const v = p.values[key.name];
      if (key.type === "number") { if (v !== "" && v !== null) out.push(`${key.name} = ${tomlValue(Number(v))}`); }
      else if (key.type === "links") { out.push(`links = [`); for (const l of v) out.push(`    ${tomlValue(l)},`); out.push("]"); }
      else out.push(`${key.name} = ${tomlValue(v)}`);
    }
  }
  return out.join("\n") + "\n";
}
function showTOML() { $("toml").textContent = toTOML(app.state); }

// ---- The scenario panel ------------------------------------------------------------------
function numberInput(id, value, range, onChange) {
  const input = el("input", { id, type: "number", step: "any", value: value });
  if (range) { if (range.min !== null) input.min = range.min; if (range.max !== null) input.max = range.max; }
  input.addEventListener("input", () => { onChange(input.value === "" ? "" : Number(input.value)); showTOML(); });
  return input;
}
function multiSelect(id, options, chosen, onChange) {
  const select = el("select", { id, multiple: "", size: Math.min(6, options.length) });
  for (const [value, label] of options) { const o = el("option", { value }, label); o.selected = chosen.includes(value); select.append(o); }
  select.addEventListener("change", () => { onChange([...select.selectedOptions].map((o) => o.value)); showTOML(); });
  return select;
}
function buildPanel() {
  const s = app.state, panel = $("policies");
  panel.replaceChildren();
  $("scenario-name").value = s.name; $("time-end").value = s.time.end; $("run-seed").value = s.run.seed; $("run-replications").value = s.run.replications;
  const cities = app.catalog.cities.map((c) => [c.id, `${c.nameEN} ${c.nameZH}`]);
  s.policies.forEach((p, i) => {
    const kind = app.catalog.kinds.find((k) => k.name === p.kind);
    const box = el("fieldset", { class: "policy", id: `policy-${i}` });
    const legend = el("legend");
    const on = el("input", { type: "checkbox", id: `policy-${i}-on`, "data-kind": p.kind }); on.checked = p.on;
    on.addEventListener("change", () => { p.on = on.checked; box.classList.toggle("off", !p.on); showTOML(); });
    legend.append(on, el("label", { for: `policy-${i}-on` }, " " + p.kind));
    box.append(legend);
    box.classList.toggle("off", !p.on);
    const row = (label, control, hint) => { const d = el("div", { class: "row" }); d.append(el("label", { for: control.id }, label), control); if (hint) d.append(el("span", { class: "hint" }, hint)); box.append(d); };
    row("start", numberInput(`policy-${i}-start`, p.start, null, (v) => (p.start = v)), "year");
    row("end", numberInput(`policy-${i}-end`, p.end, null, (v) => (p.end = v)), "year, empty: to the end");
    for (const key of kind.keys) {
      const id = `policy-${i}-${key.name}`, set = (v) => (p.values[key.name] = v);
      const hint = `${key.unit}, ${key.range}${key.optional ? ", optional" : key.defaultValue === null || key.defaultValue === undefined ? ", required" : ""}`;
      if (key.type === "number") row(key.name, numberInput(id, p.values[key.name], key.number, set), hint);
      else if (key.type === "cities") row(key.name, multiSelect(id, cities, p.values[key.name], set), hint);
      else if (key.type === "sectors") row(key.name, multiSelect(id, app.catalog.sectors.map((x) => [x, x]), p.values[key.name], set), hint);
      else if (key.type === "zones") row(key.name, multiSelect(id, app.catalog.zones.map((x) => [x, x]), p.values[key.name], set), hint);
      else {
        const area = el("textarea", { id, rows: 3 });
        area.value = p.values[key.name].map((l) => `${l.from} ${l.to} ${l.minutes}`).join("\n");
        area.addEventListener("input", () => {
          p.values[key.name] = area.value.split("\n").map((x) => x.trim().split(/\s+/)).filter((x) => x.length >= 3).map(([from, to, minutes]) => ({ from, to, minutes: Number(minutes) }));
          showTOML();
        });
        row(key.name, area, "one link a line: from to minutes");
      }
    }
    panel.append(box);
  });
  showTOML();
}
function bindScenarioFields() {
  const bind = (id, apply) => $(id).addEventListener("input", () => { apply($(id).value); showTOML(); });
  bind("scenario-name", (v) => (app.state.name = v));
  bind("time-end", (v) => (app.state.time.end = Number(v)));
  bind("run-seed", (v) => (app.state.run.seed = v));
  bind("run-replications", (v) => (app.state.run.replications = Number(v)));
}

// ---- Runs ---------------------------------------------------------------------------------
async function startRun() {
  $("errors").textContent = ""; $("run-state").textContent = "starting";
  const r = await fetch("/api/runs", { method: "POST", headers: { "Content-Type": "application/toml" }, body: toTOML(app.state) });
  const body = await r.json();
  if (!r.ok) { $("errors").textContent = body.error; $("run-state").textContent = `refused (${r.status})`; return null; }
  return waitFor(body.id);
}
async function waitFor(id) {
  for (;;) {
    const st = await getJSON(`/api/runs/${encodeURIComponent(id)}`);
    $("progress").max = Math.max(1, st.total); $("progress").value = st.done;
    $("run-state").textContent = `${st.id}: ${st.state} ${st.done}/${st.total} ticks`;
    if (st.state === "failed") { $("errors").textContent = st.error; return null; }
    if (st.state === "done") { await refreshRunList(); await openRun(id); return id; }
    await new Promise((ok) => setTimeout(ok, 250));
  }
}
async function loadRun(id) {
  const [cities, region, summary, fp, fc, fi] = await Promise.all(
    ["cities.csv", "region.csv", "summary.csv", "flows_population.csv", "flows_capital.csv", "flows_industry.csv"].map((name) => getTable(id, name)));
  const manifest = await getText(`/api/runs/${encodeURIComponent(id)}/files/manifest.json`);
  return { id, cities, region, summary, manifest: JSON.parse(manifest), flows: { population: fp, capital: fc, industry: fi } };
}
async function openRun(id) {
  app.run = await loadRun(id);
  $("download").href = `/api/runs/${encodeURIComponent(id)}/zip`; $("download").hidden = false;
  $("runs").value = id;
  const years = [...new Set(app.run.region.rows.map((r) => Number(r.year)))];
  $("year").min = years[0]; $("year").max = years[years.length - 1]; $("year").value = years[years.length - 1];
  fillVariables();
  drawAll();
  document.body.dataset.run = id;
}
async function refreshRunList() {
  const runs = (await getJSON("/api/runs")).filter((r) => r.state === "done");
  for (const id of ["runs", "compare"]) {
    const select = $(id), keep = select.value;
    select.replaceChildren(el("option", { value: "" }, id === "compare" ? "(none)" : "(choose a run)"));
    for (const r of runs) select.append(el("option", { value: r.id }, r.id));
    select.value = keep;
  }
}

// ---- Charts -------------------------------------------------------------------------------
function fillVariables() {
  const numeric = (table, skip) => table.header.filter((h) => !skip.includes(h) && table.rows.some((r) => r[h] !== "" && !isNaN(Number(r[h]))));
  const skip = ["replication", "year", "city", "zone", "tier"];
  const select = $("variable"), keep = select.value;
  select.replaceChildren();
  for (const v of numeric(app.run.cities, skip)) select.append(el("option", { value: `city:${v}` }, v));
  for (const v of numeric(app.run.region, skip)) select.append(el("option", { value: `region:${v}` }, `region: ${v}`));
  select.value = [...select.options].some((o) => o.value === keep) ? keep : "city:gdp";
  const mapSelect = $("map-variable"), mapKeep = mapSelect.value;
  mapSelect.replaceChildren(...numeric(app.run.cities, skip).map((v) => el("option", { value: v }, v)));
  mapSelect.value = mapKeep || "gdp_per_capita";
  const chosen = $("chart-cities");
  if (!chosen.options.length) {
    for (const c of app.catalog.cities) { const o = el("option", { value: c.id }, c.nameEN); o.selected = c.tier === "core"; chosen.append(o); }
  }
}
// The series a chart draws: per city (or the region), [year, value] with the ensemble band.
function series(run, scope, variable, id) {
  if (run.summary) {
    const rows = run.summary.rows.filter((r) => r.scope === scope && r.id === id && r.variable === variable);
    return rows.map((r) => ({ year: Number(r.year), value: Number(r.mean), low: Number(r.p05), high: Number(r.p95) }));
  }
  const table = scope === "city" ? run.cities : run.region;
  return table.rows.filter((r) => scope === "region" || r.city === id).map((r) => ({ year: Number(r.year), value: Number(r[variable]) }));
}
function compared(runSeries, baseSeries, mode) {
  if (mode === "level" || !baseSeries) return runSeries;
  const base = new Map(baseSeries.map((p) => [p.year, p.value]));
  return runSeries.filter((p) => base.has(p.year)).map((p) => {
    const b = base.get(p.year), d = mode === "abs" ? p.value - b : (100 * (p.value - b)) / b;
    return { year: p.year, value: d };
  });
}
const palette = ["#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50", "#b7950b"];
function fmt(x) { return Math.abs(x) >= 1000 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(3) : x.toPrecision(4); }
function lineChart(svg, lines, yLabel) {
  svg.replaceChildren();
  const W = 640, H = 320, L = 70, R = 120, T = 16, B = 36;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  const points = lines.flatMap((l) => l.points);
  if (!points.length) return;
  const xs = points.map((p) => p.year), ys = points.flatMap((p) => [p.value, p.low ?? p.value, p.high ?? p.value]);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) { y0 -= 1; y1 += 1; } if (x0 === x1) x1 += 1;
  const X = (x) => L + ((x - x0) / (x1 - x0)) * (W - L - R), Y = (y) => H - B - ((y - y0) / (y1 - y0)) * (H - T - B);
  svg.append(el("svg:line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#555" }), el("svg:line", { x1: L, y1: T, x2: L, y2: H - B, stroke: "#555" }));
  for (let k = 0; k <= 4; k++) {
    const y = y0 + ((y1 - y0) * k) / 4, x = x0 + ((x1 - x0) * k) / 4;
    svg.append(el("svg:text", { x: L - 6, y: Y(y) + 4, "text-anchor": "end", class: "tick" }, fmt(y)));
    svg.append(el("svg:text", { x: X(x), y: H - B + 16, "text-anchor": "middle", class: "tick" }, String(Math.round(x))));
  }
  svg.append(el("svg:text", { x: 8, y: 12, class: "tick" }, yLabel));
  lines.forEach((line, i) => {
    const color = palette[i % palette.length];
    if (line.points.some((p) => p.low !== undefined)) {
      const up = line.points.map((p) => `${X(p.year)},${Y(p.high)}`), down = line.points.slice().reverse().map((p) => `${X(p.year)},${Y(p.low)}`);
      svg.append(el("svg:polygon", { points: up.concat(down).join(" "), fill: color, "fill-opacity": 0.18, class: "band" }));
    }
    svg.append(el("svg:polyline", { points: line.points.map((p) => `${X(p.year)},${Y(p.value)}`).join(" "), fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": line.dashed ? "5 4" : "" }));
    for (const p of line.points) {
      const dot = el("svg:circle", { cx: X(p.year), cy: Y(p.value), r: 3, fill: color, class: "point", "data-series": line.name, "data-year": p.year, "data-value": String(p.value) });
      dot.append(el("svg:title", {}, `${line.name} ${p.year}: ${fmt(p.value)}${p.low !== undefined ? ` (5–95%: ${fmt(p.low)}–${fmt(p.high)})` : ""}`));
      svg.append(dot);
    }
    const last = line.points[line.points.length - 1];
    svg.append(el("svg:text", { x: W - R + 6, y: Y(last.value) + 4, fill: color, class: "tick" }, line.name));
  });
}
function drawChart() {
  const [scope, variable] = $("variable").value.split(":"), mode = $("mode").value;
  const ids = scope === "region" ? ["region"] : [...$("chart-cities").selectedOptions].map((o) => o.value);
  const lines = [];
  for (const id of ids) {
    const mine = series(app.run, scope, variable, id), base = app.base ? series(app.base, scope, variable, id) : null;
    lines.push({ name: id, points: compared(mine, base, mode) });
    if (app.base && mode === "level") lines.push({ name: `${id} (${app.base.id})`, points: base, dashed: true });
  }
  lineChart($("chart"), lines, `${variable}${mode === "pct" ? " (% vs comparison)" : mode === "abs" ? " (difference)" : ""}`);
}
function drawBars() {
  const svg = $("bars"); svg.replaceChildren();
  if (!app.base) { $("bars-note").textContent = "Choose a run to compare with for the differences by city."; return; }
  $("bars-note").textContent = "";
  const year = Math.max(...app.run.cities.rows.map((r) => Number(r.year)));
  const value = (run, city, v) => { const s = series(run, "city", v, city).find((p) => p.year === year); return s ? s.value : NaN; };
  const rows = app.catalog.cities.map((c) => ({ id: c.id, gdp: (100 * (value(app.run, c.id, "gdp") - value(app.base, c.id, "gdp"))) / value(app.base, c.id, "gdp"), welfare: value(app.run, c.id, "real_utility") - value(app.base, c.id, "real_utility") }));
  const W = 640, rowH = 14, H = 40 + rows.length * rowH, mid = [230, 480], half = 110;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.append(el("svg:text", { x: mid[0], y: 14, "text-anchor": "middle", class: "tick" }, `GDP ${year}, % vs ${app.base.id}`), el("svg:text", { x: mid[1], y: 14, "text-anchor": "middle", class: "tick" }, "real utility, difference"));
  const scale = (key) => Math.max(1e-12, ...rows.map((r) => Math.abs(r[key])).filter(isFinite));
  rows.forEach((r, i) => {
    const y = 24 + i * rowH;
    svg.append(el("svg:text", { x: 100, y: y + 10, "text-anchor": "end", class: "tick" }, r.id));
    ["gdp", "welfare"].forEach((key, k) => {
      const w = (r[key] / scale(key)) * half, x = w >= 0 ? mid[k] : mid[k] + w;
      const bar = el("svg:rect", { x, y, width: Math.abs(w) || 0.5, height: rowH - 3, fill: r[key] >= 0 ? "#27ae60" : "#c0392b", class: "bar", "data-city": r.id, "data-key": key, "data-value": String(r[key]) });
      bar.append(el("svg:title", {}, `${r.id}: ${fmt(r[key])}`)); svg.append(bar);
    });
  });
}

// ---- Map ------------------------------------------------------------------------------------
function projection() {
  const pts = app.catalog.cities.map((c) => [c.longitude, c.latitude]);
  for (const f of app.boundaries.features) for (const poly of f.geometry.coordinates) for (const [x, y] of poly[0]) pts.push([x, y]);
  const lon0 = Math.min(...pts.map((p) => p[0])), lon1 = Math.max(...pts.map((p) => p[0]));
  const lat0 = Math.min(...pts.map((p) => p[1])), lat1 = Math.max(...pts.map((p) => p[1]));
  const k = Math.cos(((lat0 + lat1) / 2) * Math.PI / 180), W = 640, H = 460, s = Math.min((W - 20) / ((lon1 - lon0) * k), (H - 20) / (lat1 - lat0));
  return { W, H, p: ([lon, lat]) => [10 + (lon - lon0) * k * s, 10 + (lat1 - lat) * s] };
}
function colour(t) { const a = [255, 245, 200], b = [180, 30, 30]; return `rgb(${a.map((x, i) => Math.round(x + (b[i] - x) * t)).join(",")})`; }
function drawMap() {
  const svg = $("map"); svg.replaceChildren();
  const { W, H, p } = projection();
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.append(Object.assign(el("svg:defs"), { innerHTML: '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#1b4f72"/></marker>' }));
  for (const f of app.boundaries.features) {
    const d = f.geometry.coordinates.map((poly) => poly.map((ring) => "M" + ring.map((q) => p(q).map((v) => v.toFixed(1)).join(",")).join("L") + "Z").join("")).join("");
    const path = el("svg:path", { d, class: "division", "data-name": f.properties.name }); path.append(el("svg:title", {}, f.properties.name)); svg.append(path);
  }
  if (!app.run) return;
  const year = Number($("year").value), variable = $("map-variable").value; $("year-label").textContent = year;
  const at = new Map(app.catalog.cities.map((c) => [c.id, series(app.run, "city", variable, c.id).find((q) => q.year === year)]));
  const values = [...at.values()].filter(Boolean).map((q) => q.value), lo = Math.min(...values), hi = Math.max(...values);
  const kind = $("flow-kind").value, flows = app.run.flows[kind].rows.filter((r) => Number(r.year) === year && (r.replication === undefined || r.replication === "0"));
  flows.sort((a, b) => Number(b.value) - Number(a.value));
  const top = flows.slice(0, 12), biggest = top.length ? Number(top[0].value) : 1, where = new Map(app.catalog.cities.map((c) => [c.id, p([c.longitude, c.latitude])]));
  for (const f of top) {
    const [a, b] = [where.get(f.origin), where.get(f.destination)]; if (!a || !b) continue;
    const line = el("svg:line", { x1: a[0], y1: a[1], x2: b[0], y2: b[1], class: "flow", "stroke-width": 1 + 5 * Number(f.value) / biggest, "marker-end": "url(#arrow)" });
    line.append(el("svg:title", {}, `${f.origin} → ${f.destination} ${year}: ${fmt(Number(f.value))}`)); svg.append(line);
  }
  for (const c of app.catalog.cities) {
    const q = at.get(c.id), [x, y] = where.get(c.id);
    const dot = el("svg:circle", { cx: x, cy: y, r: c.tier === "core" ? 9 : 6, fill: q ? colour(hi > lo ? (q.value - lo) / (hi - lo) : 0.5) : "#ccc", class: "city", "data-city": c.id, "data-value": q ? String(q.value) : "" });
    dot.append(el("svg:title", {}, `${c.nameEN} ${c.nameZH}, ${variable} ${year}: ${q ? fmt(q.value) : "–"}`)); svg.append(dot);
    svg.append(el("svg:text", { x: x + 8, y: y - 6, class: "label" }, c.nameEN));
  }
  $("map-legend").textContent = `${variable} ${year}: ${fmt(lo)} (light) – ${fmt(hi)} (dark); arrows: the ${top.length} largest ${kind} flows`;
}
function drawAll() { if (!app.run) return; drawChart(); drawBars(); drawMap(); }

// ---- Start ------------------------------------------------------------------------------------
async function main() {
  [app.catalog, app.shipped, app.boundaries] = await Promise.all([getJSON("/api/catalog"), getJSON("/api/scenarios"), getJSON("/prefectures.geojson")]);
  const pick = $("shipped");
  for (const s of app.shipped) pick.append(el("option", { value: s.file }, `${s.file} — ${s.name}`));
  const baseline = app.shipped.find((s) => s.file === "baseline.toml") || app.shipped[0];
  pick.value = baseline ? baseline.file : "";
  const fresh = { name: "page", description: "", time: { start: 2020, end: 2035, dt: 1 }, run: { seed: 1, replications: 1 }, model: {}, policy: [] };
  stateFrom(baseline ? baseline.resolved : fresh);
  pick.addEventListener("change", () => { stateFrom(app.shipped.find((s) => s.file === pick.value).resolved); buildPanel(); });
  bindScenarioFields(); buildPanel();
  $("run").addEventListener("click", () => startRun());
  $("runs").addEventListener("change", () => $("runs").value && openRun($("runs").value));
  $("compare").addEventListener("change", async () => { app.base = $("compare").value ? await loadRun($("compare").value) : null; drawAll(); });
  for (const id of ["variable", "mode", "chart-cities"]) $(id).addEventListener("change", drawChart);
  for (const id of ["year", "map-variable", "flow-kind"]) $(id).addEventListener("input", drawMap);
  $("year").max = app.state.time.end; $("year").min = app.state.time.start;
  drawMap();
  await refreshRunList();
  document.body.dataset.ready = "true";
}
main().catch((e) => { $("errors").textContent = String(e); });
"""##
}
