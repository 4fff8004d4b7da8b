/* Stormdraft studio: the little the board needs beyond htmx — live refresh, keys, drag and
   drop, filters, zoom, focus and tabs. No third-party code. */
(function () {
  "use strict";

  var ownRevisions = new Set();
  var refreshTimer = null;

  function live() { return document.querySelector(".studio-live"); }
  function designId() { var l = live(); return l && l.dataset.design; }

  document.addEventListener("DOMContentLoaded", function () {
    if (window.htmx) {
      // Answers to refused edits (409, 422, 404) carry a fragment that says why: show it.
      htmx.config.responseHandling = [
        { code: "204", swap: false },
        { code: "[23]..", swap: true },
        { code: "4..", swap: true, error: false },
        { code: "...", swap: false, error: true }
      ];
    }
    setUpTabs();
    setUpZoom();
    setUpFilters();
    setUpDragAndDrop();
    setUpTextView();
    setUpAddForm();
  });

  /* ---- the add form asks for what a kind needs (a policy's event and command, say) ---- */
  function setUpAddForm() {
    var kind = document.getElementById("add-kind");
    if (!kind) { return; }
    function show() {
      document.querySelectorAll("[data-for-kinds]").forEach(function (field) {
        var on = field.dataset.forKinds.split(" ").indexOf(kind.value) !== -1;
        field.hidden = !on;
        field.querySelectorAll("input, select").forEach(function (input) { input.disabled = !on; });
      });
    }
    kind.addEventListener("change", show);
    show();
  }

  /* ---- revisions: our own edits versus other people's ---- */
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr) { return; }
    var revision = xhr.getResponseHeader("X-Design-Revision");
    if (revision && event.detail.requestConfig && event.detail.requestConfig.verb !== "get") {
      ownRevisions.add(Number(revision));
      document.body.dispatchEvent(new CustomEvent("design-changed"));
    }
  });

  // Forms marked data-clear-on-success="name" empty their name field once saved; "all" resets
  // the whole form and closes the menu it sits in.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status >= 300 || !form || !form.dataset || !form.dataset.clearOnSuccess) { return; }
    if (form.dataset.clearOnSuccess === "all") {
      form.reset();
      var menu = form.closest("details");
      if (menu) { menu.open = false; }
    } else {
      var field = form.querySelector("[name=" + form.dataset.clearOnSuccess + "]");
      if (field) { field.value = ""; }
    }
  });

  // A finished review moved a sticky's marker: draw the lanes again.
  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    if (!event.target || event.target.id !== "live-review") { return; }
    event.preventDefault();
    var view = live() && live().dataset.view;
    if (view === "board") { scheduleBoardRefresh(); }
  });

  // The owner revoked the link this page came through: the stream says so once, then closes.
  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    if (!event.target || event.target.id !== "live-access") { return; }
    event.preventDefault();
    window.location.reload();
  });

  // The live stream's `change` events land on #live-changes; handled here, never swapped in.
  document.addEventListener("htmx:sseBeforeMessage", function (event) {
    if (!event.target || event.target.id !== "live-changes") { return; }
    event.preventDefault();
    var message = event.detail;
    if (!message) { return; }
    // Our own change can be announced before its answer arrives: look a moment later.
    window.setTimeout(function () { heardChange(message); }, 150);
  });

  function heardChange(message) {
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    if (ownRevisions.has(data.revision)) { return; }
    var view = live() && live().dataset.view;
    if (view === "board") {
      scheduleBoardRefresh();
      var open = document.querySelector("#inspector .inspector");
      if (open && data.element === open.dataset.element) {
        showFlash((data.actor || "Someone") + " changed this sticky. ", open.dataset.element);
      }
    } else if (view === "text") {
      var loaded = document.querySelector("#editor [name=loaded_revision]");
      if (!loaded || data.revision > Number(loaded.value)) { textChangedElsewhere(); }
    } else if (view === "history") {
      window.setTimeout(function () { window.location.reload(); }, 200);
    }
    document.body.dispatchEvent(new CustomEvent("design-changed"));
  }

  function scheduleBoardRefresh() {
    if (refreshTimer) { return; }
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      // Keep the keyboard where it was: the swap replaces the sticky that had focus.
      var focused = document.activeElement;
      var sticky = focused && focused.closest && focused.closest("#lanes [data-id]");
      var id = sticky && sticky.dataset.id;
      htmx.ajax("GET", "/designs/" + designId() + "/lanes", { target: "#lanes", swap: "innerHTML" })
        .then(function () {
          if (!id || (document.activeElement && document.activeElement !== document.body)) { return; }
          var again = document.querySelector('#lanes [data-id="' + CSS.escape(id) + '"] .sticky__open');
          if (again) { again.focus(); }
        });
    }, 120);
  }

  function showFlash(text, elementId) {
    var flash = document.getElementById("flash");
    if (!flash) { return; }
    flash.textContent = "";
    var box = document.createElement("div");
    box.className = "flash flash--conflict";
    box.setAttribute("role", "status");
    box.appendChild(document.createTextNode(text));
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--small";
    button.textContent = "Show its current value";
    button.addEventListener("click", function () {
      htmx.ajax("GET", "/designs/" + designId() + "/elements/" + elementId, { target: "#inspector", swap: "innerHTML" });
      flash.textContent = "";
    });
    box.appendChild(button);
    flash.appendChild(box);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) { return; }
    if (target.id === "lanes" || target.closest && target.closest("#lanes") || target.classList.contains("lane")) {
      applyFilters();
    }
    if (target.id === "inspector") { fillLaneSelects(); showTab("details"); showChosenParts(target); bringOpenStepIntoView(target); }
    if (target.id === "editor") { syncGutter(); }
  });

  /* ---- forms that show only the fields of what is chosen: a new step's kind, a custom retry.
     Hidden fields are disabled, so they are not sent; without this script every field shows
     and the server reads those of the chosen kind. ---- */
  function showChosenParts(root) {
    root.querySelectorAll("[data-shown-when]").forEach(function (part) {
      var rule = part.dataset.shownWhen.split("=");
      var chooser = part.closest("form") && part.closest("form").elements[rule[0]];
      if (!chooser) { return; }
      var on = rule[1].split(" ").indexOf(chooser.value) !== -1;
      part.hidden = !on;
      part.querySelectorAll("input, select, textarea").forEach(function (field) { field.disabled = !on; });
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.querySelector("[data-shown-when]")) { showChosenParts(form); }
  });
  document.addEventListener("DOMContentLoaded", function () { showChosenParts(document); });

  // After a workflow step was added, changed or moved, its outline entry opens where it now is.
  function bringOpenStepIntoView(root) {
    var open = root.querySelector("[data-scroll-into-view]");
    var head = open && (open.querySelector(".wf-refusal") || open.querySelector("summary") || open);
    if (head) { head.scrollIntoView({ block: "nearest" }); }
  }
  document.addEventListener("htmx:oobAfterSwap", function () { applyFilters(); });

  function fillLaneSelects() {
    var source = document.getElementById("add-lane");
    var article = document.querySelector("#inspector .inspector");
    document.querySelectorAll("[data-lanes-select]").forEach(function (select) {
      if (!source) { return; }
      select.textContent = "";
      Array.prototype.forEach.call(source.options, function (option) {
        var copy = new Option(option.textContent, option.value);
        if (article && option.value === article.dataset.lane) { copy.selected = true; }
        select.appendChild(copy);
      });
    });
  }

  /* ---- side panel tabs ---- */
  function setUpTabs() {
    var tabs = document.querySelectorAll(".side [role=tab]");
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () { showTab(tab.id.replace("tab-", "")); });
      tab.addEventListener("keydown", function (event) {
        if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") { return; }
        var list = Array.prototype.slice.call(tabs);
        var next = list[(list.indexOf(tab) + (event.key === "ArrowRight" ? 1 : list.length - 1)) % list.length];
        showTab(next.id.replace("tab-", ""));
        next.focus();
      });
    });
  }

  function showTab(name) {
    var tabs = document.querySelectorAll(".side [role=tab]");
    if (!tabs.length) { return; }
    tabs.forEach(function (tab) {
      var on = tab.id === "tab-" + name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    });
    if (name === "previews") { refreshPreview(0); }
  }

  document.addEventListener("click", function (event) {
    var shower = event.target.closest("[data-show-tab]");
    if (shower) { showTab(shower.dataset.showTab); }
    var focus = event.target.closest("[data-focus]");
    if (focus) { focusOn(focus.dataset.focus, focus.dataset.focusName); }
    if (event.target.id === "focus-clear") { focusOn(null); }
    var select = event.target.closest("[data-select]");
    if (select) { selectSticky(select.dataset.select); }
  });

  // A review finding selects its sticky: shown (filters cleared when they hide it) and scrolled to.
  function selectSticky(id) {
    var sticky = document.getElementById("s-" + id);
    if (!sticky) { return; }
    if (sticky.hidden || (sticky.closest(".lane") && sticky.closest(".lane").hidden)) { focusOn(null); }
    document.querySelectorAll(".sticky.is-selected").forEach(function (s) { s.classList.remove("is-selected"); });
    sticky.classList.add("is-selected");
    sticky.scrollIntoView({ block: "nearest", inline: "center" });
  }

  // The open preview tab follows the design, a moment after each change.
  var previewTimer = null;
  var previewStale = true;
  function refreshPreview(delay) {
    var panel = document.getElementById("panel-previews");
    var preview = document.getElementById("preview");
    if (!panel || !preview) { return; }
    if (panel.hidden) { previewStale = true; return; }
    if (!previewStale && delay === 0) { return; }
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(function () {
      previewStale = false;
      var current = preview.querySelector("[data-preview-tab].is-current");
      var tab = current ? current.dataset.previewTab : "diagrams";
      htmx.ajax("GET", "/designs/" + designId() + "/previews/" + tab, { target: "#preview", swap: "innerHTML" });
    }, delay);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("design-changed", function () { previewStale = true; refreshPreview(700); });
  });

  /* ---- zoom, filters, search, focus ---- */
  var zoom = 1;
  function setUpZoom() {
    var lanes = document.getElementById("lanes");
    if (!lanes) { return; }
    zoom = Number(window.localStorage.getItem("stormdraft-zoom") || 1) || 1;
    applyZoom();
    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        zoom = Math.min(1.5, Math.max(0.5, Math.round((zoom + 0.1 * Number(button.dataset.zoom)) * 10) / 10));
        window.localStorage.setItem("stormdraft-zoom", String(zoom));
        applyZoom();
      });
    });
  }
  function applyZoom() {
    var lanes = document.getElementById("lanes");
    lanes.style.setProperty("--zoom", String(zoom));
    var out = document.getElementById("zoom-level");
    if (out) { out.textContent = Math.round(zoom * 100) + "%"; }
  }

  var focusIds = null;
  function setUpFilters() {
    ["find-sticky", "lane-filter"].forEach(function (id) {
      var input = document.getElementById(id);
      if (input) { input.addEventListener("input", applyFilters); }
    });
    document.querySelectorAll("input[name=show-kind]").forEach(function (box) {
      box.addEventListener("change", applyFilters);
    });
  }

  function focusOn(id, name) {
    var note = document.getElementById("focus-note");
    if (!id) {
      focusIds = null;
      if (note) { note.hidden = true; }
    } else {
      var sticky = document.getElementById("s-" + id);
      focusIds = new Set([id].concat(sticky && sticky.dataset.links ? sticky.dataset.links.split(" ") : []));
      if (note) { note.hidden = false; document.getElementById("focus-name").textContent = name || ""; }
    }
    applyFilters();
  }

  function applyFilters() {
    var lanes = document.getElementById("lanes");
    if (!lanes) { return; }
    var find = (document.getElementById("find-sticky") || {}).value || "";
    find = find.trim().toLowerCase();
    var lane = (document.getElementById("lane-filter") || {}).value || "";
    var hidden = new Set();
    document.querySelectorAll("input[name=show-kind]").forEach(function (box) {
      if (!box.checked) { hidden.add(box.value); }
    });
    var shown = 0;
    lanes.querySelectorAll(".lane").forEach(function (section) {
      var laneShown = 0;
      var laneHidden = lane && section.dataset.lane !== lane;
      section.querySelectorAll(".sticky").forEach(function (sticky) {
        var ok = !laneHidden && !hidden.has(sticky.dataset.kind) &&
          (!find || sticky.dataset.name.indexOf(find) !== -1) &&
          (!focusIds || focusIds.has(sticky.dataset.id));
        sticky.hidden = !ok;
        if (ok) { laneShown += 1; }
      });
      section.hidden = laneHidden || ((find || focusIds) && laneShown === 0);
      shown += laneShown;
    });
    var count = document.getElementById("board-count");
    if (count) { count.textContent = shown + " stickies shown"; }
  }

  /* ---- moving stickies: keys and drag and drop ---- */
  function move(sticky, values) {
    htmx.ajax("POST", "/designs/" + designId() + "/elements/" + sticky.dataset.id + "/move", {
      source: sticky, values: values, target: "#flash", swap: "none"
    }).then(function () {
      var again = document.querySelector("#s-" + CSS.escape(sticky.dataset.id) + " .sticky__open");
      if (again) { again.focus(); }
    });
  }

  document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest(".sticky__open");
    if (!button || !event.altKey) { return; }
    var sticky = button.closest(".sticky");
    var keys = { ArrowLeft: { direction: "earlier" }, ArrowRight: { direction: "later" },
                 ArrowUp: { lane_step: "up" }, ArrowDown: { lane_step: "down" } };
    if (keys[event.key]) {
      event.preventDefault();
      move(sticky, keys[event.key]);
    }
  });

  function setUpDragAndDrop() {
    var lanes = document.getElementById("lanes");
    if (!lanes) { return; }
    var dragged = null;
    lanes.addEventListener("dragstart", function (event) {
      var sticky = event.target.closest(".sticky");
      if (!sticky) { return; }
      dragged = sticky;
      sticky.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", sticky.dataset.id);
    });
    lanes.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("is-dragging"); }
      dragged = null;
      lanes.querySelectorAll(".is-drop-target").forEach(function (el) { el.classList.remove("is-drop-target"); });
    });
    lanes.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      var over = event.target.closest(".sticky, .lane");
      if (!over) { return; }
      event.preventDefault();
      lanes.querySelectorAll(".is-drop-target").forEach(function (el) { el.classList.remove("is-drop-target"); });
      over.classList.add("is-drop-target");
    });
    lanes.addEventListener("drop", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var onSticky = event.target.closest(".sticky");
      var onLane = event.target.closest(".lane");
      if (!onLane || onSticky === dragged) { return; }
      var values = { context: onLane.dataset.lane };
      if (onSticky) { values.before = onSticky.dataset.id; }
      move(dragged, values);
    });
  }

  /* ---- text view ---- */
  function setUpTextView() { syncGutter(); }

  function syncGutter() {
    var text = document.getElementById("storm-text");
    var gutter = document.querySelector(".editor__gutter");
    if (!text || !gutter || !text.classList.contains("editor__text")) { return; }
    text.addEventListener("scroll", function () { gutter.scrollTop = text.scrollTop; });
    text.addEventListener("input", function () { text.dataset.edited = "1"; });
  }

  document.addEventListener("click", function (event) {
    var jump = event.target.closest("[data-line]");
    if (!jump) { return; }
    var text = document.getElementById("storm-text");
    var line = Number(jump.dataset.line);
    var lines = text.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i += 1) { start += lines[i].length + 1; }
    text.focus();
    text.setSelectionRange(start, start + (lines[line - 1] || "").length);
    var lineHeight = parseFloat(window.getComputedStyle(text).lineHeight) || 20;
    text.scrollTop = Math.max(0, (line - 4) * lineHeight);
  });

  function textChangedElsewhere() {
    var text = document.getElementById("storm-text");
    if (text && !text.dataset.edited) {
      htmx.ajax("GET", "/designs/" + designId() + "/text", { target: "#editor", swap: "innerHTML" });
    } else {
      var note = document.getElementById("text-outdated");
      if (note) { note.hidden = false; }
    }
  }

  /* ---- diagrams: wheel or buttons to zoom, drag or arrow keys to pan, reset ---- */
  var diagramViews = new WeakMap();

  function diagramView(viewport) {
    if (!diagramViews.has(viewport)) { diagramViews.set(viewport, { scale: 1, x: 0, y: 0 }); }
    return diagramViews.get(viewport);
  }

  function drawDiagram(viewport) {
    var view = diagramView(viewport);
    var image = viewport.querySelector(".diagram__image");
    image.style.transform = "translate(" + view.x + "px," + view.y + "px) scale(" + view.scale + ")";
    viewport.dataset.scale = view.scale.toFixed(2);
  }

  function zoomDiagram(viewport, factor, atX, atY) {
    var view = diagramView(viewport);
    var scale = Math.min(8, Math.max(0.2, view.scale * factor));
    var px = atX === undefined ? viewport.clientWidth / 2 : atX;
    var py = atY === undefined ? viewport.clientHeight / 2 : atY;
    view.x = px - (px - view.x) * (scale / view.scale);
    view.y = py - (py - view.y) * (scale / view.scale);
    view.scale = scale;
    drawDiagram(viewport);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-zoom]");
    if (!button) { return; }
    var viewport = button.closest(".diagram").querySelector(".diagram__viewport");
    if (button.dataset.zoom === "reset") {
      diagramViews.set(viewport, { scale: 1, x: 0, y: 0 });
      drawDiagram(viewport);
    } else {
      zoomDiagram(viewport, button.dataset.zoom === "in" ? 1.25 : 0.8);
    }
  });

  document.addEventListener("wheel", function (event) {
    var viewport = event.target.closest && event.target.closest(".diagram__viewport");
    if (!viewport) { return; }
    event.preventDefault();
    var box = viewport.getBoundingClientRect();
    zoomDiagram(viewport, event.deltaY < 0 ? 1.1 : 1 / 1.1, event.clientX - box.left, event.clientY - box.top);
  }, { passive: false });

  document.addEventListener("pointerdown", function (event) {
    var viewport = event.target.closest(".diagram__viewport");
    if (!viewport || event.button !== 0) { return; }
    var view = diagramView(viewport);
    var start = { x: event.clientX - view.x, y: event.clientY - view.y };
    viewport.classList.add("is-dragging");
    viewport.setPointerCapture(event.pointerId);
    function move(e) { view.x = e.clientX - start.x; view.y = e.clientY - start.y; drawDiagram(viewport); }
    function stop() {
      viewport.classList.remove("is-dragging");
      viewport.removeEventListener("pointermove", move);
      viewport.removeEventListener("pointerup", stop);
      viewport.removeEventListener("pointercancel", stop);
    }
    viewport.addEventListener("pointermove", move);
    viewport.addEventListener("pointerup", stop);
    viewport.addEventListener("pointercancel", stop);
  });

  document.addEventListener("keydown", function (event) {
    var viewport = event.target.closest && event.target.closest(".diagram__viewport");
    if (!viewport) { return; }
    var steps = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
    var view = diagramView(viewport);
    if (steps[event.key]) {
      view.x += steps[event.key][0];
      view.y += steps[event.key][1];
      drawDiagram(viewport);
    } else if (event.key === "+" || event.key === "=") {
      zoomDiagram(viewport, 1.25);
    } else if (event.key === "-") {
      zoomDiagram(viewport, 0.8);
    } else if (event.key === "0") {
      diagramViews.set(viewport, { scale: 1, x: 0, y: 0 });
      drawDiagram(viewport);
    } else {
      return;
    }
    event.preventDefault();
  });

  /* ---- workflow dry runs: replay the visited states on the state machine, step by step ---- */
  var replayTimers = new WeakMap();

  function showStep(run, step) {
    var steps = JSON.parse(run.dataset.steps);
    step = Math.max(0, Math.min(steps.length, step));
    run.dataset.step = String(step);
    run.querySelectorAll("g.node").forEach(function (node) {
      node.classList.remove("is-visited", "is-current");
    });
    for (var i = 0; i < step; i += 1) {
      var title = steps[i] && Array.prototype.find.call(run.querySelectorAll("g.node > title"),
        function (t) { return t.textContent === steps[i]; });
      if (title) { title.parentNode.classList.add(i === step - 1 ? "is-current" : "is-visited"); }
    }
    run.querySelectorAll("[data-step]").forEach(function (item) {
      item.classList.toggle("is-current", Number(item.dataset.step) === step);
    });
    var label = run.querySelector(".dry-run__step");
    var item = run.querySelector('[data-step="' + step + '"]');
    label.textContent = "Step " + step + " of " + steps.length + (item ? ": " + item.textContent : "");
    return step < steps.length;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-replay]");
    if (!button) { return; }
    var run = button.closest(".dry-run");
    var step = Number(run.dataset.step || 0);
    clearInterval(replayTimers.get(run));
    if (button.dataset.replay === "previous") { showStep(run, step - 1); }
    if (button.dataset.replay === "next") { showStep(run, step + 1); }
    if (button.dataset.replay === "play") {
      showStep(run, 0);
      replayTimers.set(run, setInterval(function () {
        if (!showStep(run, Number(run.dataset.step) + 1)) { clearInterval(replayTimers.get(run)); }
      }, 600));
    }
  });
})();
