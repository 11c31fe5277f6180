// The plan as an SVG map drawn from the request (where the sites are, what they are)
// and the answer (the tours): one path per tour in its own colour, numbered stops,
// arrows for the direction, farms / hubs / pickup points as distinct shapes, a legend
// of what is drawn, the tasks left out, and the attribution line.
"use strict";

// Okabe and Ito's colour-blind-safe palette (yellow left out: too pale on white).
const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const SVG = "http://www.w3.org/2000/svg";
// How much larger symbols are drawn than on an 800 px wide map, so that numbers stay
// readable when a phone shows the map narrower (set by drawMap).
let symbolScale = 1;
const KINDS = {
  SITE_KIND_FARM: "farm",
  SITE_KIND_HUB: "hub",
  SITE_KIND_PICKUP_POINT: "pickupPoint",
};

function svgElement(name, attributes = {}, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function tourColour(index) {
  return COLOURS[index % COLOURS.length];
}

// An encoded polyline (precision 5) as [lat, lon] pairs.
function decodePolyline(text) {
  const points = [];
  let index = 0, lat = 0, lon = 0;
  const next = () => {
    let result = 0, shift = 0, byte;
    do {
      byte = text.charCodeAt(index++) - 63;
      result |= (byte & 0x1f) << shift;
      shift += 5;
    } while (byte >= 0x20 && index < text.length);
    return result & 1 ? ~(result >> 1) : result >> 1;
  };
  while (index < text.length) {
    lat += next();
    lon += next();
    points.push([lat / 1e5, lon / 1e5]);
  }
  return points;
}

// Where each site of the request is, by id: [lat, lon], for sites with coordinates.
function sitePositions(request) {
  const positions = new Map();
  for (const site of request.sites || []) {
    const coordinates = site.location && site.location.coordinates;
    if (coordinates) positions.set(site.id, [Number(coordinates.latDeg || 0), Number(coordinates.lonDeg || 0)]);
  }
  return positions;
}

// A projection fitting `points` into a width × height box with a margin.
function projection(points, width, height, margin) {
  const lats = points.map((p) => p[0]);
  const lons = points.map((p) => p[1]);
  const [south, north] = [Math.min(...lats), Math.max(...lats)];
  const [west, east] = [Math.min(...lons), Math.max(...lons)];
  const squeeze = Math.cos(((south + north) / 2) * Math.PI / 180);
  const spanX = Math.max((east - west) * squeeze, 1e-6);
  const spanY = Math.max(north - south, 1e-6);
  const scale = Math.min((width - 2 * margin) / spanX, (height - 2 * margin) / spanY);
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  const project = ([lat, lon]) => [
    offsetX + (lon - west) * squeeze * scale,
    offsetY + (north - lat) * scale,
  ];
  // Where a point of the drawing is: [lat, lon].
  project.inverse = ([x, y]) => [north - (y - offsetY) / scale, west + (x - offsetX) / (squeeze * scale)];
  // Pixels per degree of longitude.
  project.pixelsPerDegree = squeeze * scale;
  return project;
}

// The drawing's size: 800 px wide, as tall as the places' extent asks (400 to 1000).
function mapSize(points) {
  if (points.length === 0) return [800, 600];
  const lats = points.map((p) => p[0]);
  const lons = points.map((p) => p[1]);
  const squeeze = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * Math.PI / 180);
  const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * squeeze, 1e-6);
  const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 1e-6);
  return [800, Math.round(Math.min(1000, Math.max(400, (720 * spanY) / spanX + 80)))];
}

// The tour's stops: consecutive task steps at one site make one numbered stop.
function tourStops(tour) {
  const stops = [];
  for (const step of tour.steps || []) {
    const kind = step.kind || "";
    if (kind === "STEP_KIND_START" || kind === "STEP_KIND_END" || !step.siteId) continue;
    const last = stops[stops.length - 1];
    if (last && last.siteId === step.siteId) last.steps.push(step);
    else stops.push({ siteId: step.siteId, steps: [step] });
  }
  return stops;
}

// The points a tour passes through: its geometry when the answer has one, else its
// steps' sites.
function tourPoints(tour, positions) {
  if (tour.geometry) return { points: decodePolyline(tour.geometry), roads: true };
  const points = (tour.steps || []).map((step) => positions.get(step.siteId)).filter(Boolean);
  return { points, roads: false };
}

// Direction arrows along a projected line: one at the middle of each segment longer
// than `spacing` pixels, or every `spacing` pixels along a road geometry.
function drawArrows(layer, projected, colour, roads) {
  const spacing = 90;
  let travelled = 0;
  for (let index = 1; index < projected.length; index += 1) {
    const [[x0, y0], [x1, y1]] = [projected[index - 1], projected[index]];
    const length = Math.hypot(x1 - x0, y1 - y0);
    travelled += length;
    const due = roads ? travelled >= spacing : length >= 24;
    if (!due || length === 0) continue;
    travelled = 0;
    const [x, y] = [(x0 + x1) / 2, (y0 + y1) / 2];
    const angle = (Math.atan2(y1 - y0, x1 - x0) * 180) / Math.PI;
    layer.append(svgElement("path", {
      d: "M-6 -5L6 0L-6 5Z", fill: colour, class: "arrow",
      transform: `translate(${x.toFixed(1)} ${y.toFixed(1)}) rotate(${angle.toFixed(1)}) scale(${symbolScale})`,
    }));
  }
}

function drawSite(layer, site, [x, y]) {
  const kind = KINDS[site.kind] || "site";
  const group = svgElement("g", { class: `site site-${kind}`, "data-site": site.id, transform: `translate(${x} ${y}) scale(${symbolScale}) translate(${-x} ${-y})` });
  group.append(svgElement("title", {}, `${t(kind)}: ${site.name || site.id}`));
  if (kind === "farm") group.append(svgElement("rect", { x: x - 7, y: y - 7, width: 14, height: 14 }));
  else if (kind === "hub") group.append(svgElement("path", { d: `M${x} ${y - 9}L${x + 9} ${y}L${x} ${y + 9}L${x - 9} ${y}Z` }));
  else group.append(svgElement("circle", { cx: x, cy: y, r: kind === "pickupPoint" ? 7 : 5 }));
  layer.append(group);
}

function drawTour(layers, tour, index, tourCount, project, positions, siteNames) {
  const colour = tourColour(index);
  const { points, roads } = tourPoints(tour, positions);
  const projected = points.map(project);
  const d = projected.map((point, i) => `${i ? "L" : "M"}${point.map((v) => v.toFixed(1)).join(" ")}`).join("");
  const path = svgElement("path", { d, class: "tour-path", stroke: colour, "stroke-width": 3.5 * symbolScale, "data-vehicle": tour.vehicleId });
  path.append(svgElement("title", {}, t("tour", tour.vehicleId)));
  layers.paths.append(path);
  drawArrows(layers.paths, projected, colour, roads);
  const angle = -Math.PI / 2 + (index * 2 * Math.PI) / Math.max(tourCount, 1);
  tourStops(tour).forEach((stop, number) => {
    const position = positions.get(stop.siteId);
    if (!position) return;
    const [x, y] = project(position);
    const offset = 14 * symbolScale;
    const [cx, cy] = [x + offset * Math.cos(angle), y + offset * Math.sin(angle)];
    const badge = svgElement("g", { class: "stop", "data-vehicle": tour.vehicleId });
    badge.append(svgElement("title", {}, `${t("tour", tour.vehicleId)} — ${number + 1}: ${siteNames.get(stop.siteId) || stop.siteId}`));
    badge.append(svgElement("circle", { cx, cy, r: 8 * symbolScale, fill: colour }));
    badge.append(svgElement("text", { x: cx, y: cy + 3.5 * symbolScale, "font-size": 10 * symbolScale }, String(number + 1)));
    layers.stops.append(badge);
  });
  return roads;
}

function legendItem(swatch, label) {
  const item = document.createElement("li");
  const mark = document.createElement("span");
  mark.className = `swatch ${swatch.className || ""}`;
  if (swatch.colour) mark.style.background = swatch.colour;
  mark.setAttribute("aria-hidden", "true");
  item.append(mark, document.createTextNode(label));
  return item;
}

function drawMap(request, response) {
  const svg = document.getElementById("map");
  const legend = document.getElementById("legend");
  svg.replaceChildren(svgElement("title", { id: "map-title" }, t("map")));
  legend.replaceChildren();
  const positions = sitePositions(request);
  const siteNames = new Map((request.sites || []).map((site) => [site.id, site.name || site.id]));
  const tours = response.tours || [];
  const geometry = tours.flatMap((tour) => (tour.geometry ? decodePolyline(tour.geometry) : []));
  const snapped = (response.snappedSites || []).filter((s) => s.snapped && positions.has(s.siteId))
    .map((s) => [Number(s.snapped.latDeg || 0), Number(s.snapped.lonDeg || 0)]);
  const all = [...positions.values(), ...geometry, ...snapped];
  const [width, height] = mapSize(all);
  symbolScale = Math.min(2.2, Math.max(1, width / (svg.clientWidth || width)));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const layers = { paths: svgElement("g", { class: "paths" }), sites: svgElement("g"), stops: svgElement("g") };
  const background = { tiles: svgElement("g", { class: "tiles" }), roads: svgElement("g", { class: "roads" }) };
  svg.append(background.tiles, background.roads, layers.paths, layers.sites, layers.stops);
  let roads = false;
  if (all.length > 0) {
    const project = projection(all, width, height, 40);
    drawBackground(background, project, width, height);
    tours.forEach((tour, index) => {
      roads = drawTour(layers, tour, index, tours.length, project, positions, siteNames) || roads;
      legend.append(legendItem({ colour: tourColour(index) }, `${t("tour", tour.vehicleId)}${vehicleNote(request, tour.vehicleId)}`));
    });
    drawConnectors(layers.paths, response, positions, project);
    markUnassigned(layers.paths, request, response, positions, project);
    for (const site of request.sites || []) {
      if (positions.has(site.id)) drawSite(layers.sites, site, project(positions.get(site.id)));
    }
  }
  const kinds = new Set((request.sites || []).filter((s) => positions.has(s.id)).map((s) => KINDS[s.kind] || "site"));
  for (const kind of ["farm", "hub", "pickupPoint", "site"]) {
    if (kinds.has(kind)) legend.append(legendItem({ className: `swatch-${kind}` }, t(kind)));
  }
  if ((response.unassigned || []).length > 0) legend.append(legendItem({ className: "swatch-unserved" }, t("unassigned")));
  // Geometry of straight-line travel is straight segments, not OpenStreetMap's roads.
  const onRoads = roads && !/straight/.test(response.travelSource || "");
  const attribution = document.getElementById("attribution");
  attribution.dataset.tours = onRoads ? t("roads") : t("straight");
  attribution.dataset.roads = "";
  attribution.dataset.tiles = "";
  showAttribution();
  drawUnassigned(response);
}

// A dashed line from each site to where the answer placed it on the roads, so that a
// farm up a track is seen joined to the road its tours use.
function drawConnectors(layer, response, positions, project) {
  for (const snapped of response.snappedSites || []) {
    const position = positions.get(snapped.siteId);
    const coordinates = snapped.snapped;
    if (!position || !coordinates || Number(snapped.snapDistanceM || 0) < 1) continue;
    const [x0, y0] = project(position);
    const [x1, y1] = project([Number(coordinates.latDeg || 0), Number(coordinates.lonDeg || 0)]);
    layer.append(svgElement("line", { x1: x0, y1: y0, x2: x1, y2: y1, class: "connector" }));
  }
}

// A red dashed ring around each site where a task left out should have happened.
function markUnassigned(layer, request, response, positions, project) {
  const sites = new Set();
  for (const task of response.unassigned || []) {
    const shipment = (request.shipments || []).find((s) => s.id === task.taskId);
    const job = (request.jobs || []).find((j) => j.id === task.taskId);
    const stops = shipment ? [shipment.pickup, shipment.delivery] : job ? [job.stop] : [];
    for (const stop of stops) if (stop && positions.has(stop.siteId)) sites.add(stop.siteId);
  }
  for (const siteId of sites) {
    const [x, y] = project(positions.get(siteId));
    const ring = svgElement("circle", { cx: x, cy: y, r: 13 * symbolScale, class: "unserved", "data-site": siteId });
    ring.append(svgElement("title", {}, t("unassigned")));
    layer.append(ring);
  }
}

function vehicleNote(request, vehicleId) {
  const vehicle = (request.vehicles || []).find((v) => v.id === vehicleId);
  return vehicle && vehicle.description ? ` (${vehicle.description})` : "";
}

function drawUnassigned(response) {
  const list = document.getElementById("unassigned");
  list.replaceChildren();
  for (const task of response.unassigned || []) {
    const item = document.createElement("li");
    const reason = (task.reason || "").replace("UNASSIGNED_REASON_", "").toLowerCase();
    // The server explains in English; French readers get the reason's own words.
    const words = LANG === "fr" && WORDS.fr[`reason_${reason}`] ? t(`reason_${reason}`) : task.message || reason;
    item.textContent = `${task.taskId} — ${words} [${reason}]`;
    list.append(item);
  }
  document.getElementById("unassigned-box").hidden = list.children.length === 0;
}

// The attribution line: how the tours are drawn, and what the background is drawn from.
function showAttribution() {
  const line = document.getElementById("attribution");
  line.textContent = [line.dataset.tours, line.dataset.roads, line.dataset.tiles].filter(Boolean).join(" ");
}

// The map's background, drawn once the server answers: the operator's raster tiles
// (serve --map-tiles) when set, and the server's road graph as light grey vectors, so
// that the map shows the roads even offline. Drawn under the tours; a newer map
// drawing makes an older answer moot.
let backgroundDrawing = 0;
async function drawBackground(layers, project, width, height) {
  const drawing = ++backgroundDrawing;
  document.body.dataset.roads = "pending";
  const [north, west] = project.inverse([0, 0]);
  const [south, east] = project.inverse([width, height]);
  const box = [west, south, east, north].map((v) => v.toFixed(5)).join(",");
  try {
    const config = await (await fetch("/planner/config.json")).json();
    if (drawing !== backgroundDrawing) return;
    if (config.mapTiles) drawTiles(layers.tiles, project, config.mapTiles, [north, west, south, east]);
    const answer = await fetch(`/v1/roads?bbox=${box}`, { headers: headers() });
    const json = await answer.json();
    if (drawing !== backgroundDrawing) return;
    for (const line of answer.ok ? json.roads || [] : []) {
      const d = decodePolyline(line).map(project).map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`).join("");
      layers.roads.append(svgElement("path", { d, class: "road" }));
    }
    document.body.dataset.roads = String(layers.roads.children.length);
    if (layers.roads.children.length > 0) document.getElementById("attribution").dataset.roads = t("roadsDrawn");
  } catch (_) {
    // The background is a help, not the plan: without it the tours stand alone.
    document.body.dataset.roads = "0";
  }
  showAttribution();
}

// Web Mercator tile numbers of a point at zoom `z`.
function tileOf([lat, lon], z) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return [Math.min(Math.max(x, 0), n - 1), Math.min(Math.max(y, 0), n - 1)];
}

// The north-west corner of tile (x, y) at zoom `z`: [lat, lon].
function tileCorner(x, y, z) {
  const n = 2 ** z;
  const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
  return [lat, (x / n) * 360 - 180];
}

// The tiles covering the box at the zoom whose tiles are about 256 px wide here (at
// most 64 of them), each placed through the map's own projection.
function drawTiles(layer, project, template, [north, west, south, east]) {
  let z = Math.min(18, Math.max(0, Math.round(Math.log2((360 * project.pixelsPerDegree) / 256))));
  let [[x0, y0], [x1, y1]] = [tileOf([north, west], z), tileOf([south, east], z)];
  while (z > 0 && (x1 - x0 + 1) * (y1 - y0 + 1) > 64) {
    z -= 1;
    [[x0, y0], [x1, y1]] = [tileOf([north, west], z), tileOf([south, east], z)];
  }
  for (let x = x0; x <= x1; x += 1) {
    for (let y = y0; y <= y1; y += 1) {
      const [left, top] = project(tileCorner(x, y, z));
      const [right, bottom] = project(tileCorner(x + 1, y + 1, z));
      const href = template.replace("{z}", z).replace("{x}", x).replace("{y}", y).replace("{s}", "a");
      layer.append(svgElement("image", {
        href, class: "tile", x: left.toFixed(1), y: top.toFixed(1), preserveAspectRatio: "none",
        width: (right - left).toFixed(1), height: (bottom - top).toFixed(1),
      }));
    }
  }
  const host = template.replace(/^https?:\/\//, "").split("/")[0];
  document.getElementById("attribution").dataset.tiles = t("tilesFrom", host);
  document.body.dataset.tiles = String(layer.children.length);
}
