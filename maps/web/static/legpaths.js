/* routemap's script: the marks drawn along a leg: direction arrows on its track and a tick
 * across each end of each connector. They are painted on one shared canvas (Leaflet's canvas
 * renderer, in the rmArrows pane), in the same redraw as the map moves: a leg's marks are placed
 * once per zoom level from its projected line, and only those in view are painted. No mark is a
 * DOM node, so a map of thousands of legs zooms and pans as fast as one of ten.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- marks along legs: arrows and connector ticks --------------------------------------------

  // The arrow glyph in a 16-unit box, pointing along +x: the path the legend describes.
  var ARROW_GLYPH = [[2.5, 2.5], [14.5, 8], [2.5, 13.5], [5.5, 8]];

  function arrowPx(weight) {
    return Math.round(Math.max(14, weight * 2.2 + 8));
  }

  function arrowSpots(ring) {
    // Where arrows go along one projected part: every ARROW_SPACING_PX or so, the first half a
    // spacing in, at the angle of the segment they sit on. None on a part under 30 px.
    var lengths = [];
    var total = 0;
    for (var i = 1; i < ring.length; i++) {
      var d = ring[i].distanceTo(ring[i - 1]);
      lengths.push(d);
      total += d;
    }
    if (total < 30) { return []; }
    var count = Math.max(1, Math.floor(total / ARROW_SPACING_PX));
    var spots = [];
    var seg = 0;
    var walked = 0;
    for (var k = 0; k < count; k++) {
      var target = (k + 0.5) * total / count;
      while (seg < lengths.length - 1 && walked + lengths[seg] < target) { walked += lengths[seg]; seg++; }
      var a = ring[seg];
      var b = ring[seg + 1];
      var f = lengths[seg] > 0 ? (target - walked) / lengths[seg] : 0;
      spots.push({ x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f,
        angle: Math.atan2(b.y - a.y, b.x - a.x) });
    }
    return spots;
  }

  function tickSpots(ring) {
    // A tick across each end of a connector, at the angle the join has on screen.
    var n = ring.length;
    if (n < 2) { return []; }
    return [[ring[0], ring[1]], [ring[n - 1], ring[n - 2]]].filter(function (pair) {
      return pair[0].distanceTo(pair[1]) >= 1;
    }).map(function (pair) {
      return { x: pair[0].x, y: pair[0].y,
        angle: Math.atan2(pair[1].y - pair[0].y, pair[1].x - pair[0].x) };
    });
  }

  function paintArrow(ctx, spot, px, color) {
    ctx.save();
    ctx.translate(spot.x, spot.y);
    ctx.rotate(spot.angle);
    ctx.scale(px / 16, px / 16);
    ctx.translate(-8, -8);
    ctx.beginPath();
    ARROW_GLYPH.forEach(function (p, i) { ctx[i ? 'lineTo' : 'moveTo'](p[0], p[1]); });
    ctx.closePath();
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
    ctx.fill();
    ctx.setLineDash([]);
    ctx.lineWidth = 1.3;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.restore();
  }

  function paintTick(ctx, spot, cs, color) {
    var half = cs.tick / 2;
    var dx = -Math.sin(spot.angle) * half;
    var dy = Math.cos(spot.angle) * half;
    ctx.beginPath();
    ctx.moveTo(spot.x - dx, spot.y - dy);
    ctx.lineTo(spot.x + dx, spot.y + dy);
    ctx.setLineDash([]);
    ctx.globalAlpha = cs.opacity;
    ctx.lineWidth = cs.width;
    ctx.lineCap = 'butt';
    ctx.strokeStyle = color;
    ctx.stroke();
  }

  // A leg's marks: a polyline that Leaflet projects, bounds and redraws like any other, but
  // whose drawing is its marks, not its line. options.marks is 'arrows' or 'ticks'.
  var LegMarks = L.Polyline.extend({
    options: { interactive: false, smoothFactor: 0 },

    _project: function () {
      // Leaflet projects the line (this._rings, in layer pixels); the marks are placed on it.
      L.Polyline.prototype._project.call(this);
      var place = this.options.marks === 'ticks' ? tickSpots : arrowSpots;
      this._spots = [];
      (this._rings || []).forEach(function (ring) {
        this._spots = this._spots.concat(place(ring));
      }, this);
    },

    _updatePath: function () {
      var renderer = this._renderer;
      if (!renderer._drawing || !this._spots) { return; }
      var ctx = renderer._ctx;
      var color = this.options.color;
      var ticks = this.options.marks === 'ticks';
      var px = arrowPx(this.options.legWeight);
      var cs = this.options.connector;
      // Only the marks on the canvas (the view and its padding), with room for their size.
      var box = renderer._bounds.pad(0).extend(renderer._bounds.min.subtract([px, px]))
        .extend(renderer._bounds.max.add([px, px]));
      this._spots.forEach(function (spot) {
        if (!box.contains([spot.x, spot.y])) { return; }
        if (ticks) { paintTick(ctx, spot, cs, color); } else { paintArrow(ctx, spot, px, color); }
      });
    },

    spotsIn: function (bounds) {
      // How many marks lie inside pixel bounds (layer points).
      return (this._spots || []).filter(function (s) { return bounds.contains([s.x, s.y]); }).length;
    }
  });

  RouteMap.prototype.legMarks = function (leg, parts, joins) {
    // The layer of a leg's arrows and connector ticks, drawn by the shared marks renderer.
    // A mark's weight is its size, so a redraw clears and repaints all of it.
    var cs = this.data.styles.connector;
    var common = { renderer: this.marksRenderer, pane: 'rmArrows', color: leg.color,
      legWeight: leg.weight, connector: cs };
    var layers = [new LegMarks(parts, L.extend({ marks: 'arrows', weight: arrowPx(leg.weight) }, common))];
    if (joins.length) {
      layers.push(new LegMarks(joins, L.extend({ marks: 'ticks', weight: cs.tick + cs.width }, common)));
    }
    return L.layerGroup(layers);
  };

  RouteMap.prototype.marksInView = function (kind) {
    // How many arrows ('arrows') or connector ticks ('ticks') the shown legs have in view.
    var map = this.map;
    var view = L.bounds(map.containerPointToLayerPoint([0, 0]), map.containerPointToLayerPoint(map.getSize()));
    var count = 0;
    this.legs.forEach(function (entry) {
      if (!entry.shown || !map.hasLayer(entry.marks)) { return; }
      entry.marks.eachLayer(function (layer) {
        if (layer.options.marks === kind) { count += layer.spotsIn(view); }
      });
    });
    return count;
  };
