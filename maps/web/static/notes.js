/* routemap's script: the numbered notes on the map. Each note is a badge, a button carrying the
 * note's data-annotation-id, joined by a leader line to its point when it cannot sit beside it.
 * layoutNotes places every shown badge where it covers no other badge, no place symbol and none
 * of the map's furniture (panel, timeline, buttons, scale bar, attribution): the surer notes
 * first, so they sit nearest their point and on top, and a confirmed finding is never buried
 * under a claim. Notes at one place fan out around it in rings; a badge and its leader keep clear
 * of place names when that costs at most three rings (noteroom.js then moves or hides the names
 * still under a badge or leader, and on a phone collapses crowded notes into cluster badges).
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- notes: badges, leaders and where they go ------------------------------------------------

  var NOTE_RANK = { confirmed: 3, reported: 2, claimed: 1, estimated: 0 };
  var BADGE_PX = 20;
  var BADGE_GAP = 3;
  var NOTE_RINGS = 9;
  var NOTE_HOME = [14, -14];
  var NOTE_LABEL_REACH = 75;
  var NOTE_POPUP = L.extend({ maxWidth: Math.min(340, POPUP_ROOM), minWidth: Math.min(220, POPUP_ROOM),
                              className: 'rm-popup' }, POPUP_PAN);

  function noteRank(note) {
    var rank = NOTE_RANK[note.confidence];
    return rank === undefined ? -1 : rank;
  }

  function overlapping(a, b) {
    return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top;
  }

  function box(x, y, half) {
    return { left: x - half, right: x + half, top: y - half, bottom: y + half };
  }

  // Offsets from a note's point, in pixels, in the order they are tried: beside the point (up
  // and right), then rings of growing radius, each starting up and right and alternating sides.
  var NOTE_SPOTS = (function () {
    var out = [NOTE_HOME];
    var pitch = BADGE_PX + BADGE_GAP;
    for (var k = 1; k <= NOTE_RINGS; k++) {
      var r = 4 + k * pitch;
      var n = Math.max(6, Math.floor(2 * Math.PI * r / (pitch + 1)));
      for (var j = 0; j < n; j++) {
        var turn = Math.ceil(j / 2) * (j % 2 ? 1 : -1);
        var a = -Math.PI / 4 + turn * 2 * Math.PI / n;
        out.push([Math.round(r * Math.cos(a)), Math.round(r * Math.sin(a))]);
      }
    }
    return out;
  }());

  function leaderShown(spot) {
    // A badge away from its point is joined to it by a leader line.
    return Math.sqrt(spot[0] * spot[0] + spot[1] * spot[1]) > 21;
  }

  function noteSpot(origin, frame, blockers, reach, names) {
    // The first offset, up to reach pixels out, whose badge lies inside the map frame and
    // touches no blocker, and neither badge nor leader line touches any of names; or null.
    var half = BADGE_PX / 2 + BADGE_GAP / 2;
    var clear = function (b) { return function (other) { return !overlapping(b, other); }; };
    for (var i = 0; i < NOTE_SPOTS.length; i++) {
      var spot = NOTE_SPOTS[i];
      if (spot[0] * spot[0] + spot[1] * spot[1] > reach * reach) { break; }
      var centre = { x: origin.x + spot[0], y: origin.y + spot[1] };
      var b = box(centre.x, centre.y, half);
      if (b.left < frame.left || b.right > frame.right || b.top < frame.top || b.bottom > frame.bottom) { continue; }
      if (!blockers.every(clear(b))) { continue; }
      if (!names || (names.every(clear(b)) && !(leaderShown(spot) && names.some(function (r) {
        return crosses(origin, centre, r);
      })))) { return spot; }
    }
    return null;
  }

  RouteMap.prototype.furnitureRects = function () {
    // Page rectangles of the map's controls that are showing (panel, timeline, buttons, ...).
    var out = [];
    this.map.getContainer().querySelectorAll('.leaflet-control').forEach(function (node) {
      var r = node.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) { out.push(r); }
    });
    return out;
  };

  RouteMap.prototype.symbolRects = function () {
    // The middle of each place symbol shown, so a badge never takes the click meant for a place.
    var out = [];
    this.placeLabels.forEach(function (item) {
      var node = item.marker._icon;
      if (!node || !item.marker._map) { return; }
      var r = node.getBoundingClientRect();
      out.push(box(r.left + r.width / 2, r.top + r.height / 2, Math.max(3, item.px / 4)));
    });
    return out;
  };

  RouteMap.prototype.labelRects = function () {
    var out = [];
    this.placeLabels.forEach(function (item) {
      var tip = item.marker.getTooltip();
      var node = tip && tip.getElement();
      if (node && item.marker._map && node.style.visibility !== 'hidden') { out.push(node.getBoundingClientRect()); }
    });
    return out;
  };

  RouteMap.prototype.drawAnnotations = function (group) {
    var color = this.data.styles.annotation;
    this.noteLayer = group;
    this.data.annotations.forEach(function (note, i) {
      var number = i + 1;
      var holder = el('div', 'rm-note-holder');
      var badge = el('button', 'rm-note-badge rm-note-conf-' + (note.confidence || 'none'), String(number));
      badge.type = 'button';
      badge.style.background = color;
      badge.setAttribute('data-annotation-id', note.annotation_id);
      badge.setAttribute('aria-label', t('note_number', { number: number }) + ': ' + note.text);
      holder.appendChild(badge);
      var latlng = decode(note.at, this.data.scale)[0];
      // Leaders live in their own pane, under every badge, so none crosses a number.
      var leader = { renderer: this.leaderRenderer, pane: 'rmNoteLeaders', interactive: false, opacity: 0 };
      var casing = L.polyline([latlng, latlng], L.extend({ color: '#ffffff', weight: 3.5 }, leader));
      var line = L.polyline([latlng, latlng], L.extend({ color: color, weight: 1.5, className: 'rm-note-leader' }, leader));
      var marker = L.marker(latlng, {
        icon: L.divIcon({ className: 'rm-note-icon', html: holder, iconSize: [0, 0], iconAnchor: [0, 0] }),
        pane: 'rmAnnotations', keyboard: false, zIndexOffset: (noteRank(note) + 1) * 1000
      });
      marker.bindPopup(function () { return noteContent(note, number, null); }, NOTE_POPUP);
      // The badge opens its note itself, so a click and Enter or Space on it do the same.
      badge.addEventListener('click', function (e) {
        L.DomEvent.stop(e);
        marker.openPopup();
      });
      marker.bindTooltip(hoverLabel(note.text, null), { direction: 'top', className: 'rm-tooltip', opacity: 1 });
      var entry = { note: note, number: number, order: i, latlng: latlng, marker: marker, badge: badge,
        lines: [casing, line], layer: L.layerGroup([casing, line, marker]), group: group, shown: false };
      this.annotations.push(entry);
      this.placeBadge(entry, NOTE_HOME);
      this.showNote(entry, true);
    }, this);
  };

  function noteContent(note, number, aside) {
    return popupContent(t('note_number', { number: number }) + (aside ? ' \u00b7 ' + aside : ''), note.text, null, note.rows, note.sources);
  }

  RouteMap.prototype.showNote = function (entry, visible) {
    if (visible === entry.shown) { return; }
    entry.shown = visible;
    if (visible) { entry.group.addLayer(entry.layer); } else { entry.group.removeLayer(entry.layer); }
  };

  RouteMap.prototype.placeBadge = function (entry, spot) {
    var dx = spot[0];
    var dy = spot[1];
    var map = this.map;
    entry.spot = spot;
    entry.badge.style.left = (dx - BADGE_PX / 2) + 'px';
    entry.badge.style.top = (dy - BADGE_PX / 2) + 'px';
    var far = leaderShown(spot);
    var end = map.containerPointToLatLng(map.latLngToContainerPoint(entry.latlng).add([dx, dy]));
    entry.lines.forEach(function (line) {
      line.setLatLngs([entry.latlng, end]);
      line.setStyle({ opacity: far ? 1 : 0 });
    });
    entry.marker.getTooltip().options.offset = L.point(dx, dy - BADGE_PX / 2);
  };

  RouteMap.prototype.layoutNotes = function () {
    var map = this.map;
    var frame = map.getContainer().getBoundingClientRect();
    var inner = { left: frame.left + 2, right: frame.right - 2, top: frame.top + 2, bottom: frame.bottom - 2 };
    var fixed = this.furnitureRects().concat(this.symbolRects());
    var labels = this.labelRects();
    var placed = [];
    var leaders = [];
    var clusters = [];
    var shown = this.annotations.filter(function (entry) { return map.hasLayer(entry.marker); }).sort(function (a, b) {
      return (noteRank(b.note) - noteRank(a.note)) || (a.order - b.order);
    });
    // On a narrow map, notes close together on screen share one cluster badge (noteroom.js).
    this.noteGroups(shown, frame).forEach(function (group) {
      var alone = group.entries.length === 1;
      var target = alone ? group.entries[0] : this.clusterBadge(group);
      group.entries.forEach(function (entry) { this.setClustered(entry, !alone); }, this);
      if (!alone) { clusters.push(target); }
      var origin = group.origin;
      var hard = placed.concat(fixed);
      // Keep badge and leader clear of place names if that costs at most three rings; always
      // clear of other badges, place symbols and controls.
      var spot = noteSpot(origin, inner, hard, NOTE_LABEL_REACH, labels) ||
        noteSpot(origin, inner, hard, Infinity) || NOTE_HOME;
      this.placeBadge(target, spot);
      var centre = { x: origin.x + spot[0], y: origin.y + spot[1] };
      placed.push(box(centre.x, centre.y, BADGE_PX / 2 + BADGE_GAP / 2));
      if (leaderShown(spot)) { leaders.push([origin, centre]); }
    }, this);
    this.showClusters(clusters);
    this.clearNamesOfNotes(placed, leaders);
  };

  RouteMap.prototype.openNote = function (entry) {
    // Fly to a note and open it; a note the timeline or a toggle hides opens on its own.
    var map = this.map;
    var self = this;
    if (map.getSize().x < NARROW_PX && this.setPanelOpen) { this.setPanelOpen(false); }
    var open = function () {
      var popup;
      if (map.hasLayer(entry.marker)) {
        entry.marker.openPopup();
        popup = entry.marker.getPopup();
      } else {
        self.notePopup = self.notePopup || L.popup(NOTE_POPUP);
        popup = self.notePopup.setLatLng(entry.latlng)
          .setContent(noteContent(entry.note, entry.number, map.hasLayer(entry.group) ? t('outside_aside') : t('notes_hidden'))).openOn(map);
      }
      var content = popup.getElement() && popup.getElement().querySelector('.rm-pop');
      if (content) { content.setAttribute('tabindex', '-1'); content.focus({ preventScroll: true }); }
    };
    var zoom = Math.max(map.getZoom(), NOTE_ZOOM);
    var target = map.latLngToContainerPoint(entry.latlng);
    var size = map.getSize();
    var near = Math.abs(target.x - size.x / 2) < 2 && Math.abs(target.y - size.y / 2) < 2;
    if (near && zoom === map.getZoom()) { open(); return; }
    map.once('moveend', function () { self.declutter(); self.layoutNotes(); open(); });
    var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (still) { map.setView(entry.latlng, zoom, { animate: false }); } else { map.flyTo(entry.latlng, zoom, { duration: 0.8 }); }
  };
