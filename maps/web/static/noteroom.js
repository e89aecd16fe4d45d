/* routemap's script: room for place names beside the notes. On a narrow map (a phone), notes
 * whose points lie close together on screen are collapsed into one cluster badge "+N" (a button
 * that lists them, each entry opening its note), so that two crowded places show a badge each
 * instead of dozens. Then every place name that a badge covers or a leader line crosses moves to
 * its symbol's other side where that side is free, else is hidden (it still shows on hover).
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- clusters of notes on a narrow map, and names kept clear of badges and leaders ---------

  // Notes whose points lie within this many pixels of a cluster's first note join it.
  var CLUSTER_PX = 40;

  RouteMap.prototype.noteGroups = function (entries, frame) {
    // The shown notes, surest first, in groups laid out as one badge: each note alone on a wide
    // map; on a narrow one, each joins the first group whose first note lies within CLUSTER_PX.
    var map = this.map;
    var narrow = map.getSize().x < NARROW_PX;
    var groups = [];
    entries.forEach(function (entry) {
      var at = map.latLngToContainerPoint(entry.latlng);
      var origin = { x: frame.left + at.x, y: frame.top + at.y };
      var near = narrow && groups.filter(function (g) {
        return Math.abs(g.origin.x - origin.x) <= CLUSTER_PX && Math.abs(g.origin.y - origin.y) <= CLUSTER_PX;
      })[0];
      if (near) { near.entries.push(entry); } else { groups.push({ origin: origin, entries: [entry] }); }
    });
    return groups;
  };

  RouteMap.prototype.clusterBadge = function (group) {
    // One badge standing for a group's notes, at its first note's point and placed like a note's
    // badge (placeBadge); it lists them, each opening its note. Kept while its notes are the same
    // (its popup stays open as the map pans to show it).
    var self = this;
    var entries = group.entries.slice().sort(function (a, b) { return a.order - b.order; });
    var ids = entries.map(function (e) { return e.note.annotation_id; }).join(' ');
    this.clusters = this.clusters || {};
    if (this.clusters[ids]) { return this.clusters[ids]; }
    var first = group.entries[0];
    var count = t('notes_count', { count: entries.length });
    var holder = el('div', 'rm-note-holder');
    var badge = el('button', 'rm-note-badge rm-note-cluster', '+' + entries.length);
    badge.type = 'button';
    badge.style.background = this.data.styles.annotation;
    badge.setAttribute('data-annotation-ids', ids);
    badge.setAttribute('aria-label', count + ': ' + entries.map(function (e) {
      return t('note_number', { number: e.number });
    }).join(', '));
    holder.appendChild(badge);
    var marker = L.marker(first.latlng, {
      icon: L.divIcon({ className: 'rm-note-icon', html: holder, iconSize: [0, 0], iconAnchor: [0, 0] }),
      pane: 'rmAnnotations', keyboard: false, zIndexOffset: 5000
    });
    marker.bindPopup(function () { return self.clusterContent(count, entries); }, NOTE_POPUP);
    badge.addEventListener('click', function (e) {
      L.DomEvent.stop(e);
      marker.openPopup();
    });
    marker.bindTooltip(hoverLabel(count, null), { direction: 'top', className: 'rm-tooltip', opacity: 1 });
    var leader = { renderer: this.leaderRenderer, pane: 'rmNoteLeaders', interactive: false, opacity: 0 };
    var lines = [L.polyline([first.latlng, first.latlng], L.extend({ color: '#ffffff', weight: 3.5 }, leader)),
      L.polyline([first.latlng, first.latlng], L.extend({ color: this.data.styles.annotation, weight: 1.5,
        className: 'rm-note-leader' }, leader))];
    var cluster = { ids: ids, latlng: first.latlng, badge: badge, marker: marker, lines: lines,
      layer: L.layerGroup(lines.concat([marker])) };
    this.clusters[ids] = cluster;
    return cluster;
  };

  RouteMap.prototype.showClusters = function (kept) {
    // The clusters of this layout on the map (in the notes' layer), the others off it.
    var group = this.noteLayer;
    Object.keys(this.clusters || {}).forEach(function (ids) {
      var cluster = this.clusters[ids];
      if (kept.indexOf(cluster) >= 0) {
        if (!group.hasLayer(cluster.layer)) { group.addLayer(cluster.layer); }
      } else {
        group.removeLayer(cluster.layer);
        delete this.clusters[ids];
      }
    }, this);
  };

  RouteMap.prototype.clusterContent = function (count, entries) {
    // A cluster's popup: its notes in scenario order, each a button that opens the note.
    var self = this;
    var box = el('div', 'rm-pop rm-chooser');
    box.appendChild(el('h3', 'rm-pop-title', count));
    box.appendChild(chooserList(entries, function (entry, button) {
      button.classList.add('rm-note-entry');
      button.setAttribute('data-annotation-id', entry.note.annotation_id);
      var badge = el('span', 'rm-note-badge rm-note-badge-small', String(entry.number));
      badge.style.background = self.data.styles.annotation;
      badge.setAttribute('aria-hidden', 'true');
      button.appendChild(badge);
      var text = el('span', 'rm-chooser-text');
      text.appendChild(el('span', 'rm-visually-hidden', t('note_number', { number: entry.number }) + ': '));
      text.appendChild(el('span', null, entry.note.text));
      button.appendChild(text);
      button.addEventListener('click', function (e) {
        L.DomEvent.stop(e);
        self.map.closePopup();
        entry.marker.openPopup();
        var pop = entry.marker.getPopup().getElement();
        var content = pop && pop.querySelector('.rm-pop');
        if (content) { content.setAttribute('tabindex', '-1'); content.focus({ preventScroll: true }); }
      });
    }));
    return box;
  };

  RouteMap.prototype.setClustered = function (entry, clustered) {
    // A note in a cluster keeps its marker (its popup opens there) but not its badge or leader.
    entry.clustered = clustered;
    entry.badge.parentNode.hidden = clustered;
    if (clustered) { entry.lines.forEach(function (line) { line.setStyle({ opacity: 0 }); }); }
  };

  // --- names kept clear of badges and leader lines ---------------------------------------------

  function crosses(a, b, r) {
    // Whether the segment a-b (page pixels) touches the rectangle r.
    if (Math.max(a.x, b.x) < r.left || Math.min(a.x, b.x) > r.right ||
        Math.max(a.y, b.y) < r.top || Math.min(a.y, b.y) > r.bottom) { return false; }
    var inR = function (p) { return p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom; };
    if (inR(a) || inR(b)) { return true; }
    var side = function (x, y) { return (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x); };
    var s = [side(r.left, r.top), side(r.right, r.top), side(r.right, r.bottom), side(r.left, r.bottom)];
    return !(s.every(function (v) { return v > 0; }) || s.every(function (v) { return v < 0; }));
  }

  function noteClear(rect, badges, leaders) {
    // Whether a rectangle is clear of every badge and leader line.
    return !badges.some(function (b) { return overlapping(rect, b); }) &&
      !leaders.some(function (seg) { return crosses(seg[0], seg[1], rect); });
  }

  RouteMap.prototype.clearNamesOfNotes = function (badges, leaders) {
    // Every shown name a badge covers or a leader crosses: on its symbol's other side where that
    // is in the map and clear of furniture, other names, badges and leaders; else hidden.
    var frame = this.map.getContainer().getBoundingClientRect();
    var furniture = this.furnitureRects();
    var items = this.placeLabels.filter(function (item) {
      var tip = item.marker.getTooltip();
      item.node = tip && tip.getElement();
      return item.node && item.marker._map && item.node.style.visibility !== 'hidden';
    });
    var boxes = items.map(function (item) { return item.node.getBoundingClientRect(); });
    items.forEach(function (item, i) {
      if (noteClear(boxes[i], badges, leaders)) { return; }
      var left = item.marker.getTooltip().options.direction === 'left';
      var shift = (boxes[i].width + item.px + 2 * LABEL_GAP_PX) * (left ? 1 : -1);
      var other = shiftedBox(boxes[i], shift);
      var free = inside(other, frame) && noteClear(other, badges, leaders) &&
        !furniture.concat(boxes.filter(function (b, j) { return j !== i && b; })).some(function (o) {
          return overlaps(other, o);
        });
      if (free) {
        labelSide(item, left ? 'right' : 'left');
        boxes[i] = other;
      } else {
        item.node.style.visibility = 'hidden';
        boxes[i] = null;
      }
    });
  };
