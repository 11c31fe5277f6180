// The drivers' sheets (one printable page per tour: stops in order, arrival and window,
// what to load and unload for which producer, the load on board) and the pooling
// statement (alone against pooled, each producer's share under each rule, as a table,
// a bar chart and a CSV file).
"use strict";

function element(name, attributes = {}, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function tableRow(cells, header = false) {
  const row = element("tr");
  cells.forEach((cell, index) => {
    const scope = header ? { scope: "col" } : index === 0 ? { scope: "row" } : {};
    row.append(element(header || index === 0 ? "th" : "td", scope, String(cell)));
  });
  return row;
}

// The break a step takes, from its vehicle's breaks (or its shift's).
function breakOf(request, vehicleId, breakId) {
  const vehicle = (request.vehicles || []).find((v) => v.id === vehicleId) || {};
  const all = [...(vehicle.breaks || []), ...(vehicle.shifts || []).flatMap((shift) => shift.breaks || [])];
  return all.find((b) => b.id === breakId) || null;
}

// A break in words: how long, from when to when, and its note.
function breakAction(request, step) {
  const rest = breakOf(request, step.vehicleId, step.breakId || step.taskId);
  const start = Number(step.serviceStartS || step.arrivalS || 0);
  const duration = Number(step.serviceS || (rest && rest.durationS) || 0);
  const note = rest && rest.description ? ` — ${rest.description}` : "";
  return `${t("breakTask", step.breakId || step.taskId || "", clock(duration), clock(start), clock(start + duration))}${note}`;
}

// The windows a step had to meet: its task stop's, else its site's (a break's own).
function stepWindow(request, step) {
  if (step.kind === "STEP_KIND_BREAK") {
    const rest = breakOf(request, step.vehicleId, step.breakId || step.taskId);
    const windows = (rest && rest.windows) || [];
    return windows.length ? windows.map((w) => `${clock(w.startS)}–${clock(w.endS)}`).join(", ") : t("anyTime");
  }
  const task = taskOf(request, step.taskId);
  let stop = null;
  if (task && task.kind === "shipment") stop = step.kind === "STEP_KIND_DELIVERY" ? task.value.delivery : task.value.pickup;
  if (task && task.kind === "job") stop = task.value.stop;
  let windows = (stop && stop.timeWindows) || [];
  if (windows.length === 0) {
    const site = (request.sites || []).find((s) => s.id === step.siteId);
    windows = (site && site.openingWindows) || [];
  }
  return windows.length ? windows.map((w) => `${clock(w.startS)}–${clock(w.endS)}`).join(", ") : t("anyTime");
}

function taskOf(request, taskId) {
  if (!taskId) return null;
  const shipment = (request.shipments || []).find((s) => s.id === taskId);
  if (shipment) return { kind: "shipment", value: shipment };
  const job = (request.jobs || []).find((j) => j.id === taskId);
  return job ? { kind: "job", value: job } : null;
}

function producerName(request, producerId) {
  const producer = (request.producers || []).find((p) => p.id === producerId);
  return producer ? producer.name || producer.id : producerId || "—";
}

function amounts(values) {
  return (values || []).map(Number).join(" / ") || "0";
}

// What the driver does at a step, in words.
function stepAction(request, step) {
  const kind = step.kind || "";
  if (kind === "STEP_KIND_START") return t("start");
  if (kind === "STEP_KIND_END") return t("end");
  if (kind === "STEP_KIND_BREAK") return breakAction(request, step);
  if (kind === "STEP_KIND_RELOAD") return t("reload");
  const task = taskOf(request, step.taskId);
  if (!task) return step.taskId || "";
  const who = producerName(request, task.value.producerId);
  const note = kind === "STEP_KIND_DELIVERY" ? task.value.delivery : task.value.pickup || task.value.stop;
  const extra = note && note.description ? ` — ${note.description}` : "";
  if (kind === "STEP_KIND_PICKUP") return `${t("pickupTask", `${task.value.id} (${amounts(task.value.amount)})`, who)}${extra}`;
  if (kind === "STEP_KIND_DELIVERY") return `${t("deliveryTask", `${task.value.id} (${amounts(task.value.amount)})`, who)}${extra}`;
  return `${t("jobTask", task.value.id, who)}${extra}`;
}

function drawSheet(request, tour, index) {
  const sheet = element("article", { class: "sheet", id: `sheet-${index}`, tabindex: "-1", "aria-labelledby": `sheet-title-${index}` });
  const title = element("h3", { id: `sheet-title-${index}` }, t("sheetOf", tour.vehicleId) + vehicleNote(request, tour.vehicleId));
  title.style.borderColor = tourColour(index);
  const totals = element("p", {}, t("tourTotals", formatNumber(Number(tour.distanceM || 0) / 1000, 1), clock(tour.travelS), formatNumber(tour.cost)));
  const table = element("table", { class: "sheet-table" });
  table.append(tableRow([t("stop"), t("arrival"), t("window"), t("place"), t("todo"), t("loadAfter")], true));
  const names = new Map((request.sites || []).map((site) => [site.id, site.name || site.id]));
  let number = 0;
  let previousSite = null;
  for (const step of tour.steps || []) {
    const isBreak = step.kind === "STEP_KIND_BREAK";
    const isTask = !["STEP_KIND_START", "STEP_KIND_END"].includes(step.kind) && !isBreak && step.siteId;
    if (isTask && step.siteId !== previousSite) number += 1;
    if (!isBreak) previousSite = isTask ? step.siteId : null;
    const row = tableRow([isTask ? number : "", clock(step.arrivalS), stepWindow(request, { ...step, vehicleId: tour.vehicleId }), names.get(step.siteId) || step.siteId || "", stepAction(request, { ...step, vehicleId: tour.vehicleId }), amounts(step.load)]);
    if (isBreak) row.className = "break";
    table.append(row);
  }
  const print = element("button", { type: "button", class: "no-print" }, t("print"));
  print.addEventListener("click", () => printSheets(sheet));
  sheet.append(title, totals, element("div", { class: "table-wrap" }), print);
  sheet.querySelector(".table-wrap").append(table);
  sheet.hidden = true;
  return sheet;
}

// Prints `only` (one sheet) or, without it, every sheet, each on its own page.
function printSheets(only) {
  document.body.classList.add("printing");
  for (const sheet of document.querySelectorAll(".sheet")) sheet.classList.toggle("to-print", !only || sheet === only);
  window.print();
  document.body.classList.remove("printing");
}

function drawSheets(request, response) {
  const buttons = document.getElementById("sheet-buttons");
  const sheets = document.getElementById("sheets");
  buttons.replaceChildren();
  sheets.replaceChildren();
  (response.tours || []).forEach((tour, index) => {
    const sheet = drawSheet(request, tour, index);
    sheets.append(sheet);
    const open = element("button", { type: "button", class: "open-sheet", "aria-controls": sheet.id, "aria-expanded": "false" }, t("sheetOf", tour.vehicleId));
    open.style.borderColor = tourColour(index);
    open.addEventListener("click", () => {
      const opening = sheet.hidden;
      sheet.hidden = !opening;
      open.setAttribute("aria-expanded", String(opening));
      if (opening) sheet.focus();
    });
    buttons.append(open);
  });
  const all = element("button", { type: "button" }, t("printAll"));
  all.addEventListener("click", () => printSheets(null));
  buttons.append(all);
  document.getElementById("sheets-section").hidden = (response.tours || []).length === 0;
}

const RULES = ["proportional", "shapley", "nucleolus", "epm"];

// The pooling statement's rows: a header, one row per producer, the totals.
function poolingRows(request, report) {
  const header = [t("producer"), t("alone"), ...RULES.map((rule) => t(rule)), t("saving"), t("inCore")];
  const rows = (report.producers || []).map((share) => [
    producerName(request, share.producerId), formatNumber(share.alone && share.alone.cost),
    ...RULES.map((rule) => formatNumber(share[rule])), `${formatNumber(share.savingPercent, 1)} %`,
    share.inCore ? t("yes") : t("no"),
  ]);
  const sum = (key) => (report.producers || []).reduce((total, share) => total + Number(key(share) || 0), 0);
  const totals = [t("total"), formatNumber(sum((s) => s.alone && s.alone.cost)), ...RULES.map((rule) => formatNumber(sum((s) => s[rule]))), "", ""];
  return { header, rows, totals };
}

function drawPooling(request, response) {
  const report = response.pooling;
  document.getElementById("fair").hidden = !report;
  if (!report) return;
  const alone = report.alone || {};
  const pooled = report.pooled || {};
  document.getElementById("fair-summary").textContent = t("fairSummary",
    formatNumber(alone.cost), formatNumber(Number(alone.distanceM || 0) / 1000, 1), formatNumber(Number(alone.durationS || 0) / 3600, 1), formatNumber(alone.co2Kg, 1),
    formatNumber(pooled.cost), formatNumber(Number(pooled.distanceM || 0) / 1000, 1), formatNumber(Number(pooled.durationS || 0) / 3600, 1), formatNumber(pooled.co2Kg, 1));
  const { header, rows, totals } = poolingRows(request, report);
  const table = document.getElementById("shares");
  table.replaceChildren(element("caption", {}, `${t("pooledCost")}: ${formatNumber(pooled.cost)}`), tableRow(header, true));
  for (const row of rows) table.append(tableRow(row));
  const foot = tableRow(totals);
  foot.className = "totals";
  table.append(foot);
  const notes = document.getElementById("fair-notes");
  notes.replaceChildren(...(report.notes || []).map((note) => element("li", {}, note)));
  for (const rule of report.rules || []) {
    if (rule.status && rule.status !== "ok") notes.append(element("li", {}, t("ruleFailed", rule.rule, rule.status, rule.reason || "")));
  }
  drawBars(request, report);
  document.getElementById("csv").onclick = () => downloadCsv(request, report);
}

// Two bars per producer: its cost alone and its Shapley share.
function drawBars(request, report) {
  const svg = document.getElementById("bars");
  const producers = report.producers || [];
  const top = Math.max(1, ...producers.map((s) => Number((s.alone && s.alone.cost) || 0)));
  const [labelWidth, barWidth, rowHeight] = [170, 400, 34];
  svg.setAttribute("viewBox", `0 0 ${labelWidth + barWidth + 90} ${rowHeight * producers.length + 30}`);
  svg.replaceChildren(svgElement("title", { id: "bars-title" }, t("bars")));
  producers.forEach((share, index) => {
    const y = 10 + index * rowHeight;
    svg.append(svgElement("text", { x: 0, y: y + 16, class: "bar-label" }, producerName(request, share.producerId).slice(0, 24)));
    [["alone", Number((share.alone && share.alone.cost) || 0), 0], ["shapley", Number(share.shapley || 0), 13]].forEach(([kind, value, dy]) => {
      const width = (value / top) * barWidth;
      svg.append(svgElement("rect", { x: labelWidth, y: y + dy, width: Math.max(width, 0), height: 11, class: `bar bar-${kind}` }));
      svg.append(svgElement("text", { x: labelWidth + width + 4, y: y + dy + 10, class: "bar-value" }, `${t(kind)} ${formatNumber(value)}`));
    });
  });
}

function downloadCsv(request, report) {
  const { header, rows, totals } = poolingRows(request, report);
  const quote = (cell) => `"${String(cell).replace(/"/g, '""')}"`;
  const text = [header, ...rows, totals].map((row) => row.map(quote).join(",")).join("\n");
  const link = element("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: "pooling.csv" });
  document.body.append(link);
  link.click();
  link.remove();
}
