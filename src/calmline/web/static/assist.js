// The agent assist panel: temperature, one nudge at a time (held on screen long enough to
// read), and the playbook checklist, for the agent's live call.
"use strict";
const MIN_NUDGE_MS = 4000; // a nudge stays at least this long before the next replaces it
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("assist");
  const wanted = root.dataset.call || null;
  const me = root.dataset.agent || null;
  const $ = (id) => document.getElementById(id);
  let following = wanted;
  let shownAt = 0, shownKey = null, pending = null, timer = null;

  function nudgeKey(n) { return n ? `${n.technique_id}@${n.turn_index}` : null; }
  function showNudge(n) {
    shownKey = nudgeKey(n); shownAt = Date.now(); pending = null;
    $("assist-nudge").textContent = n.text;
    $("assist-phrasing").hidden = !n.phrasing;
    $("assist-phrasing").textContent = n.phrasing ? `“${n.phrasing.trim()}”` : "";
    $("assist-reason").textContent = n.reason;
    $("assist-nudge").dataset.technique = n.technique_id;
  }
  function offerNudge(n) {
    if (!n) { // all due moves made: clear the nudge once it has been read
      if (shownKey && Date.now() - shownAt >= MIN_NUDGE_MS && !pending) clearNudge();
      return;
    }
    if (nudgeKey(n) === shownKey) return;
    const wait = shownAt + MIN_NUDGE_MS - Date.now();
    if (wait <= 0) { showNudge(n); return; }
    pending = n; // only the newest waiting nudge is kept: no flood
    clearTimeout(timer);
    timer = setTimeout(() => pending && showNudge(pending), wait);
  }
  function clearNudge() {
    shownKey = null;
    $("assist-nudge").textContent = "No nudge — you're doing fine.";
    $("assist-phrasing").hidden = true; $("assist-reason").textContent = "";
  }
  function render(card) {
    $("assist-waiting").hidden = true; $("assist-live").hidden = false;
    $("assist-call").textContent = card.call_id;
    $("assist-customer").textContent = card.customer_name || "customer";
    const t = card.temperature;
    $("assist-temp").textContent = `${Math.round(t)}°`;
    $("assist-temp").style.color = calmline.tempColour(t);
    $("assist-meter").style.width = `${Math.max(0, Math.min(100, t))}%`;
    $("assist-trend").textContent = card.rising_fast ? "Rising fast — slow down, acknowledge." :
      `Peak ${Math.round(card.peak_temperature)}° · ${card.turns} turns`;
    $("assist-badges").replaceChildren(...card.badges.map((b) => {
      const s = document.createElement("span"); s.className = `badge b-${b.code}`; s.textContent = b.text; return s;
    }));
    $("assist-checklist").replaceChildren(...card.checklist.map((item) => {
      const li = document.createElement("li");
      li.className = item.made_at !== null ? "made" : item.due ? "due" : "open";
      li.dataset.technique = item.technique_id;
      li.textContent = item.name + (item.made_at !== null ? ` (turn ${item.made_at})` : item.due ? " — due now" : "");
      return li;
    }));
    root.dataset.turns = String(card.turns);
    offerNudge(card.nudge);
  }
  function accept(card) {
    if (!following) {
      if (me && card.agent_id !== me) return;
      following = card.call_id;
    }
    if (card.call_id === following) { $("assist-ended").hidden = true; render(card); }
  }
  const url = "/web/live/stream" + (wanted ? `?call=${encodeURIComponent(wanted)}` : "");
  const source = new EventSource(url);
  source.addEventListener("snapshot", (e) => JSON.parse(e.data).forEach(accept));
  source.addEventListener("call", (e) => accept(JSON.parse(e.data)));
  source.addEventListener("ended", (e) => {
    const id = JSON.parse(e.data).call_id;
    if (id === following) {
      $("assist-ended").hidden = false;
      root.dataset.ended = id;
      if (!wanted) following = null; // follow the agent's next call
    }
  });
});
