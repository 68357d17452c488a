// The agent page's and the team page's charts.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  if (!window.Chart) return;
  const base = { animation: false, maintainAspectRatio: false };
  const scores = calmline.readJson("score-data");
  if (scores) {
    new Chart(document.getElementById("score-chart"), {
      type: "line",
      data: { labels: scores.map((p) => p[0].slice(0, 10)),
              datasets: [{ label: "score", data: scores.map((p) => p[1]), borderColor: "#2f6fdf", tension: 0.2, pointRadius: 2 }] },
      options: { ...base, scales: { y: { min: 0, max: 100 } }, plugins: { legend: { display: false } } },
    });
  }
  const hits = calmline.readJson("hits-data");
  if (hits) {
    const pct = (v) => (v === null ? null : Math.round(v * 100));
    new Chart(document.getElementById("hits-chart"), {
      type: "bar",
      data: { labels: hits.map((h) => h.name), datasets: [
        { label: "this agent", data: hits.map((h) => pct(h.agent)), backgroundColor: "#2f6fdf" },
        { label: "team", data: hits.map((h) => pct(h.team)), backgroundColor: "#b9c6de" }] },
      options: { ...base, indexAxis: "y", scales: { y: { ticks: { autoSkip: false } }, x: { min: 0, max: 100, title: { display: true, text: "% of calls that expected it" } } } },
    });
  }
  const team = calmline.readJson("team-data");
  if (team) {
    new Chart(document.getElementById("perday-chart"), {
      type: "bar", data: { labels: team.per_day.map((d) => d[0]), datasets: [{ label: "calls", data: team.per_day.map((d) => d[1]), backgroundColor: "#2f6fdf" }] },
      options: { ...base, plugins: { legend: { display: false } }, scales: { y: { ticks: { precision: 0 } } } },
    });
    new Chart(document.getElementById("histogram-chart"), {
      type: "bar", data: { labels: team.histogram.map((d) => d[0]), datasets: [{ label: "calls", data: team.histogram.map((d) => d[1]), backgroundColor: "#7c9ad6" }] },
      options: { ...base, plugins: { legend: { display: false } },
                 scales: { x: { title: { display: true, text: "score" } }, y: { ticks: { precision: 0 } } } },
    });
  }
});
