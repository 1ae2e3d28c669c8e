/* SPDX-License-Identifier: AGPL-3.0-or-later
 * The start page's preview of the atlas map: the city's outline and the
 * entries' points from /atlas/geojson (the atlas' own cached data), drawn
 * without any interaction; the link beside it opens the atlas. */
ckan.module('sca-home-map', function ($) {
  var COLOURS = { project: '#6b2c91', business: '#b35900', science: '#1a4f8b', administration: '#2e6b30',
                  civil_society: '#a3195b' };
  return {
    options: { geojson: null, boundary: null, districts: null, center: null, zoom: 11, baseMap: null },
    initialize: function () {
      var o = this.options;
      var map = L.map(this.el[0], {
        attributionControl: false, zoomControl: false, keyboard: false, dragging: false, touchZoom: false,
        scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false
      }).setView(o.center || [51, 10], o.zoom || 11);
      window.scaBaseLayer(map, o.baseMap);
      window.scaCityLayer(map, { boundary: o.boundary, districts: o.districts }).done(function (data) {
        map.fitBounds(L.geoJSON(data).getBounds(), { padding: [8, 8] });
      });
      $.getJSON(o.geojson).done(function (data) {
        L.geoJSON(data, {
          interactive: false,
          pointToLayer: function (feature, latlng) {
            var p = feature.properties || {};
            var colour = COLOURS[p.type === 'actor' ? p.helix_sector : 'project'] || '#555';
            return L.circleMarker(latlng, { radius: 5, color: '#fff', weight: 1, fillColor: colour, fillOpacity: 0.9,
                                            interactive: false });
          }
        }).addTo(map);
        map.getContainer().setAttribute('data-sca-points', String((data.features || []).length));
      });
    }
  };
});
