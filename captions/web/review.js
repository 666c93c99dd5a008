// The review page's behaviour: tracks into the player, the current cue highlighted, seeking,
// keyboard navigation, issue filters and the timeline. No framework, no network.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const player = document.getElementById("player");
  const rows = Array.from(document.querySelectorAll("#cues tbody tr"));
  const rowStarts = rows.map((row) => Number(row.dataset.start));
  const rowEnds = rows.map((row) => Number(row.dataset.end));
  const cueStarts = Array.from(new Set(rowStarts.concat(
    Array.from(document.querySelectorAll("#cues .cue")).map((cue) => Number(cue.dataset.start))))).sort((a, b) => a - b);
  const LANE_COLOURS = ["#1f5fbf", "#2e7d32", "#6a1b9a", "#8d4a00", "#00695c", "#ad1457"];
  const SEVERITY_COLOURS = { error: "#a4001d", warning: "#b26a00" };
  const DETAIL_SECONDS = 30;
  const SLACK = 0.001; // a media element reports a sought time to within a frame's rounding, not exactly
  let cursor = 0; // the play position when there is no player
  let currentRow = -1;
  let drawQueued = false;

  function now() { return player ? player.currentTime : cursor; }

  function seek(seconds) {
    const time = Math.max(0, Math.min(seconds, data.duration));
    if (player) { player.currentTime = time; }
    cursor = time;
    update(true);
  }

  // The last row starting at or before the time (-1 before the first).
  function rowAt(time) {
    let low = 0, high = rowStarts.length - 1, found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (rowStarts[middle] <= time + SLACK) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    return found;
  }

  function update(scroll) {
    const time = now();
    const index = rowAt(time);
    const inside = index >= 0 && time < rowEnds[index] ? index : -1;
    if (inside !== currentRow) {
      if (currentRow >= 0) { rows[currentRow].classList.remove("current"); }
      if (inside >= 0) { rows[inside].classList.add("current"); }
      currentRow = inside;
    }
    document.querySelectorAll("#cues .cue.current").forEach((cue) => cue.classList.remove("current"));
    if (index >= 0) {
      rows[index].querySelectorAll(".cue").forEach((cue) => {
        const track = data.tracks[Number(cue.dataset.lang)];
        const span = track.cues[Number(cue.dataset.index)];
        if (span[0] <= time + SLACK && time < span[1]) { cue.classList.add("current"); }
      });
      if (scroll || (player && !player.paused)) { reveal(rows[index]); }
    }
    queueDraw();
  }

  // The player and timeline stay on top (sticky): a row is shown below them, never under them.
  const stuck = document.querySelector(".player");
  function stickyHeight() { return stuck.getBoundingClientRect().height; }
  function reveal(row) {
    const box = row.getBoundingClientRect(), top = stickyHeight() + 40; // and the table's own header
    if (box.top < top) { window.scrollBy(0, box.top - top); } else if (box.bottom > window.innerHeight) {
      window.scrollBy(0, Math.min(box.bottom - window.innerHeight, box.top - top));
    }
  }
  function placeHeader() { document.documentElement.style.setProperty("--sticky", `${stickyHeight()}px`); }
  window.addEventListener("resize", placeHeader);
  if (player) { player.addEventListener("loadedmetadata", placeHeader); }

  // Tracks: each language's WebVTT (written by captions) into its <track>, from a blob: no file access.
  if (player) {
    const elements = player.querySelectorAll("track");
    elements.forEach((element, index) => {
      element.src = URL.createObjectURL(new Blob([data.tracks[index].vtt], { type: "text/vtt" }));
    });
    Array.from(player.textTracks).forEach((track, index) => { track.mode = index ? "hidden" : "showing"; });
    player.addEventListener("timeupdate", () => update(false));
    player.addEventListener("seeked", () => update(false));
  }

  // Seeking from the table.
  document.getElementById("cues").addEventListener("click", (event) => {
    const cue = event.target.closest(".cue");
    if (cue) { seek(Number(cue.dataset.start)); }
  });

  // Filters: by rule, by severity, and rows without a shown issue hidden when any filter is on.
  const ruleSelect = document.getElementById("rule");
  const severitySelect = document.getElementById("severity");
  const onlyIssues = document.getElementById("only-issues");
  function filter() {
    const rule = ruleSelect.value, severity = severitySelect.value;
    const narrowing = Boolean(rule || severity || onlyIssues.checked);
    let issues = 0, shownRows = 0;
    rows.forEach((row) => {
      let kept = 0;
      row.querySelectorAll(".issue").forEach((issue) => {
        const match = (!rule || issue.dataset.rule === rule) && (!severity || issue.dataset.severity === severity);
        issue.hidden = !match;
        kept += match ? 1 : 0;
      });
      issues += kept;
      row.hidden = narrowing && kept === 0;
      shownRows += row.hidden ? 0 : 1;
    });
    document.getElementById("shown").textContent = `${issues} issues shown, ${shownRows} of ${rows.length} rows`;
    queueDraw();
  }
  [ruleSelect, severitySelect, onlyIssues].forEach((control) => control.addEventListener("change", filter));

  // Navigation: next/previous cue start, next/previous shown row with a shown issue.
  function step(direction) {
    const time = now();
    const target = direction > 0 ? cueStarts.find((start) => start > time + SLACK)
      : cueStarts.filter((start) => start < time - SLACK).pop();
    if (target !== undefined) { seek(target); focusRow(rowAt(target)); }
  }
  // Every cue with a shown issue, in time order: a row can hold several cues of one language (a
  // Japanese track cut finer than the English), and each of them is visited.
  function nextIssue(direction) {
    const time = now();
    const starts = Array.from(document.querySelectorAll("#cues .cue"))
      .filter((cue) => !cue.closest("tr").hidden && Array.from(cue.querySelectorAll(".issue")).some((issue) => !issue.hidden))
      .map((cue) => Number(cue.dataset.start)).sort((a, b) => a - b);
    const target = direction > 0 ? starts.find((start) => start > time + SLACK)
      : starts.filter((start) => start < time - SLACK).pop();
    if (target !== undefined) { seek(target); focusRow(rowAt(target)); }
  }
  function focusRow(index) {
    const button = index >= 0 ? rows[index].querySelector(".seek") : null;
    if (button) { button.focus({ preventScroll: true }); }
  }
  document.getElementById("next-cue").addEventListener("click", () => step(1));
  document.getElementById("previous-cue").addEventListener("click", () => step(-1));
  document.getElementById("next-issue").addEventListener("click", () => nextIssue(1));
  // The timeline folds away, leaving the sticky player its picture and the table more room.
  const timelineBox = document.getElementById("timeline");
  const toggle = document.getElementById("toggle-timeline");
  function showTimeline(shown) {
    timelineBox.hidden = !shown;
    toggle.setAttribute("aria-expanded", String(shown));
    toggle.textContent = shown ? "Hide timeline" : "Show timeline";
    placeHeader();
    if (shown) { queueDraw(); }
  }
  toggle.addEventListener("click", () => showTimeline(timelineBox.hidden));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.target.closest("select, input, textarea")) { return; }
    const actions = { j: () => step(1), k: () => step(-1), n: () => nextIssue(1), N: () => nextIssue(-1),
      t: () => showTimeline(timelineBox.hidden) };
    if (actions[event.key]) { event.preventDefault(); actions[event.key](); }
  });

  // The timeline: speech, a lane of cue bars per language with issue marks, doubtful stretches shaded.
  const WAVE = 36, LANE = 18, MARK = 5;
  function layout(canvas, from, until) {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.round((WAVE + data.tracks.length * LANE + 4) * ratio);
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    canvas.style.height = `${height / ratio}px`;
    const scale = width / Math.max(until - from, 1e-3);
    return { ratio, width, height, from, until, x: (time) => (time - from) * scale, time: (x) => from + x / scale,
      laneTop: (lane) => (WAVE + lane * LANE) * ratio, laneHeight: (LANE - 6) * ratio };
  }
  function shownIssues(lane) {
    const rule = ruleSelect.value, severity = severitySelect.value;
    return data.tracks[lane].issues.filter((issue) => (!rule || issue[2] === rule) && (!severity || issue[1] === severity));
  }
  // What does not move (speech, bars, marks) is drawn once per size and filter into a backing
  // canvas; each play position then only copies it and adds the play head.
  function draw(canvas, from, until) {
    const view = layout(canvas, from, until);
    const key = [view.width, view.height, from, until, ruleSelect.value, severitySelect.value].join();
    if (!canvas.backing || canvas.backing.key !== key) {
      const backing = document.createElement("canvas");
      backing.width = view.width;
      backing.height = view.height;
      drawStill(backing.getContext("2d"), view, from, until);
      backing.key = key;
      canvas.backing = backing;
    }
    const context = canvas.getContext("2d");
    context.drawImage(canvas.backing, 0, 0);
    context.fillStyle = "#d00000";
    context.fillRect(view.x(now()) - view.ratio, 0, 2 * view.ratio, view.height);
    canvas.view = view;
  }
  function drawStill(context, view, from, until) {
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, view.width, view.height);
    const wave = data.waveform;
    if (wave && wave.values.length) {
      context.fillStyle = "#5f6368";
      const middle = (WAVE / 2) * view.ratio, reach = (WAVE / 2 - 2) * view.ratio;
      const first = Math.max(0, Math.floor(from / wave.step)), last = Math.min(wave.values.length, Math.ceil(until / wave.step));
      for (let index = first; index < last; index++) {
        const left = view.x(index * wave.step), size = Math.max(1, view.x((index + 1) * wave.step) - left);
        const half = (wave.values[index] / 100) * reach;
        context.fillRect(left, middle - half, size, Math.max(1, 2 * half));
      }
    }
    context.fillStyle = "#000000";
    data.shots.forEach((cut) => {
      if (cut >= from && cut < until) { context.fillRect(Math.floor(view.x(cut)), 0, Math.max(1, Math.round(view.ratio)), WAVE * view.ratio); }
    });
    data.tracks.forEach((track, lane) => {
      const top = view.laneTop(lane);
      context.fillStyle = "rgba(120, 120, 120, 0.35)";
      track.doubtful.forEach(([start, end]) => {
        if (end > from && start < until) { context.fillRect(view.x(start), 0, view.x(end) - view.x(start), view.height); }
      });
      context.fillStyle = LANE_COLOURS[lane % LANE_COLOURS.length];
      track.cues.forEach(([start, end]) => {
        if (end > from && start < until) {
          context.fillRect(view.x(start), top + MARK * view.ratio, Math.max(1, view.x(end) - view.x(start)), view.laneHeight);
        }
      });
      shownIssues(lane).forEach(([cue, severity]) => {
        const [start] = track.cues[cue];
        if (start >= from && start < until) {
          context.fillStyle = SEVERITY_COLOURS[severity] || SEVERITY_COLOURS.warning;
          context.fillRect(view.x(start), top, 3 * view.ratio, MARK * view.ratio);
        }
      });
    });
  }
  const overview = document.getElementById("overview");
  const detail = document.getElementById("detail");
  function detailWindow() {
    const start = Math.max(0, Math.min(now() - DETAIL_SECONDS / 2, data.duration - DETAIL_SECONDS));
    return [start, start + DETAIL_SECONDS];
  }
  function drawAll() {
    drawQueued = false;
    draw(overview, 0, Math.max(data.duration, 1e-3));
    const [from, until] = detailWindow();
    draw(detail, from, until);
  }
  function queueDraw() {
    if (!drawQueued) { drawQueued = true; requestAnimationFrame(drawAll); }
  }
  [overview, detail].forEach((canvas) => canvas.addEventListener("click", (event) => {
    const bounds = canvas.getBoundingClientRect();
    seek(canvas.view.time((event.clientX - bounds.left) * canvas.view.ratio));
  }));
  window.addEventListener("resize", queueDraw);

  filter();
  drawAll();
  placeHeader();
  // For tests and for anyone scripting the page: where things are, and how to move.
  window.captionsReview = { data, seek, now, rows, draw: drawAll, overview, detail };
})();
