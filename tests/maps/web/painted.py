"""Scripts the browser tests run in the page to read what the web map painted (legpaths.js)."""

# The point halfway along the first drawn leg of a mode (any mode when none is given), its track
# as painted, in page pixels.
MIDPOINT_JS = """(mode) => {
  const legs = window.routemap.app.drawnLegs();
  const leg = mode ? legs.find((l) => l.mode === mode) : legs[0];
  const points = leg.pieces.flat();
  const steps = points.slice(1).map((p, i) => Math.hypot(p[0] - points[i][0], p[1] - points[i][1]));
  let left = steps.reduce((a, b) => a + b, 0) / 2;
  for (let i = 0; i < steps.length; i++) {
    if (left <= steps[i]) {
      const f = steps[i] ? left / steps[i] : 0;
      return [points[i][0] + (points[i + 1][0] - points[i][0]) * f,
              points[i][1] + (points[i + 1][1] - points[i][1]) * f];
    }
    left -= steps[i];
  }
  return points[points.length - 1];
}"""
