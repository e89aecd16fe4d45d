/* routemap's script: the panel's list of every note, the fallback that reaches a note wherever
 * its badge is. Filters by transfer and by confidence; follows the timeline (notes outside the
 * period shown are greyed and counted); a click or Enter on an entry flies to the note and opens it.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- the panel's list of notes ---------------------------------------------------------------

  function choice(label, options, onChange) {
    var select = el('select', 'rm-note-filter');
    select.setAttribute('aria-label', label);
    options.forEach(function (pair) {
      var option = el('option', null, pair[1]);
      option.value = pair[0];
      select.appendChild(option);
    });
    select.addEventListener('change', onChange);
    return select;
  }

  RouteMap.prototype.noteFilters = function (onChange) {
    var data = this.data;
    var notes = data.annotations;
    var transfers = data.transfers.filter(function (transfer) {
      return notes.some(function (n) { return n.transfer === transfer.id; });
    }).map(function (transfer) { return [transfer.id, transfer.label]; });
    if (notes.some(function (n) { return !n.transfer; })) { transfers.push(['-', t('not_tied')]); }
    var levels = Object.keys(data.styles.confidences).filter(function (c) {
      return notes.some(function (n) { return n.confidence === c; });
    }).map(function (c) { return [c, data.styles.confidences[c].label]; });
    return {
      transfer: choice(t('notes_of_transfer'), [['', t('all_transfers')]].concat(transfers), onChange),
      confidence: choice(t('notes_of_confidence'), [['', t('all_confidences')]].concat(levels), onChange)
    };
  };

  RouteMap.prototype.noteEntry = function (entry) {
    var data = this.data;
    var note = entry.note;
    var conf = data.styles.confidences[note.confidence];
    var button = el('button', 'rm-note-entry');
    button.type = 'button';
    button.setAttribute('data-annotation-id', note.annotation_id);
    var badge = el('span', 'rm-note-badge rm-note-badge-small', String(entry.number));
    badge.style.background = data.styles.annotation;
    badge.setAttribute('aria-hidden', 'true');
    button.appendChild(badge);
    var body = el('span', 'rm-note-entry-body');
    body.appendChild(el('span', 'rm-visually-hidden', t('note_number', { number: entry.number }) + ': '));
    body.appendChild(el('span', 'rm-note-entry-text', note.text));
    var period = note.rows.filter(function (row) { return row[0] === t('period'); })[0];
    var meta = [conf ? conf.label : null, period ? period[1] : null].filter(Boolean).join(' \u00b7 ');
    body.appendChild(el('span', 'rm-note-entry-meta', meta));
    var outside = el('span', 'rm-note-entry-outside', t('outside'));
    body.appendChild(outside);
    button.appendChild(body);
    button.addEventListener('click', this.openNote.bind(this, entry));
    var item = el('li', 'rm-note-item');
    item.appendChild(button);
    return { entry: entry, item: item, outside: outside };
  };

  RouteMap.prototype.noteList = function () {
    var self = this;
    var box = section(t('notes'), 'rm-notes');
    box.setAttribute('aria-label', t('notes'));
    var filters = this.noteFilters(function () { self.refreshNoteList(); });
    var row = el('div', 'rm-note-filters');
    row.appendChild(filters.transfer);
    row.appendChild(filters.confidence);
    box.appendChild(row);
    var count = el('p', 'rm-note-count');
    count.setAttribute('aria-live', 'polite');
    box.appendChild(count);
    var list = el('ol', 'rm-note-list');
    list.setAttribute('aria-label', t('note_list'));
    box.appendChild(list);
    this.noteUi = { filters: filters, count: count, list: list, items: [] };
    return box;
  };

  RouteMap.prototype.fillNoteList = function () {
    // Called once the notes are drawn: one entry per note, in scenario order (its number).
    if (!this.noteUi) { return; }
    var ui = this.noteUi;
    ui.items = this.annotations.slice().sort(function (a, b) { return a.order - b.order; })
      .map(this.noteEntry, this);
    ui.items.forEach(function (item) { ui.list.appendChild(item.item); });
    this.refreshNoteList();
  };

  RouteMap.prototype.refreshNoteList = function () {
    var ui = this.noteUi;
    if (!ui) { return; }
    var transfer = ui.filters.transfer.value;
    var confidence = ui.filters.confidence.value;
    var step = this.step > 0 ? this.data.timeline[this.step - 1] : null;
    var inStep = step ? new Set(step.shown) : null;
    var listed = 0;
    var outside = 0;
    ui.items.forEach(function (item) {
      var note = item.entry.note;
      var match = (!transfer || (transfer === '-' ? !note.transfer : note.transfer === transfer)) &&
        (!confidence || note.confidence === confidence);
      var away = Boolean(inStep && !inStep.has(note.id));
      item.item.hidden = !match;
      item.item.classList.toggle('rm-note-away', away);
      item.outside.hidden = !away;
      if (match) { listed += 1; outside += away ? 1 : 0; }
    });
    var total = ui.items.length;
    var text = listed === total ? t('notes_count', { count: total }) :
      t('notes_listed', { listed: listed, count: total });
    if (step && outside) { text += ' \u00b7 ' + t('notes_outside', { count: outside, period: step.label }); }
    ui.count.textContent = text;
  };
