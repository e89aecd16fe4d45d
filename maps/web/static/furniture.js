/* routemap's script: the map's furniture: the minimap, the full-screen button, the
 * distance-measuring tool, and keeping the timeline clear of the attribution on narrow screens.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- furniture: minimap, fullscreen, measure ------------------------------------------------

  var MINIMAP_DELAY_MS = 150;
  var MINIMAP_LEVEL = 5;

  // A leg's lines on the minimap: their points at zoom 0 (simplified for zoom 5, the most a
  // minimap shows), simplified again for the minimap's zoom level as the main map's lines are
  // (no point within half a pixel of the line through the others), once per level; each zoom's
  // points those scaled and rounded as Leaflet rounds a projected point, not unprojected and
  // projected again point by point at every move.
  var MinimapLine = L.Polyline.extend({
    initialize: function (rings, map, options) {
      this._zoom0 = rings.map(function (points) { return { points: points, levels: {} }; });
      L.Polyline.prototype.initialize.call(this, rings.map(function (ring) {
        return ring.map(function (p) { return map.unproject(p, 0); });
      }), options);
    },

    _project: function () {
      var map = this._map;
      var scale = Math.pow(2, map.getZoom());
      var level = Math.min(MINIMAP_LEVEL, Math.floor(map.getZoom()));
      var origin = map.getPixelOrigin();
      var pxBounds = new L.Bounds();
      this._rings = this._zoom0.map(function (base) {
        return (level < MINIMAP_LEVEL ? atLevel(base, level) : base.points).map(function (p) {
          var q = L.point(Math.round(p.x * scale) - origin.x, Math.round(p.y * scale) - origin.y);
          pxBounds.extend(q);
          return q;
        });
      });
      if (this._bounds.isValid() && pxBounds.isValid()) {
        this._rawPxBounds = pxBounds;
        this._updateBounds();
      }
    }
  });

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
    // Its land projected once per zoom level by a LegCanvas (legpaths.js), from the same zoom-0
    // points as the main map's land, not point by point at each of its zooms.
    var renderer = new LegCanvas({ padding: 0.2 });
    new BasemapPolygon(this.land, { renderer: renderer, stroke: false, fillColor: s.land, fillOpacity: 1,
      interactive: false }).addTo(mini);
    // Each line once, however many legs follow it, simplified for a small map.
    var drawn = new Set();
    this.legs.forEach(function (entry) {
      var lines = entry.parts.filter(function (line) { return !drawn.has(line); });
      lines.forEach(function (line) { drawn.add(line); });
      if (!lines.length) { return; }
      new MinimapLine(lines.map(function (line) { return atLevel(baseOf(line, main), MINIMAP_LEVEL); }), main,
        { renderer: renderer, color: entry.leg.color, weight: 1.2, interactive: false }).addTo(mini);
    });
    view.addTo(mini);
    // The minimap follows once the main map has painted its new view and stopped (a wheel
    // flick ends many moves; the reader's view comes first).
    var pending = null;
    main.on('moveend', function () {
      clearTimeout(pending);
      pending = setTimeout(sync, MINIMAP_DELAY_MS);
    });
    mini.on('click', function (e) { main.panTo(e.latlng); });
  };

  RouteMap.prototype.buttons = function () {
    var bar = el('div', 'leaflet-bar rm-buttons leaflet-control');
    var full = el('button', 'rm-button rm-fullscreen-button');
    full.type = 'button';
    full.title = t('full_screen');
    full.setAttribute('aria-label', t('full_screen'));
    full.appendChild(icon(['M3 8 V3 H8', 'M12 3 H17 V8', 'M17 12 V17 H12', 'M8 17 H3 V12']));
    var measure = el('button', 'rm-button rm-measure-button');
    measure.type = 'button';
    measure.title = t('measure_title');
    measure.setAttribute('aria-label', t('measure'));
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
    var text = pts.length > 1 ? formatKm(km) : t('measure_next');
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

  RouteMap.prototype.fitFurniture = function () {
    // On a narrow screen the attribution spans the bottom edge: lift the timeline above it and
    // the scale bar (routemap.css hides the minimap there).
    var corner = this.map._controlCorners.bottomcenter;
    var right = this.map._controlCorners.bottomright;
    if (!corner || !right) { return; }
    var narrow = this.map.getSize().x < NARROW_PX;
    corner.style.marginBottom = narrow ? Math.max(0, right.getBoundingClientRect().height - 30) + 'px' : '';
    // There, the open panel ends above the timeline rather than running under it.
    var panel = this.map.getContainer().querySelector('.rm-panel');
    var timeline = corner.querySelector('.rm-timeline');
    if (!panel) { return; }
    var floor = narrow && timeline ? timeline.getBoundingClientRect().top : 0;
    panel.style.maxHeight = floor ? Math.max(160, floor - panel.getBoundingClientRect().top - 8) + 'px' : '';
  };
