// Builds seeds/prefectures.geojson from the map files of ECharts 2.2.7 (BSD-3-Clause;
// seeds/README.md gives the source): the 21 prefecture-level divisions of Sichuan from
// si_chuan_geo.js and the outline of Chongqing from china_geo.js, decoded from ECharts'
// compressed form, simplified with Douglas–Peucker at TOLERANCE degrees and rounded to 3
// decimals (about 100 m), so the page and the report can ship the file inline.
// Usage: node seeds/tools/simplify-boundaries.js si_chuan_geo.js china_geo.js > seeds/prefectures.geojson
const fs = require("fs");
const TOLERANCE = 0.01;

function load(file) {
  const module = { exports: {} };
  new Function("module", "exports", fs.readFileSync(file, "utf8"))(module, module.exports);
  return module.exports;
}

// ECharts' decoder (util/mapData/params.js): zigzag-encoded deltas, 1/1024 degree steps.
function decodeRing(text, offsets) {
  const ring = [];
  let x0 = offsets[0], y0 = offsets[1];
  for (let i = 0; i < text.length; i += 2) {
    let x = text.charCodeAt(i) - 64, y = text.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += x0; y += y0; x0 = x; y0 = y;
    ring.push([x / 1024, y / 1024]);
  }
  return ring;
}

function simplify(points, tolerance) {
  if (points.length < 3) return points;
  const keep = new Array(points.length).fill(false);
  keep[0] = keep[points.length - 1] = true;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    const [ax, ay] = points[a], [bx, by] = points[b];
    const dx = bx - ax, dy = by - ay, length = Math.hypot(dx, dy);
    let worst = -1, index = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i];
      const d = length === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / length;
      if (d > worst) { worst = d; index = i; }
    }
    if (worst > tolerance) { keep[index] = true; stack.push([a, index], [index, b]); }
  }
  return points.filter((_, i) => keep[i]);
}

function rings(feature) {
  const g = feature.geometry;
  const polygons = g.type === "Polygon" ? [g.coordinates.map((r, i) => [r, g.encodeOffsets[i]])]
    : g.coordinates.map((p, i) => p.map((r, j) => [r, g.encodeOffsets[i][j]]));
  return polygons.map(p => p.map(([r, o]) => typeof r === "string" ? decodeRing(r, o) : r));
}

function feature(name, source) {
  const polygons = rings(source)
    .map(p => p.map(r => simplify(r, TOLERANCE).map(([x, y]) => [Math.round(x * 1000) / 1000, Math.round(y * 1000) / 1000])))
    .filter(p => p[0].length >= 4);
  return { type: "Feature", properties: { name, code: source.id }, geometry: { type: "MultiPolygon", coordinates: polygons } };
}

const sichuan = load(process.argv[2]), china = load(process.argv[3]);
const features = sichuan.features.map(f => feature(f.properties.name, f));
const chongqing = china.features.find(f => f.id === "chong_qing");
features.push(feature("重庆市", { ...chongqing, id: "5000" }));
features.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
process.stdout.write(JSON.stringify({ type: "FeatureCollection", features }) .replace(/\{"type":"Feature"/g, '\n{"type":"Feature"') + "\n");
