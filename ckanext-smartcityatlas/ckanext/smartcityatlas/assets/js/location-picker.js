/* SPDX-License-Identifier: AGPL-3.0-or-later
 * Location picker for the entity forms. The GeoJSON textarea stays the
 * source of truth (and works without JavaScript); this adds latitude and
 * longitude fields for keyboard users and a map where a click sets a point.
 * Both stay in sync. */
ckan.module('sca-location-picker', function ($) {
  return {
    // centre, zoom and the labels' examples come from the city (sca_location.html)
    options: { boundary: null, districts: null, center: null, zoom: 11, latLabel: '', lonLabel: '' },
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
      var mapEl = $('<div class="sca-map-picker" tabindex="0" role="application"></div>')
        .attr('aria-label', this._('Map: click to set the location'));
      textarea.after(mapEl).after(coords);
      this.lat = coords.find('input').eq(0);
      this.lon = coords.find('input').eq(1);
      this.map = L.map(mapEl[0], { attributionControl: false }).setView(this.options.center, this.options.zoom);
      window.scaCityLayer(this.map, { boundary: this.options.boundary, districts: this.options.districts });
      this.layer = L.geoJSON(null, {
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 8, color: '#1a4f8b' }); }
      }).addTo(this.map);
      this.map.on('click', function (e) { self.setPoint(e.latlng.lat, e.latlng.lng); });
      this.lat.add(this.lon).on('change', function () {
        var lat = parseFloat(self.lat.val()), lon = parseFloat(self.lon.val());
        if (!isNaN(lat) && !isNaN(lon)) { self.setPoint(lat, lon); }
      });
      textarea.on('change', function () { self.fromText(); });
      this.fromText();
    },
    setPoint: function (lat, lon) {
      lat = Math.round(lat * 1e6) / 1e6; lon = Math.round(lon * 1e6) / 1e6;
      this.el.val(JSON.stringify({ type: 'Point', coordinates: [lon, lat] }));
      this.fromText();
    },
    fromText: function () {
      var geom = null;
      try { geom = JSON.parse(this.el.val() || 'null'); } catch (e) { geom = null; }
      this.layer.clearLayers();
      if (!geom || !geom.type) { return; }
      try { this.layer.addData(geom); } catch (e) { return; }
      if (geom.type === 'Point') {
        this.lat.val(geom.coordinates[1]); this.lon.val(geom.coordinates[0]);
      }
    }
  };
});
