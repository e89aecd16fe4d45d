/* routemap's script: what is drawn on the map. The RouteMap object, its panes and the offline
 * basemap; each leg (painted by legpaths.js: corridor band if its line is modelled, casing,
 * line, arrows, its connectors off the network; hover highlight; shown or hidden); places
 * with their uncertainty circles; and hiding place names that would overlap (numbered notes are
 * drawn by notes.js).
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

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
    [['rmBasemap', 150], ['rmBasemapLabels', 170], ['rmUncertainty', 390],
      ['rmNoteLeaders', 655], ['rmAnnotations', 660]].forEach(function (pair) {
      var pane = map.createPane(pair[0]);
      pane.style.zIndex = String(pair[1]);
    });
    map.getPane('rmNoteLeaders').style.pointerEvents = 'none';
    this.leaderRenderer = L.svg({ pane: 'rmNoteLeaders', padding: 0.5 });
    // Every leg on one canvas in the overlay pane (400), over the uncertainty circles; a click
    // within 3 px of a line's edge is on it, as on the white casing around it. The view is
    // painted first, the canvas's margins when the page is idle (legpaths.js).
    this.legRenderer = new LegCanvas({ padding: 0.2, tolerance: CASING_PX, viewFirst: true });
    map.getPane('rmBasemapLabels').style.pointerEvents = 'none';
  };

  RouteMap.prototype.basemap = function () {
    var b = this.data.basemap;
    var s = this.data.styles.basemap;
    // Projected once per zoom level and simplified to it (legpaths.js), not point by point
    // on every zoom: a large frame's coast and borders hold a hundred thousand points. The
    // view is painted first, the canvas's margins when the page is idle.
    var renderer = new LegCanvas({ pane: 'rmBasemap', padding: 0.3, viewFirst: true });
    var decodeAll = function (items) {
      return items.map(function (item) {
        return typeof item[0] === 'number' ? decode(item, b.scale) : decodeAll(item);
      });
    };
    this.land = decodeAll(b.land);
    var common = { renderer: renderer, pane: 'rmBasemap', interactive: false };
    var group = L.layerGroup();
    group.addLayer(new BasemapPolygon(this.land, L.extend({ stroke: false, fillColor: s.land, fillOpacity: 1 }, common)));
    group.addLayer(new BasemapPolygon(decodeAll(b.focus), L.extend({ stroke: false, fillColor: s.focus, fillOpacity: 1 }, common)));
    group.addLayer(new BasemapLine(decodeAll(b.borders), L.extend({ color: s.border, weight: 0.9, opacity: 0.9, dashArray: '4 2' }, common)));
    group.addLayer(new BasemapLine(decodeAll(b.coast), L.extend({ color: s.coast, weight: 0.8, opacity: 1 }, common)));
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

  // --- legs and hover -----------------------------------------------------------------

  RouteMap.prototype.latlngs = function (codes) {
    // A coded line's points, decoded once: legs that follow one line share its points.
    this.decoded = this.decoded || new Map();
    var points = this.decoded.get(codes);
    if (!points) {
      points = decode(codes, this.data.scale).map(function (p) { return L.latLng(p[0], p[1]); });
      this.decoded.set(codes, points);
    }
    return points;
  };

  RouteMap.prototype.drawLeg = function (leg, group) {
    var parts = leg.parts.map(this.latlngs, this);
    // Stretches off the network (a stop's straight join to it) are drawn apart from the track:
    // a ticked hairline in the mode's colour (maps.style.CONNECTOR_STYLE), no band, no arrow.
    // leg.connectors: per connector, its coded parts; joins: every part, decoded.
    var joins = [];
    (leg.connectors || []).forEach(function (c) {
      c.forEach(function (p) { joins.push(this.latlngs(p)); }, this);
    }, this);
    // Painted on the leg canvas (legpaths.js); a modelled line (path "estimated") lies over a
    // wide translucent band in its mode's colour, so it never looks like a reported path.
    var paths = this.legPaths(leg, parts, joins);
    var layer = L.featureGroup([paths.track].concat(paths.joins));
    var entry = { leg: leg, order: this.data.legs.indexOf(leg), parts: parts, joins: joins,
      path: paths.track, joinPaths: paths.joins, layer: layer, group: group, shown: false, popup: null };
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

  RouteMap.prototype.show = function (entry, visible) {
    if (visible === entry.shown) { return; }
    entry.shown = visible;
    if (visible) { entry.group.addLayer(entry.layer); } else { entry.group.removeLayer(entry.layer); }
  };

  RouteMap.prototype.highlight = function (transferId, on) {
    // The hovered transfer's legs wider and opaque, the others faded (one repaint).
    this.legs.forEach(function (entry) {
      entry.path.setHighlight(on ? (entry.leg.transfer === transferId ? 'on' : 'dim') : null);
    });
  };

  // --- places and annotations -----------------------------------------------------------------

  // A place's name: a permanent tooltip whose size is measured once, with every other name in
  // one layout (measureLabels), instead of read back from the page each time Leaflet places it
  // (on every zoom, for every name: a layout of the whole page per name at a thousand places).
  var PlaceLabel = L.Tooltip.extend({
    _setPosition: function (pos) {
      var node = this._container;
      var size = this.size || (this.size = L.point(node.offsetWidth, node.offsetHeight));
      var side = this.options.direction === 'left' ? 'left' : 'right';
      var shift = L.point(side === 'left' ? size.x : 0, size.y / 2, true);
      ['right', 'left', 'top', 'bottom'].forEach(function (s) { L.DomUtil.removeClass(node, 'leaflet-tooltip-' + s); });
      L.DomUtil.addClass(node, 'leaflet-tooltip-' + side);
      L.DomUtil.setPosition(node, pos.subtract(shift).add(L.point(this.options.offset)).add(this._getAnchor()));
    }
  });

  RouteMap.prototype.measureLabels = function (names) {
    // The size of each place name as a label, all laid out at once in the tooltip pane.
    var pane = this.map.getPane('tooltipPane');
    var probe = el('div');
    probe.style.visibility = 'hidden';
    var nodes = names.map(function (name) {
      var node = el('div', 'leaflet-tooltip rm-place-label leaflet-tooltip-right');
      node.appendChild(el('span', null, name));
      probe.appendChild(node);
      return node;
    });
    pane.appendChild(probe);
    var sizes = nodes.map(function (node) { return L.point(node.offsetWidth, node.offsetHeight); });
    pane.removeChild(probe);
    return sizes;
  };

  RouteMap.prototype.remeasureLabels = function () {
    // Every name measured again (a new window size may wrap long names differently on a phone).
    var tips = this.placeLabels.map(function (item) { return item.marker.getTooltip(); });
    var sizes = this.measureLabels(tips.map(function (tip) { return tip.name; }));
    tips.forEach(function (tip, i) {
      tip.size = sizes[i];
      if (tip._map) { tip.update(); }
    });
  };

  RouteMap.prototype.drawPlaces = function (groups) {
    var styles = this.data.styles.places;
    var sizes = this.measureLabels(this.data.places.map(function (place) { return place.name; }));
    this.data.places.forEach(function (place, i) {
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
      var label = new PlaceLabel({ permanent: true, direction: 'right', offset: [symbol.px / 2, 0],
        className: 'rm-place-label', opacity: 1 });
      label.size = sizes[i];
      label.name = place.name;
      marker.bindTooltip(label.setContent(el('span', null, place.name)));
      // A name hidden by the declutter still shows while the pointer is on its symbol.
      marker.on('mouseover mouseout', function (e) {
        var node = marker.getTooltip() && marker.getTooltip().getElement();
        if (node) { node.classList.toggle('rm-label-peek', e.type === 'mouseover'); }
      });
      this.placeLabels.push({ marker: marker, weight: place.priority || 0, px: symbol.px });
      group.addLayer(marker);
    }, this);
  };

  RouteMap.prototype.scheduleDeclutter = function () {
    if (this.declutterPending) { return; }
    this.declutterPending = true;
    var self = this;
    requestAnimationFrame(function () {
      self.declutterPending = false;
      self.declutter();
      self.layoutNotes();
    });
  };

  RouteMap.prototype.declutter = function () {
    // Each place's name beside its symbol, more important places first (place.priority: its
    // kind, then how many legs end there; ties in the places' order): on the right; on the
    // left where the right is taken or runs past the map's edge; hidden where neither fits
    // whole in the map, or it would cover a name already placed, the symbol of a place that
    // matters as much or more, or the map's furniture (panel, timeline, scale bar, minimap,
    // attribution). All names and symbols are measured in one layout, then placed, so no
    // placement is judged against a box that later moves.
    var frame = this.map.getContainer().getBoundingClientRect();
    var kept = this.furnitureRects();
    var items = this.placeLabels.filter(function (item) {
      var tip = item.marker.getTooltip();
      item.node = tip && tip.getElement();
      return item.node && item.marker._map;
    });
    items.forEach(function (item) { labelSide(item, 'right'); item.node.style.visibility = ''; });
    var placed = items.map(function (item) {
      return { item: item, box: item.node.getBoundingClientRect(),
        symbol: item.marker._icon ? item.marker._icon.getBoundingClientRect() : null };
    }).sort(function (a, b) { return b.item.weight - a.item.weight; });
    var symbols = placed.filter(function (entry) { return entry.symbol; });
    placed.forEach(function (entry) {
      var right = entry.box;
      var left = shiftedBox(right, -(right.width + entry.item.px + 2 * LABEL_GAP_PX));
      var free = function (box) {
        return inside(box, frame) && !kept.some(function (o) { return overlaps(box, o); }) &&
          !symbols.some(function (o) {
            return o !== entry && o.item.weight >= entry.item.weight && overlaps(box, o.symbol);
          });
      };
      entry.side = free(right) ? 'right' : free(left) ? 'left' : null;
      if (entry.side) { kept.push(entry.side === 'left' ? left : right); }
    });
    placed.forEach(function (entry) {
      if (entry.side) { labelSide(entry.item, entry.side); } else { entry.item.node.style.visibility = 'hidden'; }
    });
  };

  // Leaflet's margin between a tooltip and its anchor (leaflet.css .leaflet-tooltip-right/left).
  var LABEL_GAP_PX = 6;

  function labelSide(item, side) {
    // Put a place's name on one side of its symbol (Leaflet moves it there and keeps it there).
    var tip = item.marker.getTooltip();
    if (tip.options.direction === side) { return; }
    tip.options.direction = side;
    tip.options.offset = L.point(side === 'left' ? -item.px / 2 : item.px / 2, 0);
    tip.update();
  }

  function shiftedBox(box, dx) {
    return { left: box.left + dx, right: box.right + dx, top: box.top, bottom: box.bottom,
      width: box.width, height: box.height };
  }

  function inside(box, frame) {
    return box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5 &&
      box.top >= frame.top - 0.5 && box.bottom <= frame.bottom + 0.5;
  }

  function overlaps(a, b) {
    return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  }
