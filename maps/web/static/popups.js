/* routemap's script: what popups and hover labels hold: a leg's, place's or note's details
 * and its numbered sources, with only http(s) URLs made links.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- popups --------------------------------------------------------------------------------

  function sentence(text) {
    // Text ending as a sentence does: its own full stop kept, else one added.
    return /[.!?\u2026]$/.test(text) ? text : text + '.';
  }

  function isSentences(note) {
    // As maps/citations.py: a note that begins with a capital is sentences of its own; one
    // that does not ('p. 3') is a detail of the reference.
    var first = note.charAt(0);
    return first !== first.toLowerCase();
  }

  function sourceItem(src) {
    var item = el('li', 'rm-source');
    if (src.publisher) { item.appendChild(el('span', 'rm-source-publisher', src.publisher)); item.appendChild(document.createTextNode(', ')); }
    var href = src.href && safeHref(src.href);
    var title = el(href ? 'a' : 'span', 'rm-source-title', t('quoted', { title: src.title || src.text }));
    if (href) {
      title.href = href;
      title.target = '_blank';
      title.rel = 'noopener noreferrer';
    }
    item.appendChild(title);
    var tail = src.date ? ', ' + src.date : '';
    var note = src.note || '';
    if (note && !isSentences(note)) { tail += ', ' + note; note = ''; }
    item.appendChild(document.createTextNode(tail ? sentence(tail) : '.'));
    if (note) { item.appendChild(document.createTextNode(' ' + sentence(note))); }
    if (src.url) {
      item.appendChild(el('div', href ? 'rm-source-url' : 'rm-source-url rm-not-linked',
        href ? src.url : t('not_link', { url: src.url })));
    }
    return item;
  }

  function popupContent(kicker, title, subtitle, rows, sources) {
    var box = el('div', 'rm-pop');
    if (kicker) { box.appendChild(el('div', 'rm-pop-kicker', kicker)); }
    box.appendChild(el('h3', 'rm-pop-title', title));
    if (subtitle) { box.appendChild(el('div', 'rm-pop-sub', subtitle)); }
    var table = el('table', 'rm-pop-rows');
    rows.forEach(function (row) {
      var tr = el('tr');
      tr.appendChild(el('th', null, row[0]));
      tr.appendChild(el('td', null, row[1]));
      table.appendChild(tr);
    });
    box.appendChild(table);
    if (sources.length) {
      box.appendChild(el('h4', 'rm-pop-h', t('sources', { count: sources.length })));
      var list = el('ol', 'rm-sources');
      sources.forEach(function (src) { list.appendChild(sourceItem(src)); });
      box.appendChild(list);
    }
    return box;
  }

  function hoverLabel(title, subtitle) {
    var box = el('div', 'rm-hover');
    box.appendChild(el('strong', null, title));
    if (subtitle) { box.appendChild(el('div', null, subtitle)); }
    return box;
  }
