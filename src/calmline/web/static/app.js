// Shared helpers: mark the current page in the navigation, and a small chart theme.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const first = location.pathname.split("/")[1] || "";
  const names = { board: "board", assist: "assist", calls: "calls", agents: "agent", team: "team", playbook: "playbook" };
  const link = document.querySelector(`[data-nav="${names[first]}"]`);
  if (link) link.classList.add("active");
});
window.calmline = {
  tempColour(t) { return t >= 60 ? "#d93025" : t >= 40 ? "#e0a400" : "#4caf50"; },
  readJson(id) { const el = document.getElementById(id); return el ? JSON.parse(el.textContent) : null; },
};
