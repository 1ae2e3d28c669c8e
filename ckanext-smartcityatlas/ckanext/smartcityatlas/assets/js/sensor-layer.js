/* SPDX-License-Identifier: AGPL-3.0-or-later
 * The atlas' sensor layer: an overlay in the map's layer control (off until
 * switched on; its data load only then) with the latest hourly mean of
 * every sensor location, coloured by the classes of its phenomenon
 * (sensors/scales.yaml, sent with the data), a legend with a phenomenon
 * selector, and popups with a small bar chart of the last hours drawn as
 * our own SVG. Every data text goes in through DOM text nodes; the table
 * page /atlas/sensoren has the same values without JavaScript.
 */
window.scaSensorLayer = function (map, panel, options) {
  'use strict';
  var texts = options.texts || {};
  var lang = (document.documentElement.lang || 'de').slice(0, 2);
  var SVG = 'http://www.w3.org/2000/svg';
  var number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  var percent = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 });
  var dateTime = new Intl.DateTimeFormat(lang, { timeZone: 'Europe/Berlin', day: '2-digit', month: '2-digit',
                                                 year: 'numeric', hour: '2-digit', minute: '2-digit' });
  var hourOnly = new Intl.DateTimeFormat(lang, { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
  var layer = L.layerGroup();
  var select = panel.querySelector('[data-sca-sensor-phenomenon]');
  var legendList = panel.querySelector('[data-sca-sensor-legend]');
  var status = panel.querySelector('[data-sca-sensor-status]');
  var tableLink = panel.querySelector('[data-sca-sensor-table]');
  var data = null;
  var overlays = {};
  // Leaflet writes overlay names as HTML: ours is escaped first
  overlays[$('<div>').text(texts.layer || '').html()] = layer;
  L.control.layers(null, overlays, { collapsed: false, position: 'bottomleft' }).addTo(map);

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text != null) { node.textContent = String(text); }
    return node;
  }
  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (m, key) { return values[key] == null ? '' : values[key]; });
  }
  function fmt(value) { return value == null ? '–' : number.format(value); }

  // the age of a value from the end of its hour to now, and whether it is
  // current: an out-of-date value is grey, never coloured as if it were current
  var relative = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }) : null;
  function ageSeconds(props) {
    return Math.max(0, (Date.now() - new Date(props.window_end).getTime()) / 1000);
  }
  function stateOf(props) {
    var age = ageSeconds(props);
    if (age <= (data.stale_after_seconds || Infinity)) { return 'live'; }
    return age <= (data.inactive_after_seconds || Infinity) ? 'stale' : 'inactive';
  }
  function ageText(props) {
    var age = ageSeconds(props);
    var units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
    for (var i = 0; i < units.length; i++) {
      if (age >= units[i][1] || i === units.length - 1) {
        var n = Math.max(0, Math.floor(age / units[i][1]));
        return relative ? relative.format(-n, units[i][0]) : dateTime.format(new Date(props.window_end));
      }
    }
    return '';
  }

  function phenomenon(id) {
    return (data.phenomena || []).filter(function (p) { return p.id === id; })[0];
  }
  function colour(p, cls) { return cls == null || !p ? '#767676' : p.legend[cls].colour; }

  function rangeText(cls, unit) {
    if (cls.from == null) { return fill(texts.below, { v: fmt(cls.below) }) + ' ' + unit; }
    if (cls.below == null) { return fill(texts.above, { v: fmt(cls.from) }) + ' ' + unit; }
    return fmt(cls.from) + ' – ' + fill(texts.below, { v: fmt(cls.below) }) + ' ' + unit;
  }

  function drawLegend(p) {
    legendList.replaceChildren();
    (p.legend || []).forEach(function (cls) {
      var item = el('li');
      var swatch = el('span', null, 'sca-sensor-swatch');
      swatch.style.background = cls.colour;
      swatch.setAttribute('aria-hidden', 'true');
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(rangeText(cls, p.unit) + ': ' + cls.label));
      legendList.appendChild(item);
    });
    var stale = el('li');
    var grey = el('span', null, 'sca-sensor-swatch sca-sensor-swatch-stale');
    grey.setAttribute('aria-hidden', 'true');
    stale.appendChild(grey);
    stale.appendChild(document.createTextNode(texts.stale_legend));
    legendList.appendChild(stale);
  }

  // a bar per hour, gaps where the hour has no value; min, max and the
  // latest value are also text (the chart's alternative)
  function chart(props) {
    var values = props.series || [];
    var known = values.filter(function (v) { return v != null; });
    var box = el('figure', null, 'sca-sensor-chart');
    if (!known.length) { return box; }
    var w = 240, h = 64, pad = 2;
    var lo = Math.min(0, Math.min.apply(null, known)), hi = Math.max.apply(null, known);
    if (hi === lo) { hi = lo + 1; }
    var bar = (w - 2 * pad) / values.length;
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    svg.setAttribute('width', w);
    svg.setAttribute('height', h);
    svg.setAttribute('role', 'img');
    var id = 'sca-chart-' + Math.random().toString(36).slice(2);
    var title = document.createElementNS(SVG, 'title');
    title.id = id;
    var summary = fill(texts.chart_summary, { hours: values.length, min: fmt(Math.min.apply(null, known)),
      max: fmt(Math.max.apply(null, known)), last: fmt(known[known.length - 1]), unit: props.unit });
    title.textContent = summary;
    svg.appendChild(title);
    svg.setAttribute('aria-labelledby', id);
    var axis = document.createElementNS(SVG, 'line');
    axis.setAttribute('x1', pad); axis.setAttribute('x2', w - pad);
    axis.setAttribute('y1', h - pad); axis.setAttribute('y2', h - pad);
    axis.setAttribute('class', 'sca-sensor-chart-axis');
    svg.appendChild(axis);
    values.forEach(function (v, i) {
      if (v == null) { return; }
      var top = pad + (hi - v) / (hi - lo) * (h - 2 * pad);
      var zero = pad + (hi - Math.max(lo, 0)) / (hi - lo) * (h - 2 * pad);
      var rect = document.createElementNS(SVG, 'rect');
      rect.setAttribute('x', (pad + i * bar + bar * 0.1).toFixed(2));
      rect.setAttribute('width', (bar * 0.8).toFixed(2));
      rect.setAttribute('y', Math.min(top, zero).toFixed(2));
      rect.setAttribute('height', Math.max(1, Math.abs(zero - top)).toFixed(2));
      rect.setAttribute('class', 'sca-sensor-chart-bar');
      svg.appendChild(rect);
    });
    box.appendChild(svg);
    var start = props.series_start ? hourOnly.format(new Date(props.series_start)) : '';
    box.appendChild(el('figcaption', summary + (start ? ' ' + fill(texts.chart_from, { start: start }) : '')));
    return box;
  }

  function popup(props) {
    var p = phenomenon(props.phenomenon);
    var box = el('div', null, 'sca-popup sca-sensor-popup');
    box.appendChild(el('h3', props.label + (props.district ? ' · ' + props.district : '')));
    var cls = props['class'] != null && p ? p.legend[props['class']] : null;
    var state = stateOf(props);
    box.appendChild(el('p', fmt(props.mean) + ' ' + props.unit + (cls ? ' (' + cls.label + ')' : ''), 'sca-sensor-value'));
    var start = new Date(props.window_start), end = new Date(props.window_end);
    box.appendChild(el('p', fill(texts.window, { start: dateTime.format(start), end: hourOnly.format(end) })));
    box.appendChild(el('p', fill(texts.age, { age: ageText(props) }) + ' · ' + texts['state_' + state],
                       'sca-sensor-age sca-sensor-age-' + state));
    box.appendChild(el('p', fill(texts.completeness, { completeness: props.completeness == null ? '–' : percent.format(props.completeness),
                                                       count: props.count })));
    box.appendChild(chart(props));
    var source = el('p', fill(texts.source, { sensor: props.sensor_id, source: (options.sources || {})[props.source_type] || props.source_type }), 'sca-popup-kind');
    box.appendChild(source);
    var line = el('p');
    line.appendChild(document.createTextNode(texts.dataset + ' '));
    line.appendChild(window.scaLinkOrText(props.dataset_title, props.dataset_url));
    box.appendChild(line);
    return box;
  }

  function show(id) {
    var p = phenomenon(id);
    layer.clearLayers();
    if (!p) { status.textContent = texts.none; legendList.replaceChildren(); return; }
    drawLegend(p);
    var shown = 0, live = 0;
    data.features.forEach(function (feature) {
      var props = feature.properties;
      if (props.phenomenon !== id) { return; }
      var c = feature.geometry.coordinates;
      // a pill with the class colour and the value: not told apart from
      // the entries' markers, or from each other, by colour alone
      var state = stateOf(props);
      var pill = el('span', null, 'sca-sensor-pill');
      var dot = el('span', null, 'sca-sensor-dot');
      dot.style.background = state === 'live' ? colour(p, props['class']) : '#767676';
      pill.appendChild(dot);
      pill.appendChild(el('span', fmt(props.mean)));
      var label = props.label + ': ' + fmt(props.mean) + ' ' + props.unit + (state === 'live' ? '' : ' (' + texts['state_' + state] + ', ' + ageText(props) + ')');
      if (state === 'live') { live += 1; }
      var marker = L.marker([c[1], c[0]], {
        icon: L.divIcon({ className: 'sca-sensor-marker sca-sensor-class-' + props['class'] + ' sca-sensor-' + state, html: pill, iconSize: [0, 0] }),
        title: label, alt: label, keyboard: true, riseOnHover: true, zIndexOffset: 1000
      });
      marker.bindPopup(function () { return popup(props); }, { maxWidth: 300 });
      layer.addLayer(marker);
      shown += 1;
    });
    var newest = p.newest_window_start ? dateTime.format(new Date(p.newest_window_start)) : '–';
    status.textContent = fill(data.truncated ? texts.truncated : texts.shown, { n: shown, label: p.label, newest: newest }) +
      (shown > live ? ' ' + fill(texts.stale_count, { n: shown - live }) : '');
    var url = new URL(tableLink.href, window.location.href);
    url.search = '?phenomenon=' + encodeURIComponent(id);
    tableLink.href = url.toString();
  }

  // one phenomenon per request (each cached here and on the server); the
  // first answer also lists every phenomenon there is for the selector
  var collections = {};
  var phenomena = null;
  function load(id) {
    status.textContent = texts.loading;
    var got = collections[id] ? Promise.resolve(collections[id])
      : fetch(options.url + '?phenomenon=' + encodeURIComponent(id), { credentials: 'same-origin' })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        });
    return got.then(function (collection) {
      collections[id] = collection;
      if (!phenomena) {
        phenomena = collection.phenomena || [];
        phenomena.forEach(function (p) {
          var option = el('option', p.label + ' (' + p.unit + ')');
          option.value = p.id;
          select.appendChild(option);
        });
      }
      if (!phenomena.length) { status.textContent = texts.none; return null; }
      if (!phenomena.some(function (p) { return p.id === id; })) { return load(phenomena[0].id); }
      data = collection;
      select.value = id;
      show(id);
      return null;
    }).catch(function () { status.textContent = texts.failed; });
  }

  select.addEventListener('change', function () { load(select.value); });
  map.on('overlayadd', function (event) {
    if (event.layer !== layer) { return; }
    panel.hidden = false;
    if (!data) { load(select.value || options['default']); }
  });
  map.on('overlayremove', function (event) {
    if (event.layer === layer) { panel.hidden = true; }
  });
  return layer;
};
