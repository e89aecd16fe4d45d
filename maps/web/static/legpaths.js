/* routemap's script: every leg painted on one canvas (Leaflet's canvas renderer, extended). A
 * leg is one layer, its track, plus one per connector off the network; each is projected once
 * per zoom and painted in three passes over all legs: the corridor bands of modelled lines
 * first, under every line; then each leg's white casing and line (or a connector's ticked
 * hairline); then the direction arrows and connector ticks, over every line. No leg, arrow or
 * tick is a DOM node, so a map of thousands of legs zooms and pans as fast as one of ten, and
 * Leaflet simplifies each line to the zoom (smoothFactor) as it draws.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- painting legs: bands, casings and lines, arrows and ticks ------------------------------

  var PASSES = ['band', 'line', 'marks'];
  var CASING_PX = 3;
  var HIGHLIGHT_PX = 2.5;
  // How long a painted view waits before its margins are painted, one strip per idle moment:
  // the frames that show the view, and the next move of a zoom or flick, come first.
  var MARGIN_DELAY_MS = 120;

  function dashes(dash) {
    return dash ? String(dash).split(/[ ,]+/).map(Number) : [];
  }

  function trace(ctx, parts) {
    ctx.beginPath();
    for (var i = 0; i < parts.length; i++) {
      for (var j = 0; j < parts[i].length; j++) {
        ctx[j ? 'lineTo' : 'moveTo'](parts[i][j].x, parts[i][j].y);
      }
    }
  }

  function stroke(ctx, color, width, opacity, dash, cap) {
    ctx.setLineDash(dash);
    ctx.globalAlpha = opacity;
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.lineCap = cap;
    ctx.lineJoin = 'round';
    ctx.stroke();
  }

  // --- lines projected once per zoom, simplified to it, shared by the legs that follow them --

  var BASE = new WeakMap();
  var RING_IDS = new WeakMap();
  var ringCount = 0;

  function ringId(ring) {
    // A number naming a decoded line (RouteMap.latlngs gives legs on one line the same array).
    if (!RING_IDS.has(ring)) { RING_IDS.set(ring, ++ringCount); }
    return RING_IDS.get(ring);
  }

  function baseOf(ring, map) {
    // A line's points projected at zoom 0 (Web Mercator in 256 px), once; each zoom's points are
    // these scaled, less the pixel origin. Kept with each level's simplified points and the
    // points' bounds (those of any level's points, which are some of them, scaled alike).
    var base = BASE.get(ring);
    if (!base) {
      var points = ring.map(function (ll) { return map.project(ll, 0); });
      base = { points: points, levels: {}, bounds: L.bounds(points) };
      BASE.set(ring, base);
    }
    return base;
  }

  function atLevel(base, level) {
    // The line simplified for a zoom level: no point the level would draw within half a pixel
    // of the line through the others (Leaflet's simplify: radial, then Douglas-Peucker).
    if (!base.levels[level]) {
      base.levels[level] = base.points.length > 2
        ? L.LineUtil.simplify(base.points, 0.5 / Math.pow(2, level)) : base.points;
    }
    return base.levels[level];
  }

  // The canvas every leg is painted on: Leaflet's, drawing its layers in three passes.
  var LegCanvas = L.Canvas.extend({
    reachOf: function (ring, bounds) {
      // Extend pixel bounds by a line's bounds at the map's zoom and origin, its points
      // unprojected: they hold the line's projected points at any level (the same sums).
      var map = this._map;
      var scale = Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin();
      var b = baseOf(ring, map).bounds;
      if (!b.isValid()) { return; }
      bounds.extend(L.point(b.min.x * scale - origin.x, b.min.y * scale - origin.y));
      bounds.extend(L.point(b.max.x * scale - origin.x, b.max.y * scale - origin.y));
    },

    projected: function (ring, kind) {
      // A line's points (and marks of a kind) in layer pixels at the map's zoom and origin:
      // projected once however many legs follow it, then kept until the zoom or origin moves.
      var map = this._map;
      var zoom = map.getZoom();
      var origin = map.getPixelOrigin();
      var key = zoom + ':' + origin.x + ':' + origin.y;
      if (this._projectedKey !== key) {
        this._projectedKey = key;
        this._projected = new Map();
      }
      var hit = this._projected.get(ring);
      if (!hit) {
        var scale = Math.pow(2, zoom);
        var bounds = new L.Bounds();
        var points = atLevel(baseOf(ring, map), Math.floor(zoom)).map(function (p) {
          var q = L.point(p.x * scale - origin.x, p.y * scale - origin.y);
          bounds.extend(q);
          return q;
        });
        hit = { points: points, bounds: bounds, marks: {} };
        this._projected.set(ring, hit);
      }
      if (kind && !hit.marks[kind]) { hit.marks[kind] = kind === 'join' ? tickSpots(hit.points) : arrowSpots(hit.points); }
      return hit;
    },

    _redraw: function () {
      // A full redraw of a canvas made with viewFirst paints the view first and the canvas's
      // margins (its padding, seen only once the map moves) in strips when the page is idle, or
      // as soon as they could be seen (a drag, a pan in steps, a zoom out that glides). Each
      // pixel is painted by the same strokes in the same order as in one pass (the clips are
      // whole pixels), only sooner where it is seen.
      if (this._redrawBounds || !this.options.viewFirst || !this._map) {
        L.Canvas.prototype._redraw.call(this);
        return;
      }
      this._redrawRequest = null;
      this._clear();
      var view = this.viewBounds();
      this.paintWithin(view);
      this.queueMargins(view);
      this.prepareLevels();
    },

    prepareLevels: function () {
      // In the page's idle moments, the lines this canvas draws simplified for the zoom levels
      // either side of this one (atLevel keeps them), so that the next zoom finds them ready;
      // a newer view starts its own.
      var map = this._map;
      var key = this._projectedKey;
      if (!window.requestIdleCallback || !this._projected) { return; }
      var level = Math.floor(map.getZoom());
      var rings = Array.from(this._projected.keys());
      var self = this;
      var i = 0;
      var step = function (deadline) {
        if (self._projectedKey !== key || !self._map) { return; }
        for (; i < rings.length && deadline.timeRemaining() > 1; i++) {
          var base = baseOf(rings[i], map);
          atLevel(base, level + 1);
          if (level > 0) { atLevel(base, level - 1); }
        }
        if (i < rings.length) { window.requestIdleCallback(step); }
      };
      window.requestIdleCallback(step);
    },

    viewBounds: function () {
      // The map's view in layer pixels, widened to whole pixels, within the canvas.
      var map = this._map;
      var b = this._bounds;
      var min = map.containerPointToLayerPoint([0, 0]).floor();
      var max = map.containerPointToLayerPoint(map.getSize()).ceil();
      return L.bounds(L.point(Math.max(min.x, b.min.x), Math.max(min.y, b.min.y)),
        L.point(Math.min(max.x, b.max.x), Math.min(max.y, b.max.y)));
    },

    paintWithin: function (bounds) {
      // Clear and paint one rectangle of the canvas, leaving a redraw Leaflet has asked for.
      var asked = this._redrawBounds;
      this._redrawBounds = bounds;
      this._clear();
      this._draw();
      this._redrawBounds = asked;
    },

    queueMargins: function (view) {
      // The canvas outside the view as up to four strips (above, below, left, right), painted
      // one per idle moment once the view has been shown (MARGIN_DELAY_MS); a newer full redraw
      // drops the old queue.
      var b = this._bounds;
      var strips = [[b.min.x, b.min.y, b.max.x, view.min.y], [b.min.x, view.max.y, b.max.x, b.max.y],
        [b.min.x, view.min.y, view.min.x, view.max.y], [view.max.x, view.min.y, b.max.x, view.max.y]];
      this._marginGeneration = (this._marginGeneration || 0) + 1;
      this._margins = strips.filter(function (r) { return r[2] > r[0] && r[3] > r[1]; }).map(function (r) {
        return L.bounds([r[0], r[1]], [r[2], r[3]]);
      });
      if (!this._marginsHooked) {
        this._marginsHooked = true;
        this._map.on({ dragstart: this.paintMargins, zoomanim: this.marginsForZoom,
          move: this.marginsForMove }, this);
      }
      this.nextMargin(MARGIN_DELAY_MS);
    },

    marginsForZoom: function (e) {
      // A zoom out glides: the canvas shrinks about the view and shows its margins.
      if (e.zoom < this._map.getZoom()) { this.paintMargins(); }
    },

    marginsForMove: function () {
      // A pan in steps (keys, a glide) shows the margins from its next frame; a move that ends
      // in a redraw (a jump, a zoom without glide) has queued new margins by then.
      var queue = this._margins;
      var self = this;
      if (!queue || !queue.length) { return; }
      L.Util.requestAnimFrame(function () {
        if (self._margins === queue) { self.paintMargins(); }
      });
    },

    nextMargin: function (delay) {
      // The next strip, after `delay` ms and at the page's next idle moment, unless a newer
      // full redraw (generation) or a move (paintMargins) has come first.
      var self = this;
      var generation = this._marginGeneration;
      window.clearTimeout(this._marginTimer);
      if (!this._margins || !this._margins.length) { return; }
      var run = function () {
        var queue = self._margins;
        if (generation !== self._marginGeneration || !queue || !queue.length || !self._map) { return; }
        self.paintWithin(queue.shift());
        self.nextMargin(0);
      };
      this._marginTimer = window.setTimeout(function () {
        if (window.requestIdleCallback) { window.requestIdleCallback(run); } else { run(); }
      }, delay);
    },

    paintMargins: function () {
      // Every margin still to paint, now (the map moves and may show them).
      var queue = this._margins;
      this._margins = null;
      (queue || []).forEach(this.paintWithin, this);
    },

    _draw: function () {
      var bounds = this._redrawBounds;
      var ctx = this._ctx;
      ctx.save();
      if (bounds) {
        var size = bounds.getSize();
        ctx.beginPath();
        ctx.rect(bounds.min.x, bounds.min.y, size.x, size.y);
        ctx.clip();
      }
      this._drawing = true;
      var repainted = this.repainted();
      PASSES.forEach(function (pass) {
        for (var order = this._drawFirst; order; order = order.next) {
          var layer = order.layer;
          var reach = layer._paintBounds || layer._pxBounds;
          if (pass !== 'band' && repainted.has(layer)) { continue; }
          if (!bounds || (reach && reach.intersects(bounds))) {
            if (layer.paint) { layer.paint(pass, ctx); } else if (pass === 'line') { layer._updatePath(); }
          }
        }
      }, this);
      this._drawing = false;
      ctx.restore();
    },

    clipped: function (layer) {
      // A leg's pieces clipped to the canvas and simplified as Leaflet does it for a polyline
      // (the same points), worked out once per view for all the legs on the same lines.
      var b = this._bounds;
      var key = this._projectedKey + '|' + b.min.x + ':' + b.min.y + ':' + b.max.x + ':' + b.max.y;
      if (this._clippedKey !== key) {
        this._clippedKey = key;
        this._clipped = new Map();
      }
      var lines = layer._lines.map(ringId).join(',');
      var parts = this._clipped.get(lines);
      if (!parts) {
        L.Polyline.prototype._clipPoints.call(layer);
        L.Polyline.prototype._simplifyPoints.call(layer);
        parts = layer._parts;
        this._clipped.set(lines, parts);
      }
      return parts;
    },

    restyled: function () {
      // A leg was added, removed or restyled: which legs paint again what others paint changes.
      this._repainted = null;
    },

    _initPath: function (layer) {
      this.restyled();
      L.Canvas.prototype._initPath.call(this, layer);
    },

    _removePath: function (layer) {
      this.restyled();
      L.Canvas.prototype._removePath.call(this, layer);
    },

    repainted: function () {
      // The legs whose casing, line and marks a leg drawn after them paints again, stroke for
      // stroke (the same line in the same style: legs of several transfers on one track): those
      // are painted once, by the last. Their bands are all painted, as before. Kept until a leg
      // is added, removed or restyled (a view and its margins are painted with the same set).
      if (this._repainted) { return this._repainted; }
      var layers = [];
      for (var order = this._drawFirst; order; order = order.next) { layers.push(order.layer); }
      var seen = new Set();
      var out = new Set();
      for (var i = layers.length - 1; i >= 0; i--) {
        if (!layers[i].paintKey) { continue; }
        var key = layers[i].paintKey();
        if (seen.has(key)) { out.add(layers[i]); } else { seen.add(key); }
      }
      this._repainted = out;
      return out;
    },

    _extendRedrawBounds: function (layer) {
      // A leg's band and arrows reach past its line: clear and repaint all of them (the leg's
      // own bounds, its points projected if they were not yet).
      if (layer.resolve) { layer.resolve(); }
      var reach = layer._paintBounds || layer._pxBounds;
      if (reach) {
        this._redrawBounds = this._redrawBounds || new L.Bounds();
        this._redrawBounds.extend(reach.min.subtract([1, 1]));
        this._redrawBounds.extend(reach.max.add([1, 1]));
      }
    }
  });

  // One leg's track (kind 'track': band, casing, line, arrows) or one of its connectors (kind
  // 'join': casing, hairline, ticks), as a polyline Leaflet projects, clips, simplifies and
  // hit-tests like any other; only its painting is its own.
  var LegPath = L.Polyline.extend({
    initialize: function (latlngs, leg, kind, cs, renderer) {
      var join = kind === 'join';
      this._lines = latlngs;
      L.Polyline.prototype.initialize.call(this, latlngs, { renderer: renderer,
        color: leg.color, weight: join ? cs.width : leg.weight, opacity: join ? cs.opacity : leg.opacity,
        smoothFactor: 1, lineJoin: 'round', lineCap: join || leg.dash ? 'butt' : 'round' });
      this.leg = leg;
      this.kind = kind;
      this.cs = cs;
      this.casingOpacity = 0.85;
      this.highlighted = false;
      this._dash = join ? [] : dashes(leg.dash);
      var half = (join ? cs.tick + cs.width + cs.casing : Math.max(arrowPx(leg.weight),
        leg.band ? leg.band.weight : 0, leg.weight + CASING_PX + HIGHLIGHT_PX)) / 2;
      this._reach = Math.ceil(half) + 1;
    },

    _project: function () {
      // At a new zoom only the leg's bounds, from its lines' (LegCanvas.reachOf): most legs of a
      // large map lie off the canvas once zoomed in, and their points are projected only when
      // asked for (resolve: the leg on the canvas, picked, counted or restyled).
      var pxBounds = new L.Bounds();
      this._rings = null;
      this._spots = null;
      this._lines.forEach(function (line) { this._renderer.reachOf(line, pxBounds); }, this);
      this.setBounds(pxBounds);
    },

    resolve: function () {
      // The legs' lines, projected and simplified for the zoom by the renderer (shared by every
      // leg on one line), with their marks; the bounds to repaint take in the band and marks.
      if (this._rings || !this._map) { return; }
      var pxBounds = new L.Bounds();
      this._rings = [];
      this._spots = [];
      this._lines.forEach(function (line) {
        var hit = this._renderer.projected(line, this.kind);
        this._rings.push(hit.points);
        this._spots = this._spots.concat(hit.marks[this.kind]);
        if (hit.bounds.isValid()) { pxBounds.extend(hit.bounds.min); pxBounds.extend(hit.bounds.max); }
      }, this);
      this.setBounds(pxBounds);
    },

    rings: function () {
      // Its lines' points in layer pixels at the map's zoom (projected now if not yet).
      this.resolve();
      return this._rings || [];
    },

    setBounds: function (pxBounds) {
      this._paintBounds = null;
      if (this._bounds.isValid() && pxBounds.isValid()) {
        this._rawPxBounds = pxBounds;
        this._updateBounds();
        var b = this._pxBounds;
        this._paintBounds = L.bounds(b.min.subtract([this._reach, this._reach]),
          b.max.add([this._reach, this._reach]));
      }
    },

    _updatePath: function () {
      // Painted only in the renderer's passes (paint).
    },

    _clipPoints: function () {
      // Clipped and simplified with the other legs on its lines (LegCanvas.clipped: every leg
      // has the same smoothFactor); none if the leg with its width lies off the canvas. Its
      // points are projected if what it paints may reach the canvas.
      var canvas = this._renderer._bounds;
      if (!this._rings && this._paintBounds && this._paintBounds.intersects(canvas)) { this.resolve(); }
      var on = this._rings && this._pxBounds && this._pxBounds.intersects(this._renderer._bounds);
      this._parts = on ? this._renderer.clipped(this) : [];
    },

    _simplifyPoints: function () {
      // Done with the clipping (_clipPoints).
    },

    setHighlight: function (state) {
      // 'on' (the hovered transfer: wider, opaque), 'dim' (the others) or null (as drawn).
      if (this.kind === 'join') { return; }
      var leg = this.leg;
      this.highlighted = state === 'on';
      this.options.weight = leg.weight + (this.highlighted ? HIGHLIGHT_PX : 0);
      this.options.opacity = state === 'on' ? 1 : state === 'dim' ? 0.3 : leg.opacity;
      this.casingOpacity = state === 'dim' ? 0.35 : 0.85;
      this._renderer.restyled();
      if (this._map) { this._renderer._requestRedraw(this); }
    },

    paint: function (pass, ctx) {
      var parts = this._parts;
      var o = this.options;
      if (pass === 'marks') { this.paintMarks(ctx); return; }
      if (!parts || !parts.length) { return; }
      if (pass === 'band') {
        if (this.kind === 'track' && this.leg.band) {
          trace(ctx, parts);
          stroke(ctx, o.color, this.leg.band.weight, this.leg.band.opacity, [], 'round');
        }
        return;
      }
      trace(ctx, parts);
      if (this.kind === 'join') {
        stroke(ctx, '#ffffff', this.cs.width + this.cs.casing, 0.85, [], 'butt');
      } else {
        stroke(ctx, '#ffffff', o.weight + CASING_PX, this.casingOpacity, [], 'round');
      }
      if (this.highlighted) {
        // A soft shadow lifts the hovered transfer's lines off the others.
        ctx.shadowColor = 'rgba(0, 0, 0, 0.45)';
        ctx.shadowBlur = 3;
      }
      stroke(ctx, o.color, o.weight, o.opacity, this._dash, o.lineCap);
      ctx.shadowColor = 'transparent';
      ctx.shadowBlur = 0;
    },

    paintMarks: function (ctx) {
      // Only the marks on what is painted (the canvas, or the part redrawn), with room for
      // their size; none of a leg not projected (_clipPoints: it paints nothing on the canvas).
      if (!this._rings) { return; }
      var px = arrowPx(this.leg.weight);
      var box = this._renderer._redrawBounds || this._renderer._bounds;
      var min = box.min.subtract([px, px]);
      var max = box.max.add([px, px]);
      var join = this.kind === 'join';
      var styled = false;
      var spots = this._spots || [];
      for (var i = 0; i < spots.length; i++) {
        var s = spots[i];
        if (s.x < min.x || s.x > max.x || s.y < min.y || s.y > max.y) { continue; }
        if (!styled) {
          styled = true;
          if (join) { tickStyle(ctx, this.cs, this.options.color); } else { arrowStyle(ctx, px, this.options.color); }
        }
        if (join) { paintTick(ctx, s, this.cs); } else { paintArrow(ctx, s, px); }
      }
    },

    paintKey: function () {
      // What its casing, line and marks look like: equal keys paint the same pixels.
      var o = this.options;
      return [this._lines.map(ringId).join(','), this.kind, o.color, o.weight, o.opacity,
        this._dash.join(' '), o.lineCap, this.casingOpacity, this.highlighted].join('|');
    },

    marksIn: function (bounds) {
      // How many of its marks lie inside pixel bounds (layer points).
      this.resolve();
      return (this._spots || []).filter(function (s) { return bounds.contains([s.x, s.y]); }).length;
    }
  });

  RouteMap.prototype.legPaths = function (leg, parts, joins) {
    // A leg's track and its connectors, painted on the shared leg canvas.
    var cs = this.data.styles.connector;
    var renderer = this.legRenderer;
    return { track: new LegPath(parts, leg, 'track', cs, renderer),
      joins: joins.map(function (latlngs) { return new LegPath([latlngs], leg, 'join', cs, renderer); }) };
  };

  RouteMap.prototype.marksInView = function (kind) {
    // How many arrows ('arrows') or connector ticks ('ticks') the shown legs have in view.
    var map = this.map;
    var view = L.bounds(map.containerPointToLayerPoint([0, 0]), map.containerPointToLayerPoint(map.getSize()));
    var count = 0;
    this.legs.forEach(function (entry) {
      if (!entry.shown || !map.hasLayer(entry.layer)) { return; }
      (kind === 'ticks' ? entry.joinPaths : [entry.path]).forEach(function (path) {
        count += path.marksIn(view);
      });
    });
    return count;
  };

  RouteMap.prototype.drawnLegs = function () {
    // What is painted of each shown leg: its id, transfer, mode, line and band widths, whether
    // it is highlighted, and its track's pieces as stroked, in window pixels.
    var map = this.map;
    var frame = map.getContainer().getBoundingClientRect();
    var page = function (p) {
      var c = map.layerPointToContainerPoint(p);
      return [c.x + frame.left, c.y + frame.top];
    };
    return this.legs.filter(function (entry) {
      return entry.shown && map.hasLayer(entry.layer);
    }).map(function (entry) {
      var path = entry.path;
      return { id: entry.leg.id, transfer: entry.leg.transfer, mode: entry.leg.mode,
        weight: path.options.weight, band: entry.leg.band ? entry.leg.band.weight : 0,
        highlighted: path.highlighted,
        pieces: (path._parts || []).map(function (piece) { return piece.map(page); }) };
    });
  };
