// The planner page's flow: load a request (a native, VROOM or DFC file, dropped or
// chosen, or a bundled example; VROOM and DFC converted by the server), apply the
// form (time limit, iteration cap, pooling), submit it as a long-running operation
// (POST /v1/operations), follow its progress (server-sent events from
// GET /v1/operations/ID/watch, else polling GET /v1/operations/ID),
// cancel it (POST /v1/operations/ID/cancel), then draw the plan. A refused request
// (400) lists every bad field the server named.
"use strict";

const POLL_MS = 500;
const state = { request: null, operation: null, started: 0, timer: null, source: null };

function byId(id) {
  return document.getElementById(id);
}

function headers() {
  const result = { "content-type": "application/json" };
  const key = byId("api-key").value.trim();
  if (key) result.authorization = `Bearer ${key}`;
  return result;
}

function showError(message, violations = [], more = 0) {
  byId("error-message").textContent = message;
  const list = byId("violations");
  list.replaceChildren();
  for (const violation of violations) {
    const item = document.createElement("li");
    const field = document.createElement("code");
    field.textContent = violation.field;
    const reason = violation.reason ? ` [${violation.reason}]` : "";
    item.append(field, document.createTextNode(`${reason}: ${violation.description}`));
    list.append(item);
  }
  if (more > 0) list.append(Object.assign(document.createElement("li"), { textContent: t("more", more) }));
  byId("errors").hidden = false;
}

function clearError() {
  byId("errors").hidden = true;
}

// Takes a parsed request: fills the form from its options, enables Solve.
function useRequest(request, name) {
  clearError();
  if (!request || typeof request !== "object" || Array.isArray(request) || !Array.isArray(request.sites) || !Array.isArray(request.vehicles)) {
    state.request = null;
    byId("solve").disabled = true;
    showError(t("notNative"));
    return;
  }
  state.request = request;
  const options = request.options || {};
  if (options.timeLimitMs) byId("time-limit").value = Math.max(1, Math.round(Number(options.timeLimitMs) / 1000));
  byId("max-iterations").value = options.maxIterations && Number(options.maxIterations) < 1e15 ? options.maxIterations : "";
  byId("pooling").checked = Boolean(request.pooling && request.pooling.enabled);
  byId("geometry").checked = Boolean(options.geometry);
  const tasks = (request.shipments || []).length + (request.jobs || []).length;
  byId("loaded").textContent = t("loaded", name, request.sites.length, request.vehicles.length, tasks);
  byId("solve").disabled = false;
}

// What a parsed file is: a native request, a DFC JSON-LD order cycle, a VROOM problem.
function fileKind(json) {
  if (!json || typeof json !== "object") return null;
  if (Array.isArray(json["@graph"]) || "@context" in json || (json.document && typeof json.document === "object")) return "dfc";
  if (Array.isArray(json.sites) && Array.isArray(json.vehicles)) return "native";
  if (Array.isArray(json.vehicles) && (Array.isArray(json.jobs) || Array.isArray(json.shipments))) return "vroom";
  return Array.isArray(json) ? null : "native";
}

function refuseFile(message, violations = [], more = 0) {
  state.request = null;
  byId("solve").disabled = true;
  showError(message, violations, more);
}

// A VROOM or DFC file becomes a native request through the server's own readers
// (POST /v1/convert/vroom or /dfc), then is used like a native file.
async function convert(kind, text, name) {
  byId("loaded").textContent = t("converting", name, kind.toUpperCase());
  const answer = await call("POST", `/v1/convert/${kind}`, text);
  if (!answer.ok) {
    byId("loaded").textContent = "";
    refuseFile(t("notConverted", kind.toUpperCase(), answer.json.message || answer.status), answer.json.violations || [], answer.json.more || 0);
    return;
  }
  useRequest(answer.json, `${name} (${kind.toUpperCase()})`);
}

function loadText(text, name) {
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (error) {
    refuseFile(t("notJson", error.message));
    return;
  }
  const kind = fileKind(json);
  if (kind === "vroom" || kind === "dfc") {
    clearError();
    convert(kind, text, name).catch((error) => refuseFile(t("network", error.message)));
  } else {
    useRequest(json, name);
  }
}

function loadFile(file) {
  if (file) file.text().then((text) => loadText(text, file.name));
}

// One of the bundled examples: `file` under /planner/, shown as `name`.
async function loadExample(file, name) {
  const answer = await fetch(`/planner/${file}`);
  loadText(await answer.text(), name);
}

// The request as the form says: the file's own request with the options changed.
function formRequest() {
  const request = structuredClone(state.request);
  request.options = request.options || {};
  request.options.timeLimitMs = String(Math.round(Number(byId("time-limit").value) * 1000));
  const cap = byId("max-iterations").value.trim();
  if (cap) request.options.maxIterations = cap;
  else delete request.options.maxIterations;
  request.options.geometry = byId("geometry").checked;
  if (byId("pooling").checked) request.pooling = { ...(request.pooling || {}), enabled: true };
  else delete request.pooling;
  return request;
}

async function call(method, path, body) {
  const answer = await fetch(path, { method, headers: headers(), body });
  const text = await answer.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch (_) {
    json = { message: text };
  }
  return { ok: answer.ok, status: answer.status, json };
}

function setRunning(running) {
  byId("solve").disabled = running || !state.request;
  byId("cancel").disabled = !running;
  document.body.classList.toggle("running", running);
}

async function solve(event) {
  event.preventDefault();
  if (!state.request) return;
  clearError();
  const request = formRequest();
  byId("progress").textContent = t("submitting");
  setRunning(true);
  try {
    const answer = await call("POST", "/v1/operations", JSON.stringify(request));
    if (!answer.ok) {
      setRunning(false);
      byId("progress").textContent = "";
      showError(t("rejected", answer.json.message || answer.status), answer.json.violations || [], answer.json.more || 0);
      return;
    }
    state.operation = answer.json.name;
    state.started = performance.now();
    state.sent = request;
    watch(state.operation);
  } catch (error) {
    setRunning(false);
    showError(t("network", error.message));
  }
}

// The progress line: phase, best cost, tasks left out, elapsed time and, while a
// pooling report solves its coalitions, how many of them are done.
function showProgress(operation, elapsedMs) {
  const metadata = operation.metadata || {};
  const elapsed = (elapsedMs === undefined ? performance.now() - state.started : Number(elapsedMs)) / 1000;
  const key = `phase_${metadata.phase || "queued"}`;
  const phase = key in WORDS.en ? t(key) : metadata.phase;
  let text = t("progress", phase, formatNumber(metadata.bestCost), metadata.bestUnassigned || 0, elapsed.toFixed(1));
  if (Number(metadata.coalitionsTotal || 0) > 0) text += ` — ${t("coalitions", metadata.coalitionsDone || 0, metadata.coalitionsTotal)}`;
  byId("progress").textContent = text;
}

// Follows the operation `name` through its server-sent events (GET …/watch); falls
// back to polling when the browser cannot (EventSource sends no Authorization header,
// so with an API key) or the stream breaks before the end.
function watch(name) {
  if (!window.EventSource || byId("api-key").value.trim()) {
    poll();
    return;
  }
  const source = new EventSource(`/v1/${name}/watch`);
  state.source = source;
  document.body.dataset.progress = "events";
  const stop = () => {
    source.close();
    if (state.source === source) state.source = null;
  };
  source.addEventListener("progress", (event) => {
    if (name !== state.operation) return stop();
    const data = JSON.parse(event.data);
    showProgress(data.operation, data.elapsedMs);
  });
  source.addEventListener("done", (event) => {
    stop();
    if (name === state.operation) finish(JSON.parse(event.data).operation);
  });
  source.addEventListener("failure", (event) => {
    stop();
    if (name !== state.operation) return;
    state.operation = null;
    setRunning(false);
    showError(t("network", JSON.parse(event.data).message || ""));
  });
  source.onerror = () => {
    stop();
    document.body.dataset.progress = "polling";
    if (name === state.operation) poll();
  };
}

async function poll() {
  const name = state.operation;
  if (!name) return;
  try {
    const answer = await call("GET", `/v1/${name}`);
    if (name !== state.operation) return;
    if (!answer.ok) throw new Error(answer.json.message || String(answer.status));
    const operation = answer.json;
    if (!operation.done) {
      showProgress(operation);
      state.timer = setTimeout(poll, POLL_MS);
      return;
    }
    finish(operation);
  } catch (error) {
    state.operation = null;
    setRunning(false);
    showError(t("network", error.message));
  }
}

function finish(operation) {
  state.operation = null;
  setRunning(false);
  if (operation.error) {
    const cancelled = (operation.metadata || {}).state === "OPERATION_STATE_CANCELLED";
    byId("progress").textContent = cancelled ? t("cancelled") : t("failed", operation.error.message || "");
    return;
  }
  showPlan(state.sent, operation.response || {});
  const metadata = operation.metadata || {};
  if (Number(metadata.coalitionsTotal || 0) > 0) {
    byId("progress").textContent += ` ${t("coalitionsSolved", metadata.coalitionsDone || 0, metadata.coalitionsTotal)}`;
  }
}

function showPlan(request, response) {
  const summary = response.summary || {};
  const stop = (response.stopReason || "").replace("STOP_REASON_", "").toLowerCase();
  byId("summary").textContent = t("done", formatNumber(summary.cost), summary.vehiclesUsed || 0, formatNumber(Number(summary.distanceM || 0) / 1000, 1), summary.unassigned || 0, stop);
  byId("progress").textContent = t("finished", ((performance.now() - state.started) / 1000).toFixed(1));
  byId("plan").hidden = false;
  drawMap(request, response);
  drawSheets(request, response);
  drawPooling(request, response);
  document.body.dataset.planned = "true";
}

async function cancel() {
  if (!state.operation) return;
  byId("cancel").disabled = true;
  await call("POST", `/v1/${state.operation}/cancel`, "");
}

function setUpDrop() {
  const drop = byId("drop");
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    loadFile(event.dataTransfer.files[0]);
  });
  drop.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      byId("file").click();
    }
  });
}

// With the operator's map tiles (serve --map-tiles), the privacy note names their server.
async function readConfig() {
  const config = await (await fetch("/planner/config.json")).json();
  if (config.mapTiles) {
    const host = config.mapTiles.replace(/^https?:\/\//, "").split("/")[0];
    document.querySelector("[data-i18n=privacy]").textContent = t("privacyTiles", host);
  }
}

function start() {
  translatePage();
  readConfig().catch(() => {});
  setUpDrop();
  byId("file").addEventListener("change", (event) => loadFile(event.target.files[0]));
  const examples = [["demo", "demo.json", "cooperative.json"], ["vroom-example", "vroom-example.json", "cooperative-vroom.json"], ["dfc-example", "dfc-example.jsonld", "two-farms.jsonld"]];
  for (const [id, file, name] of examples) {
    byId(id).addEventListener("click", () => loadExample(file, name).catch((error) => showError(t("network", error.message))));
  }
  byId("form").addEventListener("submit", solve);
  byId("cancel").addEventListener("click", () => cancel().catch((error) => showError(t("network", error.message))));
}

start();
