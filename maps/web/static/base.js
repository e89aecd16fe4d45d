/* routemap's script, first part: opens its private scope and holds what the parts share.
 *
 * routemap draws a route map document (maps/web/data.py) on a Leaflet map, offline. Its parts
 * run as one script, joined in the order of maps/web/assets.py SCRIPT_PARTS, inside the
 * function this part opens and start.js closes. This part owns the tuning constants, the DOM,
 * SVG and distance helpers, and the place symbols and line samples made from the style table.
 *
 * Scenario text only ever enters the page as text (textContent, or markup that the browser
 * itself serialised from text nodes); only http(s) URLs become links. No request leaves the
 * page unless the reader picks an online tile layer.
 */
(function () {
  'use strict';

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var ARROW_SPACING_PX = 150;
  var PLAY_INTERVAL_MS = 1400;
  var PICK_PX = 6;
  var NARROW_PX = 720;
  var NOTE_ZOOM = 6;
  // Popups pan into view clear of the panel's edge (top left) and of the zoom, full-screen and
  // measure buttons down the right edge (bottom right: their column's width).
  // On a phone a popup is also kept narrower than the room between those paddings (less the
  // popup's own 40 px of margins), or it could not pan clear of the buttons.
  var POPUP_PAN = { autoPanPaddingTopLeft: [20, 60], autoPanPaddingBottomRight: [64, 20] };
  var POPUP_ROOM = Math.max(180, (window.innerWidth || 1024) - 20 - 64 - 40);
  var LEG_POPUP = L.extend({ maxWidth: Math.min(380, POPUP_ROOM), minWidth: Math.min(260, POPUP_ROOM),
                             className: 'rm-popup' }, POPUP_PAN);

  // --- the map's words ------------------------------------------------------------------------

  // Every word the script writes comes from the data document's `messages` (maps/web/messages.py),
  // in the map's language; start.js sets them before anything is drawn.
  var MESSAGES = {};

  // The locale's plural rules and number format, made once per locale (making one costs far
  // more than using it, and a panel of a thousand transfers counts a thousand times).
  var INTL = {};

  function intl(kind) {
    var key = kind + ':' + MESSAGES.locale;
    if (!INTL[key]) {
      INTL[key] = kind === 'plural' ? new Intl.PluralRules(MESSAGES.locale) : new Intl.NumberFormat(MESSAGES.locale);
    }
    return INTL[key];
  }

  function t(key, values) {
    // A message by key, its {name} placeholders filled from `values`; a counted message
    // (plural forms by CLDR category) takes its form from `values.count`. The result is only
    // ever set as text, never as markup.
    var text = MESSAGES[key];
    if (text === undefined) { throw new Error('routemap: no message ' + key); }
    if (typeof text === 'object') {
      var category = intl('plural').select(values.count);
      text = text[category] !== undefined ? text[category] : text.other;
    }
    return String(text).replace(/\{(\w+)\}/g, function (whole, name) {
      if (!values || values[name] === undefined) { return whole; }
      var value = values[name];
      return typeof value === 'number' ? intl('number').format(value) : String(value);
    });
  }

  function formatNumber(value) {
    return intl('number').format(Math.round(value));
  }

  // --- small helpers -------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function chooserList(entries, fill) {
    // A popup's list of choices, one button a choice: fill(entry, button) gives it its content.
    var list = el('ul', 'rm-chooser-list');
    entries.forEach(function (entry) {
      var button = el('button', 'rm-chooser-item');
      button.type = 'button';
      fill(entry, button);
      var item = el('li');
      item.appendChild(button);
      list.appendChild(item);
    });
    return list;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function markup(node) {
    // Leaflet's layer control and attribution take HTML strings: let the browser write them.
    var holder = document.createElement('div');
    holder.appendChild(node);
    return holder.innerHTML;
  }

  function textMarkup(text) { return markup(el('span', null, text)); }

  function safeHref(url) {
    if (typeof url !== 'string') { return null; }
    var parsed;
    try { parsed = new URL(url); } catch (err) { return null; }
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.href : null;
  }

  function decode(codes, scale) {
    var out = [];
    var lat = 0;
    var lon = 0;
    for (var i = 0; i + 1 < codes.length; i += 2) {
      lat += codes[i];
      lon += codes[i + 1];
      out.push([lat / scale, lon / scale]);
    }
    return out;
  }

  function haversineKm(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad;
    var dLon = (b.lng - a.lng) * rad;
    var h = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  function formatKm(km) {
    var nmi = Math.round(km / 1.852);
    return t('km', { distance: formatNumber(km) }) + ' \u00b7 ' +
      t('nmi', { distance: formatNumber(nmi), count: nmi });
  }

  function icon(paths) {
    var node = svg('svg', { viewBox: '0 0 20 20', width: '18', height: '18', 'aria-hidden': 'true' });
    paths.forEach(function (d) {
      node.appendChild(svg('path', { d: d, fill: 'none', stroke: 'currentColor',
        'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
    });
    return node;
  }

  // --- symbols from the style table ----------------------------------------------------------

  var SHAPES = {
    square: function () { return svg('rect', { x: 3, y: 3, width: 14, height: 14 }); },
    circle: function () { return svg('circle', { cx: 10, cy: 10, r: 7.5 }); },
    triangle: function () { return svg('polygon', { points: '10,1.5 18.8,17.5 1.2,17.5' }); },
    diamond: function () { return svg('polygon', { points: '10,1 19,10 10,19 1,10' }); },
    plus: function () {
      return svg('polygon', { points: '7,1.5 13,1.5 13,7 18.5,7 18.5,13 13,13 13,18.5 7,18.5 7,13 1.5,13 1.5,7 7,7' });
    },
    cross: function () {
      return svg('polygon', { points: '7,1.5 13,1.5 13,7 18.5,7 18.5,13 13,13 13,18.5 7,18.5 7,13 1.5,13 1.5,7 7,7',
        transform: 'rotate(45 10 10) scale(0.9) translate(1.1 1.1)' });
    }
  };

  function placeSymbol(style) {
    var px = Math.round(style.size * 2 + 2);
    var node = svg('svg', { viewBox: '0 0 20 20', width: px, height: px, 'class': 'rm-symbol' });
    var shape = (SHAPES[style.shape] || SHAPES.circle)();
    shape.setAttribute('fill', style.fill);
    shape.setAttribute('stroke', style.edge);
    shape.setAttribute('stroke-width', '2.2');
    shape.setAttribute('stroke-linejoin', 'round');
    node.appendChild(shape);
    return { node: node, px: px };
  }

  function lineSample(color, width, dash, opacity) {
    var node = svg('svg', { viewBox: '0 0 40 12', width: '40', height: '12', 'class': 'rm-line-sample' });
    node.appendChild(svg('line', { x1: 1, y1: 6, x2: 39, y2: 6, stroke: '#ffffff',
      'stroke-width': width + 2.5, 'stroke-linecap': 'round' }));
    var line = svg('line', { x1: 1, y1: 6, x2: 39, y2: 6, stroke: color, 'stroke-width': width,
      'stroke-opacity': opacity === undefined ? 1 : opacity, 'stroke-linecap': dash ? 'butt' : 'round' });
    if (dash) { line.setAttribute('stroke-dasharray', dash); }
    node.appendChild(line);
    return node;
  }
