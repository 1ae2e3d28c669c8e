/* SPDX-License-Identifier: AGPL-3.0-or-later
 * The self-hosted base layer: city boundary and district outlines from the
 * city configuration (no tile server, no third-party request). */
window.scaCityLayer = function (map, urls) {
  var style = { color: '#4a4a4a', weight: 1, fill: false };
  var group = L.featureGroup().addTo(map);
  // district layers by name, for pages that highlight an entry's districts
  map.scaDistricts = {};
  $.getJSON(urls.districts).done(function (data) {
    L.geoJSON(data, {
      style: { color: '#9a9a9a', weight: 1, fill: false }, interactive: false,
      onEachFeature: function (feature, layer) { map.scaDistricts[feature.properties.name] = layer; }
    }).addTo(group);
  });
  return $.getJSON(urls.boundary).done(function (data) {
    L.geoJSON(data, { style: style, interactive: false }).addTo(group);
  });
};
