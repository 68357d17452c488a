// The practice pages: a smooth chat (the forms work without it), the gauge toggle, and the
// debrief's temper chart.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  document.querySelector('[data-nav="practice"]')?.classList.add("active");
  setUpChat();
  setUpGauge();
  drawTemperCurve();
});

function post(url, fields) {
  return fetch(url, { method: "POST", body: new URLSearchParams(fields), credentials: "same-origin",
                      headers: { Accept: "application/json" } });
}

function bubble(speaker, who, text) {
  const item = document.createElement("li");
  item.className = `bubble ${speaker}`;
  const name = document.createElement("span"); name.className = "who"; name.textContent = who;
  const said = document.createElement("p"); said.textContent = text;
  item.append(name, said);
  document.getElementById("chat").append(item);
  item.scrollIntoView({ block: "end" });
}

function setUpChat() {
  const form = document.getElementById("composer");
  if (!form) return;
  const box = form.querySelector("textarea"), error = document.getElementById("practice-error");
  const customer = document.querySelector(".bubble.customer .who")?.textContent || "Customer";
  const showError = (message) => { error.textContent = message; error.hidden = !message; };
  box.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(document.getElementById("send")); }
  });
  form.addEventListener("submit", async (e) => {
    const action = e.submitter?.getAttribute("formaction") || form.getAttribute("action");
    if (e.submitter?.id === "end-call") return;  // a plain post: on to the debrief
    e.preventDefault();
    const fields = { text: box.value, turn: form.elements.turn.value };
    form.classList.add("busy");
    form.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      const answer = await post(action, fields);
      const type = answer.headers.get("content-type") || "";
      if (!type.includes("application/json")) { form.submit(); return; }
      const body = await answer.json();
      if (!answer.ok) { showError(body.error); return; }
      showError("");
      if (body.hints) {
        if (!body.hints.length) showError("No new hint since the last one: try what it says.");
        body.hints.forEach((h) => bubble("hint", "Hint", h));
        return;
      }
      bubble("trainee", "You", body.you);
      bubble("customer", customer, body.customer);
      box.value = "";
      form.elements.turn.value = body.turn;
      setTemper(body.temper);
      if (body.finished) endCall(form, body);
    } catch (_problem) {
      showError("The server could not be reached; your reply is kept — try again.");
    } finally {
      form.classList.remove("busy");
      form.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      box.focus();
    }
  });
}

function endCall(form, body) {
  const ended = document.createElement("p");
  ended.className = "ended"; ended.id = "call-ended";
  ended.append("Call ended: ");
  const outcome = document.createElement("strong"); outcome.textContent = body.outcome_name;
  const link = document.createElement("a"); link.href = body.debrief; link.textContent = "See the debrief";
  ended.append(outcome, ". ", link);
  form.replaceWith(ended);
  link.focus();
}

function setTemper(temper) {
  const value = document.getElementById("temper-value"), bar = document.getElementById("temper-bar");
  if (value) value.textContent = Math.round(temper);
  if (bar) { bar.style.width = `${Math.round(temper)}%`; }
}

function setUpGauge() {
  const form = document.getElementById("gauge-form");
  if (!form) return;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const card = document.getElementById("temper-card"), show = form.elements.show.value;
    const answer = await post(form.action, { show });
    if (!answer.ok) { form.submit(); return; }
    card.classList.toggle("gauge-hidden", show !== "1");
    form.elements.show.value = show === "1" ? "0" : "1";
    document.getElementById("gauge-toggle").textContent = show === "1" ? "Hide the gauge" : "Show the gauge";
  });
}

function drawTemperCurve() {
  const steps = window.calmline?.readJson("temper-data");
  const canvas = document.getElementById("temper-chart");
  if (!steps || !canvas || !window.Chart) return;
  new Chart(canvas, {
    type: "line",
    data: { datasets: [{ label: "temper", data: steps.map((s) => ({ x: s.turn, y: s.temper, step: s })),
      borderColor: "#2f6fdf", backgroundColor: "rgba(47,111,223,.08)", fill: true, tension: 0.2,
      pointRadius: 5, pointBackgroundColor: steps.map((s) => window.calmline.tempColour(s.temper)) }] },
    options: { animation: false, maintainAspectRatio: false,
      scales: { x: { type: "linear", title: { display: true, text: "your turn" }, ticks: { precision: 0 } },
                y: { min: 0, max: 100, title: { display: true, text: "temper" } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: {
        title: (items) => `turn ${items[0].raw.x}: temper ${Math.round(items[0].raw.y)}`,
        label: (c) => [c.raw.step.said.slice(0, 70), ...c.raw.step.moves.map((m) => m.slice(0, 90))] } } } },
  });
}
