/* routemap's script: clicking a leg. Where legs share a track, a click lists every leg under
 * the pointer to choose from; otherwise, or once one is chosen, the leg's popup opens.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- clicking a leg: its popup, or a chooser where legs share a track -----------------------

  RouteMap.prototype.legsNear = function (layerPoint) {
    // Every leg on the map whose drawn line (its connectors too) passes within PICK_PX of the
    // point, in scenario order.
    // Their lines as projected for the zoom (legpaths.js), only those whose bounds are near.
    var map = this.map;
    return this.legs.filter(function (entry) {
      if (!map.hasLayer(entry.layer)) { return false; }
      var reach = PICK_PX + entry.leg.weight / 2;
      return [entry.path].concat(entry.joinPaths).some(function (path) {
        var b = path._pxBounds;
        if (b && (layerPoint.x < b.min.x - reach || layerPoint.x > b.max.x + reach ||
                  layerPoint.y < b.min.y - reach || layerPoint.y > b.max.y + reach)) { return false; }
        return path.rings().some(function (pts) {
          if (pts.length === 1) { return pts[0].distanceTo(layerPoint) <= reach; }
          for (var i = 1; i < pts.length; i++) {
            if (L.LineUtil.pointToSegmentDistance(layerPoint, pts[i - 1], pts[i]) <= reach) { return true; }
          }
          return false;
        });
      });
    }).sort(function (a, b) { return a.order - b.order; });
  };

  RouteMap.prototype.pick = function (clicked, latlng, layerPoint) {
    // While measuring, a click on a leg is a point of the measure (the map's click), not a popup
    // that would open over the next point.
    if (this.measuring) { return; }
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
    box.appendChild(el('div', 'rm-pop-kicker', t('routes_here', { count: entries.length })));
    box.appendChild(chooserList(entries, function (entry, button) {
      var leg = entry.leg;
      var mode = styles.modes[leg.mode];
      var conf = styles.confidences[leg.confidence];
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
    }));
    return box;
  };

  RouteMap.prototype.openLeg = function (entry, latlng) {
    var leg = entry.leg;
    entry.popup = entry.popup || L.popup(LEG_POPUP).setContent(function () {
      return popupContent(t('transfer_leg'), leg.title, leg.subtitle, leg.rows, leg.sources);
    });
    entry.popup.setLatLng(latlng).openOn(this.map);
  };

  RouteMap.prototype.closePopupsOf = function (entry) {
    // A hidden leg takes its popup, and any chooser that might list it, off the map.
    [entry.popup, this.chooser].forEach(function (popup) {
      if (popup && popup.isOpen()) { popup.close(); }
    });
  };
