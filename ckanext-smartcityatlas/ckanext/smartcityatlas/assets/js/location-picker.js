/* SPDX-License-Identifier: AGPL-3.0-or-later
 * Location picker for the entity forms. The GeoJSON textarea stays the
 * source of truth (and works without JavaScript, for keyboard users too);
 * this adds latitude and longitude fields and a map: in "point" mode a click
 * sets the point, in "area" mode clicks add the corners of a polygon that
 * "Finish area" writes into the field. Everything stays in sync. */
ckan.module('sca-location-picker', function ($) {
  return {
    // centre, zoom and the labels' examples come from the city (sca_location.html)
    options: { boundary: null, districts: null, center: null, zoom: 11, latLabel: '', lonLabel: '', baseMap: null },
    initialize: function () {
      var self = this, textarea = this.el;
      var id = textarea.attr('id');
      var coords = $(
        '<div class="sca-coords">' +
        '<div><label for="' + id + '-lat"></label><input type="number" step="any" min="-90" max="90" class="form-control" id="' + id + '-lat"></div>' +
        '<div><label for="' + id + '-lon"></label><input type="number" step="any" min="-180" max="180" class="form-control" id="' + id + '-lon"></div>' +
        '</div>');
      coords.find('label').eq(0).text(this.options.latLabel || this._('Latitude'));
      coords.find('label').eq(1).text(this.options.lonLabel || this._('Longitude'));
      var tools = $(
        '<div class="sca-draw-tools" role="group">' +
        '<button type="button" class="btn btn-secondary btn-sm" data-sca-mode="point" aria-pressed="true"></button>' +
        '<button type="button" class="btn btn-secondary btn-sm" data-sca-mode="area" aria-pressed="false"></button>' +
        '<button type="button" class="btn btn-primary btn-sm" data-sca-finish disabled></button>' +
        '<button type="button" class="btn btn-secondary btn-sm" data-sca-undo disabled></button>' +
        '<button type="button" class="btn btn-secondary btn-sm" data-sca-clear></button>' +
        '<p class="sca-draw-status" role="status" aria-live="polite"></p></div>');
      tools.attr('aria-label', this._('Draw the location on the map'));
      tools.find('[data-sca-mode=point]').text(this._('Set a point'));
      tools.find('[data-sca-mode=area]').text(this._('Draw an area'));
      tools.find('[data-sca-finish]').text(this._('Finish area'));
      tools.find('[data-sca-undo]').text(this._('Remove last corner'));
      tools.find('[data-sca-clear]').text(this._('Clear location'));
      var mapEl = $('<div class="sca-map-picker" tabindex="0" role="application"></div>')
        .attr('aria-label', this._('Map: click to set the location'));
      textarea.after(mapEl).after(tools).after(coords);
      this.tools = tools;
      this.status = tools.find('.sca-draw-status');
      this.lat = coords.find('input').eq(0);
      this.lon = coords.find('input').eq(1);
      this.mode = 'point';
      this.corners = [];
      this.map = L.map(mapEl[0], { attributionControl: false }).setView(this.options.center, this.options.zoom);
      window.scaBaseLayer(this.map, this.options.baseMap);
      window.scaCityLayer(this.map, { boundary: this.options.boundary, districts: this.options.districts });
      this.layer = L.geoJSON(null, {
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 8, color: '#1a4f8b' }); },
        style: { color: '#1a4f8b', weight: 2, fillOpacity: 0.2 }
      }).addTo(this.map);
      this.sketch = L.layerGroup().addTo(this.map);
      this.map.on('click', function (e) {
        if (self.mode === 'area') { self.addCorner(e.latlng); } else { self.setPoint(e.latlng.lat, e.latlng.lng); }
      });
      tools.on('click', '[data-sca-mode]', function () { self.setMode($(this).attr('data-sca-mode')); });
      tools.on('click', '[data-sca-finish]', function () { self.finishArea(); });
      tools.on('click', '[data-sca-undo]', function () { self.corners.pop(); self.drawSketch(); });
      tools.on('click', '[data-sca-clear]', function () {
        self.corners = []; self.drawSketch(); self.el.val(''); self.fromText();
      });
      this.lat.add(this.lon).on('change', function () {
        var lat = parseFloat(self.lat.val()), lon = parseFloat(self.lon.val());
        if (!isNaN(lat) && !isNaN(lon)) { self.setPoint(lat, lon); }
      });
      textarea.on('change', function () { self.fromText(); });
      this.fromText();
    },
    round: function (v) { return Math.round(v * 1e6) / 1e6; },
    setMode: function (mode) {
      this.mode = mode;
      this.corners = [];
      this.tools.find('[data-sca-mode]').each(function () {
        $(this).attr('aria-pressed', String($(this).attr('data-sca-mode') === mode));
      });
      this.drawSketch();
      this.status.text(mode === 'area'
        ? this._('Click on the map to add the corners of the area, then “Finish area” (at least three corners).')
        : this._('Click on the map to set the point.'));
    },
    addCorner: function (latlng) {
      this.corners.push([this.round(latlng.lng), this.round(latlng.lat)]);
      this.drawSketch();
    },
    drawSketch: function () {
      var latlngs = this.corners.map(function (c) { return [c[1], c[0]]; });
      this.sketch.clearLayers();
      if (latlngs.length) {
        L.polyline(latlngs.length > 2 ? latlngs.concat([latlngs[0]]) : latlngs,
                   { color: '#b35900', weight: 2, dashArray: '4 4', interactive: false }).addTo(this.sketch);
        latlngs.forEach(function (ll) {
          L.circleMarker(ll, { radius: 4, color: '#b35900', interactive: false }).addTo(this.sketch);
        }, this);
      }
      this.tools.find('[data-sca-finish]').prop('disabled', this.corners.length < 3);
      this.tools.find('[data-sca-undo]').prop('disabled', !this.corners.length);
      if (this.mode === 'area' && this.corners.length) {
        this.status.text(this._('{n} corners; at least three make an area.').replace('{n}', this.corners.length));
      }
    },
    finishArea: function () {
      if (this.corners.length < 3) { return; }
      var ring = this.corners.concat([this.corners[0]]);
      this.el.val(JSON.stringify({ type: 'Polygon', coordinates: [ring] }));
      this.corners = [];
      this.drawSketch();
      this.fromText();
      this.status.text(this._('The area is in the location field.'));
    },
    setPoint: function (lat, lon) {
      this.el.val(JSON.stringify({ type: 'Point', coordinates: [this.round(lon), this.round(lat)] }));
      this.fromText();
    },
    fromText: function () {
      var geom = null;
      try { geom = JSON.parse(this.el.val() || 'null'); } catch (e) { geom = null; }
      this.layer.clearLayers();
      if (!geom || !geom.type) { this.lat.val(''); this.lon.val(''); return; }
      try { this.layer.addData(geom); } catch (e) { return; }
      if (geom.type === 'Point') {
        this.lat.val(geom.coordinates[1]); this.lon.val(geom.coordinates[0]);
      } else {
        this.lat.val(''); this.lon.val('');
      }
    }
  };
});
