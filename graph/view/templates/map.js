/* citegraph map: every piece of paper text is data, shown with textContent only (never innerHTML). */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var api = { ready: false, readyAt: null, error: null };
  window.citegraph = api;

  function notice(message) {
    var n = $("notice");
    n.textContent = message;
    n.hidden = false;
  }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }
  function markReady() {
    if (api.ready) return;
    api.ready = true;
    api.readyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }

  var META, NODES, EDGES;
  try {
    META = JSON.parse($("cg-meta").textContent);
    NODES = JSON.parse($("cg-nodes").textContent);
    EDGES = JSON.parse($("cg-edges").textContent);
  } catch (e) {
    api.error = String(e);
    notice("This map's data could not be read: " + e);
    markReady();
    return;
  }
  api.meta = META;
  document.title = META.title + " · citegraph";
  $("cg-title").textContent = META.title;
  $("cg-stats").textContent = META.summary;
  if (META.left_out) { $("cg-left").textContent = META.left_out; $("cg-left").hidden = false; }
  if (typeof vis === "undefined") {
    notice("The drawing library did not load, so the map cannot be drawn. " + META.summary);
    markReady();
    return;
  }

  var byId = {};
  NODES.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  EDGES.forEach(function (e) { edgeById[e.id] = e; });
  var nodes = new vis.DataSet(NODES);
  var edges = new vis.DataSet(EDGES);
  var network = new vis.Network($("map"), { nodes: nodes, edges: edges }, META.options);
  api.network = network; api.nodes = nodes; api.edges = edges;

  var state = { colourBy: "kind", sizeBy: "count", hiddenKinds: {}, minPapers: 0 };
  var kindColour = {};
  META.kinds.forEach(function (k) { kindColour[k[0]] = k[1]; });
  var communityColour = {};
  META.communities.forEach(function (c) { communityColour[c.id] = c.colour; });

  function baseColour(n) {
    if (state.colourBy === "community") return communityColour[n.community] || META.other_colour;
    return kindColour[n.kind] || META.other_colour;
  }
  function isHidden(n) { return !!state.hiddenKinds[n.kind] || n.count < state.minPapers; }

  /* Visibility, colour and size of the nodes. Only nodes whose look changed are sent to vis (an update costs about
     0.1 ms a node); edges of hidden nodes are hidden by vis itself. */
  var applied = {};
  function refresh() {
    var updates = [], shown = 0;
    NODES.forEach(function (n) {
      var hidden = isHidden(n), colour = baseColour(n);
      var value = state.sizeBy === "pr" ? n.pr : n.count;
      var key = hidden + "|" + colour + "|" + value;
      if (!hidden) shown++;
      if (applied[n.id] === key) return;
      applied[n.id] = key;
      updates.push({ id: n.id, hidden: hidden, value: value, color: colour });
    });
    if (updates.length) nodes.update(updates);
    var shownEdges = 0;
    EDGES.forEach(function (e) { if (!isHidden(byId[e.from]) && !isHidden(byId[e.to])) shownEdges++; });
    $("shown").textContent = "showing " + shown + " of " + NODES.length;
    api.shown = shown; api.shownEdges = shownEdges; api.lastUpdate = updates.length;
    legend();
  }

  /* Neighbourhood highlight without touching the data: after vis draws the map, veil it and draw the selected
     nodes, their neighbours and the links between them again on top. Costs O(neighbourhood) per frame. */
  var highlight = null;
  function setHighlight(ids) {
    if (!ids) { highlight = null; api.highlighted = 0; network.redraw(); return; }
    var near = {};
    ids.forEach(function (id) {
      near[id] = true;
      network.getConnectedNodes(id).forEach(function (m) { near[m] = true; });
    });
    var links = [];
    ids.forEach(function (id) { links = links.concat(network.getConnectedEdges(id)); });
    highlight = { nodes: Object.keys(near), edges: links };
    api.highlighted = highlight.nodes.length;
    network.redraw();
  }
  network.on("afterDrawing", function (ctx) {
    var body = network.body;
    if (!highlight || !body || !body.nodes) return;
    var canvas = $("map").querySelector("canvas");
    var a = network.DOMtoCanvas({ x: 0, y: 0 });
    var b = network.DOMtoCanvas({ x: canvas.clientWidth, y: canvas.clientHeight });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.8)";
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.restore();
    highlight.edges.forEach(function (eid) {
      var e = body.edges[eid];
      if (e && e.connected && !e.from.options.hidden && !e.to.options.hidden) { e.draw(ctx); e.drawArrows(ctx); }
    });
    var labels = [];
    highlight.nodes.forEach(function (id) {
      var n = body.nodes[id];
      if (!n || n.options.hidden) return;
      var r = n.draw(ctx);
      if (r && r.drawExternalLabel) labels.push(r.drawExternalLabel);
    });
    labels.forEach(function (draw) { draw(); });
  });

  function legend() {
    var box = $("legend");
    box.textContent = "";
    if (state.colourBy === "community") {
      box.appendChild(el("strong", "Communities (Louvain)"));
      META.communities.slice(0, 12).forEach(function (c) {
        var row = el("div");
        var sw = el("span", null, "swatch"); sw.style.background = c.colour;
        row.appendChild(sw);
        row.appendChild(document.createTextNode(c.size + ": " + c.top.join(", ")));
        box.appendChild(row);
      });
      if (META.communities.length > 12) {
        var row = el("div");
        var sw = el("span", null, "swatch"); sw.style.background = META.other_colour;
        row.appendChild(sw);
        row.appendChild(document.createTextNode((META.communities.length - 12) + " smaller communities"));
        box.appendChild(row);
      }
    } else {
      box.appendChild(el("strong", "Kinds"));
      META.kinds.forEach(function (k) {
        var count = NODES.filter(function (n) { return n.kind === k[0]; }).length;
        var row = el("div");
        var sw = el("span", null, "swatch"); sw.style.background = k[1];
        row.appendChild(sw);
        row.appendChild(document.createTextNode(k[0] + " (" + count + ")"));
        box.appendChild(row);
      });
    }
    box.appendChild(el("div", "Size: " + (state.sizeBy === "pr" ? "PageRank" : "paper count") +
      " · line width: shared papers · click a node or a link to see why", "hint"));
  }

  /* ---- side panel ---- */
  function panel() {
    var body = $("panel-body");
    body.textContent = "";
    $("panel").hidden = false;
    return body;
  }
  function paperItem(pid) {
    var p = META.papers[pid] || [pid, "", ""];
    var li = el("li");
    if (p[2]) {
      var a = el("a", p[0]);
      a.href = p[2]; a.target = "_blank"; a.rel = "noopener noreferrer";
      li.appendChild(a);
    } else {
      li.appendChild(el("span", p[0]));
    }
    if (p[1]) li.appendChild(el("span", p[1], "dates"));
    return li;
  }
  function nodeButton(id) {
    var b = el("button", byId[id] ? byId[id].name : id, "link");
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }
  function quote(sid, marks) {
    var text = META.sentences[sid] || "";
    var q = el("blockquote");
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;  // overlapping marks: keep the first
      q.appendChild(document.createTextNode(text.slice(pos, m[0])));
      q.appendChild(el("mark", text.slice(m[0], m[1]), "m" + m[2]));
      pos = m[1];
    });
    q.appendChild(document.createTextNode(text.slice(pos)));
    return q;
  }

  function showNode(id) {
    var n = byId[id];
    if (!n) return;
    var body = panel();
    body.appendChild(el("h2", n.name));
    var line = n.kind;
    if (n.kind !== "paper") line += " · " + plural(n.count, "paper", "papers");
    if (n.first) line += " · " + n.first + (n.last && n.last !== n.first ? " – " + n.last : "");
    body.appendChild(el("p", line, "meta"));
    if (n.aliases && n.aliases.length) body.appendChild(el("p", "Also written: " + n.aliases.join(" · "), "meta"));
    body.appendChild(el("p", "Community " + (n.community + 1) + " · PageRank " + n.pr.toFixed(5), "meta"));
    body.appendChild(el("h3", n.kind === "paper" ? "Paper" : (n.kind === "reference" ? "Cited by" : "Papers")));
    var ul = el("ul");
    (n.papers || []).forEach(function (pid) { ul.appendChild(paperItem(pid)); });
    body.appendChild(ul);
    if (n.np > (n.papers || []).length) body.appendChild(el("p", "and " + (n.np - n.papers.length) + " more", "note"));
    var links = network.getConnectedEdges(id).map(function (eid) { return edgeById[eid]; })
      .filter(Boolean).sort(function (a, b) { return b.value - a.value; });
    if (links.length) {
      body.appendChild(el("h3", "Connected (" + links.length + ")"));
      var nl = el("ul");
      links.slice(0, 25).forEach(function (e) {
        var li = el("li");
        li.appendChild(nodeButton(e.from === id ? e.to : e.from));
        li.appendChild(el("span", e.type === "CO_OCCURS" ? plural(e.value, "paper", "papers") : e.type, "dates"));
        nl.appendChild(li);
      });
      body.appendChild(nl);
    }
    api.panel = { kind: "node", id: id };
  }

  function showEdge(eid) {
    var e = edgeById[eid];
    if (!e) return;
    var ev = META.evidence[eid] || { papers: [], total: 0 };
    var body = panel();
    var a = byId[e.from], b = byId[e.to];
    body.appendChild(el("h2", (a ? a.name : e.from) + " — " + (b ? b.name : e.to)));
    if (e.type === "CO_OCCURS") {
      body.appendChild(el("p", "Mentioned together in " + plural(ev.total, "paper", "papers") + ".", "meta"));
    } else if (e.type === "RELATED_TO") {
      body.appendChild(el("p", "Related papers: they share " + plural(ev.total, "entity", "entities") + ".", "meta"));
    } else {
      body.appendChild(el("p", "Citation", "meta"));
    }
    var ends = el("p", null, "meta");
    var m0 = el("mark", a ? a.name : e.from, "m0"), m1 = el("mark", b ? b.name : e.to, "m1");
    ends.appendChild(m0); ends.appendChild(document.createTextNode(" · ")); ends.appendChild(m1);
    body.appendChild(ends);
    var ul = el("ul");
    ev.papers.forEach(function (row) {
      var li = paperItem(row.p);
      (row.s || []).forEach(function (s) { li.appendChild(quote(s[0], s[1])); });
      if (e.type === "CO_OCCURS" && row.same === false) {
        li.appendChild(el("div", row.s && row.s.length ? "(in different sentences of this paper)"
          : "(no sentence recorded for this paper)", "note"));
      }
      ul.appendChild(li);
    });
    body.appendChild(ul);
    if (ev.total > ev.papers.length && e.type !== "RELATED_TO") {
      body.appendChild(el("p", "and " + (ev.total - ev.papers.length) + " more papers", "note"));
    }
    if (ev.shared) {
      body.appendChild(el("h3", "Shared entities"));
      var sl = el("ul");
      ev.shared.forEach(function (s) {
        var li = el("li");
        li.appendChild(byId[s[0]] ? nodeButton(s[0]) : el("span", s[1]));
        sl.appendChild(li);
      });
      body.appendChild(sl);
    }
    api.panel = { kind: "edge", id: eid };
  }

  function selectNode(id) {
    if (!byId[id]) return;
    network.selectNodes([id]);
    setHighlight([id]);
    showNode(id);
  }
  function selectEdge(eid) {
    var e = edgeById[eid];
    if (!e) return;
    network.selectEdges([eid]);
    setHighlight([e.from, e.to]);
    showEdge(eid);
  }
  function clearSelection() {
    network.unselectAll();
    setHighlight(null);
    $("panel").hidden = true;
    api.panel = null;
  }
  api.selectNode = selectNode; api.selectEdge = selectEdge; api.clearSelection = clearSelection;

  network.on("click", function (params) {
    if (params.nodes.length) selectNode(params.nodes[0]);
    else if (params.edges.length) selectEdge(params.edges[0]);
    else clearSelection();
  });
  $("panel-close").addEventListener("click", clearSelection);

  /* ---- controls ---- */
  var names = $("search-names");
  NODES.slice().sort(function (a, b) { return b.count - a.count; }).slice(0, 5000).forEach(function (n) {
    var o = document.createElement("option");
    o.value = n.name;
    names.appendChild(o);
  });
  function search(text) {
    var q = text.trim().toLowerCase();
    $("search-msg").textContent = "";
    if (!q) return null;
    var hit = null;
    NODES.forEach(function (n) {
      if (!hit && n.name.toLowerCase() === q) hit = n;
    });
    if (!hit) {
      NODES.slice().sort(function (a, b) { return b.count - a.count; }).forEach(function (n) {
        if (hit) return;
        var all = [n.name].concat(n.aliases || []);
        if (all.some(function (s) { return String(s).toLowerCase().indexOf(q) >= 0; })) hit = n;
      });
    }
    if (!hit) { $("search-msg").textContent = "no match"; return null; }
    if (isHidden(hit)) { state.hiddenKinds[hit.kind] = false; state.minPapers = 0; syncControls(); }
    selectNode(hit.id);
    network.focus(hit.id, { scale: 1.1, animation: false });
    return hit.id;
  }
  api.search = search;
  $("search").addEventListener("change", function (ev) { search(ev.target.value); });
  $("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(ev.target.value); });
  $("colour-by").addEventListener("change", function (ev) { state.colourBy = ev.target.value; refresh(); });
  $("size-by").addEventListener("change", function (ev) { state.sizeBy = ev.target.value; refresh(); });
  $("min-papers").addEventListener("input", function (ev) {
    state.minPapers = Math.max(0, parseInt(ev.target.value, 10) || 0);
    refresh();
  });
  var kindBox = $("kind-filter");
  kindBox.appendChild(el("span", "Show"));
  META.kinds.forEach(function (k) {
    var label = el("label");
    var cb = document.createElement("input");
    cb.type = "checkbox"; cb.checked = true; cb.value = k[0];
    cb.addEventListener("change", function () { state.hiddenKinds[k[0]] = !cb.checked; refresh(); });
    var sw = el("span", null, "swatch"); sw.style.background = k[1];
    label.appendChild(cb); label.appendChild(sw); label.appendChild(document.createTextNode(k[0]));
    kindBox.appendChild(label);
  });
  function syncControls() {
    kindBox.querySelectorAll("input").forEach(function (cb) { cb.checked = !state.hiddenKinds[cb.value]; });
    $("min-papers").value = String(state.minPapers);
    $("colour-by").value = state.colourBy;
    $("size-by").value = state.sizeBy;
  }
  $("reset").addEventListener("click", function () {
    state.hiddenKinds = {}; state.minPapers = 0; state.colourBy = "kind"; state.sizeBy = "count";
    syncControls(); clearSelection(); network.fit({ animation: false });
  });
  api.setColourBy = function (v) { state.colourBy = v; syncControls(); refresh(); };
  api.setSizeBy = function (v) { state.sizeBy = v; syncControls(); refresh(); };
  api.setFilter = function (hiddenKinds, minPapers) {
    state.hiddenKinds = {};
    (hiddenKinds || []).forEach(function (k) { state.hiddenKinds[k] = true; });
    state.minPapers = minPapers || 0;
    syncControls(); refresh();
  };

  NODES.forEach(function (n) { applied[n.id] = "false|" + baseColour(n) + "|" + n.count; });  // as drawn
  refresh();
  if (!NODES.length) {
    notice(META.empty);
    markReady();
  } else if (META.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      markReady();
    });
  } else {
    network.once("afterDrawing", markReady);
  }
  if (META.anchors.length === 1 && byId[META.anchors[0]]) showNode(META.anchors[0]);
})();
