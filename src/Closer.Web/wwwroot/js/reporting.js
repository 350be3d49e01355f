// The grid's new rows: "Add rows" adds a blank row here instead of posting (without JavaScript it posts and the page comes back
// with more), and a blank row is always ready below the last one typed in, as in a spreadsheet.
(() => {
  const more = document.getElementById('grid-more');
  const table = document.getElementById('new-rows');
  if (!more || !table) {
    return;
  }
  const body = table.tBodies[0];
  const base = Number(table.dataset.base || 0);
  // A row's sector narrows its indicators to that sector's group (the others are hidden and cannot be chosen by typing);
  // an indicator of another sector is cleared. Without JavaScript the sector stays hidden and the indicators stay grouped.
  const narrow = tr => {
    const sector = tr.querySelector('select.coord-sector');
    const indicator = tr.querySelector('select[name$=".Indicator"]');
    if (!sector || !indicator) {
      return;
    }
    for (const group of indicator.querySelectorAll('optgroup')) {
      const off = sector.value !== '' && group.label !== sector.value;
      group.hidden = off;
      group.disabled = off;
    }
    if (indicator.selectedOptions[0]?.parentElement?.disabled) {
      indicator.selectedIndex = 0;
    }
  };
  for (const tr of body.querySelectorAll('tr[data-open]')) {
    const sector = tr.querySelector('select.coord-sector');
    const chosen = tr.querySelector('select[name$=".Indicator"]')?.selectedOptions[0]?.parentElement;
    if (sector) {
      sector.hidden = false;
      sector.value = chosen?.tagName === 'OPTGROUP' ? chosen.label : '';
      narrow(tr);
    }
  }
  body.addEventListener('change', ev => {
    if (ev.target.matches('select.coord-sector')) {
      narrow(ev.target.closest('tr'));
    }
  });
  const add = () => {
    const open = body.querySelectorAll('tr[data-open]');
    const last = open[open.length - 1];
    if (!last) {
      return null;
    }
    const index = body.querySelectorAll('tr[data-added]').length;
    const line = base + index + 1;
    const tr = last.cloneNode(true);
    tr.dataset.added = String(index);
    tr.dataset.line = String(line);
    tr.classList.remove('coord-row-invalid');
    tr.querySelector('th').firstChild.textContent = String(line);
    for (const input of tr.querySelectorAll('input, select')) {
      input.name = input.name.replace(/^Added\[\d+\]/, `Added[${index}]`);
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
      const label = input.getAttribute('aria-label');
      if (label) {
        input.setAttribute('aria-label', label.replace(/\d+(?!.*\d)/, String(line)));
      }
      if (input.type === 'checkbox') {
        input.checked = false;
      } else if (input.tagName === 'SELECT' && input.name.endsWith('.Country')) {
        // The country stays as in the row above; place, indicator and group start again.
      } else if (input.tagName === 'SELECT') {
        input.selectedIndex = 0;
      } else if (input.type !== 'hidden') {
        input.value = '';
      }
    }
    body.append(tr);
    narrow(tr);
    return tr;
  };
  more.addEventListener('click', ev => {
    ev.preventDefault();
    add()?.querySelector('select, input:not([type=hidden])')?.focus();
  });
  body.addEventListener('input', ev => {
    const tr = ev.target.closest('tr[data-open]');
    const rows = body.querySelectorAll('tr[data-added]');
    if (tr && tr === rows[rows.length - 1]) {
      add();
    }
  });
})();

// The reporting form offline: while offline, "Save drafts" keeps the new row and the changed rows on this device
// (window.CloserDrafts, js/offline.js); they are sent to POST /api/v1/reports/sync when the connection returns or on
// "Sync now", in batches of 25. Conflicts are shown beside the server's version; nothing is overwritten silently.
(() => {
  const box = document.getElementById('offline-drafts');
  const form = document.getElementById('reporting-form');
  const D = window.CloserDrafts;
  if (!box || !form || !D || !box.dataset.user) {
    return;
  }
  const user = box.dataset.user;
  const T = JSON.parse(box.dataset.text);
  const FIGURES = ['implementingPartner', 'girls', 'boys', 'women', 'men', 'other', 'reachedToDate', 'cash', 'cashUsd'];
  const status = document.getElementById('drafts-status');
  const list = document.getElementById('drafts-list');
  const say = text => { status.textContent = text; };
  const num = v => (v === '' || v == null ? null : Number(v));
  const field = (scope, name) => scope.querySelector(`[name$=".${name}"]`);
  if (navigator.storage && navigator.storage.persist) {
    navigator.storage.persist().catch(() => {});
  }
  box.hidden = false;

  const figures = (scope, todate) => ({
    implementingPartner: field(scope, 'Partner').value || null,
    girls: num(field(scope, 'Girls').value), boys: num(field(scope, 'Boys').value), women: num(field(scope, 'Women').value),
    men: num(field(scope, 'Men').value), other: num(field(scope, 'Other').value),
    reachedToDate: todate ? num(field(scope, 'ToDate').value) : null,
    cash: field(scope, 'Cash').checked, cashUsd: num(field(scope, 'CashUsd').value),
  });
  const changed = tr => Array.from(tr.querySelectorAll('input:not([type=hidden])'))
    .some(i => (i.type === 'checkbox' ? i.checked !== i.defaultChecked : i.value !== i.defaultValue));

  // What the person typed, as drafts: the new row (made here) and each changed row (based on the version the page showed).
  async function collect() {
    const org = form.dataset.org;
    const month = form.dataset.month;
    const kept = await D.all(user);
    const drafts = [];
    const fresh = form.querySelector('fieldset');
    if (fresh && (field(fresh, 'Indicator').value || ['Girls', 'Boys', 'Women', 'Men'].some(n => field(fresh, n).value))) {
      drafts.push({ deviceId: D.uuid7(), baseVersion: null, id: null, report: { org, month, country: field(fresh, 'Country').value,
        admin1: field(fresh, 'Admin1').value, indicator: field(fresh, 'Indicator').value, populationGroup: field(fresh, 'Group').value, ...figures(fresh, false) } });
    }
    // Rows copied from last month count once a number is typed in them (as on the server).
    for (const tr of form.querySelectorAll('tr[data-added]')) {
      if (['Girls', 'Boys', 'Women', 'Men', 'Other', 'CashUsd'].some(n => field(tr, n).value)) {
        drafts.push({ deviceId: D.uuid7(), baseVersion: null, id: null, report: { org, month, country: field(tr, 'Country').value,
          admin1: field(tr, 'Admin1').value, indicator: field(tr, 'Indicator').value, populationGroup: field(tr, 'Group').value, ...figures(tr, false) } });
      }
    }
    for (const tr of form.querySelectorAll('tr[data-id]')) {
      if (changed(tr)) {
        const id = Number(tr.dataset.id);
        const before = kept.find(d => d.id === id && d.state !== 'conflict');
        drafts.push({ deviceId: before ? before.deviceId : D.uuid7(), baseVersion: Number(tr.dataset.version), id, report: { org, month,
          country: tr.dataset.country, admin1: tr.dataset.admin1, indicator: tr.dataset.indicator, populationGroup: tr.dataset.group, ...figures(tr, true) } });
      }
    }
    return drafts;
  }

  form.addEventListener('submit', async ev => {
    if (navigator.onLine) {
      return;
    }
    ev.preventDefault();
    const drafts = await collect();
    for (const d of drafts) {
      await D.put(user, { ...d, state: 'waiting', savedAt: new Date().toISOString() });
    }
    // The new rows are kept on the device now: emptied, not removed (the rows' numbering is the form's list order).
    form.querySelectorAll('tr[data-added] input:not([type=hidden]):not([type=checkbox])').forEach(i => { i.value = ''; });
    form.querySelectorAll('tr[data-added] input[type=checkbox]').forEach(i => { i.checked = false; });
    form.querySelectorAll('tr[data-open] select:not([name$=".Country"])').forEach(s => { s.selectedIndex = 0; });
    const fresh = form.querySelector('fieldset');
    fresh?.querySelectorAll('input:not([type=checkbox])').forEach(i => { i.value = ''; });
    fresh?.querySelectorAll('input[type=checkbox]').forEach(i => { i.checked = false; });
    say(T.kept + ' ' + (await render()));
  });

  const el = (tag, text, attrs) => {
    const e = document.createElement(tag);
    if (text != null) {
      e.textContent = String(text);
    }
    Object.entries(attrs || {}).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  };
  const label = k => T[k === 'other' ? 'other_' : k] || k;
  const shown = v => (v === true ? '✓' : v === false ? '—' : v == null ? '' : v);

  async function render() {
    const drafts = (await D.all(user)).sort((a, b) => (a.savedAt || '').localeCompare(b.savedAt || ''));
    const waiting = drafts.length;
    document.getElementById('drafts-title').dataset.count = String(waiting);
    list.replaceChildren();
    if (waiting === 0) {
      say(T.none);
      return T.none;
    }
    const count = (waiting === 1 ? T.one : T.other).replace('{0}', waiting);
    say(count);
    const table = el('table', null, { class: 'drafts' });
    const head = table.createTHead().insertRow();
    ['country', 'admin1', 'indicator', 'populationGroup', 'total', 'status'].forEach(k => head.appendChild(el('th', label(k), { scope: 'col' })));
    const body = table.createTBody();
    for (const d of drafts) {
      const r = d.report;
      const row = body.insertRow();
      row.dataset.device = d.deviceId;
      row.className = 'draft-state-' + d.state;
      const total = ['girls', 'boys', 'women', 'men', 'other'].reduce((s, k) => s + (r[k] || 0), 0);
      [r.country, r.admin1, r.indicator, r.populationGroup, total].forEach(v => row.insertCell().textContent = String(v ?? ''));
      const cell = row.insertCell();
      if (d.state === 'conflict') {
        cell.appendChild(conflict(d));
      } else if (d.state === 'refused') {
        cell.appendChild(el('span', T.refused));
        const ul = el('ul');
        (d.errors || []).forEach(e => ul.appendChild(el('li', `${label(e.column)}: ${e.message}`)));
        cell.appendChild(ul);
        const remove = el('button', T.remove, { type: 'button' });
        remove.addEventListener('click', async () => { await D.del(user, d.deviceId); render(); });
        cell.appendChild(remove);
      } else {
        cell.textContent = T.waiting;
      }
    }
    list.appendChild(table);
    return count;
  }

  // Both versions side by side: keep mine (sent again on the server's version) or take the server's (the draft goes).
  function conflict(d) {
    const wrap = el('div', null, { class: 'draft-conflict' });
    wrap.appendChild(el('p', d.conflict === 'locked' ? T.locked : T.conflict));
    const table = el('table');
    const head = table.createTHead().insertRow();
    [T.field, T.mine, T.server].forEach(h => head.appendChild(el('th', h, { scope: 'col' })));
    const server = d.server || {};
    const body = table.createTBody();
    for (const k of [...FIGURES, 'status']) {
      const tr = body.insertRow();
      tr.appendChild(el('th', label(k), { scope: 'row' }));
      tr.insertCell().textContent = String(shown(k === 'status' ? '' : d.report[k]));
      tr.insertCell().textContent = String(shown(server[k]));
    }
    wrap.appendChild(table);
    if (d.conflict !== 'locked') {
      const keep = el('button', T.keep, { type: 'button', 'data-action': 'keep' });
      keep.addEventListener('click', async () => {
        await D.put(user, { ...d, state: 'waiting', baseVersion: server.version, id: server.id, server: null, conflict: null });
        await sync();
      });
      wrap.appendChild(keep);
    }
    const take = el('button', T.take, { type: 'button', 'data-action': 'take' });
    take.addEventListener('click', async () => { await D.del(user, d.deviceId); render(); });
    wrap.appendChild(take);
    return wrap;
  }

  let busy = false;
  async function sync() {
    const waiting = (await D.all(user)).filter(d => d.state === 'waiting');
    if (busy || waiting.length === 0 || !navigator.onLine) {
      return render();
    }
    busy = true;
    let synced = 0;
    let failed = false;
    try {
      // A fresh antiforgery token: the one in a page kept offline for days may no longer match the cookie.
      const t = await fetch('/api/v1/reports/sync/token', { credentials: 'same-origin', redirect: 'manual', headers: { Accept: 'application/json' } });
      if (!t.ok) {
        say(T.signin);
        return;
      }
      const token = (await t.json()).token;
      for (let i = 0; i < waiting.length; i += 25) {
        const batch = waiting.slice(i, i + 25);
        const res = await fetch('/api/v1/reports/sync', {
          method: 'POST', credentials: 'same-origin', redirect: 'manual',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-TOKEN': token },
          body: JSON.stringify({ rows: batch.map(d => ({ deviceId: d.deviceId, baseVersion: d.baseVersion, id: d.id, report: d.report })) }),
        });
        if (!res.ok) {
          failed = true;
          break;
        }
        for (const a of (await res.json()).rows) {
          const d = batch.find(x => x.deviceId === a.deviceId);
          if (!d) {
            continue;
          }
          if (a.result === 'stored' || a.result === 'updated' || a.result === 'unchanged') {
            await D.del(user, d.deviceId);
            synced++;
          } else {
            await D.put(user, { ...d, state: a.result, errors: a.errors, server: a.server, conflict: a.conflict });
          }
        }
      }
    } catch (err) {
      failed = true;
    } finally {
      busy = false;
    }
    await render();
    if (failed) {
      say(T.failed);
    } else if (synced > 0) {
      say(T.synced.replace('{0}', synced));
    }
  }

  document.getElementById('drafts-sync').addEventListener('click', sync);
  window.addEventListener('online', sync);
  render().then(() => (navigator.onLine ? sync() : null));
})();
