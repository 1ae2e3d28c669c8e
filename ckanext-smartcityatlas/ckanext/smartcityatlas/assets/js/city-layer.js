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

/* The city's base map under the outlines (city.yaml base_map, common/base_map.py):
 * tiles or a WMS from the configured host only, with its attribution as
 * text; nothing without one. The outlines stay on top whether or not the
 * service answers. */
window.scaBaseLayer = function (map, base) {
  if (!base || !(base.tile_url || base.wms_url)) { return null; }
  var attribution = $('<div>').text(base.tile_attribution || '').html();
  if (!map.attributionControl) { L.control.attribution({ prefix: false }).addTo(map); }
  else { map.attributionControl.setPrefix(false); }
  var options = { attribution: attribution, maxZoom: base.max_zoom || 19 };
  var layer = base.tile_url ? L.tileLayer(base.tile_url, options)
    : L.tileLayer.wms(base.wms_url, $.extend(options, { layers: base.wms_layers, format: 'image/png', transparent: true }));
  return layer.addTo(map);
};
