/* SPDX-License-Identifier: AGPL-3.0-or-later
 * The atlas page: map and list side by side, driven by the URL.
 *
 * The filter form is a plain GET form and the server renders list and
 * facets, so the page works without this script. The script intercepts the
 * form, loads the server-rendered fragment (?partial=1; record text escaped
 * there) and the map features (/atlas/geojson, same parameters) and keeps
 * the URL in step with pushState, so links are shareable and the back
 * button works. Popups are built with DOM text nodes, never HTML strings.
 */
ckan.module('sca-atlas', function ($) {
  'use strict';

  function textEl(tag, text, className) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = text == null ? '' : String(text);
    return el;
  }

  function cleanQuery(search) {
    var params = new URLSearchParams(search);
    var out = new URLSearchParams();
    params.forEach(function (value, key) {
      if (value !== '' && key !== 'partial' && key !== 'near') { out.append(key, value); }
    });
    return out;
  }

  return {
    options: { settings: {}, geojson: null, boundary: null, districts: null },

    initialize: function () {
      var el = this.el[0];
      var settings = this.options.settings || {};
      this.settings = settings;
      this.labels = settings.labels || {};
      this.texts = settings.texts || {};
      this.embed = !!settings.embed;
      this.base = window.location.pathname;
      this.status = el.querySelector('.sca-atlas-mapstatus');
      // narrow screens: the map comes first, the filters wait in their drawer
      var drawer = el.querySelector('[data-sca-drawer]');
      if (drawer && window.matchMedia && window.matchMedia('(max-width: 991px)').matches) { drawer.open = false; }
      // without tiles nothing sets a zoom range, and clustering needs one
      this.map = L.map(el.querySelector('#sca-atlas-map'), { keyboard: true, zoomSnap: 0.5, minZoom: 9, maxZoom: 18 });
      this.map.attributionControl.setPrefix(false);
      var tiles = settings.map || {};
      window.scaBaseLayer(this.map, tiles);
      this.cluster = L.markerClusterGroup({ showCoverageOnHover: false, chunkedLoading: true, maxClusterRadius: 50 });
      this.cluster.addTo(this.map);
      var self = this;
      this.map.setView(tiles.center || [0, 0], tiles.zoom || 11);
      window.scaCityLayer(this.map, { boundary: this.options.boundary, districts: this.options.districts })
        .done(function () { self.boundaryLoaded = true; self.fit(); });
      var sensorPanel = el.querySelector('[data-sca-sensor-panel]');
      if (sensorPanel && settings.sensors && window.scaSensorLayer) {
        window.scaSensorLayer(this.map, sensorPanel, settings.sensors);
      }
      this.bind();
      this.remember();
      this.loadFeatures(window.location.search);
      window.addEventListener('popstate', function () { self.load(window.location.search, false); });
    },

    bind: function () {
      var self = this;
      var el = this.el[0];
      el.addEventListener('submit', function (event) {
        var form = event.target.closest('form.sca-atlas-form');
        if (!form) { return; }
        event.preventDefault();
        self.submit(form);
      });
      el.addEventListener('change', function (event) {
        var target = event.target;
        var form = target.closest('form.sca-atlas-form');
        if (!form) { return; }
        if (target.matches('[data-sca-districts]')) {
          var parts = target.value ? target.value.split(',') : ['', ''];
          form.querySelector('[data-sca-lat]').value = parts[0];
          form.querySelector('[data-sca-lon]').value = parts[1];
        }
        if (target.matches('input[type=checkbox], select')) { self.submit(form); }
      });
      // a list entry's districts light up on the map while it is pointed at or focused
      var cardOf = function (event) { return event.target.closest && event.target.closest('.sca-card[data-districts]'); };
      var light = function (event) {
        var card = cardOf(event);
        if (card) { self.highlight(JSON.parse(card.getAttribute('data-districts'))); }
      };
      var dim = function (event) { if (cardOf(event)) { self.highlight(null); } };
      el.addEventListener('mouseover', light);
      el.addEventListener('focusin', light);
      el.addEventListener('mouseout', dim);
      el.addEventListener('focusout', dim);
      // list and map linked: a list entry marks its point (or the cluster holding it)
      var entryOf = function (event) { return event.target.closest && event.target.closest('.sca-card[data-id]'); };
      var mark = function (event) { var card = entryOf(event); if (card) { self.markPoint(card.getAttribute('data-id')); } };
      var unmark = function (event) { if (entryOf(event)) { self.markPoint(null); } };
      el.addEventListener('mouseover', mark);
      el.addEventListener('focusin', mark);
      el.addEventListener('mouseout', unmark);
      el.addEventListener('focusout', unmark);
      el.addEventListener('click', function (event) {
        var link = event.target.closest('.sca-atlas-pages a');
        if (link) {
          event.preventDefault();
          self.load(new URL(link.href, window.location.href).search, true);
        }
      });
      var area = el.querySelector('[data-sca-search-area]');
      if (area) {
        area.addEventListener('click', function () {
          var form = el.querySelector('form.sca-atlas-form');
          var input = form.querySelector('input[name=bbox]');
          if (!input) {
            input = document.createElement('input');
            input.type = 'hidden';
            input.name = 'bbox';
            form.appendChild(input);
          }
          var b = self.map.getBounds();
          input.value = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(',');
          self.keepView = true;
          self.submit(form);
        });
      }
      var pick = el.querySelector('[data-sca-pick-point]');
      if (pick) {
        pick.addEventListener('click', function () {
          var on = pick.getAttribute('aria-pressed') !== 'true';
          pick.setAttribute('aria-pressed', on ? 'true' : 'false');
          self.say(on ? self.texts.pick_point : '');
        });
        this.map.on('click', function (event) {
          if (pick.getAttribute('aria-pressed') !== 'true') { return; }
          pick.setAttribute('aria-pressed', 'false');
          var form = el.querySelector('form.sca-atlas-form');
          form.querySelector('[data-sca-lat]').value = event.latlng.lat.toFixed(5);
          form.querySelector('[data-sca-lon]').value = event.latlng.lng.toFixed(5);
          var select = form.querySelector('[data-sca-districts]');
          if (select) { select.value = ''; }
          self.submit(form, true);
        });
      }
    },

    submit: function (form, keepPoint) {
      var data = new FormData(form);
      var near = data.get('near');
      if (!keepPoint && near === '') {
        data.delete('lat');
        data.delete('lon');
      }
      if (!data.get('lat')) { data.delete('radius_km'); }
      data.delete('page');
      var query = cleanQuery(new URLSearchParams(data).toString()).toString();
      this.load(query ? '?' + query : '', true);
    },

    say: function (text) { if (this.status) { this.status.textContent = text || ''; } },

    // entry pages lead back to this selection (back-to-atlas.js)
    remember: function () {
      if (this.embed) { return; }
      try { window.sessionStorage.setItem('sca-atlas-url', window.location.pathname + window.location.search); } catch (e) { /* private mode */ }
    },

    load: function (search, push) {
      var self = this;
      var query = cleanQuery(search).toString();
      if (push) { window.history.pushState({}, '', this.base + (query ? '?' + query : '')); }
      this.remember();
      this.carryQuery(query);
      var active = document.activeElement && document.activeElement.id;
      fetch(this.base + '?' + (query ? query + '&' : '') + 'partial=1',
            { credentials: this.embed ? 'omit' : 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (response) { return response.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          ['form.sca-atlas-form', '#sca-atlas-results', '#sca-atlas-citywide'].forEach(function (selector) {
            var fresh = doc.querySelector(selector);
            var old = self.el[0].querySelector(selector);
            if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
          });
          if (active && document.getElementById(active)) { document.getElementById(active).focus(); }
          self.sayMapStatus();
        });
      this.loadFeatures('?' + query);
    },

    // links to the network and the exports describe the same selection
    carryQuery: function (query) {
      var params = new URLSearchParams(query);
      params.delete('page');
      var carried = params.toString();
      this.el[0].querySelectorAll('a[data-sca-carry-query]').forEach(function (link) {
        var url = new URL(link.href, window.location.href);
        url.search = carried ? '?' + carried : '';
        link.href = url.toString();
      });
    },

    loadFeatures: function (search) {
      var self = this;
      var params = cleanQuery(search);
      params.delete('page');
      var url = this.options.geojson + (params.toString() ? '?' + params.toString() : '');
      this.say(this.texts.loading);
      fetch(url, { credentials: this.embed ? 'omit' : 'same-origin' })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        })
        .then(function (collection) { self.show(collection); })
        .catch(function () { self.say(self.texts.map_failed); });
    },

    show: function (collection) {
      var self = this;
      this.cluster.clearLayers();
      this.markers = {};
      var markers = collection.features.map(function (feature) {
        var p = feature.properties;
        var c = feature.geometry.coordinates;
        var classes = 'sca-icon sca-icon-' + p.type + (p.helix_sector ? ' sca-sector-' + p.helix_sector : '');
        var marker = L.marker([c[1], c[0]], {
          icon: L.divIcon({ className: classes, iconSize: [16, 16] }),
          title: p.title, alt: p.title, keyboard: true
        });
        marker.bindPopup(function () { return self.popup(p); });
        // an entry's districts light up while it is pointed at or its popup is open
        marker.on('mouseover popupopen', function () { self.highlight(p.districts); self.markCard(p.id, true); });
        marker.on('popupopen', function () { self.detail(p); });
        marker.on('mouseout popupclose', function () {
          if (!marker.isPopupOpen()) { self.highlight(null); self.markCard(p.id, false); }
        });
        self.markers[p.id] = marker;
        return marker;
      });
      this.cluster.addLayers(markers);
      this.collection = collection;
      this.sayMapStatus();
      this.fit();
    },

    sayMapStatus: function () {
      var collection = this.collection;
      if (!collection) { return; }
      var shown = collection.features.length;
      var text = collection.truncated
        ? this.texts.truncated.replace('{n}', shown).replace('{total}', collection.total)
        : this.texts.on_map.replace('{n}', shown);
      var box = this.el[0].querySelector('#sca-atlas-citywide');
      var citywide = box ? parseInt(box.getAttribute('data-count'), 10) || 0 : 0;
      if (citywide) { text += (/[.!?]$/.test(text) ? ' ' : '. ') + this.texts.citywide.replace('{n}', citywide); }
      this.say(text);
    },

    markPoint: function (id) {
      if (this.markedIcon) { this.markedIcon.classList.remove('sca-marked'); this.markedIcon = null; }
      var marker = id && this.markers && this.markers[id];
      var shown = marker && this.cluster.getVisibleParent(marker);
      var icon = shown && shown.getElement && shown.getElement();
      if (icon) { icon.classList.add('sca-marked'); this.markedIcon = icon; }
    },

    markCard: function (id, on) {
      var card = this.el[0].querySelector('#sca-atlas-results .sca-card[data-id="' + String(id).replace(/["\\]/g, '') + '"]');
      if (card) { card.classList.toggle('sca-card-marked', on); }
    },

    highlight: function (names) {
      var layers = this.map.scaDistricts || {};
      (this.lit || []).forEach(function (layer) { layer.setStyle({ color: '#9a9a9a', weight: 1, fill: false }); });
      this.lit = (names || []).map(function (name) { return layers[name]; }).filter(Boolean);
      this.lit.forEach(function (layer) {
        layer.setStyle({ color: '#1a4f8b', weight: 2, fill: true, fillColor: '#1a4f8b', fillOpacity: 0.15 });
      });
    },

    fit: function () {
      if (this.keepView) { this.keepView = false; return; }
      var bounds = this.cluster.getBounds();
      if (bounds.isValid()) {
        this.map.fitBounds(bounds.pad(0.1), { maxZoom: 15 });
      }
    },

    // the chosen entry beside the map: what the popup says, and the way to its page
    detail: function (p) {
      var panel = this.el[0].querySelector('[data-sca-detail]');
      if (!panel) { return; }
      var box = this.popup(p);
      box.className = 'sca-detail-box';
      panel.replaceChildren(box);
      panel.hidden = false;
    },

    popup: function (p) {
      var labels = this.labels;
      var box = document.createElement('div');
      box.className = 'sca-popup';
      var title = document.createElement('h3');
      var link = window.scaLinkOrText(p.title, p.url);
      if (this.embed && link.href) { link.target = '_blank'; link.rel = 'noopener'; }
      title.appendChild(link);
      box.appendChild(title);
      var kind = [ (labels.entity_type || {})[p.type] || p.type ];
      if (p.actor_kind) { kind.push((labels.actor_kind || {})[p.actor_kind] || p.actor_kind); }
      if (p.project_kind) { kind.push((labels.project_kind || {})[p.project_kind] || p.project_kind); }
      if (p.helix_sector) { kind.push((labels.helix_sector || {})[p.helix_sector] || p.helix_sector); }
      box.appendChild(textEl('p', kind.join(' · '), 'sca-popup-kind'));
      if (p.source_city) {
        box.appendChild(textEl('p', this.texts.from_atlas.replace('{city}', function () { return p.source_city; }), 'sca-popup-source'));
      }
      if (p.districts && p.districts.length) {
        box.appendChild(textEl('p', p.districts.join(', ') + (p.location_coarsened ? ' (' + this.texts.coarse + ')' : ''), 'sca-popup-district'));
      }
      if (p.topics && p.topics.length) {
        box.appendChild(textEl('p', p.topics.map(function (t) { return (labels.topic || {})[t] || t; }).join(' · '), 'sca-popup-topics'));
      }
      return box;
    }
  };
});
