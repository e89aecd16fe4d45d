/* routemap's script: reading the packed map document (maps/web/packing.py). Each distinct line
 * is written once, as a string of 5-bit chunks, and legs name theirs by index; popup labels and
 * texts are written once and rows name them by index; each cited source is written once
 * (data.sources). unpack gives every leg, place and note its own parts, rows and sources again,
 * sharing one array or object where the document shares one entry.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- the packed document --------------------------------------------------------------------

  var PACKED_FORMAT = 1;

  function decodeSteps(text) {
    // The integers of maps/web/packing.py encode_steps: zigzag-coded, 5-bit chunks, low first.
    var out = [];
    var rest = 0;
    var shift = 0;
    for (var i = 0; i < text.length; i++) {
      var chunk = text.charCodeAt(i) - 63;
      rest += (chunk & 0x1f) * Math.pow(2, shift);
      shift += 5;
      if (chunk < 0x20) {
        out.push(rest % 2 ? -(rest + 1) / 2 : rest / 2);
        rest = 0;
        shift = 0;
      }
    }
    return out;
  }

  function unpack(data) {
    if (data.packed !== PACKED_FORMAT) {
      throw new Error('routemap: map data of format ' + data.packed + ', not ' + PACKED_FORMAT);
    }
    var lines = data.lines.map(decodeSteps);
    var texts = data.texts;
    var line = function (i) { return lines[i]; };
    var source = function (i) { return data.sources[i]; };
    data.legs.forEach(function (leg) {
      leg.parts = leg.parts.map(line);
      leg.connectors = leg.connectors.map(function (c) { return c.map(line); });
    });
    [data.legs, data.places, data.annotations].forEach(function (items) {
      items.forEach(function (item) {
        var rows = [];
        for (var i = 0; i + 1 < item.rows.length; i += 2) { rows.push([texts[item.rows[i]], texts[item.rows[i + 1]]]); }
        item.rows = rows;
        item.sources = item.sources.map(source);
      });
    });
    return data;
  }
