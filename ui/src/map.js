/*! ntm map. Bundles d3-geo and d3-array (ISC licence, Copyright 2010-2022 Mike Bostock) and topojson-client (ISC licence, Copyright 2012-2019 Michael Bostock). */
// The choropleth map: draws the child units of the unit shown as SVG from the shipped
// boundaries (TopoJSON served by /api/v1/boundaries/…; no tile server, nothing from the
// internet). What to draw, where each unit leads and its colour class come from the server
// as JSON in the page (#map-spec); the legend is in the page too.
import { geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import { msg } from './lib/msg.js';
import { getJSON } from './lib/api.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;

function el(name, attrs) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

async function draw(box) {
  const spec = JSON.parse(document.getElementById(box.dataset.map).textContent);
  const status = box.querySelector('.map-status');
  let topo;
  try {
    topo = await getJSON(spec.boundaries);
  } catch {
    status.textContent = msg('js.map.failed');
    box.removeAttribute('aria-busy');
    return;
  }
  const byCode = new Map(spec.units.map((u) => [u.code, u]));
  const all = feature(topo, topo.objects[spec.object]).features;
  const shown = all.filter((f) => byCode.has(f.properties.code));
  const collection = { type: 'FeatureCollection', features: shown };
  const projection = geoMercator().fitWidth(WIDTH - 8, collection);
  const path = geoPath(projection).digits(1);
  const [[, y0], [, y1]] = path.bounds(collection);
  const height = Math.ceil(y1 - y0) + 8;
  projection.translate([projection.translate()[0] + 4, projection.translate()[1] - y0 + 4]);

  const svg = el('svg', {
    viewBox: `0 0 ${WIDTH} ${height}`,
    role: 'group',
    'aria-label': spec.label,
    class: 'choropleth',
  });
  // The hatch of units without data (.q-none in app.css fills with it): a pattern rather
  // than one more colour, so that "no data" never reads as a step of the scale.
  const defs = el('defs', {});
  const hatch = el('pattern', {
    id: 'map-nodata',
    patternUnits: 'userSpaceOnUse',
    width: 5,
    height: 5,
    patternTransform: 'rotate(45)',
  });
  hatch.append(el('rect', { width: 5, height: 5, fill: '#fff' }), el('rect', { width: 2, height: 5, fill: '#8a949e' }));
  defs.append(hatch);
  svg.append(defs);
  // A map without a legend only locates units (a commune among its province's): its units
  // carry no data to hatch as missing.
  const plain = !box.closest('.map')?.querySelector('.legend');
  let highlighted = null;
  for (const f of shown) {
    const u = byCode.get(f.properties.code);
    const label = u.value ? `${u.name}: ${u.value}` : u.name;
    const a = el('a', { href: u.href, 'aria-label': label });
    const p = el('path', {
      d: path(f),
      class: 'unit ' + (u.class || (plain ? 'locate' : 'q-none')) + (u.code === spec.highlight ? ' hl' : ''),
      'data-code': u.code,
    });
    const title = el('title', {});
    title.textContent = label;
    p.append(title);
    a.append(p);
    if (u.code === spec.highlight) highlighted = a;
    else svg.append(a);
  }
  // The marked unit last, so that its outline is drawn over its neighbours'.
  if (highlighted) svg.append(highlighted);
  box.replaceChildren(svg);
  const note = document.createElement('p');
  note.className = 'map-status';
  note.setAttribute('role', 'status');
  const missing = spec.units.length - shown.length;
  note.textContent = msg('js.map.drawn', shown.length) + (missing > 0 ? ' ' + msg('js.map.missing', missing) : '');
  box.append(note);
  box.dataset.drawn = String(shown.length);
  box.removeAttribute('aria-busy');
  // For the page-speed test (and anyone profiling): when the map was drawn.
  if (performance.mark) performance.mark('ntm-map-drawn');
}

for (const box of document.querySelectorAll('[data-map]')) draw(box);
