/* routemap's script: the observed layer (AIS), apart from every reported or estimated line.
 * Each vessel's track is a thin solid dark line with a dot at its positions; a dark gap is a
 * dashed stretch labelled with its duration ("Transponder off 9 h"); port calls and meetings at
 * sea are symbols. A small key says what they are (and, for made-up positions, that they are
 * synthetic), with a switch to hide them; on a narrow screen its rows start folded. The timeline shows each feature at the steps its
 * dates overlap. Styles come from maps.style.OBSERVED_STYLE through data.observed.style.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- observed (AIS) --------------------------------------------------------------------------

  function observedSymbol(shape, color, px) {
    var node = svg('svg', { viewBox: '0 0 20 20', width: String(px), height: String(px), 'class': 'rm-observed-symbol' });
    var mark = shape === 'star'
      ? svg('polygon', { points: '10,1 12.6,7.4 19.5,7.6 14.1,11.9 16,18.6 10,14.7 4,18.6 5.9,11.9 0.5,7.6 7.4,7.4' })
      : svg('polygon', { points: '10,1.5 18.6,7.8 15.3,18 4.7,18 1.4,7.8' });
    mark.setAttribute('fill', color);
    mark.setAttribute('stroke', '#ffffff');
    mark.setAttribute('stroke-width', '1.5');
    node.appendChild(mark);
    return node;
  }

  RouteMap.prototype.drawObserved = function () {
    var o = this.data.observed;
    this.observed = [];
    if (!o) { return; }
    var map = this.map;
    var scale = this.data.scale;
    var s = o.style;
    var group = L.featureGroup().addTo(map);
    var entries = this.observed;
    var popup = function (layer, item, kicker) {
      layer.bindPopup(function () {
        return popupContent(kicker, item.vessel, o.synthetic, item.rows, []);
      }, { maxWidth: 360, minWidth: 220, className: 'rm-popup' });
    };
    var add = function (item, layers) {
      var entry = { item: item, group: L.featureGroup(layers), shown: false };
      entries.push(entry);
      return entry;
    };
    o.tracks.forEach(function (item) {
      var parts = item.parts.map(function (p) { return decode(p, scale); });
      var line = L.polyline(parts, { color: s.color, weight: s.width, opacity: s.opacity,
        lineCap: 'round', lineJoin: 'round', className: 'rm-observed-track' });
      var dots = decode(item.dots, scale).map(function (at) {
        return L.circleMarker(at, { radius: s.dot, stroke: false, fillColor: s.color, fillOpacity: s.opacity,
          className: 'rm-observed-dot' });
      });
      popup(line, item, o.labels.track);
      add(item, [line].concat(dots));
    });
    o.gaps.forEach(function (item) {
      var parts = item.parts.map(function (p) { return decode(p, scale); });
      var line = L.polyline(parts, { color: s.gap_color, weight: s.gap_width, opacity: 1, dashArray: s.gap_dash,
        lineCap: 'butt', className: 'rm-observed-gap' });
      line.bindTooltip(el('span', 'rm-observed-gap-label', item.label),
        { permanent: true, direction: 'center', className: 'rm-observed-tip' });
      popup(line, item, o.labels.gap);
      add(item, [line]);
    });
    [['port_calls', o.labels.port_call, s.port_call_shape, s.color],
      ['encounters', o.labels.encounter, s.encounter_shape, s.gap_color]].forEach(function (kind) {
      o[kind[0]].forEach(function (item) {
        var html = observedSymbol(kind[2], kind[3], s.marker * 2);
        var marker = L.marker(decode(item.at, scale)[0], { icon: L.divIcon({ className: 'rm-observed-icon',
          html: html, iconSize: [s.marker * 2, s.marker * 2] }), keyboard: false, title: kind[1] });
        popup(marker, item, kind[1]);
        add(item, [marker]);
      });
    });
    this.observedGroup = group;
    this.observedKey(group);
  };

  RouteMap.prototype.observedKey = function (group) {
    var o = this.data.observed;
    var s = o.style;
    var map = this.map;
    var box = el('div', 'rm-observed-key leaflet-control');
    var head = el('label', 'rm-observed-head');
    var toggle = el('input');
    toggle.type = 'checkbox';
    toggle.checked = true;
    toggle.addEventListener('change', function () {
      if (toggle.checked) { group.addTo(map); } else { map.removeLayer(group); }
    });
    head.appendChild(toggle);
    head.appendChild(el('span', null, o.title));
    var top = el('div', 'rm-observed-top');
    top.style.display = 'flex';
    top.style.alignItems = 'center';
    top.style.gap = '6px';
    top.appendChild(head);
    box.appendChild(top);
    // The key's rows; on a narrow screen they start folded (a button shows them), so the key
    // does not cover the map; the synthetic warning is always shown.
    var rows = el('div', 'rm-observed-rows');
    box.appendChild(rows);
    if (map.getSize().x < NARROW_PX) {
      var more = el('button', 'rm-observed-more', '\u25BE');
      more.type = 'button';
      more.setAttribute('aria-label', o.title);
      more.setAttribute('aria-expanded', 'false');
      more.style.cssText = 'border:none;background:none;cursor:pointer;font-size:14px;padding:0 2px;';
      rows.style.display = 'none';
      more.addEventListener('click', function () {
        var open = rows.style.display === 'none';
        rows.style.display = open ? '' : 'none';
        more.textContent = open ? '\u25B4' : '\u25BE';
        more.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
      top.appendChild(more);
    }
    var row = function (sample, text) {
      var line = el('div', 'rm-observed-row');
      line.appendChild(sample);
      line.appendChild(el('span', null, text));
      rows.appendChild(line);
    };
    row(lineSample(s.color, s.width, null, s.opacity), o.labels.track);
    if (o.gaps.length) { row(lineSample(s.gap_color, s.gap_width, s.gap_dash, 1), o.labels.gap); }
    if (o.port_calls.length) { row(observedSymbol(s.port_call_shape, s.color, 14), o.labels.port_call); }
    if (o.encounters.length) { row(observedSymbol(s.encounter_shape, s.gap_color, 14), o.labels.encounter); }
    if (o.synthetic) { box.appendChild(el('div', 'rm-observed-synthetic', o.synthetic)); }
    L.DomEvent.disableClickPropagation(box);
    control(box, 'topright').addTo(map);
    // Controls stand above popups: the key steps aside while an open popup would be under it
    // (checked again once the map has panned to show the popup).
    var open = null;
    var aside = function () {
      var node = open && open.getElement();
      if (!node) { box.style.visibility = ''; return; }
      var a = node.getBoundingClientRect();
      var b = box.getBoundingClientRect();
      var under = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      box.style.visibility = under ? 'hidden' : '';
    };
    map.on('popupopen', function (e) { open = e.popup; aside(); });
    map.on('moveend', aside);
    map.on('popupclose', function (e) { if (e.popup === open) { open = null; } aside(); });
  };

  RouteMap.prototype.showObserved = function (index) {
    var steps = this.data.timeline;
    var step = index > 0 ? steps[index - 1] : null;
    var group = this.observedGroup;
    (this.observed || []).forEach(function (entry) {
      var item = entry.item;
      var on = !step || !item.start || (item.start <= step.end && (item.end || item.start) >= step.start);
      if (on !== entry.shown) {
        if (on) { group.addLayer(entry.group); } else { group.removeLayer(entry.group); }
        entry.shown = on;
      }
    });
  };

  // The timeline's step also chooses the observed features shown (timeline.js sets the rest).
  var setStepOfLegs = RouteMap.prototype.setStep;
  RouteMap.prototype.setStep = function (index) {
    setStepOfLegs.call(this, index);
    this.showObserved(index);
  };
