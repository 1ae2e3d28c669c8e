/* SPDX-License-Identifier: AGPL-3.0-or-later
 * Deterministic layout of the network view, in plain JavaScript.
 *
 * 1. Force-directed placement (Fruchterman–Reingold) from a phyllotaxis
 *    start whose order and jitter come from a fixed seed and the node ids,
 *    so the same graph always gets the same picture.
 * 2. Scaling: the drawing gets as much room per node as its labels need.
 * 3. Label placement without overlaps: labels (and node symbols) are
 *    obstacles in a spatial hash; each label takes the first free spot of
 *    eight positions next to its node, then of rings further out (with a
 *    leader line); a label that finds no spot nearby goes into a column
 *    right of the drawing, which is always free. So no two labels overlap,
 *    for any graph size.
 *
 * No DOM access: text widths come from opts.measure(text, node) (the page measures with
 * a canvas in the SVG's font; the benchmark estimates). Works as a browser
 * global (window.scaNetworkLayout) and as a CommonJS module (bench, tests).
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module === 'object' && module.exports) { module.exports = api; } else { root.scaNetworkLayout = api; }
}(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var DEFAULTS = {
    seed: 20261125,
    iterations: 300,
    fontSize: 12,
    labelPadX: 3,
    labelPadY: 2,
    maxLabelChars: 40,
    nodeRadius: 7,
    measure: null
  };

  // small, fast, seedable PRNG (mulberry32)
  function random(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6D2B79F5) >>> 0;
      var t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function hash(text) { // FNV-1a: start position independent of input order
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h;
  }

  // long titles are shortened at a word boundary; the full title stays in
  // the SVG <title> and in the table
  function shorten(text, max) {
    text = String(text == null ? '' : text).replace(/\s+/g, ' ').trim();
    if (text.length <= max) { return text; }
    var cut = text.slice(0, max - 1);
    var space = cut.lastIndexOf(' ');
    if (space > max * 0.6) { cut = cut.slice(0, space); }
    return cut.replace(/[\s,;:.\-–]+$/, '') + '…';
  }

  function estimateWidth(text, fontSize) { return text.length * fontSize * 0.6; }

  function forces(nodes, edges, opts) {
    var n = nodes.length;
    var rand = random(opts.seed);
    var order = nodes.map(function (node, i) { return i; });
    order.sort(function (a, b) { return (hash(nodes[a].id) - hash(nodes[b].id)) || (nodes[a].id < nodes[b].id ? -1 : 1); });
    var x = new Float64Array(n), y = new Float64Array(n), dx = new Float64Array(n), dy = new Float64Array(n);
    var golden = Math.PI * (3 - Math.sqrt(5));
    order.forEach(function (idx, k) {
      var r = Math.sqrt(k + 0.5) * 10;
      x[idx] = r * Math.cos(k * golden) + rand() - 0.5;
      y[idx] = r * Math.sin(k * golden) + rand() - 0.5;
    });
    var src = new Int32Array(edges.length), dst = new Int32Array(edges.length);
    edges.forEach(function (e, i) { src[i] = e.s; dst[i] = e.t; });
    var area = Math.max(1, n) * 100 * 100;
    var k = Math.sqrt(area / Math.max(1, n));
    var k2 = k * k;
    var temp = Math.sqrt(area) / 10;
    var iterations = opts.iterations;
    var gravity = 0.1;
    for (var it = 0; it < iterations; it++) {
      dx.fill(0);
      dy.fill(0);
      for (var i = 0; i < n; i++) {
        var xi = x[i], yi = y[i];
        for (var j = i + 1; j < n; j++) {
          var ddx = xi - x[j], ddy = yi - y[j];
          var d2 = ddx * ddx + ddy * ddy;
          if (d2 < 0.01) { ddx = 0.1 * ((i * 31 + j) % 7 - 3); ddy = 0.1; d2 = ddx * ddx + ddy * ddy; }
          var f = k2 / d2; // repulsion k²/d along the unit vector
          dx[i] += ddx * f; dy[i] += ddy * f;
          dx[j] -= ddx * f; dy[j] -= ddy * f;
        }
      }
      for (var e = 0; e < src.length; e++) {
        var a = src[e], b = dst[e];
        var ex = x[a] - x[b], ey = y[a] - y[b];
        var d = Math.sqrt(ex * ex + ey * ey) || 0.01;
        var fa = d / k; // attraction d²/k along the unit vector
        dx[a] -= ex * fa; dy[a] -= ey * fa;
        dx[b] += ex * fa; dy[b] += ey * fa;
      }
      for (i = 0; i < n; i++) {
        // gravity keeps separate components from drifting away
        dx[i] -= x[i] * gravity * k / 10;
        dy[i] -= y[i] * gravity * k / 10;
        var len = Math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]);
        if (len > 0) {
          var step = Math.min(len, temp);
          x[i] += dx[i] / len * step;
          y[i] += dy[i] / len * step;
        }
      }
      temp = Math.max(temp * 0.985, 0.5);
    }
    return { x: x, y: y };
  }

  // uniform grid of boxes for cheap overlap tests
  function Grid(cell) { this.cell = cell; this.cells = new Map(); }
  Grid.prototype.keys = function (b, fn) {
    var c = this.cell;
    for (var gx = Math.floor(b.x / c); gx <= Math.floor((b.x + b.w) / c); gx++) {
      for (var gy = Math.floor(b.y / c); gy <= Math.floor((b.y + b.h) / c); gy++) { fn(gx + ',' + gy); }
    }
  };
  Grid.prototype.add = function (b) {
    var cells = this.cells;
    this.keys(b, function (key) {
      var list = cells.get(key);
      if (!list) { list = []; cells.set(key, list); }
      list.push(b);
    });
  };
  Grid.prototype.free = function (b, gap) {
    var cells = this.cells, hit = false;
    this.keys(b, function (key) {
      if (hit) { return; }
      var list = cells.get(key);
      if (!list) { return; }
      for (var i = 0; i < list.length; i++) {
        var o = list[i];
        if (b.x < o.x + o.w + gap && o.x < b.x + b.w + gap && b.y < o.y + o.h + gap && o.y < b.y + b.h + gap) { hit = true; return; }
      }
    });
    return !hit;
  };

  function placeLabels(placed, opts) {
    var gap = 2;
    var h = opts.fontSize + 2 * opts.labelPadY + 3;
    var grid = new Grid(Math.max(48, h * 3));
    placed.forEach(function (p) { grid.add({ x: p.x - p.r, y: p.y - p.r, w: 2 * p.r, h: 2 * p.r }); });
    // most connected (and selected) nodes first: they keep the spot next to them
    var order = placed.slice().sort(function (a, b) {
      return (b.selected - a.selected) || (b.degree - a.degree) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var minY = Infinity;
    placed.forEach(function (p) { minY = Math.min(minY, p.y - p.r); });
    var overflow = [];
    order.forEach(function (p) {
      var w = p.label.w, r = p.r + 3;
      var spots = [
        [p.x + r, p.y - h / 2], [p.x - r - w, p.y - h / 2], [p.x - w / 2, p.y - r - h], [p.x - w / 2, p.y + r],
        [p.x + r * 0.7, p.y - r * 0.7 - h], [p.x - r * 0.7 - w, p.y - r * 0.7 - h],
        [p.x + r * 0.7, p.y + r * 0.7], [p.x - r * 0.7 - w, p.y + r * 0.7]
      ];
      var box = null, i;
      for (i = 0; i < spots.length && !box; i++) {
        var b = { x: spots[i][0], y: spots[i][1], w: w, h: h };
        if (grid.free(b, gap)) { box = b; }
      }
      // rings further out, centred on the node, with a leader line
      for (var ring = 1; ring <= 30 && !box; ring++) {
        var dist = r + ring * h;
        var steps = 8 + ring * 4;
        for (i = 0; i < steps && !box; i++) {
          var angle = (i / steps) * 2 * Math.PI;
          var cx = p.x + Math.cos(angle) * (dist + w / 2 * Math.abs(Math.cos(angle)));
          var cy = p.y + Math.sin(angle) * dist;
          var c = { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
          if (grid.free(c, gap)) { box = c; }
        }
      }
      if (!box) { overflow.push(p); return; }
      grid.add(box);
      p.label.x = box.x; p.label.y = box.y; p.label.h = h;
    });
    // the column right of everything placed so far is free by construction
    var right = -Infinity;
    placed.forEach(function (p) { right = Math.max(right, p.x + p.r, p.label.x != null ? p.label.x + p.label.w : -Infinity); });
    var columnY = minY;
    overflow.sort(function (a, b) { return a.y - b.y; }).forEach(function (p) {
      p.label.x = right + 4 * h; p.label.y = columnY; p.label.h = h; p.label.leader = true;
      columnY += h + gap + 1;
    });
    placed.forEach(function (p) {
      var l = p.label;
      var nearX = Math.max(l.x, Math.min(p.x, l.x + l.w)), nearY = Math.max(l.y, Math.min(p.y, l.y + l.h));
      l.leader = Math.sqrt((nearX - p.x) * (nearX - p.x) + (nearY - p.y) * (nearY - p.y)) > p.r + 6;
    });
    return overflow.length;
  }

  // edges as node indices (unknown ends and loops dropped), and node degrees
  function indexEdges(graph) {
    var index = new Map();
    graph.nodes.forEach(function (node, i) { index.set(node.id, i); });
    var edges = [];
    var degree = new Int32Array(graph.nodes.length);
    (graph.edges || []).forEach(function (e) {
      var s = index.get(e.source), t = index.get(e.target);
      if (s == null || t == null || s === t) { return; }
      edges.push({ s: s, t: t });
      degree[s]++; degree[t]++;
    });
    return { edges: edges, degree: degree };
  }

  function options(given) {
    var opts = {};
    Object.keys(DEFAULTS).forEach(function (k) { opts[k] = given && given[k] != null ? given[k] : DEFAULTS[k]; });
    return opts;
  }

  // the force simulation alone: the benchmark's baseline
  function forcesOnly(graph, given) { return forces(graph.nodes, indexEdges(graph).edges, options(given)); }

  /**
   * graph: {nodes: [{id, title, selected?}], edges: [{source, target}]}
   * returns {nodes: [{id, x, y, r, degree, label: {text, x, y, w, h, leader}}],
   *          edges: [{source, target, x1, y1, x2, y2}], width, height, minX, minY, overflow}
   */
  function layout(graph, given) {
    var opts = options(given);
    var measure = opts.measure || function (text) { return estimateWidth(text, opts.fontSize); };
    var indexed = indexEdges(graph);
    var edges = indexed.edges, degree = indexed.degree;
    var pos = forces(graph.nodes, edges, opts);
    var placed = graph.nodes.map(function (node, i) {
      var text = shorten(node.title || node.name || node.id, opts.maxLabelChars);
      var r = opts.nodeRadius + Math.min(6, Math.sqrt(degree[i]) * 1.2) + (node.kind === 'measure' ? 2 : 0);
      return { id: node.id, x: pos.x[i], y: pos.y[i], r: r, degree: degree[i], selected: node.selected ? 1 : 0,
               label: { text: text, w: Math.ceil(measure(text, node)) + 2 * opts.labelPadX } };
    });
    // room per node ~ a few label boxes, so most labels fit next to their node
    var meanW = 0;
    placed.forEach(function (p) { meanW += p.label.w; });
    meanW = placed.length ? meanW / placed.length : 0;
    var hBox = opts.fontSize + 2 * opts.labelPadY + 3;
    if (placed.length > 1) {
      var xs = placed.map(function (p) { return p.x; }), ys = placed.map(function (p) { return p.y; });
      var spanX = Math.max.apply(null, xs) - Math.min.apply(null, xs), spanY = Math.max.apply(null, ys) - Math.min.apply(null, ys);
      var want = Math.sqrt(placed.length * (meanW + 16) * hBox * 6);
      var scale = want / Math.max(1, Math.sqrt(spanX * spanY) || Math.max(spanX, spanY));
      placed.forEach(function (p) { p.x *= scale; p.y *= scale; });
    }
    var overflow = placeLabels(placed, opts);
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    placed.forEach(function (p) {
      minX = Math.min(minX, p.x - p.r, p.label.x); minY = Math.min(minY, p.y - p.r, p.label.y);
      maxX = Math.max(maxX, p.x + p.r, p.label.x + p.label.w); maxY = Math.max(maxY, p.y + p.r, p.label.y + p.label.h);
    });
    if (!placed.length) { minX = minY = 0; maxX = maxY = 1; }
    var margin = 10;
    var outEdges = edges.map(function (e) {
      var a = placed[e.s], b = placed[e.t];
      return { source: a.id, target: b.id, x1: a.x, y1: a.y, x2: b.x, y2: b.y };
    });
    return { nodes: placed, edges: outEdges, minX: minX - margin, minY: minY - margin,
             width: maxX - minX + 2 * margin, height: maxY - minY + 2 * margin, overflow: overflow };
  }

  function overlaps(boxes) { // for tests and the bench: pairs of overlapping boxes
    var found = 0;
    for (var i = 0; i < boxes.length; i++) {
      for (var j = i + 1; j < boxes.length; j++) {
        var a = boxes[i], b = boxes[j];
        if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) { found++; }
      }
    }
    return found;
  }

  return { layout: layout, forcesOnly: forcesOnly, shorten: shorten, random: random, overlaps: overlaps, DEFAULTS: DEFAULTS };
}));
