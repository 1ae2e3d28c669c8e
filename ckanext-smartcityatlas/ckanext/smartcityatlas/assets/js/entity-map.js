/* SPDX-License-Identifier: AGPL-3.0-or-later
 * Small map of an entity's location on actor and project pages. */
ckan.module('sca-entity-map', function ($) {
  return {
    options: { geojson: null, boundary: null, districts: null, baseMap: null },
    initialize: function () {
      var geom = this.options.geojson;
      var map = L.map(this.el[0], { attributionControl: false, scrollWheelZoom: false, keyboard: true });
      var layer = L.geoJSON(geom, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 8, color: '#1a4f8b', weight: 2, fillOpacity: 0.7 });
        },
        style: { color: '#1a4f8b', weight: 2, fillOpacity: 0.2 }
      }).addTo(map);
      window.scaBaseLayer(map, this.options.baseMap);
      window.scaCityLayer(map, { boundary: this.options.boundary, districts: this.options.districts });
      var bounds = layer.getBounds();
      if (geom.type === 'Point') { map.setView(bounds.getCenter(), 14); } else { map.fitBounds(bounds.pad(0.1)); }
    }
  };
});
