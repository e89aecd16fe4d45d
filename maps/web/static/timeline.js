/* routemap's script: the timeline, its slider and play button, and setStep, which shows the
 * legs and notes of one period (or of all) and says what is moving.
 * Runs inside the scope that base.js opens; maps/web/assets.py SCRIPT_PARTS gives the order.
 */

  // --- timeline ------------------------------------------------------------------------------

  RouteMap.prototype.timeline = function () {
    var steps = this.data.timeline;
    var box = el('div', 'rm-timeline leaflet-control');
    if (!steps.length) { return null; }
    var play = el('button', 'rm-play');
    play.type = 'button';
    play.setAttribute('aria-label', t('play'));
    play.appendChild(icon(['M6 4 L16 10 L6 16 Z']));
    var slider = el('input', 'rm-slider');
    slider.type = 'range';
    slider.min = '0';
    slider.max = String(steps.length);
    slider.step = '1';
    slider.value = '0';
    slider.setAttribute('aria-label', t('slider'));
    var label = el('div', 'rm-time-label', t('all_periods'));
    var moving = el('div', 'rm-time-moving');
    var ends = el('div', 'rm-time-ends');
    ends.appendChild(el('span', null, t('all')));
    ends.appendChild(el('span', null, steps[0].label));
    ends.appendChild(el('span', null, steps[steps.length - 1].label));
    var row = el('div', 'rm-time-row');
    row.appendChild(play);
    var mid = el('div', 'rm-time-mid');
    mid.appendChild(slider);
    mid.appendChild(ends);
    row.appendChild(mid);
    box.appendChild(label);
    box.appendChild(row);
    box.appendChild(moving);
    var self = this;
    var timer = null;
    this.timeUi = { label: label, moving: moving };
    var stop = function () {
      if (timer) { clearInterval(timer); timer = null; }
      play.replaceChildren(icon(['M6 4 L16 10 L6 16 Z']));
      play.setAttribute('aria-label', t('play'));
      box.classList.remove('rm-playing');
    };
    var go = function (i) {
      slider.value = String(i);
      self.setStep(i);
    };
    slider.addEventListener('input', function () { self.setStep(Number(slider.value)); });
    play.addEventListener('click', function () {
      if (timer) { stop(); return; }
      play.replaceChildren(icon(['M7 4 L7 16', 'M13 4 L13 16']));
      play.setAttribute('aria-label', t('pause'));
      box.classList.add('rm-playing');
      if (Number(slider.value) >= steps.length) { go(0); }
      go(Number(slider.value) + 1);
      timer = setInterval(function () {
        var next = Number(slider.value) + 1;
        if (next > steps.length) { stop(); go(0); return; }
        go(next);
      }, PLAY_INTERVAL_MS);
    });
    return control(box, 'bottomcenter');
  };

  RouteMap.prototype.setStep = function (index) {
    var steps = this.data.timeline;
    if (!this.timeUi) { return; }
    var label = this.timeUi.label;
    var moving = this.timeUi.moving;
    var step = index > 0 ? steps[index - 1] : null;
    var shown = step ? new Set(step.shown) : null;
    var self = this;
    var active = [];
    this.legs.forEach(function (entry) {
      var on = !shown || shown.has(entry.leg.id);
      self.show(entry, on);
      if (on && active.indexOf(entry.leg.title) < 0) { active.push(entry.leg.title); }
    });
    this.annotations.forEach(function (entry) { self.showNote(entry, !shown || shown.has(entry.note.id)); });
    this.step = index;
    this.refreshNoteList();
    label.textContent = step ? step.label : t('all_periods');
    var count = this.legs.filter(function (e) { return e.shown; }).length;
    var text = t('legs_shown', { count: count });
    if (step && active.length) {
      var shownLegs = active.slice(0, 3).join(MESSAGES.series)
        + (active.length > 3 ? MESSAGES.series + t('more', { count: active.length - 3 }) : '');
      text = t('label_meaning', { label: text, meaning: shownLegs });
    } else if (step) {
      text = t('nothing_moving');
    }
    moving.textContent = text;
    this.fitFurniture();
    this.map.getContainer().setAttribute('data-timeline-step', String(index));
    this.scheduleDeclutter();
  };
