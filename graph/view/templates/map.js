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
  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ","); }
  function plural(n, one, many) { return num(n) + " " + (n === 1 ? one : many); }
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
  if (META.filtered) { $("cg-filtered").textContent = META.filtered; $("cg-filtered").hidden = false; }
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

  var FILTER = META.filter_words || "papers";  // what the "Min." filter counts
  $("min-papers").parentNode.firstChild.textContent = "Min. " + FILTER + " ";
  var DEFAULTS = { colourBy: META.colour_by || "kind", sizeBy: "count", minPapers: META.min_papers || 0 };
  var state = { colourBy: DEFAULTS.colourBy, sizeBy: DEFAULTS.sizeBy, hiddenKinds: {}, minPapers: DEFAULTS.minPapers };
  var kindColour = {};
  META.kinds.forEach(function (k) { kindColour[k[0]] = k[1]; });
  var typeWords = {};
  (META.edge_types || []).forEach(function (t) { typeWords[t.type] = t.words; });
  var communityColour = {};
  META.communities.forEach(function (c) { communityColour[c.id] = c.colour; });

  /* Overlay by first listing date (VOSviewer's overlay visualisation): oldest dark blue to newest yellow. */
  var dateRank = {};
  (META.dates || []).forEach(function (d, i) {
    dateRank[d] = META.dates.length > 1 ? i / (META.dates.length - 1) : 1;
  });
  var RAMP = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];  // viridis
  function rampColour(t) {
    var x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1), i = Math.min(RAMP.length - 2, Math.floor(x)), f = x - i;
    var c = RAMP[i].map(function (v, k) { return Math.round(v + (RAMP[i + 1][k] - v) * f); });
    return "#" + c.map(function (v) { return (v < 16 ? "0" : "") + v.toString(16); }).join("");
  }
  function baseColour(n) {
    if (state.colourBy === "community") return communityColour[n.community] || META.other_colour;
    if (state.colourBy === "date") {
      return n.first && dateRank[n.first] !== undefined ? rampColour(dateRank[n.first]) : "#d9d9d9";
    }
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
    $("shown").textContent = "showing " + shown + " of " + NODES.length +
      (state.minPapers > 0 ? " (" + (FILTER === "papers" ? "in " : "") + "at least " + num(state.minPapers) + " " +
       (FILTER === "papers" && state.minPapers === 1 ? "paper" : FILTER) + ")" : "");
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
    highlight = { nodes: Object.keys(near), edges: links, first: ids[0] };
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

  /* ---- labels: drawn by importance, never on top of each other ----
     After each drawing, candidates (the highlighted neighbourhood when a node is selected, else every shown node,
     most papers first) are placed greedily at a fixed screen size, below their node, else above, right or left of
     it: a label with no place that overlaps neither one already placed nor the controls is left out until zooming
     in makes room. A grid of 64 px cells keeps this linear. */
  var ORDER = NODES.slice().sort(function (a, b) {
    return (b.anchor ? 1 : 0) - (a.anchor ? 1 : 0) || b.count - a.count || b.pr - a.pr || (a.id < b.id ? -1 : 1);
  }).map(function (n) { return n.id; });
  function range(key) {
    var values = NODES.map(function (n) { return n[key]; });
    if (!values.length) return { lo: 0, span: 0 };
    var lo = Math.min.apply(null, values), hi = Math.max.apply(null, values);
    return { lo: lo, span: hi > lo ? hi - lo : 0 };
  }
  var countRange = range("count"), prRange = range("pr");
  var AXIS_BAND = 24;  // the year axis of a citation map, along the bottom of the map
  var MAX_LABELS = 600, CELL = 64, FONT = "system-ui, -apple-system, 'Segoe UI', sans-serif";
  var widths = {};  // text width at 10 px
  var drawn = [];
  function fontPx(n) {
    var r = state.sizeBy === "pr" ? prRange : countRange, v = state.sizeBy === "pr" ? n.pr : n.count;
    var rel = r.span ? (v - r.lo) / r.span : 0;  // all alike: all small
    return Math.round(11 + 8 * Math.sqrt(Math.max(0, rel)));
  }
  function covered() {
    var map = $("map").getBoundingClientRect(), out = [];
    ["controls", "legend", "panel"].forEach(function (id) {
      var e = $(id);
      if (!e || e.hidden) return;
      var r = e.getBoundingClientRect();
      if (r.width && r.height) out.push({ x: r.left - map.left, y: r.top - map.top, w: r.width, h: r.height });
    });
    if ((META.axis || []).length) out.push({ x: 0, y: map.height - AXIS_BAND, w: map.width, h: AXIS_BAND });
    return out;
  }
  function placeLabels(ctx) {
    var body = network.body, view = body.view, s = view.scale, t = view.translation;
    var canvas = $("map").querySelector("canvas");
    var W = canvas.clientWidth, H = canvas.clientHeight;
    var grid = {}, placed = [];
    function cells(b, add) {
      for (var cx = Math.floor(b.x / CELL); cx <= Math.floor((b.x + b.w) / CELL); cx++) {
        for (var cy = Math.floor(b.y / CELL); cy <= Math.floor((b.y + b.h) / CELL); cy++) {
          var k = cx + "," + cy, list = grid[k];
          if (add) { (grid[k] = list || []).push(b); continue; }
          if (list) for (var i = 0; i < list.length; i++) {
            var o = list[i];
            if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return true;
          }
        }
      }
      return false;
    }
    covered().forEach(function (b) { cells(b, true); });
    var ids = ORDER;
    if (highlight) {
      var near = {};
      highlight.nodes.forEach(function (id) { near[id] = true; });
      ids = ORDER.filter(function (id) { return near[id]; });
      var first = highlight.first ? [highlight.first] : [];
      ids = first.concat(ids.filter(function (id) { return first.indexOf(id) < 0; }));
    }
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    for (var i = 0; i < ids.length && placed.length < MAX_LABELS; i++) {
      var n = byId[ids[i]], vn = body.nodes[ids[i]];
      if (!n || !vn || vn.options.hidden) continue;
      var x = vn.x * s + t.x, y = vn.y * s + t.y, r = (vn.options.size || 0) * s;
      if (x < -200 || y < -50 || x > W + 200 || y > H + 50) continue;
      var px = fontPx(n);
      if (widths[n.id] === undefined) { ctx.font = "10px " + FONT; widths[n.id] = ctx.measureText(n.text).width; }
      var w = widths[n.id] * px / 10 + 4, h = px + 3;
      // below the node, else above, right or left of it: the first place that is free and on the map
      var spots = [[x - w / 2, y + r + 1], [x - w / 2, y - r - 1 - h], [x + r + 2, y - h / 2], [x - r - 2 - w, y - h / 2]];
      var b = null;
      for (var j = 0; j < spots.length && !b; j++) {
        var c = { x: spots[j][0], y: spots[j][1], w: w, h: h, id: n.id, text: n.text, px: px };
        if (c.x < 0 || c.y < 0 || c.x + w > W || c.y + h > H || cells(c, false)) continue;
        b = c;
      }
      if (!b) continue;
      cells(b, true);
      placed.push(b);
    }
    ctx.restore();
    return placed;
  }
  network.on("afterDrawing", function (ctx) {
    if (!network.body || !network.body.nodes) return;
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    drawn = placeLabels(ctx);
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.fillStyle = "#1a1a1a";
    drawn.forEach(function (b) {
      ctx.font = (b.px >= 15 ? "600 " : "") + b.px + "px " + FONT;
      ctx.lineWidth = 3;
      ctx.strokeText(b.text, b.x + b.w / 2, b.y + 1);
      ctx.fillText(b.text, b.x + b.w / 2, b.y + 1);
    });
    ctx.restore();
  });
  /* The year axis of a citation map: each year under its column, along the bottom of the map. */
  network.on("afterDrawing", function (ctx) {
    if (!(META.axis || []).length || !network.body) return;
    var view = network.body.view, s = view.scale, t = view.translation;
    var ratio = (network.canvas && network.canvas.pixelRatio) || window.devicePixelRatio || 1;
    var W = $("map").clientWidth, H = $("map").clientHeight;
    ctx.save();
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "rgba(255,255,255,0.85)";
    ctx.fillRect(0, H - AXIS_BAND, W, AXIS_BAND);
    ctx.font = "12px " + FONT; ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.fillStyle = "#444";
    var last = -Infinity;
    api.axisDrawn = [];
    META.axis.forEach(function (tick) {
      var x = tick.x * s + t.x, w = ctx.measureText(tick.label).width;
      if (x - w / 2 < last + 6 || x < 0 || x > W) return;  // years never on top of each other either
      ctx.fillText(tick.label, x, H - AXIS_BAND / 2);
      last = x + w / 2;
      api.axisDrawn.push(tick.label);
    });
    ctx.restore();
  });
  /* Test hook: the labels drawn right now, in page pixels. */
  api.visibleLabels = function () {
    var r = $("map").getBoundingClientRect();
    return drawn.map(function (b) {
      return { id: b.id, text: b.text, x: b.x + r.left, y: b.y + r.top, w: b.w, h: b.h };
    });
  };

  /* ---- filters lay the map out again and fit it ----
     A map laid out in Python carries two layouts: its core (what it opens with) and every node (fx, fy). A filter
     that shows only core nodes uses the first, else the second; then a short simulation closes the gaps the
     hidden nodes leave (small selections only) and the view fits what is shown. */
  var hasLayout = NODES.some(function (n) { return n.x !== undefined; });
  function inCore(n) { return n.anchor || n.count >= (META.min_papers || 0); }
  var lastLayout = "core";
  function relayout(settleToo) {
    var shown = NODES.filter(function (n) { return !isHidden(n); });
    if (hasLayout) {
      var which = shown.every(inCore) ? "core" : "full";
      if (which !== lastLayout) {
        nodes.update(NODES.filter(function (n) { return n.fx !== undefined; }).map(function (n) {
          return which === "core" ? { id: n.id, x: n.x, y: n.y } : { id: n.id, x: n.fx, y: n.fy };
        }));
        lastLayout = which;
      }
    }
    var settle = settleToo !== false && shown.length > 1 && shown.length <= 400 && shown.length < 0.8 * NODES.length;
    if (settle) {
      network.setOptions({ physics: { enabled: true, stabilization: { enabled: true, iterations: 150, fit: true } } });
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        fitShown();
        api.layouts = (api.layouts || 0) + 1;
      });
      network.stabilize(150);
    } else {
      fitShown();
      api.layouts = (api.layouts || 0) + 1;
    }
  }
  api.relayout = relayout;

  /* Fit what is shown into the part of the window the controls, the legend and the panel leave free. */
  function fitShown() {
    var body = network.body, x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    NODES.forEach(function (n) {
      var vn = body.nodes[n.id];
      if (isHidden(n) || !vn) return;
      var r = vn.options.size || 0;
      x0 = Math.min(x0, vn.x - r); x1 = Math.max(x1, vn.x + r);
      y0 = Math.min(y0, vn.y - r); y1 = Math.max(y1, vn.y + r);
    });
    if (x0 === Infinity) return;
    var W = $("map").clientWidth, H = $("map").clientHeight, area = freeArea();
    var left = area.left, right = W - area.right, free = area.width;
    var scale = Math.min(free / Math.max(x1 - x0, 1), (H - 40) / Math.max(y1 - y0 + 30, 1), 4) * 0.94;
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 + 12 / scale }, scale: scale,
                     offset: { x: (left - right) / 2, y: 0 }, animation: false });
  }
  api.fitShown = fitShown;

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
    } else if (state.colourBy === "date") {
      box.appendChild(el("strong", META.dates_title || "First listed"));
      var ds = META.dates || [];
      if (!ds.length) box.appendChild(el("div", "no node has a date"));
      [0, 0.5, 1].forEach(function (f, i) {
        if (!ds.length || (ds.length < 3 && i === 1)) return;
        var row = el("div");
        var sw = el("span", null, "swatch"); sw.style.background = rampColour(f);
        row.appendChild(sw);
        var which = i === 0 ? " (oldest)" : i === 2 ? " (newest)" : "";
        row.appendChild(document.createTextNode(ds[Math.round(f * (ds.length - 1))] + which));
        box.appendChild(row);
      });
      var undated = NODES.filter(function (n) { return !n.first; }).length;
      if (undated) {
        var row = el("div");
        var sw = el("span", null, "swatch"); sw.style.background = "#d9d9d9";
        row.appendChild(sw);
        row.appendChild(document.createTextNode("no date (" + undated + ")"));
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
    var types = (META.edge_types || []).filter(function (t) { return t.type !== "CO_OCCURS"; });
    if (types.length) {
      box.appendChild(el("strong", "Links"));
      if ((META.main_path || []).length) {
        var mp = el("div"), mline = el("span", null, "line");
        mline.style.borderTop = "4px solid " + EDGES.filter(function (e) { return e.main_path; })[0].color.color;
        mp.appendChild(mline);
        mp.appendChild(document.createTextNode("main path (" + plural(META.main_path.length, "paper", "papers") + ")"));
        box.appendChild(mp);
      }
      types.forEach(function (t) {
        var row = el("div");
        var line = el("span", null, "line");
        line.style.borderTop = "3px " + (t.dashes ? "dashed " : "solid ") + t.colour;
        row.appendChild(line);
        var name = t.type.toLowerCase().replace(/_/g, " ") + (t.directed ? " →" : "");
        row.appendChild(document.createTextNode(name + ": " + t.words));
        box.appendChild(row);
      });
    }
    box.appendChild(el("div", "Size: " + (state.sizeBy === "pr" ? "PageRank" : META.size_words || "paper count") +
      " · line width: " + (META.width_words || "shared papers") + " · click a node or a link to see why", "hint"));
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
    if (META.count_words && META.count_words !== "papers") line += " · " + num(n.count) + " " + META.count_words;
    else if (n.kind !== "paper") line += " · " + plural(n.count, "paper", "papers");
    if (n.first) line += " · " + n.first + (n.last && n.last !== n.first ? " – " + n.last : "");
    body.appendChild(el("p", line, "meta"));
    if (n.aliases && n.aliases.length) body.appendChild(el("p", "Also written: " + n.aliases.join(" · "), "meta"));
    body.appendChild(el("p", "Community " + (n.community + 1) + " · PageRank " + n.pr.toFixed(5), "meta"));
    if (n.conf) body.appendChild(el("p", "Confidence " + n.conf[1].toFixed(2) + " at best, " + n.conf[0].toFixed(2) +
      " on average over its mentions", "meta"));
    var citedBy = n.kind === "reference" || META.mode === "cocitation";
    body.appendChild(el("h3", citedBy ? "Cited by" : (n.kind === "paper" ? "Paper" : "Papers")));
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
        li.appendChild(el("span", e.type === "CO_OCCURS" ? plural(e.value, "paper", "papers")
          : (typeWords[e.type] || e.type), "dates"));
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
    } else if (e.type === "CITES") {
      var citing = e.arrows === "from" ? b : a, citedNode = e.arrows === "from" ? a : b;
      body.appendChild(el("p", (citing ? citing.name : "") + " cites " + (citedNode ? citedNode.name : "") +
        (e.main_path ? " · on the main path" : ""), "meta"));
    } else if (e.type === "CO_CITED") {
      body.appendChild(el("p", "Co-cited: " + plural(ev.total, "paper cites", "papers cite") + " both.", "meta"));
    } else if (e.type === "COUPLED") {
      body.appendChild(el("p", "Bibliographic coupling: both cite " + plural(ev.total, "work", "works") +
        " (Salton strength " + Number(e.value).toFixed(2) + ").", "meta"));
    } else if (e.type === "CO_AUTHOR") {
      body.appendChild(el("p", "Co-authors of " + plural(ev.total, "paper", "papers") + ".", "meta"));
    } else {
      var words = typeWords[e.type] || e.type.toLowerCase().replace(/_/g, " ");
      var src = e.arrows === "from" ? b : a, dst = e.arrows === "from" ? a : b;
      body.appendChild(el("p", (src ? src.name : "") + " " + words + " " + (dst ? dst.name : "") +
        (ev.stated ? " · stated in " + plural(ev.total, "paper", "papers") : ""), "meta"));
    }
    var ends = el("p", null, "meta");
    var m0 = el("mark", a ? a.name : e.from, "m0"), m1 = el("mark", b ? b.name : e.to, "m1");
    ends.appendChild(m0); ends.appendChild(document.createTextNode(" · ")); ends.appendChild(m1);
    body.appendChild(ends);
    var ul = el("ul");
    ev.papers.forEach(function (row) {
      var li = paperItem(row.p);
      if (row.cited) li.appendChild(el("span", "(cited)", "dates"));
      (row.s || []).forEach(function (s) { li.appendChild(quote(s[0], s[1])); });
      if (e.type === "CO_OCCURS" && row.same === false) {
        li.appendChild(el("div", row.s && row.s.length ? "(in different sentences of this paper)"
          : "(no sentence recorded for this paper)", "note"));
      }
      ul.appendChild(li);
    });
    body.appendChild(ul);
    if (ev.total > ev.papers.length && e.type !== "RELATED_TO" && e.type !== "COUPLED") {
      body.appendChild(el("p", "and " + (ev.total - ev.papers.length) + " more papers", "note"));
    }
    if (ev.shared) {
      body.appendChild(el("h3", e.type === "COUPLED" ? "Shared references" : "Shared entities"));
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

  function freeArea() {  // the part of the map the controls, the legend and the panel leave free (page pixels)
    var W = $("map").clientWidth, left = 0, right = 0;
    if (W > 900) {
      left = Math.max($("controls").getBoundingClientRect().right, $("legend").getBoundingClientRect().right) + 8;
    }
    if (!$("panel").hidden) right = $("panel").getBoundingClientRect().width;
    if (W - left - right < 300) { left = 0; right = 0; }
    return { left: left, right: W - right, width: W - left - right };
  }
  function bringIntoView(id) {  // a selected node hidden behind the panel or the controls moves into the free area
    var p = network.getPositions([id])[id];
    if (!p) return;
    var q = network.canvasToDOM(p), free = freeArea();
    if (q.x >= free.left + 100 && q.x <= free.right - 160) return;  // room for its label
    var W = $("map").clientWidth;
    network.moveTo({ position: p, scale: network.getScale(), animation: false,
                     offset: { x: (free.left + free.right) / 2 - W / 2, y: 0 } });
  }
  function selectNode(id) {
    if (!byId[id]) return;
    network.selectNodes([id]);
    setHighlight([id]);
    showNode(id);
    bringIntoView(id);
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

  /* ---- what the last update added ---- */
  var NEW = NODES.filter(function (n) { return n.new; }).map(function (n) { return n.id; });
  if (META.changes) {
    var c = META.changes;
    $("new-text").textContent = "New since the previous build: " + plural(c.papers, "paper", "papers") + ", " +
      plural(c.entities, "entity", "entities") + ", " + plural(c.links, "link", "links") +
      (c.drawn_nodes < c.entities + c.papers ? " (" + c.drawn_nodes + " of them on this map)" : "");
    $("new-row").hidden = false;
    $("show-new").disabled = !NEW.length;
  }
  function showNew() {
    if (!NEW.length) return;
    state.minPapers = 0; state.hiddenKinds = {};
    syncControls(); refresh(); relayout(false);
    network.selectNodes(NEW);
    var links = EDGES.filter(function (e) { return e.new; }).map(function (e) { return e.id; });
    highlight = { nodes: NEW.slice(), edges: links, first: NEW[0] };
    NEW.forEach(function (id) {  // and what they link to
      network.getConnectedNodes(id).forEach(function (m) {
        if (highlight.nodes.indexOf(m) < 0) highlight.nodes.push(m);
      });
    });
    api.highlighted = highlight.nodes.length;
    network.fit({ nodes: NEW, animation: false });
    var body = panel();
    body.appendChild(el("h2", "What is new"));
    body.appendChild(el("p", $("new-text").textContent, "meta"));
    var ul = el("ul");
    NEW.slice().sort(function (a, b) { return byId[b].count - byId[a].count; }).slice(0, 60).forEach(function (id) {
      var li = el("li");
      li.appendChild(nodeButton(id));
      li.appendChild(el("span", byId[id].kind, "dates"));
      ul.appendChild(li);
    });
    body.appendChild(ul);
    api.panel = { kind: "new" };
  }
  api.showNew = showNew;
  $("show-new").addEventListener("click", showNew);

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
    if (isHidden(hit)) {
      state.hiddenKinds[hit.kind] = false; state.minPapers = 0;
      syncControls(); refresh(); relayout(false);
    }
    selectNode(hit.id);
    network.focus(hit.id, { scale: 1.1, animation: false });
    return hit.id;
  }
  api.search = search;
  $("search").addEventListener("change", function (ev) { search(ev.target.value); });
  $("search").addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(ev.target.value); });
  $("colour-by").addEventListener("change", function (ev) { state.colourBy = ev.target.value; refresh(); });
  $("size-by").addEventListener("change", function (ev) { state.sizeBy = ev.target.value; refresh(); });
  var pending = null;
  function filtered() {  // a filter changed: redraw now, lay out again once the typing stops
    refresh();
    clearTimeout(pending);
    pending = setTimeout(relayout, 250);
  }
  $("min-papers").addEventListener("input", function (ev) {
    state.minPapers = Math.max(0, parseInt(ev.target.value, 10) || 0);
    filtered();
  });
  var kindBox = $("kind-filter");
  kindBox.appendChild(el("span", "Show"));
  META.kinds.forEach(function (k) {
    var label = el("label");
    var cb = document.createElement("input");
    cb.type = "checkbox"; cb.checked = true; cb.value = k[0];
    cb.addEventListener("change", function () { state.hiddenKinds[k[0]] = !cb.checked; filtered(); });
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
    state.hiddenKinds = {}; state.minPapers = DEFAULTS.minPapers; state.colourBy = DEFAULTS.colourBy;
    state.sizeBy = DEFAULTS.sizeBy;
    syncControls(); clearSelection(); refresh(); relayout();
  });
  api.setColourBy = function (v) { state.colourBy = v; syncControls(); refresh(); };
  api.setSizeBy = function (v) { state.sizeBy = v; syncControls(); refresh(); };
  api.setFilter = function (hiddenKinds, minPapers) {
    state.hiddenKinds = {};
    (hiddenKinds || []).forEach(function (k) { state.hiddenKinds[k] = true; });
    state.minPapers = minPapers || 0;
    syncControls(); refresh(); relayout();
  };

  NODES.forEach(function (n) { applied[n.id] = !!n.hidden + "|" + n.color + "|" + n.count; });  // as drawn
  syncControls();
  refresh();
  if (META.anchors.length === 1 && byId[META.anchors[0]]) showNode(META.anchors[0]);  // a focused map: its focus
  if (!NODES.length) {
    notice(META.empty);
    markReady();
  } else if (META.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      fitShown();
      markReady();
    });
  } else {
    fitShown();
    network.once("afterDrawing", markReady);
  }
})();
