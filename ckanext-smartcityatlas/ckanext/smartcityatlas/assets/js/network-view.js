/* SPDX-License-Identifier: AGPL-3.0-or-later
 * The network view: draws the graph embedded in the page as SVG.
 *
 * Layout comes from network-layout.js (deterministic, labels never
 * overlap); text widths are measured with a canvas in the SVG's own font,
 * so the boxes the layout reserves are the boxes the browser draws. All
 * record text goes in with textContent. The SVG is one image with a title
 * and a description; the server-rendered table below it is the
 * keyboard and screen-reader alternative. Zoom and pan change the viewBox.
 */
ckan.module('sca-network', function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';

  function svgEl(tag, attrs, parent) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(el); }
    return el;
  }

  function textEl(tag, text, className) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = text == null ? '' : String(text);
    return el;
  }

  return {
    options: { settings: {} },

    initialize: function () {
      var root = this.el[0];
      var data = document.getElementById('sca-network-data');
      var canvas = root.querySelector('[data-sca-network-canvas]');
      if (!data || !canvas) { return; }
      this.texts = (this.options.settings || {}).texts || {};
      this.graph = JSON.parse(data.textContent);
      this.detail = root.querySelector('[data-sca-network-detail]');
      this.draw(canvas);
      var tools = root.querySelector('.sca-network-tools');
      if (tools) { tools.hidden = false; }
      this.bind(root);
    },

    measure: function (svg) {
      var style = window.getComputedStyle(svg);
      var ctx = document.createElement('canvas').getContext('2d');
      // selected entries are labelled in bold: measured in bold
      return function (text, node) {
        ctx.font = (node && node.selected ? 'bold ' : '') + '12px ' + style.fontFamily;
        return ctx.measureText(text).width;
      };
    },

    draw: function (canvas) {
      var graph = this.graph;
      var svg = svgEl('svg', { 'class': 'sca-network-svg', role: 'img', 'aria-labelledby': 'sca-network-svg-title sca-network-svg-desc' });
      svgEl('title', { id: 'sca-network-svg-title' }, svg).textContent = canvas.getAttribute('data-title') || '';
      svgEl('desc', { id: 'sca-network-svg-desc' }, svg).textContent = canvas.getAttribute('data-desc') || '';
      canvas.appendChild(svg);
      var started = window.performance.now();
      var result = window.scaNetworkLayout.layout(graph, { measure: this.measure(svg) });
      this.layoutMs = window.performance.now() - started;
      canvas.setAttribute('data-layout-ms', String(Math.round(this.layoutMs)));
      var byId = {};
      graph.nodes.forEach(function (node) { byId[node.id] = node; });
      var pos = {};
      result.nodes.forEach(function (p) { pos[p.id] = p; });
      this.pos = pos;
      this.byId = byId;

      var edgeLayer = svgEl('g', { 'class': 'sca-net-edges' }, svg);
      var nodeLayer = svgEl('g', { 'class': 'sca-net-nodes' }, svg);
      var labelLayer = svgEl('g', { 'class': 'sca-net-labels' }, svg);
      this.edgeEls = [];
      var self = this;
      graph.edges.forEach(function (edge) {
        var a = pos[edge.source], b = pos[edge.target];
        if (!a || !b) { return; }
        var line = svgEl('line', { x1: a.x, y1: a.y, x2: b.x, y2: b.y,
                                   'class': 'sca-net-edge sca-net-edge-' + edge.kind }, edgeLayer);
        line.setAttribute('data-source', edge.source);
        line.setAttribute('data-target', edge.target);
        self.edgeEls.push(line);
      });
      this.nodeEls = {};
      result.nodes.forEach(function (p) {
        var node = byId[p.id];
        var kind = node.type === 'actor' ? 'actor' : (node.kind === 'measure' ? 'measure' : 'project');
        var classes = 'sca-net-node sca-net-' + kind + (node.helix_sector ? ' sca-sector-' + node.helix_sector : '') +
          (node.selected ? ' is-selected' : '');
        var g = svgEl('g', { 'class': classes, 'data-id': node.id }, nodeLayer);
        if (kind === 'actor') {
          svgEl('circle', { cx: p.x, cy: p.y, r: p.r }, g);
        } else if (kind === 'measure') {
          var r = p.r;
          svgEl('polygon', { points: [[p.x, p.y - r], [p.x + r, p.y], [p.x, p.y + r], [p.x - r, p.y]].join(' ') }, g);
        } else {
          var s = p.r * 0.85;
          svgEl('rect', { x: p.x - s, y: p.y - s, width: 2 * s, height: 2 * s, rx: 2 }, g);
        }
        svgEl('title', {}, g).textContent = node.title + ' (' + (node.kind_label || '') + ')';
        self.nodeEls[node.id] = g;

        var l = p.label;
        var label = svgEl('g', { 'class': 'sca-net-label' + (node.selected ? ' is-selected' : ''), 'data-id': node.id }, labelLayer);
        if (l.leader) {
          var cx = Math.max(l.x, Math.min(p.x, l.x + l.w)), cy = Math.max(l.y, Math.min(p.y, l.y + l.h));
          svgEl('line', { x1: p.x, y1: p.y, x2: cx, y2: cy, 'class': 'sca-net-leader' }, label);
        }
        svgEl('rect', { x: l.x, y: l.y, width: l.w, height: l.h, rx: 2 }, label);
        var text = svgEl('text', { x: l.x + 3, y: l.y + l.h / 2, 'dominant-baseline': 'central' }, label);
        text.textContent = l.text;
        // a shortened label keeps the full title as its tooltip
        if (l.text !== node.title) { svgEl('title', {}, label).textContent = node.title; }
      });
      this.svg = svg;
      this.full = { x: result.minX, y: result.minY, w: result.width, h: result.height };
      this.fit();
    },

    setView: function (view) {
      this.view = view;
      this.svg.setAttribute('viewBox', [view.x, view.y, view.w, view.h].map(function (v) { return v.toFixed(1); }).join(' '));
    },

    fit: function () { this.setView({ x: this.full.x, y: this.full.y, w: this.full.w, h: this.full.h }); },

    zoom: function (factor, cx, cy) {
      var v = this.view;
      if (cx == null) { cx = v.x + v.w / 2; cy = v.y + v.h / 2; }
      var w = Math.min(Math.max(v.w * factor, 100), this.full.w * 4);
      var f = w / v.w;
      this.setView({ x: cx - (cx - v.x) * f, y: cy - (cy - v.y) * f, w: v.w * f, h: v.h * f });
    },

    bind: function (root) {
      var self = this;
      root.addEventListener('click', function (event) {
        var button = event.target.closest('[data-sca-zoom]');
        if (button) {
          var how = button.getAttribute('data-sca-zoom');
          if (how === 'fit') { self.fit(); } else { self.zoom(how === 'in' ? 0.7 : 1 / 0.7); }
          return;
        }
        var hit = event.target.closest('.sca-net-node, .sca-net-label');
        if (hit && !self.dragged) { self.select(hit.getAttribute('data-id')); }
      });
      var svg = this.svg;
      svg.addEventListener('wheel', function (event) {
        event.preventDefault();
        var box = svg.getBoundingClientRect();
        var v = self.view;
        var scale = Math.max(v.w / box.width, v.h / box.height);
        var cx = v.x + (event.clientX - box.left - (box.width - v.w / scale) / 2) * scale;
        var cy = v.y + (event.clientY - box.top - (box.height - v.h / scale) / 2) * scale;
        self.zoom(event.deltaY < 0 ? 0.85 : 1 / 0.85, cx, cy);
      }, { passive: false });
      var drag = null;
      svg.addEventListener('pointerdown', function (event) {
        drag = { x: event.clientX, y: event.clientY, view: self.view };
        self.dragged = false;
      });
      window.addEventListener('pointermove', function (event) {
        if (!drag) { return; }
        var box = svg.getBoundingClientRect();
        var scale = Math.max(drag.view.w / box.width, drag.view.h / box.height);
        var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) { self.dragged = true; }
        self.setView({ x: drag.view.x - dx * scale, y: drag.view.y - dy * scale, w: drag.view.w, h: drag.view.h });
      });
      window.addEventListener('pointerup', function () {
        drag = null;
        window.setTimeout(function () { self.dragged = false; }, 0);
      });
    },

    // highlight a node with its connections and describe it next to the drawing
    select: function (id) {
      var self = this;
      var node = this.byId[id];
      if (!node) { return; }
      var neighbours = {};
      neighbours[id] = true;
      this.svg.classList.add('has-active');
      this.edgeEls.forEach(function (line) {
        var on = line.getAttribute('data-source') === id || line.getAttribute('data-target') === id;
        line.classList.toggle('is-active', on);
        if (on) { neighbours[line.getAttribute('data-source')] = true; neighbours[line.getAttribute('data-target')] = true; }
      });
      this.svg.querySelectorAll('.sca-net-node, .sca-net-label').forEach(function (el) {
        el.classList.toggle('is-active', !!neighbours[el.getAttribute('data-id')]);
      });
      if (!this.detail) { return; }
      this.detail.textContent = '';
      var title = document.createElement('h2');
      title.appendChild(window.scaLinkOrText(node.title, node.url));
      this.detail.appendChild(title);
      var count = Object.keys(neighbours).length - 1;
      this.detail.appendChild(textEl('p', (node.kind_label || '') + ' · ' +
        (this.texts.connections || '{n}').replace('{n}', count)));
      var row = textEl('a', this.texts.in_table || '');
      row.href = '#sca-node-' + id;
      if (this.texts.in_table) { this.detail.appendChild(row); }
    }
  };
});
