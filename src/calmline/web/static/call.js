// The drill-down: a click on a highlight shows its detector and score; the temperature chart.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const detail = document.getElementById("signal-detail");
  const box = document.getElementById("transcript");
  function show(mark) {
    document.querySelectorAll("mark.hl.selected").forEach((m) => m.classList.remove("selected"));
    mark.classList.add("selected");
    const score = Number(mark.dataset.score);
    detail.innerHTML = "";
    const list = document.createElement("dl");
    for (const [name, value] of [["label", mark.dataset.label.replaceAll("_", " ")], ["detector", mark.dataset.detector],
      ["score", score.toFixed(2)], ["evidence", `“${mark.textContent}”`]]) {
      const dt = document.createElement("dt"); dt.textContent = name;
      const dd = document.createElement("dd"); dd.textContent = value; dd.dataset.field = name;
      list.append(dt, dd);
    }
    detail.append(list);
    const r = mark.getBoundingClientRect(), b = box.getBoundingClientRect();
    detail.style.left = `${Math.min(r.left - b.left, b.width - 260)}px`;
    detail.style.top = `${r.bottom - b.top + box.scrollTop + 6}px`;
    detail.hidden = false;
  }
  box.addEventListener("click", (e) => {
    const mark = e.target.closest("mark.hl");
    if (mark) show(mark); else detail.hidden = true;
  });
  box.addEventListener("keydown", (e) => { if (e.key === "Enter" && e.target.matches("mark.hl")) show(e.target); });

  const curve = calmline.readJson("curve-data");
  const canvas = document.getElementById("temperature-chart");
  if (!curve || !canvas || !window.Chart) return;
  const marker = (tone) => curve.markers.filter((m) => m.tone === tone).map((m) => ({ x: m.turn, y: m.temperature, label: m.label }));
  new Chart(canvas, {
    type: "line",
    data: { datasets: [
      { label: "temperature", data: curve.points.map((p) => ({ x: p.turn, y: p.temperature })), borderColor: "#2f6fdf",
        backgroundColor: "rgba(47,111,223,.08)", fill: true, tension: 0.25, pointRadius: 2 },
      { label: "good move", type: "scatter", data: marker("good"), backgroundColor: "#1c7a3e", pointRadius: 6, pointStyle: "triangle" },
      { label: "harmful move", type: "scatter", data: marker("harmful"), backgroundColor: "#b3261e", pointRadius: 6, pointStyle: "rectRot" },
    ] },
    options: { animation: false, maintainAspectRatio: false, parsing: true,
      scales: { x: { type: "linear", title: { display: true, text: "turn" }, ticks: { precision: 0 } },
                y: { min: 0, max: 100, title: { display: true, text: "temperature" } } },
      plugins: { tooltip: { callbacks: { label: (c) => c.raw.label ? `${c.dataset.label}: ${c.raw.label} (turn ${c.raw.x})` : `turn ${c.raw.x}: ${c.raw.y.toFixed(0)}` } } },
      onClick: (_e, items) => { if (items.length) document.getElementById(`turn-${items[0].element.$context.raw.x}`)?.scrollIntoView({ block: "center" }); } },
  });
});
