// The editor page: every language's cues beside the source, edited through the editor's API
// (the same QC as `captions check`), undo and redo, and Save. No framework; the server is local.
"use strict";
(function () {
  const token = new URLSearchParams(location.search).get("token") || "";
  const player = document.getElementById("player");
  const table = document.getElementById("cues");
  const status = document.getElementById("status");
  const state = { tracks: [], canUndo: false, canRedo: false, unsaved: [], pending: 0 };
  const timers = new Map(); // cue key -> the debounce timer of its typed lines
  const TYPE_DELAY = 250; // ms after the last key before a cue's lines are sent

  async function api(method, path, body) {
    state.pending += 1;
    try {
      const response = await fetch(path, {
        method, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = await response.json();
      if (!response.ok) { throw Object.assign(new Error(answer.error || response.statusText), { status: response.status }); }
      return answer;
    } finally { state.pending -= 1; }
  }
  function say(text, error) { status.textContent = text; status.classList.toggle("error", Boolean(error)); }
  function now() { return player ? player.currentTime : 0; }
  function track(lang) { return state.tracks.find((found) => found.lang === lang); }
  function cueOf(lang, id) { return track(lang).cues.find((cue) => cue.id === id); }
  function key(lang, id) { return `${lang}:${id}`; }
  function box(lang, id) { return table.querySelector(`.cue[data-key="${CSS.escape(key(lang, id))}"]`); }

  // ----------------------------------------------------------------- drawing

  function clock(seconds, fps) {
    const frames = Math.round(seconds * fps), nominal = Math.round(fps);
    const ff = frames % nominal, total = Math.floor(frames / nominal);
    const pad = (value) => String(value).padStart(2, "0");
    return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}:${pad(ff)}`;
  }
  // Rows of cues on screen together, every language in its column (as the review page groups them).
  function rows() {
    const every = [];
    state.tracks.forEach((found, lane) => found.cues.forEach((cue) => every.push([cue.start, cue.end, lane, cue])));
    every.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
    const grouped = [];
    let group = null, end = 0;
    every.forEach(([start, stop, lane, cue]) => {
      if (!group || start >= end) { group = { start, cells: state.tracks.map(() => []) }; grouped.push(group); end = stop; }
      group.cells[lane].push(cue);
      end = Math.max(end, stop);
    });
    return grouped;
  }
  function render(focus) {
    const head = `<thead><tr><th scope="col">Time</th>${state.tracks.map((found) =>
      `<th scope="col" lang="${found.lang}">${found.lang}${found.source ? " (source)" : ""} <small>${found.format}</small></th>`).join("")}</tr></thead>`;
    table.innerHTML = `${head}<tbody></tbody>`;
    const body = table.querySelector("tbody");
    rows().forEach((row) => {
      const tr = document.createElement("tr");
      const th = document.createElement("th");
      th.scope = "row";
      th.textContent = clock(row.start, state.tracks[0].fps);
      tr.appendChild(th);
      row.cells.forEach((cues, lane) => {
        const td = document.createElement("td");
        cues.forEach((cue) => td.appendChild(cueBox(state.tracks[lane], cue)));
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    refreshBar();
    if (focus) { place(focus.lang, focus.id, focus.caret); }
  }
  function cueBox(found, cue) {
    const element = document.createElement("div");
    element.className = "cue";
    element.dataset.key = key(found.lang, cue.id);
    element.dataset.lang = found.lang;
    element.dataset.id = String(cue.id);
    element.innerHTML = `<div class="times"><button type="button" class="seek" title="Play from here">play</button>
      <span class="in"></span> to <span class="out"></span>
      <button type="button" data-nudge="start" data-by="-1" title="In a frame earlier (Alt+[)">in −</button>
      <button type="button" data-nudge="start" data-by="1" title="In a frame later (Alt+])">in +</button>
      <button type="button" data-nudge="end" data-by="-1" title="Out a frame earlier (Shift+[)">out −</button>
      <button type="button" data-nudge="end" data-by="1" title="Out a frame later (Shift+])">out +</button>
      <button type="button" data-playhead="start" title="In at the playhead (Alt+I)">in ⟵ ▶</button>
      <button type="button" data-playhead="end" title="Out at the playhead (Alt+O)">out ⟵ ▶</button></div>
      <textarea spellcheck="true" aria-label="Lines of the ${found.lang} cue"></textarea>
      <p class="changed" hidden>source changed <button type="button" class="retranslate" hidden>re-translate cue</button></p>
      <ul class="issues"></ul>`;
    const text = element.querySelector("textarea");
    text.lang = found.lang;
    text.value = cue.lines.join("\n");
    text.rows = Math.max(2, cue.lines.length);
    fill(element, found, cue);
    return element;
  }
  // The parts of a cue's box that an edit changes, written without touching what is being typed.
  function fill(element, found, cue) {
    element.querySelector(".in").textContent = clock(cue.start, found.fps);
    element.querySelector(".out").textContent = clock(cue.end, found.fps);
    const list = element.querySelector(".issues");
    list.innerHTML = "";
    cue.issues.forEach((issue) => {
      const item = document.createElement("li");
      item.className = `issue ${issue.severity}`;
      item.dataset.rule = issue.rule;
      item.textContent = `${issue.rule} (${issue.severity}): ${issue.message}`;
      list.appendChild(item);
    });
    element.classList.toggle("has-issues", cue.issues.length > 0);
    const changed = element.querySelector(".changed");
    changed.hidden = !cue.source_changed;
    changed.querySelector(".retranslate").hidden = !found.retranslate;
  }
  function refreshBar() {
    const total = state.tracks.reduce((sum, found) => sum + found.cues.reduce((count, cue) => count + cue.issues.length, 0), 0);
    document.getElementById("issue-total").textContent = `${total} issues`;
    document.getElementById("undo").disabled = !state.canUndo;
    document.getElementById("redo").disabled = !state.canRedo;
    document.getElementById("unsaved").textContent = state.unsaved.length ? `unsaved: ${state.unsaved.join(", ")}` : "all saved";
  }
  function place(lang, id, caret) {
    const element = box(lang, id);
    if (!element) { return; }
    const text = element.querySelector("textarea");
    text.focus({ preventScroll: false });
    const at = Math.max(0, Math.min(caret === undefined ? 0 : caret, text.value.length));
    text.setSelectionRange(at, at);
    element.scrollIntoView({ block: "nearest" });
  }

  // ----------------------------------------------------------------- talking to the editor

  function take(whole) {
    state.tracks = whole.tracks;
    state.canUndo = whole.can_undo;
    state.canRedo = whole.can_redo;
    state.unsaved = whole.unsaved;
  }
  async function load(focus) {
    take(await api("GET", "/api/tracks"));
    render(focus);
  }
  // An edit's answer: the cue and its neighbours, their issues; translations marked "source changed".
  function merge(answer) {
    const found = track(answer.lang);
    answer.cues.forEach((cue) => {
      const at = found.cues.findIndex((known) => known.id === cue.id);
      if (at >= 0) { found.cues[at] = cue; }
      const element = box(answer.lang, cue.id);
      if (element) { fill(element, found, cue); }
    });
    Object.entries(answer.marked || {}).forEach(([lang, ids]) => {
      const other = track(lang);
      if (!other) { return; }
      other.cues.forEach((cue) => {
        cue.source_changed = ids.includes(cue.id);
        const element = box(lang, cue.id);
        if (element) { fill(element, other, cue); }
      });
    });
    state.canUndo = answer.can_undo;
    state.canRedo = answer.can_redo;
    if (!state.unsaved.includes(answer.lang)) { state.unsaved.push(answer.lang); }
    refreshBar();
  }
  async function edit(lang, id, change) {
    try { merge(await api("PATCH", `/api/tracks/${lang}/cues/${id}`, change)); say(""); } catch (error) { say(error.message, true); }
  }
  function typed(element) {
    const lang = element.dataset.lang, id = Number(element.dataset.id), name = element.dataset.key;
    clearTimeout(timers.get(name));
    timers.set(name, setTimeout(() => {
      timers.delete(name);
      edit(lang, id, { lines: element.querySelector("textarea").value.split("\n") });
    }, TYPE_DELAY));
  }
  async function flush() { // lines still waiting to be sent go first: an undo or save never loses them
    const waiting = Array.from(timers.keys());
    waiting.forEach((name) => clearTimeout(timers.get(name)));
    timers.clear();
    for (const name of waiting) {
      const element = table.querySelector(`.cue[data-key="${CSS.escape(name)}"]`);
      if (element) {
        await edit(element.dataset.lang, Number(element.dataset.id), { lines: element.querySelector("textarea").value.split("\n") });
      }
    }
  }
  async function nudge(element, which, frames) {
    await flush();
    const found = track(element.dataset.lang), cue = cueOf(found.lang, Number(element.dataset.id));
    await edit(found.lang, cue.id, { [which]: cue[which] + frames / found.fps });
  }
  async function atPlayhead(element, which) {
    await flush();
    await edit(element.dataset.lang, Number(element.dataset.id), { [which]: now() });
  }
  async function split(element) {
    await flush();
    const lang = element.dataset.lang, id = Number(element.dataset.id), cue = cueOf(lang, id);
    const caret = element.querySelector("textarea").selectionStart;
    const time = now() > cue.start && now() < cue.end ? now() : null;
    try {
      const answer = await api("POST", `/api/tracks/${lang}/cues/${id}/split`, { at: { char: caret, time } });
      await load({ lang, id: answer.new_id, caret: 0 });
      say("split");
    } catch (error) { say(error.message, true); }
  }
  async function joinPrevious(element) {
    await flush();
    const lang = element.dataset.lang, cues = track(lang).cues;
    const at = cues.findIndex((cue) => cue.id === Number(element.dataset.id));
    if (at <= 0) { return; }
    const previous = cues[at - 1], caret = previous.lines.join("\n").length + 1;
    try {
      await api("POST", `/api/tracks/${lang}/cues/${previous.id}/merge`, {});
      await load({ lang, id: previous.id, caret });
      say("merged");
    } catch (error) { say(error.message, true); }
  }
  async function history(which) {
    await flush();
    const focused = document.activeElement && document.activeElement.closest(".cue");
    try {
      take(await api("POST", `/api/${which}`, {}));
      const keep = focused && cueOf(focused.dataset.lang, Number(focused.dataset.id));
      render(keep ? { lang: focused.dataset.lang, id: keep.id } : null);
      say(which === "undo" ? "undone" : "redone");
    } catch (error) { say(error.message, true); }
  }
  async function save() {
    await flush();
    const formats = document.getElementById("formats").value.split(",").map((name) => name.trim()).filter(Boolean);
    try {
      const answer = await api("POST", "/api/save", { formats });
      state.unsaved = [];
      refreshBar();
      say(`saved: ${answer.saved.join(", ") || "nothing changed"}`);
    } catch (error) { say(error.message, true); }
  }
  async function retranslate(element) {
    await flush();
    try {
      const answer = await api("POST", `/api/tracks/${element.dataset.lang}/cues/${element.dataset.id}/retranslate`, {});
      merge(answer);
      const cue = cueOf(answer.lang, Number(element.dataset.id));
      element.querySelector("textarea").value = cue.lines.join("\n");
      say("re-translated");
    } catch (error) { say(error.message, true); }
  }
  // Every issue, in time order, from the focused cue on (round again at the end).
  function nextIssue() {
    const boxes = Array.from(table.querySelectorAll(".cue.has-issues"));
    if (!boxes.length) { say("no issues"); return; }
    const focused = document.activeElement && document.activeElement.closest(".cue");
    const at = focused ? boxes.indexOf(focused) : -1;
    const order = Array.from(table.querySelectorAll(".cue"));
    const after = boxes.find((element) => order.indexOf(element) > order.indexOf(focused));
    const target = at >= 0 ? boxes[(at + 1) % boxes.length] : after || boxes[0];
    place(target.dataset.lang, Number(target.dataset.id));
    const cue = cueOf(target.dataset.lang, Number(target.dataset.id));
    if (player) { player.currentTime = cue.start; }
  }

  // ----------------------------------------------------------------- keys and clicks

  table.addEventListener("input", (event) => {
    const element = event.target.closest(".cue");
    if (element && event.target.matches("textarea")) { typed(element); }
  });
  table.addEventListener("click", (event) => {
    const element = event.target.closest(".cue");
    if (!element) { return; }
    const button = event.target.closest("button");
    if (!button) { return; }
    if (button.dataset.nudge) { nudge(element, button.dataset.nudge, Number(button.dataset.by)); }
    if (button.dataset.playhead) { atPlayhead(element, button.dataset.playhead); }
    if (button.classList.contains("seek") && player) { player.currentTime = cueOf(element.dataset.lang, Number(element.dataset.id)).start; player.play(); }
    if (button.classList.contains("retranslate")) { retranslate(element); }
  });
  table.addEventListener("keydown", (event) => {
    const element = event.target.closest(".cue");
    if (!element || !event.target.matches("textarea")) { return; }
    const text = event.target;
    if (event.key === "Enter" && !event.shiftKey && !event.altKey && !event.ctrlKey) {
      event.preventDefault();
      split(element);
    } else if (event.key === "Backspace" && text.selectionStart === 0 && text.selectionEnd === 0) {
      event.preventDefault();
      joinPrevious(element);
    } else if ((event.code === "BracketLeft" || event.code === "BracketRight") && (event.altKey || event.shiftKey)) {
      event.preventDefault();
      nudge(element, event.altKey ? "start" : "end", event.code === "BracketLeft" ? -1 : 1);
    } else if (event.altKey && (event.code === "KeyI" || event.code === "KeyO")) {
      event.preventDefault();
      atPlayhead(element, event.code === "KeyI" ? "start" : "end");
    }
  });
  document.addEventListener("keydown", (event) => {
    const typing = event.target.matches && event.target.matches("textarea, input, select");
    if ((event.ctrlKey || event.metaKey) && event.code === "KeyZ") { event.preventDefault(); history(event.shiftKey ? "redo" : "undo"); return; }
    if ((event.ctrlKey || event.metaKey) && event.code === "KeyY") { event.preventDefault(); history("redo"); return; }
    if ((event.ctrlKey || event.metaKey) && event.code === "KeyS") { event.preventDefault(); save(); return; }
    if (typing && !event.altKey) { return; }
    const actions = {
      KeyJ: () => { if (player) { player.currentTime = Math.max(0, now() - 2); player.play(); } },
      KeyK: () => { if (player) { if (player.paused) { player.play(); } else { player.pause(); } } },
      KeyL: () => { if (player) { player.play(); } },
      KeyN: () => nextIssue(),
    };
    if (actions[event.code] && !event.ctrlKey && !event.metaKey) { event.preventDefault(); actions[event.code](); }
  });
  document.getElementById("undo").addEventListener("click", () => history("undo"));
  document.getElementById("redo").addEventListener("click", () => history("redo"));
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("next-issue").addEventListener("click", nextIssue);
  window.addEventListener("beforeunload", (event) => { if (state.unsaved.length || timers.size) { event.preventDefault(); } });

  // The cue on screen, highlighted as the media plays.
  if (player) {
    player.addEventListener("timeupdate", () => {
      const time = now();
      table.querySelectorAll(".cue").forEach((element) => {
        const cue = cueOf(element.dataset.lang, Number(element.dataset.id));
        element.classList.toggle("current", Boolean(cue) && cue.start <= time && time < cue.end);
      });
    });
  }

  // Programmes of a run report, worst QC first: open another (unsaved edits are kept unless discarded).
  const chooser = document.getElementById("programme");
  async function programmes() {
    const listed = await api("GET", "/api/programmes");
    chooser.hidden = listed.programmes.length < 2;
    chooser.innerHTML = listed.programmes.map((programme, index) =>
      `<option value="${index}"${index === listed.current ? " selected" : ""}></option>`).join("");
    Array.from(chooser.options).forEach((option, index) => {
      const programme = listed.programmes[index];
      option.textContent = `${programme.title} (${programme.issues} issues)`;
    });
  }
  chooser.addEventListener("change", async () => {
    await flush();
    const index = Number(chooser.value);
    try {
      take(await api("POST", "/api/open", { index }));
    } catch (error) {
      if (error.status !== 409 || !window.confirm(`${error.message}. Discard them?`)) { say(error.message, true); await programmes(); return; }
      take(await api("POST", "/api/open", { index, discard: true }));
    }
    if (player) { player.load(); }
    render(null);
    say("");
  });

  load(null).then(programmes).catch((error) => say(error.message, true));
  // For tests and for anyone scripting the page.
  window.captionsEditor = { state, api, load, flush, busy: () => state.pending > 0 || timers.size > 0 };
})();
