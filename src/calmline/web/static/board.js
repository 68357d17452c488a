// The live board: one card per live call, riskiest first, kept current by server-sent events.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const board = document.getElementById("board");
  const empty = document.getElementById("board-empty");
  const status = document.getElementById("board-status");
  const template = document.getElementById("card-template");
  const cards = new Map(); // call id -> {data, element, chart}

  function duration(s) {
    if (s === null || s === undefined) return "";
    const m = Math.floor(s / 60), r = Math.round(s % 60);
    return `${m}:${String(r).padStart(2, "0")}`;
  }
  function element(data) {
    let entry = cards.get(data.call_id);
    if (!entry) {
      const el = template.content.firstElementChild.cloneNode(true);
      el.dataset.call = data.call_id;
      entry = { element: el, chart: null };
      cards.set(data.call_id, entry);
    }
    entry.data = data;
    return entry;
  }
  function draw(entry) {
    const { element: el, data } = entry;
    el.querySelector(".agent").textContent = data.agent_id || "–";
    el.querySelector(".customer").textContent = data.customer_name || "customer";
    el.querySelector(".duration").textContent = `${duration(data.duration_s)} · ${data.turns} turns`;
    el.querySelector(".temp").textContent = `${Math.round(data.temperature)}°`;
    el.querySelector(".temp").style.color = calmline.tempColour(data.temperature);
    el.classList.toggle("hot", data.temperature >= 60);
    el.classList.toggle("warm", data.temperature >= 40 && data.temperature < 60);
    const badges = el.querySelector(".badges");
    badges.replaceChildren(...data.badges.map((b) => {
      const s = document.createElement("span"); s.className = `badge b-${b.code}`; s.textContent = b.text; return s;
    }));
    el.querySelector(".nudge").textContent = data.nudge ? `Nudge: ${data.nudge.text}` : "No nudge yet.";
    el.querySelector(".open").href = `/assist?call=${encodeURIComponent(data.call_id)}`;
    if (window.Chart) {
      const points = data.trend;
      if (!entry.chart) {
        entry.chart = new Chart(el.querySelector(".spark"), {
          type: "line", data: { labels: points.map((_, i) => i), datasets: [{ data: points, borderColor: "#2f6fdf", borderWidth: 2, pointRadius: 0, tension: 0.3 }] },
          options: { animation: false, responsive: false, plugins: { legend: { display: false }, tooltip: { enabled: false } },
                     scales: { x: { display: false }, y: { display: false, min: 0, max: 100 } } },
        });
      } else {
        entry.chart.data.labels = points.map((_, i) => i);
        entry.chart.data.datasets[0].data = points;
        entry.chart.update("none");
      }
    }
  }
  function order() {
    const sorted = [...cards.values()].sort((a, b) => b.data.risk - a.data.risk || a.data.call_id.localeCompare(b.data.call_id));
    board.replaceChildren(...(sorted.length ? sorted.map((e) => e.element) : [empty]));
    board.dataset.count = String(sorted.length);
  }
  function upsert(data) { const entry = element(data); draw(entry); }
  function drop(callId) { const e = cards.get(callId); if (e?.chart) e.chart.destroy(); cards.delete(callId); }

  const source = new EventSource(board.dataset.stream);
  source.addEventListener("open", () => { status.textContent = "live"; });
  source.addEventListener("error", () => { status.textContent = "reconnecting…"; });
  source.addEventListener("snapshot", (e) => {
    for (const id of [...cards.keys()]) drop(id);
    JSON.parse(e.data).forEach(upsert); order(); status.textContent = "live";
  });
  source.addEventListener("call", (e) => { upsert(JSON.parse(e.data)); order(); });
  source.addEventListener("ended", (e) => { drop(JSON.parse(e.data).call_id); order(); });
});
