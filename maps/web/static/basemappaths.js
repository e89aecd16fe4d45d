/* routemap's script: the basemap's land, coast and borders as Leaflet polygons and lines whose
 * rings the basemap's LegCanvas (legpaths.js) projects once per zoom level, only near the canvas.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- basemap rings ---------------------------------------------------------------------------

  // The basemap's land, coast and borders: Leaflet's polygons and lines, their rings projected
  // by the renderer (a LegCanvas) once per zoom level rather than point by point on every zoom,
  // and only the rings that come near the canvas: zoomed in, most of the world's lie off it.
  function projectRings() {
    // At a new zoom, each ring's bounds from its zoom-0 bounds (LegCanvas.reachOf); its points
    // are projected once the canvas comes near it (nearRings).
    var pxBounds = new L.Bounds();
    this._pending = [];
    var add = function (latlngs) {
      if (!latlngs.length) { return; }
      if (latlngs[0] instanceof L.LatLng) {
        var reach = new L.Bounds();
        this._renderer.reachOf(latlngs, reach);
        this._pending.push({ line: latlngs, reach: reach, points: null });
        if (reach.isValid()) { pxBounds.extend(reach.min); pxBounds.extend(reach.max); }
      } else {
        latlngs.forEach(add, this);
      }
    };
    add.call(this, this._latlngs);
    this._rings = [];
    if (this._bounds.isValid() && pxBounds.isValid()) {
      this._rawPxBounds = pxBounds;
      this._updateBounds();
    }
  }

  function nearRings() {
    // The rings projected so far, in order, after projecting those within a stroke and two
    // pixels of the canvas: Leaflet's clipping leaves nothing of a ring farther off.
    var canvas = this._renderer._bounds;
    var pad = (this.options.weight || 0) + 2;
    var near = L.bounds(canvas.min.subtract([pad, pad]), canvas.max.add([pad, pad]));
    this._rings = [];
    (this._pending || []).forEach(function (ring) {
      if (!ring.points && ring.reach.isValid() && ring.reach.intersects(near)) {
        ring.points = this._renderer.projected(ring.line).points;
      }
      if (ring.points) { this._rings.push(ring.points); }
    }, this);
  }

  var BasemapPolygon = L.Polygon.extend({
    _project: projectRings,
    _clipPoints: function () {
      nearRings.call(this);
      L.Polygon.prototype._clipPoints.call(this);
    }
  });

  var BasemapLine = L.Polyline.extend({
    _project: projectRings,
    _clipPoints: function () {
      nearRings.call(this);
      L.Polyline.prototype._clipPoints.call(this);
    }
  });
