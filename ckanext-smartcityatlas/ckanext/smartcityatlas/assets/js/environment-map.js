/* SPDX-License-Identifier: AGPL-3.0-or-later
 * The environment dashboard's choropleth: the district outlines of the
 * city configuration (self-hosted, no tile server) filled with the colour
 * class of each district's value, computed on the server
 * (environment/views.py). The table next to it holds the same values; the
 * map is a picture (role="img"), not a control: no zoom, no keyboard stop.
 * Tooltips are DOM text, never HTML strings. */
ckan.module('sca-environment-map', function ($) {
  'use strict';
  return {
    options: { values: {}, districts: null },

    initialize: function () {
      var el = this.el[0];
      var values = this.options.values || {};
      el.hidden = false;
      var map = L.map(el, {
        attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
        doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false
      });
      $.getJSON(this.options.districts).done(function (data) {
        var layer = L.geoJSON(data, {
          style: function (feature) {
            var value = values[feature.properties.name];
            return { color: '#4a4a4a', weight: 1, fillOpacity: value ? 0.75 : 0,
                     fillColor: value ? value.colour : '#ffffff' };
          },
          onEachFeature: function (feature, districtLayer) {
            var value = values[feature.properties.name];
            var tip = document.createElement('span');
            tip.textContent = value ? value.text : feature.properties.name;
            districtLayer.bindTooltip(tip, { sticky: true });
          }
        }).addTo(map);
        map.fitBounds(layer.getBounds());
      });
    }
  };
});
