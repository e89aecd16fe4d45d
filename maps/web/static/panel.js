/* routemap's script: the side panel (title, legend, toggles for places, notes and transfers,
 * the list of notes of notelist.js, background choice, folding) and control(), which makes a
 * node a Leaflet control (timeline.js and furniture.js use it too).
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- the side panel: title, layer toggles, legend, background -------------------------------

  function control(node, position) {
    var Ctl = L.Control.extend({
      options: { position: position },
      onAdd: function () {
        L.DomEvent.disableClickPropagation(node);
        L.DomEvent.disableScrollPropagation(node);
        return node;
      }
    });
    return new Ctl();
  }

  function section(title, className) {
    var box = el('section', 'rm-section' + (className ? ' ' + className : ''));
    box.appendChild(el('h2', null, title));
    return box;
  }

  function toggle(type, name, checked, swatch, text, count, onChange) {
    var label = el('label', 'rm-toggle');
    var input = el('input');
    input.type = type;
    input.name = name;
    input.checked = checked;
    input.addEventListener('change', function () { onChange(input.checked); });
    label.appendChild(input);
    if (swatch) { label.appendChild(swatch); }
    label.appendChild(el('span', 'rm-toggle-text', text));
    if (count) { label.appendChild(el('span', 'rm-toggle-count', count)); }
    return label;
  }


  RouteMap.prototype.titleBlock = function () {
    var data = this.data;
    var box = el('header', 'rm-title');
    box.appendChild(el('h1', null, data.title));
    if (data.subtitle) { box.appendChild(el('p', 'rm-subtitle', data.subtitle)); }
    var facts = [t('transfers_count', { count: data.transfers.length }),
      t('legs', { count: data.legs.length }), t('places_count', { count: data.places.length })];
    if (data.as_of) { facts.unshift(t('as_of', { date: data.as_of })); }
    box.appendChild(el('p', 'rm-meta', facts.join(' \u00b7 ')));
    box.appendChild(el('p', 'rm-hint', t('hint')));
    return box;
  };

  RouteMap.prototype.transferToggles = function (groups) {
    var data = this.data;
    var map = this.map;
    var box = section(t('transfers'), 'rm-transfers');
    var samples = {};  // one line sample per look, copied for each transfer that has it
    data.transfers.forEach(function (transfer) {
      var mode = data.styles.modes[transfer.modes[0]];
      var conf = data.styles.confidences[transfer.confidence];
      var look = mode.color + '|' + (conf ? conf.dash : '');
      samples[look] = samples[look] || lineSample(mode.color, 3, conf ? conf.dash : null);
      var swatch = samples[look].cloneNode(true);
      box.appendChild(toggle('checkbox', 'transfer', true, swatch, transfer.label,
        t('legs', { count: transfer.legs.length }), function (on) {
          if (on) { groups[transfer.id].addTo(map); } else { map.removeLayer(groups[transfer.id]); }
        }));
    });
    return box;
  };

  RouteMap.prototype.placeToggles = function (groups, notes) {
    var self = this;
    var data = this.data;
    var map = this.map;
    var box = section(t('places'), 'rm-places');
    var flip = function (layer) {
      return function (on) {
        if (on) { layer.addTo(map); } else { map.removeLayer(layer); }
        self.scheduleDeclutter();
      };
    };
    data.legend.places.forEach(function (kind) {
      var style = data.styles.places[kind];
      var count = data.places.filter(function (p) { return p.kind === kind; }).length;
      box.appendChild(toggle('checkbox', 'places', true, placeSymbol(style).node, style.label,
        String(count), flip(groups[kind])));
    });
    if (data.annotations.length) {
      var badge = el('span', 'rm-note-badge rm-note-badge-small', '1');
      badge.style.background = data.styles.annotation;
      box.appendChild(toggle('checkbox', 'notes', true, badge, t('notes_toggle'),
        String(data.annotations.length), flip(notes)));
    }
    return box;
  };

  function bandSample(color, width, factor, opacity) {
    // A plain line sample, over the corridor band a modelled line is drawn on (none if factor is
    // 0); the band goes over the sample's white casing so it reads as one strip at this size.
    var node = lineSample(color, width);
    if (factor > 0) {
      node.insertBefore(svg('line', { x1: 1, y1: 6, x2: 39, y2: 6, stroke: color,
        'stroke-width': width * factor, 'stroke-opacity': opacity, 'stroke-linecap': 'round',
        'class': 'rm-band-sample' }), node.lastChild);
    }
    return node;
  }

  function connectorSample(color, cs) {
    // The connector as on the map (maps.style.CONNECTOR_STYLE): a hairline ticked at both ends.
    var node = svg('svg', { viewBox: '0 0 40 12', width: '40', height: '12', 'class': 'rm-connector-sample' });
    var stroke = { stroke: color, 'stroke-width': cs.width, 'stroke-opacity': cs.opacity };
    node.appendChild(svg('line', L.extend({ x1: 2, y1: 6, x2: 38, y2: 6 }, stroke)));
    [2, 38].forEach(function (x) {
      node.appendChild(svg('line', L.extend({ x1: x, y1: 6 - cs.tick / 2, x2: x, y2: 6 + cs.tick / 2 }, stroke)));
    });
    return node;
  }

  RouteMap.prototype.legend = function () {
    var data = this.data;
    var styles = data.styles;
    var box = section(t('legend'), 'rm-legend');
    var list = function (title, items) {
      if (!items.length) { return; }
      box.appendChild(el('h3', null, title));
      var ul = el('ul');
      items.forEach(function (item) {
        var li = el('li');
        li.appendChild(item[0]);
        var text = el('span', null, item[1]);
        if (item[2]) { text.appendChild(el('small', null, item[2])); }
        li.appendChild(text);
        ul.appendChild(li);
      });
      box.appendChild(ul);
    };
    var lines = data.legend.modes.map(function (m) {
      var s = styles.modes[m];
      return [lineSample(s.color, s.width), s.label];
    });
    // A stop's straight join to the network, listed only when a leg has one.
    if (data.legend.connectors) {
      lines.push([connectorSample('#3a3f44', styles.connector), styles.connector.label,
        styles.connector.meaning]);
    }
    list(t('mode'), lines);
    var titles = data.legend.titles || {};
    list(titles.confidence || t('confidence'), data.legend.confidences.map(function (c) {
      var s = styles.confidences[c];
      return [lineSample('#3a3f44', 2.6, s.dash, s.opacity), s.label, s.meaning];
    }));
    // The band says the line is modelled, not where it runs (maps.style.PATH_LEGEND).
    list(titles.path || t('line'), data.legend.paths.map(function (k) {
      var s = styles.paths[k];
      return [bandSample('#3a3f44', 2.6, s.band, s.opacity), s.label, s.meaning];
    }));
    // The same rows as the slides' legend (maps.style.width_legend): samples in the main unit,
    // then other units at base width.
    list(t('widths'), data.legend.widths.map(function (row) {
      return [lineSample('#6D7278', row[0]), row[1]];
    }));
    var notes = [t('arrows')];
    if (data.places.some(function (p) { return p.uncertainty_km; })) {
      notes.push(t('circle'));
    }
    notes.forEach(function (text) { box.appendChild(el('p', 'rm-legend-note', text)); });
    return box;
  };

  RouteMap.prototype.backgrounds = function () {
    var map = this.map;
    var box = section(t('background'), 'rm-backgrounds');
    var layers = [null].concat(this.data.tiles.map(function (tile) {
      var options = { attribution: tile.attribution, maxZoom: tile.max_zoom };
      if (tile.subdomains) { options.subdomains = tile.subdomains; }
      return L.tileLayer(tile.url, options);
    }));
    var names = [t('offline_basemap')].concat(this.data.tiles.map(function (tile) { return tile.name; }));
    layers.forEach(function (layer, i) {
      box.appendChild(toggle('radio', 'rm-background', i === 0, null, names[i], null, function () {
        layers.forEach(function (other) { if (other && other !== layer) { map.removeLayer(other); } });
        if (layer) { layer.addTo(map); }
      }));
    });
    box.appendChild(el('p', 'rm-legend-note', t('online_note')));
    return box;
  };

  RouteMap.prototype.panel = function (transferGroups, placeGroups, notes) {
    var box = el('div', 'rm-panel leaflet-control');
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', t('panel'));
    var body = el('div', 'rm-panel-body');
    body.id = 'rm-panel-body';
    var fold = el('button', 'rm-panel-fold', '\u2039');
    fold.type = 'button';
    fold.setAttribute('aria-controls', body.id);
    var map = this.map;
    var self = this;
    this.setPanelOpen = function (open) {
      box.classList.toggle('rm-folded', !open);
      fold.textContent = open ? '\u2039' : '\u203a';
      fold.setAttribute('aria-expanded', String(open));
      fold.setAttribute('aria-label', open ? t('hide_panel') : t('show_panel'));
      self.scheduleDeclutter();
    };
    fold.addEventListener('click', function () { self.setPanelOpen(box.classList.contains('rm-folded')); });
    body.appendChild(this.titleBlock());
    body.appendChild(this.legend());
    body.appendChild(this.placeToggles(placeGroups, notes));
    body.appendChild(this.transferToggles(transferGroups));
    if (this.data.annotations.length) { body.appendChild(this.noteList()); }
    body.appendChild(this.backgrounds());
    box.appendChild(fold);
    box.appendChild(body);
    this.setPanelOpen(map.getSize().x >= NARROW_PX);
    return control(box, 'topleft');
  };
