/* routemap: draws a route map document (maps/webmap_data.py) on a Leaflet map, offline.
 *
 * Scenario text only ever enters the page as text (textContent, or markup that the browser
 * itself serialised from text nodes); only http(s) URLs become links. No request leaves the
 * page unless the reader picks an online tile layer.
 */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var ARROW_SPACING_PX = 150;
  var PLAY_INTERVAL_MS = 1400;
  var PICK_PX = 6;
  var LEG_POPUP = { maxWidth: 380, minWidth: 260, className: 'rm-popup', autoPanPaddingTopLeft: [20, 60] };

  // --- small helpers -------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function markup(node) {
    // Leaflet's layer control and attribution take HTML strings: let the browser write them.
    var holder = document.createElement('div');
    holder.appendChild(node);
    return holder.innerHTML;
  }

  function textMarkup(text) { return markup(el('span', null, text)); }

  function safeHref(url) {
    if (typeof url !== 'string') { return null; }
    var parsed;
    try { parsed = new URL(url); } catch (err) { return null; }
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.href : null;
  }

  function decode(codes, scale) {
    var out = [];
    var lat = 0;
    var lon = 0;
    for (var i = 0; i + 1 < codes.length; i += 2) {
      lat += codes[i];
      lon += codes[i + 1];
      out.push([lat / scale, lon / scale]);
    }
    return out;
  }

  function haversineKm(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad;
    var dLon = (b.lng - a.lng) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function formatKm(km) {
    var round = function (v) { return Math.round(v).toLocaleString('en-GB'); };
    return round(km) + ' km \u00b7 ' + round(km / 1.852) + ' nmi';
  }

  function icon(paths) {
    var node = svg('svg', { viewBox: '0 0 20 20', width: '18', height: '18', 'aria-hidden': 'true' });
    paths.forEach(function (d) {
      node.appendChild(svg('path', { d: d, fill: 'none', stroke: 'currentColor',
        'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
    });
    return node;
  }

  // --- symbols from the style table ----------------------------------------------------------

  var SHAPES = {
    square: function () { return svg('rect', { x: 3, y: 3, width: 14, height: 14 }); },
    circle: function () { return svg('circle', { cx: 10, cy: 10, r: 7.5 }); },
    triangle: function () { return svg('polygon', { points: '10,1.5 18.8,17.5 1.2,17.5' }); },
    diamond: function () { return svg('polygon', { points: '10,1 19,10 10,19 1,10' }); },
    plus: function () {
      return svg('polygon', { points: '7,1.5 13,1.5 13,7 18.5,7 18.5,13 13,13 13,18.5 7,18.5 7,13 1.5,13 1.5,7 7,7' });
    },
    cross: function () {
      return svg('polygon', { points: '7,1.5 13,1.5 13,7 18.5,7 18.5,13 13,13 13,18.5 7,18.5 7,13 1.5,13 1.5,7 7,7',
        transform: 'rotate(45 10 10) scale(0.9) translate(1.1 1.1)' });
    }
  };

  function placeSymbol(style) {
    var px = Math.round(style.size * 2 + 2);
    var node = svg('svg', { viewBox: '0 0 20 20', width: px, height: px, 'class': 'rm-symbol' });
    var shape = (SHAPES[style.shape] || SHAPES.circle)();
    shape.setAttribute('fill', style.fill);
    shape.setAttribute('stroke', style.edge);
    shape.setAttribute('stroke-width', '2.2');
    shape.setAttribute('stroke-linejoin', 'round');
    node.appendChild(shape);
    return { node: node, px: px };
  }

  function lineSample(color, width, dash, opacity) {
    var node = svg('svg', { viewBox: '0 0 40 12', width: '40', height: '12', 'class': 'rm-line-sample' });
    node.appendChild(svg('line', { x1: 1, y1: 6, x2: 39, y2: 6, stroke: '#ffffff',
      'stroke-width': width + 2.5, 'stroke-linecap': 'round' }));
    var line = svg('line', { x1: 1, y1: 6, x2: 39, y2: 6, stroke: color, 'stroke-width': width,
      'stroke-opacity': opacity === undefined ? 1 : opacity, 'stroke-linecap': dash ? 'butt' : 'round' });
    if (dash) { line.setAttribute('stroke-dasharray', dash); }
    node.appendChild(line);
    return node;
  }

  // --- popups --------------------------------------------------------------------------------

  function sourceItem(src) {
    var item = el('li', 'rm-source');
    if (src.publisher) { item.appendChild(el('span', 'rm-source-publisher', src.publisher)); item.appendChild(document.createTextNode(', ')); }
    var href = src.href && safeHref(src.href);
    var title = el(href ? 'a' : 'span', 'rm-source-title', '\u201c' + (src.title || src.text) + '\u201d');
    if (href) {
      title.href = href;
      title.target = '_blank';
      title.rel = 'noopener noreferrer';
    }
    item.appendChild(title);
    if (src.date) { item.appendChild(document.createTextNode(', ' + src.date)); }
    if (src.note) { item.appendChild(document.createTextNode(' (' + src.note + ')')); }
    item.appendChild(document.createTextNode('.'));
    if (src.url) {
      item.appendChild(el('div', href ? 'rm-source-url' : 'rm-source-url rm-not-linked',
        href ? src.url : src.url + ' (not a web link)'));
    }
    return item;
  }

  function popupContent(kicker, title, subtitle, rows, sources) {
    var box = el('div', 'rm-pop');
    if (kicker) { box.appendChild(el('div', 'rm-pop-kicker', kicker)); }
    box.appendChild(el('h3', 'rm-pop-title', title));
    if (subtitle) { box.appendChild(el('div', 'rm-pop-sub', subtitle)); }
    var table = el('table', 'rm-pop-rows');
    rows.forEach(function (row) {
      var tr = el('tr');
      tr.appendChild(el('th', null, row[0]));
      tr.appendChild(el('td', null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (sources.length) {
      box.appendChild(el('h4', 'rm-pop-h', sources.length > 1 ? 'Sources' : 'Source'));
      var list = el('ol', 'rm-sources');
      sources.forEach(function (src) { list.appendChild(sourceItem(src)); });
      box.appendChild(list);
    }
    return box;
  }

  function hoverLabel(title, subtitle) {
    var box = el('div', 'rm-hover');
    box.appendChild(el('strong', null, title));
    if (subtitle) { box.appendChild(el('div', null, subtitle)); }
    return box;
  }

  // --- the app -------------------------------------------------------------------------------

  function RouteMap(map, data) {
    this.map = map;
    this.data = data;
    this.legs = [];
    this.legById = {};
    this.annotations = [];
    this.placeLabels = [];
    this.step = 0;
    this.measuring = false;
  }

  RouteMap.prototype.panes = function () {
    var map = this.map;
    [['rmBasemap', 150], ['rmBasemapLabels', 170], ['rmUncertainty', 390], ['rmArrows', 450],
      ['rmAnnotations', 620]].forEach(function (pair) {
      var pane = map.createPane(pair[0]);
      pane.style.zIndex = String(pair[1]);
    });
    map.getPane('rmArrows').style.pointerEvents = 'none';
    map.getPane('rmBasemapLabels').style.pointerEvents = 'none';
  };

  RouteMap.prototype.basemap = function () {
    var b = this.data.basemap;
    var s = this.data.styles.basemap;
    var renderer = L.canvas({ pane: 'rmBasemap', padding: 0.3 });
    var decodeAll = function (items) {
      return items.map(function (item) {
        return typeof item[0] === 'number' ? decode(item, b.scale) : decodeAll(item);
      });
    };
    this.land = decodeAll(b.land);
    var common = { renderer: renderer, pane: 'rmBasemap', interactive: false };
    var group = L.layerGroup();
    group.addLayer(L.polygon(this.land, L.extend({ stroke: false, fillColor: s.land, fillOpacity: 1 }, common)));
    group.addLayer(L.polygon(decodeAll(b.focus), L.extend({ stroke: false, fillColor: s.focus, fillOpacity: 1 }, common)));
    group.addLayer(L.polyline(decodeAll(b.borders), L.extend({ color: s.border, weight: 0.9, opacity: 0.9, dashArray: '4 2' }, common)));
    group.addLayer(L.polyline(decodeAll(b.coast), L.extend({ color: s.coast, weight: 0.8, opacity: 1 }, common)));
    b.labels.forEach(function (label) {
      var span = el('span', 'rm-country rm-rank-' + label.rank, label.name);
      group.addLayer(L.marker([label.lat, label.lon], {
        icon: L.divIcon({ className: 'rm-country-icon', html: span, iconSize: null }),
        pane: 'rmBasemapLabels', interactive: false, keyboard: false
      }));
    });
    this.map.getContainer().style.background = s.sea;
    group.addTo(this.map);
    return group;
  };

  // --- legs, arrows and hover -----------------------------------------------------------------

  RouteMap.prototype.drawLeg = function (leg, group) {
    var parts = leg.parts.map(function (p) { return decode(p, this.data.scale); }, this);
    var casing = L.polyline(parts, { color: '#ffffff', weight: leg.weight + 3, opacity: 0.85,
      lineCap: 'round', lineJoin: 'round', className: 'rm-leg-casing' });
    var line = L.polyline(parts, { color: leg.color, weight: leg.weight, opacity: leg.opacity,
      dashArray: leg.dash, lineCap: leg.dash ? 'butt' : 'round', lineJoin: 'round',
      className: 'rm-leg rm-mode-' + leg.mode });
    var layer = L.featureGroup([casing, line]);
    var entry = { leg: leg, order: this.data.legs.indexOf(leg), parts: parts, casing: casing,
      line: line, layer: layer, arrows: L.layerGroup(), group: group, shown: false, popup: null };
    // Not bindPopup: a click first looks for other legs under the pointer (shared tracks).
    layer.on('click', function (e) { this.pick(entry, e.latlng, e.layerPoint); }, this);
    layer.on('remove', function () { this.closePopupsOf(entry); }, this);
    layer.bindTooltip(hoverLabel(leg.title, leg.subtitle), { sticky: true, direction: 'top',
      offset: [0, -8], className: 'rm-tooltip', opacity: 1 });
    layer.on('mouseover', function () { this.highlight(leg.transfer, true); }, this);
    layer.on('mouseout', function () { this.highlight(leg.transfer, false); }, this);
    this.legs.push(entry);
    this.legById[leg.id] = entry;
    this.show(entry, true);
  };

  // --- clicking a leg: its popup, or a chooser where legs share a track -----------------------

  RouteMap.prototype.legsNear = function (layerPoint) {
    // Every leg on the map whose drawn line passes within PICK_PX of the point, in scenario order.
    var map = this.map;
    return this.legs.filter(function (entry) {
      if (!map.hasLayer(entry.layer)) { return false; }
      var reach = PICK_PX + entry.leg.weight / 2;
      return entry.parts.some(function (latlngs) {
        var pts = latlngs.map(function (ll) { return map.latLngToLayerPoint(ll); });
        if (pts.length === 1) { return pts[0].distanceTo(layerPoint) <= reach; }
        for (var i = 1; i < pts.length; i++) {
          if (L.LineUtil.pointToSegmentDistance(layerPoint, pts[i - 1], pts[i]) <= reach) { return true; }
        }
        return false;
      });
    }).sort(function (a, b) { return a.order - b.order; });
  };

  RouteMap.prototype.pick = function (clicked, latlng, layerPoint) {
    var near = this.legsNear(layerPoint);
    if (near.indexOf(clicked) < 0) { near.unshift(clicked); }
    if (near.length === 1) { this.openLeg(clicked, latlng); return; }
    this.chooser = this.chooser || L.popup({ maxWidth: 320, minWidth: 220, className: 'rm-popup rm-chooser-popup' });
    this.chooser.setLatLng(latlng).setContent(this.chooserContent(near, latlng)).openOn(this.map);
  };

  RouteMap.prototype.chooserContent = function (entries, latlng) {
    var self = this;
    var styles = this.data.styles;
    var box = el('div', 'rm-chooser');
    box.appendChild(el('div', 'rm-pop-kicker', entries.length + ' routes here: choose one'));
    var list = el('ul', 'rm-chooser-list');
    entries.forEach(function (entry) {
      var leg = entry.leg;
      var mode = styles.modes[leg.mode];
      var conf = styles.confidences[leg.confidence];
      var button = el('button', 'rm-chooser-item');
      button.type = 'button';
      button.appendChild(lineSample(leg.color, Math.min(leg.weight, 5), conf ? conf.dash : null));
      var text = el('span', 'rm-chooser-text');
      text.appendChild(el('strong', 'rm-chooser-title', leg.title));
      text.appendChild(el('span', 'rm-chooser-meta', [mode ? mode.label : leg.mode,
        conf ? conf.label : leg.confidence].join(' \u00b7 ')));
      text.appendChild(el('span', 'rm-chooser-sub', leg.subtitle));
      button.appendChild(text);
      button.addEventListener('mouseenter', function () { self.highlight(leg.transfer, true); });
      button.addEventListener('mouseleave', function () { self.highlight(leg.transfer, false); });
      button.addEventListener('click', function () {
        self.highlight(leg.transfer, false);
        self.openLeg(entry, latlng);
      });
      var item = el('li');
      item.appendChild(button);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  };

  RouteMap.prototype.openLeg = function (entry, latlng) {
    var leg = entry.leg;
    entry.popup = entry.popup || L.popup(LEG_POPUP).setContent(function () {
      return popupContent('Transfer leg', leg.title, leg.subtitle, leg.rows, leg.sources);
    });
    entry.popup.setLatLng(latlng).openOn(this.map);
  };

  RouteMap.prototype.closePopupsOf = function (entry) {
    // A hidden leg takes its popup, and any chooser that might list it, off the map.
    [entry.popup, this.chooser].forEach(function (popup) {
      if (popup && popup.isOpen()) { popup.close(); }
    });
  };

  RouteMap.prototype.show = function (entry, visible) {
    if (visible === entry.shown) { return; }
    entry.shown = visible;
    if (visible) {
      entry.group.addLayer(entry.layer);
      entry.group.addLayer(entry.arrows);
      this.drawArrows(entry);
    } else {
      entry.group.removeLayer(entry.layer);
      entry.group.removeLayer(entry.arrows);
    }
  };

  RouteMap.prototype.highlight = function (transferId, on) {
    // Style only: reordering paths under the pointer (bringToFront) would swallow the click.
    this.legs.forEach(function (entry) {
      var mine = entry.leg.transfer === transferId;
      var w = entry.leg.weight + (on && mine ? 2.5 : 0);
      entry.casing.setStyle({ weight: w + 3, opacity: on && !mine ? 0.35 : 0.85 });
      entry.line.setStyle({ weight: w, opacity: on ? (mine ? 1 : 0.3) : entry.leg.opacity });
      var path = entry.line._path;
      if (path) { path.classList.toggle('rm-highlight', on && mine); }
    });
  };

  RouteMap.prototype.drawArrows = function (entry) {
    entry.arrows.clearLayers();
    var map = this.map;
    var zoom = map.getZoom();
    var color = entry.leg.color;
    entry.parts.forEach(function (latlngs) {
      var pts = latlngs.map(function (ll) { return map.project(ll, zoom); });
      var lengths = [];
      var total = 0;
      for (var i = 1; i < pts.length; i++) {
        var d = pts[i].distanceTo(pts[i - 1]);
        lengths.push(d);
        total += d;
      }
      if (total < 30) { return; }
      var count = Math.max(1, Math.floor(total / ARROW_SPACING_PX));
      var seg = 0;
      var walked = 0;
      for (var k = 0; k < count; k++) {
        var target = (k + 0.5) * total / count;
        while (seg < lengths.length - 1 && walked + lengths[seg] < target) { walked += lengths[seg]; seg++; }
        var a = pts[seg];
        var b = pts[seg + 1];
        var t = lengths[seg] > 0 ? (target - walked) / lengths[seg] : 0;
        var at = map.unproject(L.point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t), zoom);
        var angle = Math.atan2(b.y - a.y, b.x - a.x) * 180 / Math.PI;
        entry.arrows.addLayer(arrowMarker(at, angle, color, entry.leg.weight));
      }
    });
  };

  function arrowMarker(latlng, angle, color, weight) {
    var px = Math.round(Math.max(14, weight * 2.2 + 8));
    var node = svg('svg', { viewBox: '0 0 16 16', width: px, height: px, 'class': 'rm-arrow' });
    node.appendChild(svg('path', { d: 'M2.5,2.5 L14.5,8 L2.5,13.5 L5.5,8 Z', fill: color, stroke: '#ffffff',
      'stroke-width': '1.3', 'stroke-linejoin': 'round' }));
    node.style.transform = 'rotate(' + angle.toFixed(1) + 'deg)';
    return L.marker(latlng, { icon: L.divIcon({ className: 'rm-arrow-icon', html: node, iconSize: [px, px] }),
      pane: 'rmArrows', interactive: false, keyboard: false });
  }

  // --- places and annotations -----------------------------------------------------------------

  RouteMap.prototype.drawPlaces = function (groups) {
    var styles = this.data.styles.places;
    this.data.places.forEach(function (place) {
      var style = styles[place.kind] || styles.other;
      var latlng = decode(place.at, this.data.scale)[0];
      var group = groups[place.kind];
      if (place.uncertainty_km) {
        group.addLayer(L.circle(latlng, { radius: place.uncertainty_km * 1000, pane: 'rmUncertainty',
          color: style.edge === '#FFFFFF' ? style.fill : style.edge, weight: 1, dashArray: '3 3',
          fillOpacity: 0.06, interactive: false, className: 'rm-uncertainty' }));
      }
      var symbol = placeSymbol(style);
      var marker = L.marker(latlng, {
        icon: L.divIcon({ className: 'rm-place-icon rm-kind-' + place.kind, html: symbol.node,
          iconSize: [symbol.px, symbol.px] }),
        title: '', alt: '', riseOnHover: true
      });
      marker.bindPopup(function () {
        return popupContent(style.label, place.name, null, place.rows, place.sources);
      }, { maxWidth: 360, minWidth: 220, className: 'rm-popup' });
      var label = el('span', null, place.name);
      marker.bindTooltip(label, { permanent: true, direction: 'right', offset: [symbol.px / 2, 0],
        className: 'rm-place-label', opacity: 1 });
      this.placeLabels.push({ marker: marker, weight: place.legs || 0 });
      group.addLayer(marker);
    }, this);
  };

  RouteMap.prototype.drawAnnotations = function (group) {
    var color = this.data.styles.annotation;
    this.data.annotations.forEach(function (note, i) {
      var badge = el('span', 'rm-note-badge', String(i + 1));
      badge.style.background = color;
      var marker = L.marker(decode(note.at, this.data.scale)[0], {
        icon: L.divIcon({ className: 'rm-note-icon', html: badge, iconSize: [20, 20], iconAnchor: [-4, 24] }),
        pane: 'rmAnnotations'
      });
      marker.bindPopup(function () {
        return popupContent('Note ' + (i + 1), note.text, null, note.rows, note.sources);
      }, { maxWidth: 340, minWidth: 220, className: 'rm-popup' });
      marker.bindTooltip(hoverLabel(note.text, null), { direction: 'top', className: 'rm-tooltip', opacity: 1 });
      var entry = { note: note, marker: marker, group: group, shown: false };
      this.annotations.push(entry);
      this.showNote(entry, true);
    }, this);
  };

  RouteMap.prototype.showNote = function (entry, visible) {
    if (visible === entry.shown) { return; }
    entry.shown = visible;
    if (visible) { entry.group.addLayer(entry.marker); } else { entry.group.removeLayer(entry.marker); }
  };

  RouteMap.prototype.scheduleDeclutter = function () {
    if (this.declutterPending) { return; }
    this.declutterPending = true;
    var self = this;
    requestAnimationFrame(function () { self.declutterPending = false; self.declutter(); });
  };

  RouteMap.prototype.declutter = function () {
    // Hide place names that would overlap a more important one (more legs end there).
    var kept = [];
    this.placeLabels.slice().sort(function (a, b) { return b.weight - a.weight; }).forEach(function (item) {
      var tip = item.marker.getTooltip();
      var node = tip && tip.getElement();
      if (!node || !item.marker._map) { return; }
      node.style.visibility = '';
      var box = node.getBoundingClientRect();
      var clash = kept.some(function (other) {
        return box.left < other.right && box.right > other.left && box.top < other.bottom && box.bottom > other.top;
      });
      if (clash) { node.style.visibility = 'hidden'; } else { kept.push(box); }
    });
  };

  // --- the side panel: title, layer toggles, legend, background -------------------------------

  function control(node, position) {
    var Ctl = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        return node;
      }
    });
    return new Ctl();
  }

  function section(title, className) {
    var box = el('section', 'rm-section' + (className ? ' ' + className : ''));
    box.appendChild(el('h2', null, title));
    return box;
  }

  function toggle(type, name, checked, swatch, text, count, onChange) {
    var label = el('label', 'rm-toggle');
    var input = el('input');
    input.type = type;
    input.name = name;
    input.checked = checked;
    input.addEventListener('change', function () { onChange(input.checked); });
    label.appendChild(input);
    if (swatch) { label.appendChild(swatch); }
    label.appendChild(el('span', 'rm-toggle-text', text));
    if (count) { label.appendChild(el('span', 'rm-toggle-count', count)); }
    return label;
  }

  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : many); }

  RouteMap.prototype.titleBlock = function () {
    var data = this.data;
    var box = el('header', 'rm-title');
    box.appendChild(el('h1', null, data.title));
    if (data.subtitle) { box.appendChild(el('p', 'rm-subtitle', data.subtitle)); }
    var facts = [plural(data.transfers.length, 'transfer', 'transfers'),
      plural(data.legs.length, 'leg', 'legs'), plural(data.places.length, 'place', 'places')];
    if (data.as_of) { facts.unshift('As of ' + data.as_of); }
    box.appendChild(el('p', 'rm-meta', facts.join(' \u00b7 ')));
    box.appendChild(el('p', 'rm-hint', 'Click a route, place or note for details and sources.'));
    return box;
  };

  RouteMap.prototype.transferToggles = function (groups) {
    var data = this.data;
    var map = this.map;
    var box = section('Transfers', 'rm-transfers');
    data.transfers.forEach(function (t) {
      var mode = data.styles.modes[t.modes[0]];
      var conf = data.styles.confidences[t.confidence];
      var swatch = lineSample(mode.color, 3, conf ? conf.dash : null);
      box.appendChild(toggle('checkbox', 'transfer', true, swatch, t.label,
        plural(t.legs.length, 'leg', 'legs'), function (on) {
          if (on) { groups[t.id].addTo(map); } else { map.removeLayer(groups[t.id]); }
        }));
    });
    return box;
  };

  RouteMap.prototype.placeToggles = function (groups, notes) {
    var self = this;
    var data = this.data;
    var map = this.map;
    var box = section('Places', 'rm-places');
    var flip = function (layer) {
      return function (on) {
        if (on) { layer.addTo(map); } else { map.removeLayer(layer); }
        self.scheduleDeclutter();
      };
    };
    data.legend.places.forEach(function (kind) {
      var style = data.styles.places[kind];
      var count = data.places.filter(function (p) { return p.kind === kind; }).length;
      box.appendChild(toggle('checkbox', 'places', true, placeSymbol(style).node, style.label,
        String(count), flip(groups[kind])));
    });
    if (data.annotations.length) {
      var badge = el('span', 'rm-note-badge rm-note-badge-small', '1');
      badge.style.background = data.styles.annotation;
      box.appendChild(toggle('checkbox', 'notes', true, badge, 'Notes (dated callouts)',
        String(data.annotations.length), flip(notes)));
    }
    return box;
  };

  RouteMap.prototype.legend = function () {
    var data = this.data;
    var styles = data.styles;
    var box = section('Legend', 'rm-legend');
    var list = function (title, items) {
      if (!items.length) { return; }
      box.appendChild(el('h3', null, title));
      var ul = el('ul');
      items.forEach(function (item) {
        var li = el('li');
        li.appendChild(item[0]);
        var text = el('span', null, item[1]);
        if (item[2]) { text.appendChild(el('small', null, item[2])); }
        li.appendChild(text);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    };
    list('Mode', data.legend.modes.map(function (m) {
      var s = styles.modes[m];
      return [lineSample(s.color, s.width), s.label];
    }));
    list('Confidence', data.legend.confidences.map(function (c) {
      var s = styles.confidences[c];
      return [lineSample('#3a3f44', 2.6, s.dash, s.opacity), s.label, s.meaning];
    }));
    // The same rows as the slides' legend (maps.style.width_legend): samples in the main unit,
    // then other units at base width.
    list('Line width: quantity moved', data.legend.widths.map(function (row) {
      return [lineSample('#6D7278', row[0]), row[1]];
    }));
    var notes = ['Arrows show the direction of movement.'];
    if (data.places.some(function (p) { return p.uncertainty_km; })) {
      notes.push('Dashed circle: how far the site may lie from its marker.');
    }
    notes.forEach(function (text) { box.appendChild(el('p', 'rm-legend-note', text)); });
    return box;
  };

  RouteMap.prototype.backgrounds = function () {
    var map = this.map;
    var box = section('Background', 'rm-backgrounds');
    var layers = [null].concat(this.data.tiles.map(function (tile) {
      var options = { attribution: tile.attribution, maxZoom: tile.max_zoom };
      if (tile.subdomains) { options.subdomains = tile.subdomains; }
      return L.tileLayer(tile.url, options);
    }));
    var names = ['Offline basemap only (Natural Earth)'].concat(this.data.tiles.map(function (t) { return t.name; }));
    layers.forEach(function (layer, i) {
      box.appendChild(toggle('radio', 'rm-background', i === 0, null, names[i], null, function () {
        layers.forEach(function (other) { if (other && other !== layer) { map.removeLayer(other); } });
        if (layer) { layer.addTo(map); }
      }));
    });
    box.appendChild(el('p', 'rm-legend-note', 'Online layers load tiles from the internet; the offline basemap stays underneath.'));
    return box;
  };

  RouteMap.prototype.panel = function (transferGroups, placeGroups, notes) {
    var box = el('div', 'rm-panel leaflet-control');
    var body = el('div', 'rm-panel-body');
    var fold = el('button', 'rm-panel-fold', '\u2039');
    fold.type = 'button';
    fold.setAttribute('aria-label', 'Hide the panel');
    fold.setAttribute('aria-expanded', 'true');
    fold.addEventListener('click', function () {
      var open = box.classList.toggle('rm-folded') === false;
      fold.textContent = open ? '\u2039' : '\u203a';
      fold.setAttribute('aria-expanded', String(open));
      fold.setAttribute('aria-label', open ? 'Hide the panel' : 'Show the panel');
    });
    body.appendChild(this.titleBlock());
    body.appendChild(this.legend());
    body.appendChild(this.placeToggles(placeGroups, notes));
    body.appendChild(this.transferToggles(transferGroups));
    body.appendChild(this.backgrounds());
    box.appendChild(fold);
    box.appendChild(body);
    if (this.map.getSize().x < 720) { fold.click(); }
    return control(box, 'topleft');
  };

  // --- timeline ------------------------------------------------------------------------------

  RouteMap.prototype.timeline = function () {
    var steps = this.data.timeline;
    var box = el('div', 'rm-timeline leaflet-control');
    if (!steps.length) { return null; }
    var play = el('button', 'rm-play');
    play.type = 'button';
    play.setAttribute('aria-label', 'Play timeline');
    play.appendChild(icon(['M6 4 L16 10 L6 16 Z']));
    var slider = el('input', 'rm-slider');
    slider.type = 'range';
    slider.min = '0';
    slider.max = String(steps.length);
    slider.step = '1';
    slider.value = '0';
    slider.setAttribute('aria-label', 'Timeline: choose a period');
    var label = el('div', 'rm-time-label', 'All periods');
    var moving = el('div', 'rm-time-moving');
    var ends = el('div', 'rm-time-ends');
    ends.appendChild(el('span', null, 'All'));
    ends.appendChild(el('span', null, steps[0].label));
    ends.appendChild(el('span', null, steps[steps.length - 1].label));
    var row = el('div', 'rm-time-row');
    row.appendChild(play);
    var mid = el('div', 'rm-time-mid');
    mid.appendChild(slider);
    mid.appendChild(ends);
    row.appendChild(mid);
    box.appendChild(label);
    box.appendChild(row);
    box.appendChild(moving);
    var self = this;
    var timer = null;
    this.timeUi = { label: label, moving: moving };
    var stop = function () {
      if (timer) { clearInterval(timer); timer = null; }
      play.replaceChildren(icon(['M6 4 L16 10 L6 16 Z']));
      play.setAttribute('aria-label', 'Play timeline');
      box.classList.remove('rm-playing');
    };
    var go = function (i) {
      slider.value = String(i);
      self.setStep(i);
    };
    slider.addEventListener('input', function () { self.setStep(Number(slider.value)); });
    play.addEventListener('click', function () {
      if (timer) { stop(); return; }
      play.replaceChildren(icon(['M7 4 L7 16', 'M13 4 L13 16']));
      play.setAttribute('aria-label', 'Pause timeline');
      box.classList.add('rm-playing');
      if (Number(slider.value) >= steps.length) { go(0); }
      go(Number(slider.value) + 1);
      timer = setInterval(function () {
        var next = Number(slider.value) + 1;
        if (next > steps.length) { stop(); go(0); return; }
        go(next);
      }, PLAY_INTERVAL_MS);
    });
    return control(box, 'bottomcenter');
  };

  RouteMap.prototype.setStep = function (index) {
    var steps = this.data.timeline;
    if (!this.timeUi) { return; }
    var label = this.timeUi.label;
    var moving = this.timeUi.moving;
    var step = index > 0 ? steps[index - 1] : null;
    var shown = step ? new Set(step.shown) : null;
    var self = this;
    var active = [];
    this.legs.forEach(function (entry) {
      var on = !shown || shown.has(entry.leg.id);
      self.show(entry, on);
      if (on && active.indexOf(entry.leg.title) < 0) { active.push(entry.leg.title); }
    });
    this.annotations.forEach(function (entry) { self.showNote(entry, !shown || shown.has(entry.note.id)); });
    this.step = index;
    label.textContent = step ? step.label : 'All periods';
    var count = this.legs.filter(function (e) { return e.shown; }).length;
    var text = count + (count === 1 ? ' leg shown' : ' legs shown');
    if (step && active.length) {
      text += ': ' + active.slice(0, 3).join('; ') + (active.length > 3 ? '; +' + (active.length - 3) + ' more' : '');
    } else if (step) {
      text = 'Nothing reported moving in this period.';
    }
    moving.textContent = text;
    this.map.getContainer().setAttribute('data-timeline-step', String(index));
    this.scheduleDeclutter();
  };

  // --- furniture: minimap, fullscreen, measure ------------------------------------------------

  RouteMap.prototype.minimap = function () {
    var box = el('div', 'rm-minimap leaflet-control');
    box.setAttribute('aria-hidden', 'true');
    control(box, 'bottomright').addTo(this.map);
    var main = this.map;
    var s = this.data.styles.basemap;
    var mini = L.map(box, { attributionControl: false, zoomControl: false, dragging: false,
      scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false,
      touchZoom: false, zoomSnap: 0, fadeAnimation: false, zoomAnimation: false });
    box.style.background = s.sea;
    var view = L.rectangle(main.getBounds(), { color: s.accent, weight: 1.5, fill: false,
      interactive: false });
    var sync = function () {
      mini.setView(main.getCenter(), Math.max(main.getZoom() - 3.5, 0), { animate: false });
      view.setBounds(main.getBounds());
    };
    sync();
    var renderer = L.canvas({ padding: 0.2 });
    L.polygon(this.land, { renderer: renderer, stroke: false, fillColor: s.land, fillOpacity: 1,
      interactive: false }).addTo(mini);
    this.legs.forEach(function (entry) {
      L.polyline(entry.parts, { renderer: renderer, color: entry.leg.color, weight: 1.2,
        interactive: false }).addTo(mini);
    });
    view.addTo(mini);
    main.on('moveend', sync);
    mini.on('click', function (e) { main.panTo(e.latlng); });
  };

  RouteMap.prototype.buttons = function () {
    var bar = el('div', 'leaflet-bar rm-buttons leaflet-control');
    var full = el('button', 'rm-button rm-fullscreen-button');
    full.type = 'button';
    full.title = 'Full screen';
    full.setAttribute('aria-label', 'Full screen');
    full.appendChild(icon(['M3 8 V3 H8', 'M12 3 H17 V8', 'M17 12 V17 H12', 'M8 17 H3 V12']));
    var measure = el('button', 'rm-button rm-measure-button');
    measure.type = 'button';
    measure.title = 'Measure a distance: click points, double-click to finish';
    measure.setAttribute('aria-label', 'Measure distance');
    measure.appendChild(icon(['M2 14 L14 2 L18 6 L6 18 Z', 'M6 10 L8 12', 'M9 7 L11 9', 'M12 4 L14 6']));
    bar.appendChild(full);
    bar.appendChild(measure);
    control(bar, 'topright').addTo(this.map);
    full.addEventListener('click', this.toggleFullscreen.bind(this));
    measure.addEventListener('click', this.toggleMeasure.bind(this, measure));
  };

  RouteMap.prototype.toggleFullscreen = function () {
    var container = this.map.getContainer();
    var map = this.map;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.fullscreenEnabled && container.requestFullscreen) {
      container.requestFullscreen().catch(function () {
        container.classList.toggle('rm-pseudo-fullscreen');
        map.invalidateSize();
      });
    } else {
      container.classList.toggle('rm-pseudo-fullscreen');
      map.invalidateSize();
    }
  };

  RouteMap.prototype.toggleMeasure = function (button) {
    var map = this.map;
    if (this.measuring) { this.finishMeasure(); return; }
    if (this.measureLayer) { map.removeLayer(this.measureLayer); }
    this.measuring = true;
    this.measurePoints = [];
    this.measureLabel = null;
    this.measureLayer = L.layerGroup().addTo(map);
    this.measureLine = L.polyline([], { color: '#1f2328', weight: 2, dashArray: '6 4',
      interactive: false, className: 'rm-measure-line' }).addTo(this.measureLayer);
    this.measureButton = button;
    button.classList.add('rm-active');
    map.getContainer().classList.add('rm-measuring');
    map.doubleClickZoom.disable();
    map.on('click', this.addMeasurePoint, this);
    map.on('dblclick', this.finishMeasure, this);
  };

  RouteMap.prototype.addMeasurePoint = function (e) {
    var pts = this.measurePoints;
    pts.push(e.latlng);
    this.measureLine.setLatLngs(pts);
    L.circleMarker(e.latlng, { radius: 3, color: '#1f2328', weight: 1.5, fillColor: '#ffffff',
      fillOpacity: 1, interactive: false }).addTo(this.measureLayer);
    var km = 0;
    for (var i = 1; i < pts.length; i++) { km += haversineKm(pts[i - 1], pts[i]); }
    var text = pts.length > 1 ? formatKm(km) : 'Click the next point';
    if (!this.measureLabel) {
      this.measureLabel = L.tooltip({ permanent: true, direction: 'right', offset: [8, 0],
        className: 'rm-measure-label' }).setLatLng(e.latlng).setContent(text);
      this.measureLayer.addLayer(this.measureLabel);
    } else {
      this.measureLabel.setLatLng(e.latlng).setContent(text);
    }
    this.measuredKm = km;
  };

  RouteMap.prototype.finishMeasure = function () {
    var map = this.map;
    this.measuring = false;
    map.off('click', this.addMeasurePoint, this);
    map.off('dblclick', this.finishMeasure, this);
    map.getContainer().classList.remove('rm-measuring');
    if (this.measureButton) { this.measureButton.classList.remove('rm-active'); }
    setTimeout(function () { map.doubleClickZoom.enable(); }, 0);
  };

  // --- entry point ---------------------------------------------------------------------------

  RouteMap.prototype.draw = function () {
    var map = this.map;
    var data = this.data;
    var self = this;
    this.panes();
    map._controlCorners.bottomcenter = L.DomUtil.create('div', 'leaflet-bottom rm-center', map._controlContainer);
    map.attributionControl.setPrefix(textMarkup('Leaflet'));
    map.attributionControl.addAttribution(data.attributions.map(textMarkup).join(' | '));
    this.basemap();
    var transferGroups = {};
    var placeGroups = {};
    var notes = L.featureGroup();
    data.transfers.forEach(function (t) { transferGroups[t.id] = L.featureGroup(); });
    data.legend.places.forEach(function (k) { placeGroups[k] = L.featureGroup(); });
    var panel = this.panel(transferGroups, placeGroups, notes).addTo(map);
    var timeline = this.timeline();
    if (timeline) { timeline.addTo(map); }
    this.buttons();
    L.control.scale({ position: 'bottomright', imperial: false, maxWidth: 140 }).addTo(map);
    var panelBox = panel.getContainer();
    var left = panelBox.classList.contains('rm-folded') ? 30 : panelBox.offsetWidth + 40;
    var bottom = timeline ? timeline.getContainer().offsetHeight + 30 : 30;
    map.fitBounds(data.bounds, { paddingTopLeft: [left, 40], paddingBottomRight: [140, bottom], animate: false });
    [transferGroups, placeGroups].forEach(function (groups) {
      Object.keys(groups).forEach(function (k) { groups[k].addTo(map); });
    });
    notes.addTo(map);
    // Where routes share a track, the surer one is drawn last, on top.
    var rank = { estimated: 0, claimed: 1, reported: 2, confirmed: 3 };
    data.legs.map(function (leg, i) { return [leg, i]; }).sort(function (a, b) {
      return (rank[a[0].confidence] - rank[b[0].confidence]) || (a[1] - b[1]);
    }).forEach(function (pair) { this.drawLeg(pair[0], transferGroups[pair[0].transfer]); }, this);
    this.drawPlaces(placeGroups);
    this.drawAnnotations(notes);
    this.minimap();
    map.on('zoomend', function () {
      self.legs.forEach(function (entry) { if (entry.shown) { self.drawArrows(entry); } });
      map.getContainer().setAttribute('data-zoom', String(Math.round(map.getZoom())));
    });
    map.on('zoomend overlayadd overlayremove', this.scheduleDeclutter, this);
    map.getContainer().setAttribute('data-zoom', String(Math.round(map.getZoom())));
    this.setStep(0);
    this.declutter();
    document.documentElement.setAttribute('data-routemap', 'ready');
    window.routemapDrawnAt = performance.now();
  };

  window.routemap = {
    draw: function (map, dataId) {
      var data = JSON.parse(document.getElementById(dataId).textContent);
      var app = new RouteMap(map, data);
      app.draw();
      window.routemap.app = app;
      return app;
    },
    safeHref: safeHref,
    decode: decode
  };
}());
