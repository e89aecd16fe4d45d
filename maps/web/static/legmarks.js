/* routemap's script: the marks on a leg's line: direction arrows along a track and a tick
 * across each end of a connector, where they go on the projected line and how each is painted
 * (legpaths.js paints them over every line, in its last pass).
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- marks: arrows and ticks ----------------------------------------------------------------

  // The arrow glyph in a 16-unit box, pointing along +x: the mark the legend describes.
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

  function arrowStyle(ctx, px, color) {
    // The style of a leg's arrows: filled in its colour, outlined in white 1.3 glyph units wide.
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    ctx.fillStyle = color;
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1.3 * px / 16;
    ctx.lineCap = 'butt';
    ctx.lineJoin = 'round';
  }

  function paintArrow(ctx, spot, px) {
    // One arrow in the style set (arrowStyle): the glyph scaled to px, turned to the spot's
    // angle about its centre and moved to the spot, its corners worked out here rather than by
    // the canvas's transform.
    var k = px / 16;
    var cos = Math.cos(spot.angle) * k;
    var sin = Math.sin(spot.angle) * k;
    ctx.beginPath();
    for (var i = 0; i < ARROW_GLYPH.length; i++) {
      var u = ARROW_GLYPH[i][0] - 8;
      var v = ARROW_GLYPH[i][1] - 8;
      ctx[i ? 'lineTo' : 'moveTo'](spot.x + u * cos - v * sin, spot.y + u * sin + v * cos);
    }
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
  }

  function tickStyle(ctx, cs, color) {
    // The style of a connector's ticks: its hairline's colour, width and opacity.
    ctx.setLineDash([]);
    ctx.globalAlpha = cs.opacity;
    ctx.lineWidth = cs.width;
    ctx.strokeStyle = color;
    ctx.lineCap = 'butt';
    ctx.lineJoin = 'round';
  }

  function paintTick(ctx, spot, cs) {
    // One tick in the style set (tickStyle).
    var dx = -Math.sin(spot.angle) * cs.tick / 2;
    var dy = Math.cos(spot.angle) * cs.tick / 2;
    ctx.beginPath();
    ctx.moveTo(spot.x - dx, spot.y - dy);
    ctx.lineTo(spot.x + dx, spot.y + dy);
    ctx.stroke();
  }
