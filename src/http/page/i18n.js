// The planner's words in English and French, chosen from the browser's language
// (which the browser also sends as Accept-Language); `t(key, ...values)` fills {0}, {1}.
"use strict";

const WORDS = {
  en: {
    skip: "Skip to the planner",
    subtitle: "— shared rounds planner",
    privacy: "Your file is sent only to this server; nothing else is loaded from the network.",
    load: "1. Load the problem",
    dropHelp: "Drop a native tournee JSON file here, or choose one:",
    chooseFile: "Choose a file…",
    demo: "Load the demo cooperative",
    settings: "2. Options and solve",
    timeLimit: "Time limit (seconds)",
    maxIterations: "Iteration cap (empty: none)",
    pooling: "Pooling statement (who pays what)",
    geometry: "Follow the roads on the map",
    apiKey: "API key (only if the server asks for one)",
    solve: "Solve",
    cancel: "Cancel",
    plan: "3. The plan",
    legend: "Legend",
    unassigned: "Tasks left out",
    fair: "4. Who pays what",
    csv: "Download as CSV",
    sheets: "5. Drivers' sheets",
    loaded: "Loaded {0}: {1} sites, {2} vehicles, {3} tasks.",
    notJson: "This file is not JSON: {0}",
    notNative: "This is not a native tournee request (it needs sites and vehicles).",
    submitting: "Sending the problem…",
    progress: "{0} — best cost {1}, {2} left out, elapsed {3} s",
    done: "Plan found: cost {0}, {1} vehicles, {2} km, {3} left out (stopped: {4}).",
    failed: "The solve failed: {0}",
    finished: "Finished after {0} s: the plan is below.",
    cancelled: "The solve was cancelled.",
    rejected: "The server refused the problem: {0}",
    network: "The server could not be reached: {0}",
    more: "…and {0} more",
    map: "Map of the tours",
    farm: "Farm",
    hub: "Hub",
    pickupPoint: "Pickup point",
    site: "Site",
    tour: "Vehicle {0}",
    roads: "Roads © OpenStreetMap contributors",
    straight: "Straight lines between stops (no road geometry in the answer).",
    sheetOf: "Sheet of {0}",
    print: "Print this sheet",
    printAll: "Print every sheet",
    stop: "#",
    arrival: "Arrival",
    window: "Window",
    place: "Place",
    todo: "What to do",
    loadAfter: "Load after",
    start: "Leave",
    end: "Return",
    reload: "Reload",
    pickupTask: "Load {0} for {1}",
    deliveryTask: "Unload {0} for {1}",
    jobTask: "Job {0} for {1}",
    anyTime: "any time",
    tourTotals: "{0} km, {1} driving, cost {2}",
    producer: "Producer",
    alone: "Alone",
    proportional: "Proportional",
    shapley: "Shapley",
    nucleolus: "Nucleolus",
    epm: "Equal profit",
    saving: "Saving (Shapley)",
    inCore: "In the core",
    total: "Total",
    pooledCost: "Pooled cost",
    fairSummary: "Alone: {0} ({1} km, {2} h, {3} kg CO2). Pooled: {4} ({5} km, {6} h, {7} kg CO2).",
    yes: "yes",
    no: "no",
    ruleFailed: "Rule {0}: {1} ({2})",
    bars: "Cost alone and Shapley share per producer",
  },
  fr: {
    skip: "Aller au planificateur",
    subtitle: "— planification des tournées partagées",
    privacy: "Votre fichier n'est envoyé qu'à ce serveur ; rien d'autre n'est chargé depuis le réseau.",
    load: "1. Charger le problème",
    dropHelp: "Déposez ici un fichier JSON tournee natif, ou choisissez-en un :",
    chooseFile: "Choisir un fichier…",
    demo: "Charger la coopérative de démonstration",
    settings: "2. Options et calcul",
    timeLimit: "Durée maximale (secondes)",
    maxIterations: "Plafond d'itérations (vide : aucun)",
    pooling: "Bilan de mutualisation (qui paie quoi)",
    geometry: "Suivre les routes sur la carte",
    apiKey: "Clé d'API (seulement si le serveur en demande une)",
    solve: "Calculer",
    cancel: "Annuler",
    plan: "3. Le plan",
    legend: "Légende",
    unassigned: "Tâches non servies",
    fair: "4. Qui paie quoi",
    csv: "Télécharger en CSV",
    sheets: "5. Feuilles de route",
    loaded: "{0} chargé : {1} sites, {2} véhicules, {3} tâches.",
    notJson: "Ce fichier n'est pas du JSON : {0}",
    notNative: "Ce n'est pas une requête tournee native (il faut des sites et des véhicules).",
    submitting: "Envoi du problème…",
    progress: "{0} — meilleur coût {1}, {2} non servies, écoulé {3} s",
    done: "Plan trouvé : coût {0}, {1} véhicules, {2} km, {3} non servies (arrêt : {4}).",
    failed: "Le calcul a échoué : {0}",
    finished: "Terminé en {0} s : le plan est ci-dessous.",
    cancelled: "Le calcul a été annulé.",
    rejected: "Le serveur a refusé le problème : {0}",
    network: "Le serveur est injoignable : {0}",
    more: "…et {0} de plus",
    map: "Carte des tournées",
    farm: "Ferme",
    hub: "Plateforme",
    pickupPoint: "Point de retrait",
    site: "Site",
    tour: "Véhicule {0}",
    roads: "Routes © les contributeurs d'OpenStreetMap",
    straight: "Lignes droites entre les arrêts (pas de tracé routier dans la réponse).",
    sheetOf: "Feuille de {0}",
    print: "Imprimer cette feuille",
    printAll: "Imprimer toutes les feuilles",
    stop: "n°",
    arrival: "Arrivée",
    window: "Créneau",
    place: "Lieu",
    todo: "À faire",
    loadAfter: "Charge après",
    start: "Départ",
    end: "Retour",
    reload: "Rechargement",
    pickupTask: "Charger {0} pour {1}",
    deliveryTask: "Décharger {0} pour {1}",
    jobTask: "Tâche {0} pour {1}",
    anyTime: "à toute heure",
    tourTotals: "{0} km, {1} de conduite, coût {2}",
    producer: "Producteur",
    alone: "Seul",
    proportional: "Proportionnel",
    shapley: "Shapley",
    nucleolus: "Nucléole",
    epm: "Profit égal",
    saving: "Économie (Shapley)",
    inCore: "Dans le cœur",
    total: "Total",
    pooledCost: "Coût mutualisé",
    fairSummary: "Seuls : {0} ({1} km, {2} h, {3} kg de CO2). Mutualisé : {4} ({5} km, {6} h, {7} kg de CO2).",
    yes: "oui",
    no: "non",
    ruleFailed: "Règle {0} : {1} ({2})",
    bars: "Coût seul et part de Shapley par producteur",
  },
};

const LANG = (navigator.language || "en").toLowerCase().startsWith("fr") ? "fr" : "en";

function t(key, ...values) {
  const text = WORDS[LANG][key] ?? WORDS.en[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (_, index) => String(values[Number(index)]));
}

function translatePage() {
  document.documentElement.lang = LANG;
  for (const element of document.querySelectorAll("[data-i18n]")) {
    element.textContent = t(element.dataset.i18n);
  }
}

// A number for people in the page's language, `digits` after the point.
function formatNumber(value, digits = 2) {
  return Number(value || 0).toLocaleString(LANG, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

// Seconds from the reference instant as H:MM (a day or more later as +Nd H:MM).
function clock(seconds) {
  const total = Math.round(Number(seconds || 0) / 60);
  const days = Math.floor(total / 1440);
  const minutes = total - days * 1440;
  const text = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, "0")}`;
  return days > 0 ? `+${days}d ${text}` : text;
}
