/* routemap's script, last part: start-up. RouteMap.prototype.draw builds the whole map in
 * order, and window.routemap (draw, safeHref, decode) is what the page calls. This part
 * closes the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- entry point ---------------------------------------------------------------------------

  RouteMap.prototype.draw = function () {
    var map = this.map;
    var data = this.data;
    var self = this;
    this.panes();
    this.zoomTitles();
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
    this.fitFurniture();
    this.fitView(panel, timeline);
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
    this.drawObserved();
    this.fillNoteList();
    this.minimap();
    map.on('zoomend', function () {
      map.getContainer().setAttribute('data-zoom', String(Math.round(map.getZoom())));
    });
    map.on('moveend overlayadd overlayremove', this.scheduleDeclutter, this);
    // Until the reader moves the map, a new window size (a phone turned, a page opened in a
    // window that is then resized) frames the routes again.
    var moved = false;
    ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (name) {
      map.getContainer().addEventListener(name, function () { moved = true; }, { passive: true });
    });
    map.on('resize', function () {
      self.remeasureLabels();
      self.fitFurniture();
      if (!moved) { self.fitView(panel, timeline); }
      // At once, not in the next frame: a window resized as the page opens (a headless
      // browser's screenshot, a phone turned) may show no further frame before it is seen.
      self.declutter();
      self.layoutNotes();
    });
    map.getContainer().setAttribute('data-zoom', String(Math.round(map.getZoom())));
    this.setStep(0);
    this.declutter();
    this.layoutNotes();
    document.documentElement.setAttribute('data-routemap', 'ready');
    window.routemapDrawnAt = performance.now();
  };

  RouteMap.prototype.zoomTitles = function () {
    // Leaflet's zoom buttons in the map's language, whether the page adds them before or after.
    L.Control.Zoom.prototype.options.zoomInTitle = t('zoom_in');
    L.Control.Zoom.prototype.options.zoomOutTitle = t('zoom_out');
    [['.leaflet-control-zoom-in', t('zoom_in')], ['.leaflet-control-zoom-out', t('zoom_out')]].forEach(function (pair) {
      Array.prototype.forEach.call(this.map.getContainer().querySelectorAll(pair[0]), function (button) {
        button.title = pair[1];
        button.setAttribute('aria-label', pair[1]);
      });
    }, this);
  };

  RouteMap.prototype.fitView = function (panel, timeline) {
    // Frame every route and place in the part of the window the panel and timeline leave.
    var map = this.map;
    var panelBox = panel.getContainer();
    var narrow = map.getSize().x < NARROW_PX;
    var left = panelBox.classList.contains('rm-folded') ? 30 : panelBox.offsetWidth + 40;
    var frame = map.getContainer().getBoundingClientRect();
    var bottom = timeline ? frame.bottom - timeline.getContainer().getBoundingClientRect().top + 10 : 30;
    map.fitBounds(this.data.bounds, { paddingTopLeft: [left, narrow ? 60 : 40],
      paddingBottomRight: [narrow ? 30 : 140, bottom], animate: false });
  };

  window.routemap = {
    draw: function (map, dataId) {
      var data = unpack(JSON.parse(document.getElementById(dataId).textContent));
      MESSAGES = data.messages;
      var app = new RouteMap(map, data);
      app.draw();
      window.routemap.app = app;
      return app;
    },
    safeHref: safeHref,
    decode: decode
  };
}());
