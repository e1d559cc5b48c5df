/*
 * OrderHub console: a small single-page app on the hub's own REST API. No build step: plain JavaScript,
 * uPlot (WebJar) for charts. The credential lives in sessionStorage (this tab only); every call sends it.
 */
'use strict';

(function () {
  const STORE = 'orderhub.console.credential';
  const STATUSES = ['CREATED', 'CONFIRMED', 'BACKORDERED', 'PAID', 'ALLOCATED', 'SHIPPED', 'DELIVERED', 'COMPLETED',
    'CANCELLED', 'REJECTED'];
  let me = null;          // {keyId, role, channel}
  let leavePage = null;   // cleanup of the page shown (timers, charts)

  // ---------- small DOM helpers (text only: nothing from the API is ever parsed as HTML) ----------

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.substring(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  const $ = (sel, root) => (root || document).querySelector(sel);
  let ids = 0;
  const uid = (p) => p + '-' + (++ids);

  /** A labelled control: {label, id?, type?, name, value?, options?} as a field block. */
  function field(f) {
    const id = f.id || uid(f.name);
    let control;
    if (f.options) {
      control = h('select', { id, name: f.name },
        f.options.map(o => {
          const [value, text] = Array.isArray(o) ? o : [o, o === '' ? '(any)' : o];
          return h('option', { value, selected: String(f.value ?? '') === value }, text);
        }));
    } else {
      control = h('input', { id, name: f.name, type: f.type || 'text', value: f.value ?? '', placeholder: f.placeholder,
        min: f.min, max: f.max, size: f.size });
    }
    return h('div', { class: 'field' }, h('label', { for: id }, f.label), control);
  }

  function formValues(form) {
    const out = {};
    for (const el of form.elements) {
      if (el.name && el.type !== 'checkbox' && el.value !== '') out[el.name] = el.value;
    }
    return out;
  }

  function query(params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    return s ? '?' + s : '';
  }

  const fmtTime = (t) => t ? new Date(t).toLocaleString() : '';
  function fmtSeconds(s) {
    if (s === null || s === undefined) return '';
    if (s < 60) return (Math.round(s * 10) / 10) + ' s';
    if (s < 3600) return (Math.round(s / 6) / 10) + ' min';
    if (s < 86400) return (Math.round(s / 360) / 10) + ' h';
    return (Math.round(s / 8640) / 10) + ' d';
  }
  const badge = (s) => h('span', { class: 'badge ' + s }, s);

  function table(columns, rows, opts) {
    const o = opts || {};
    return h('div', { class: 'table-wrap' }, h('table', { id: o.id },
      o.caption ? h('caption', { class: 'muted' }, o.caption) : null,
      h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.title)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: columns.length, class: 'muted' }, o.empty || 'Nothing found.'))
        : rows.map(r => h('tr', { 'data-id': o.rowId ? o.rowId(r) : null },
          columns.map(c => h('td', { class: c.num ? 'num' : null }, c.cell(r))))))));
  }

  // ---------- API calls, problems, confirmations ----------

  class ApiProblem extends Error {
    constructor(status, problem) {
      super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
      this.status = status;
      this.problem = problem || {};
    }
  }

  function credential() {
    try { return JSON.parse(sessionStorage.getItem(STORE)); } catch (e) { return null; }
  }

  async function api(path, options) {
    const o = options || {};
    const headers = Object.assign({}, o.headers || {});
    const c = o.credential || credential();
    if (c && c.kind === 'bearer') headers['Authorization'] = 'Bearer ' + c.value;
    else if (c) headers['X-API-Key'] = c.value;
    let body = o.body;
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Blob)) {
      body = JSON.stringify(body);
      headers['Content-Type'] = 'application/json';
    }
    if (!headers['Accept']) headers['Accept'] = 'application/json, application/problem+json';
    const res = await fetch(path, { method: o.method || (body === undefined ? 'GET' : 'POST'), headers, body });
    if (!res.ok && res.status !== 207) {
      let problem = null;
      const text = await res.text();
      try { problem = JSON.parse(text); } catch (e) { problem = { title: res.statusText, detail: text.substring(0, 500) }; }
      if (res.status === 401 && !o.credential) signOut('Your credential was refused (401): sign in again.');
      throw new ApiProblem(res.status, problem);
    }
    if (o.raw) return res;
    if (o.text) return res.text();
    const type = res.headers.get('Content-Type') || '';
    return type.includes('json') ? res.json() : res.text();
  }

  function showProblem(e) {
    const box = $('#problem');
    box.replaceChildren();
    box.hidden = false;
    if (e instanceof ApiProblem) {
      const p = e.problem;
      box.append(h('button', { type: 'button', onclick: () => { box.hidden = true; } }, 'Dismiss'),
        h('strong', {}, (p.status || e.status) + ' ' + (p.title || 'Error')),
        p.detail ? h('div', { class: 'detail' }, p.detail) : null,
        Array.isArray(p.errors) && p.errors.length
          ? h('ul', {}, p.errors.map(x => h('li', {}, h('code', {}, x.field || ''), ' ', x.message || ''))) : null,
        p.receiptId ? h('div', {}, 'Receipt: ', h('code', {}, p.receiptId)) : null);
    } else {
      box.append(h('button', { type: 'button', onclick: () => { box.hidden = true; } }, 'Dismiss'),
        h('strong', {}, 'Error'), h('div', {}, String(e && e.message || e)));
    }
    box.scrollIntoView({ block: 'nearest' });
  }

  function notice(text) {
    const n = $('#notice');
    n.textContent = text;
    n.hidden = false;
  }

  function clearMessages() {
    $('#problem').hidden = true;
    $('#notice').hidden = true;
  }

  /** Runs an action, showing its problem instead of failing silently. */
  async function attempt(fn) {
    try {
      $('#problem').hidden = true;
      return await fn();
    } catch (e) {
      showProblem(e);
      return undefined;
    }
  }

  /** Asks before any state-changing action; resolves to the reason typed (or '') or null when backed out. */
  function confirmAction(text, reason) {
    clearMessages(); // what is shown after the dialog is this action's outcome, not an earlier one's
    const dialog = $('#confirm');
    $('#confirm-text').textContent = text;
    const row = $('#confirm-reason-row');
    const input = $('#confirm-reason');
    row.hidden = !reason;
    input.value = '';
    input.required = !!(reason && reason.required);
    $('#confirm-reason-row label').textContent = reason && reason.required ? 'Reason (required)' : 'Reason (optional)';
    return new Promise(resolve => {
      const done = (value) => {
        $('#confirm-form').onsubmit = null;
        $('#confirm-cancel').onclick = null;
        dialog.onclose = null;
        if (dialog.open) dialog.close();
        resolve(value);
      };
      $('#confirm-form').onsubmit = (ev) => {
        ev.preventDefault();
        if (input.required && !input.value.trim()) { input.focus(); return; }
        done(input.value.trim());
      };
      $('#confirm-cancel').onclick = () => done(null);
      dialog.onclose = () => done(null);
      dialog.showModal();
      (reason ? input : $('#confirm-ok')).focus();
    });
  }

  /** What to do when the page in {@code view} is left (timers, charts); at once when it was left already. */
  function onLeave(view, fn) {
    if (!view.isConnected) { fn(); return; }
    leavePage = fn;
  }

  const isOperator = () => me && (me.role === 'OPS' || me.role === 'ADMIN');
  const isAdmin = () => me && me.role === 'ADMIN';

  // ---------- sign in / out ----------

  async function signIn(kind, value) {
    const c = { kind, value };
    const who = await api('/api/me', { credential: c });
    sessionStorage.setItem(STORE, JSON.stringify(c));
    me = who;
    start();
  }

  function signOut(message) {
    sessionStorage.removeItem(STORE);
    me = null;
    if (leavePage) { leavePage(); leavePage = null; }
    $('#page').replaceChildren();
    $('#nav').hidden = true;
    $('#sign-out').hidden = true;
    $('#who').textContent = '';
    $('#sign-in').hidden = false;
    if (message) showProblem(new Error(message));
    $('#credential').value = '';
    $('#credential').focus();
  }

  function start() {
    $('#sign-in').hidden = true;
    $('#nav').hidden = false;
    $('#sign-out').hidden = false;
    $('#who').textContent = me.keyId + ' · ' + me.role + (me.channel ? ' · ' + me.channel : '');
    for (const a of document.querySelectorAll('#nav a[data-role="operator"]')) a.hidden = !isOperator();
    clearMessages();
    if (!location.hash || location.hash === '#' || location.hash === '#/') {
      location.hash = isOperator() ? '#/overview' : '#/orders';
    } else {
      route();
    }
  }

  // ---------- router ----------

  const pages = [
    [/^#\/overview$/, overviewPage],
    [/^#\/orders$/, ordersPage],
    [/^#\/orders\/([^/?]+)$/, orderPage],
    [/^#\/dead-letters$/, deadLettersPage],
    [/^#\/receipts$/, receiptsPage],
    [/^#\/playground$/, playgroundPage],
    [/^#\/routes$/, routesPage],
    [/^#\/stock$/, stockPage],
    [/^#\/stock\/(.+)$/, stockPage],
    [/^#\/reports$/, reportsPage],
    [/^#\/audit$/, auditPage],
  ];

  function route() {
    if (!me) return;
    if (leavePage) { leavePage(); leavePage = null; }
    clearMessages();
    const hash = location.hash.split('?')[0];
    // each page gets a fresh container: what a page left before still loads lands in a detached one
    const page = h('div', { class: 'view' });
    $('#page').replaceChildren(page);
    for (const a of document.querySelectorAll('#nav a')) {
      const current = hash === a.getAttribute('href') || hash.startsWith(a.getAttribute('href') + '/');
      if (current) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    for (const [re, fn] of pages) {
      const m = hash.match(re);
      if (m) {
        const params = new URLSearchParams(location.hash.split('?')[1] || '');
        attempt(() => fn(page, m.slice(1).map(decodeURIComponent), params));
        return;
      }
    }
    page.append(h('p', {}, 'No such page. ', h('a', { href: '#/orders' }, 'Orders')));
  }

  // ---------- Orders ----------

  async function ordersPage(page, _m, params) {
    page.append(h('h1', {}, 'Orders'));
    const form = h('form', { class: 'filters card', id: 'orders-filter', role: 'search' },
      field({ label: 'Channel', name: 'channel', value: params.get('channel') }),
      field({ label: 'External id', name: 'externalId', value: params.get('externalId') }),
      field({ label: 'Status', name: 'status', value: params.get('status'), options: [''].concat(STATUSES) }),
      field({ label: 'Tracking number', name: 'trackingNumber', value: params.get('trackingNumber') }),
      field({ label: 'Received from', name: 'from', type: 'date', value: params.get('from') }),
      field({ label: 'Received to', name: 'to', type: 'date', value: params.get('to') }),
      field({ label: 'Per page', name: 'size', value: params.get('size') || '20', options: ['10', '20', '50', '100'] }),
      h('button', { type: 'submit', class: 'primary' }, 'Search'));
    const results = h('div', { id: 'orders-results' });
    page.append(form, results);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = '#/orders' + query(formValues(form));
    });
    const wanted = Object.fromEntries(params.entries());
    // the API's "to" is an exclusive instant (a date is its midnight): the day chosen here is included
    const body = await api('/api/orders' + query(Object.assign({}, wanted, { to: nextDay(wanted.to) })));
    const items = body.items || [];
    results.append(table([
      { title: 'Order', cell: o => h('a', { href: '#/orders/' + encodeURIComponent(o.orderId) }, o.orderId) },
      { title: 'Channel', cell: o => o.channel },
      { title: 'External id', cell: o => o.externalId },
      { title: 'Status', cell: o => badge(o.status) },
      { title: 'Received', cell: o => fmtTime(o.receivedAt) },
      { title: 'Total', num: true, cell: o => o.totals ? (o.totals.grandTotal + ' ' + (o.currency || '')) : '' },
    ], items, { id: 'orders-table', rowId: o => o.orderId }));
    const pageNo = body.page || 0;
    const go = (p) => { location.hash = '#/orders' + query(Object.assign({}, wanted, { page: p })); };
    results.append(h('div', { class: 'pager' },
      h('button', { type: 'button', disabled: pageNo <= 0, onclick: () => go(pageNo - 1) }, '‹ Newer'),
      h('span', {}, 'Page ' + (pageNo + 1) + ' of ' + Math.max(1, body.totalPages || 0) + ' · ' + (body.totalItems || 0) + ' orders'),
      h('button', { type: 'button', disabled: pageNo + 1 >= (body.totalPages || 0), onclick: () => go(pageNo + 1) }, 'Older ›')));
  }

  // ---------- One order: journey ----------

  async function orderPage(page, [orderId]) {
    const j = await api('/api/orders/' + encodeURIComponent(orderId) + '/journey');
    page.append(h('p', {}, h('a', { href: '#/orders' }, '‹ Orders')),
      h('h1', {}, 'Order ', h('code', {}, j.orderId), ' ', badge(j.status)),
      h('p', {}, 'Channel ', h('strong', {}, j.channel), ' · external id ', h('strong', {}, j.externalId)));
    const actions = h('div', { class: 'buttons' });
    if (isOperator() && !['COMPLETED', 'CANCELLED', 'REJECTED'].includes(j.status)) {
      actions.append(h('button', { type: 'button', class: 'danger', id: 'cancel-order', onclick: async () => {
        const reason = await confirmAction('Cancel order ' + j.orderId + '? Stock is released, the payment refunded and a label voided, whatever the order holds.', { required: false });
        if (reason === null) return;
        await attempt(async () => {
          await api('/api/orders/' + encodeURIComponent(j.orderId) + '/cancel', { body: reason ? { reason } : {} });
          route();
          notice('Order ' + j.orderId + ' cancelled.');
        });
      } }, 'Cancel order…'));
    }
    page.append(actions);

    const entries = [];
    if (j.receipt) entries.push({ at: j.receipt.receivedAt, kind: 'Received', cls: 'receipt',
      text: 'via ' + j.receipt.via + ', format ' + (j.receipt.format || '?') + ', receipt ' + j.receipt.receiptId + ' (' + j.receipt.status + ')' });
    const stageByEntry = {};
    for (const s of j.stages || []) stageByEntry[s.status + '@' + s.enteredAt] = s;
    for (const e of j.events || []) {
      const s = e.toStatus ? stageByEntry[e.toStatus + '@' + e.at] : null;
      entries.push({ at: e.at, kind: e.type, cls: 'event',
        text: (e.fromStatus || e.toStatus ? (e.fromStatus || '·') + ' → ' + (e.toStatus || '·') : '')
          + (e.detail ? ' — ' + e.detail : '') + (s ? ' (' + fmtSeconds(s.seconds) + (s.leftAt ? ' in ' + s.status : ' so far') + ')' : '') });
    }
    for (const p of j.payments || []) entries.push({ at: p.createdAt, kind: 'Payment ' + (p.kind || ''), cls: 'payment',
      text: [p.gateway, p.method, p.amount && (p.amount + ' ' + p.currency), p.status, p.declineCode, p.message].filter(Boolean).join(' · ') });
    for (const p of j.parcels || []) entries.push({ at: p.createdAt, kind: 'Parcel', cls: 'parcel',
      text: [p.shipmentId, p.carrier, p.service, p.trackingNumber && ('tracking ' + p.trackingNumber), p.state, p.trackingStatus,
        p.deliveredAt && ('delivered ' + fmtTime(p.deliveredAt))].filter(Boolean).join(' · ') });
    for (const n of j.notifications || []) entries.push({ at: n.createdAt, kind: 'Mail', cls: 'mail',
      text: [n.subject, n.eventType, n.recipientKind, n.status].filter(Boolean).join(' · ') });
    for (const o of j.outbound || []) entries.push({ at: o.syncedAt, kind: 'Delivered to ' + String(o.target).toUpperCase(), cls: 'outbound',
      text: 'last ' + o.lastEvent + ' (' + o.lastStatus + '), ' + o.requests + ' requests' });
    for (const d of j.deadLetters || []) entries.push({ at: d.createdAt, kind: 'Dead letter ' + d.target, cls: 'deadletter',
      text: [d.eventType, d.reason, d.httpStatus && ('HTTP ' + d.httpStatus), d.status, d.attempts + ' attempts'].filter(Boolean).join(' · '),
      link: isOperator() ? h('a', { href: '#/dead-letters?orderId=' + encodeURIComponent(j.orderId) }, 'open in dead letters') : null });
    entries.sort((a, b) => String(a.at || '').localeCompare(String(b.at || '')));
    page.append(h('h2', {}, 'Journey'), h('ol', { class: 'timeline', id: 'journey' },
      entries.map(e => h('li', { class: e.cls }, h('span', { class: 'when' }, fmtTime(e.at)),
        h('span', { class: 'kind' }, e.kind), ' ', e.text, e.link ? [' · ', e.link] : null))));

    page.append(h('h2', {}, 'Time in each status'), table([
      { title: 'Status', cell: s => badge(s.status) },
      { title: 'Entered', cell: s => fmtTime(s.enteredAt) },
      { title: 'Left', cell: s => s.leftAt ? fmtTime(s.leftAt) : 'still there' },
      { title: 'Time', num: true, cell: s => fmtSeconds(s.seconds) },
    ], j.stages || [], { id: 'order-stages' }));

    if (j.receipt) {
      const pre = h('pre', { id: 'raw-document', hidden: true });
      page.append(h('h2', {}, 'Received document'),
        h('button', { type: 'button', id: 'show-raw', onclick: async (ev) => {
          await attempt(async () => {
            const text = await api(j.receipt.content, { text: true, headers: { 'Accept': '*/*' } });
            let shown = text;
            try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { shown = text; }
            pre.textContent = shown;
            pre.hidden = false;
            ev.target.disabled = true;
          });
        } }, 'Show the document as received'), pre);
    }
  }

  // ---------- Dead letters (hub and broker) ----------

  async function deadLettersPage(page, _m, params) {
    page.append(h('h1', {}, 'Dead letters'));
    page.append(h('h2', {}, 'Hub: ERP and CRM deliveries'));
    const form = h('form', { class: 'filters card', id: 'dl-filter', role: 'search' },
      field({ label: 'Status', name: 'status', value: params.get('status') || 'OPEN', options: ['OPEN', 'REPLAYED', 'DISCARDED', ['ALL', '(any)']] }),
      field({ label: 'Target', name: 'target', value: params.get('target') }),
      field({ label: 'Order id', name: 'orderId', value: params.get('orderId') }),
      field({ label: 'Reason contains', name: 'reason', value: params.get('reason') }),
      field({ label: 'Older than (PT2H or a time)', name: 'olderThan', value: params.get('olderThan') }),
      field({ label: 'Newer than', name: 'newerThan', value: params.get('newerThan') }),
      field({ label: 'Limit', name: 'limit', type: 'number', min: 1, max: 1000, value: params.get('limit') || '100' }),
      h('button', { type: 'submit', class: 'primary' }, 'Filter'));
    const hub = h('div', { id: 'hub-dead-letters' });
    const broker = h('div', { id: 'broker-dead-letters' });
    page.append(form, hub, h('h2', {}, 'Broker: dead letter queues'), broker);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      location.hash = '#/dead-letters' + query(formValues(form));
    });
    const filter = formValues(form);
    const letters = await api('/api/ops/dead-letters' + query(Object.assign({}, filter, { status: filter.status === 'ALL' ? '' : filter.status })));
    const selected = new Set();
    hub.append(table([
      { title: 'Select', cell: d => d.status === 'OPEN' ? h('input', { type: 'checkbox', 'aria-label': 'select dead letter ' + d.id,
        onchange: (ev) => { if (ev.target.checked) selected.add(d.id); else selected.delete(d.id); } }) : '' },
      { title: 'Id', cell: d => String(d.id) },
      { title: 'Target', cell: d => d.target },
      { title: 'Order', cell: d => h('a', { href: '#/orders/' + encodeURIComponent(d.orderId) }, d.orderId) },
      { title: 'Event', cell: d => d.eventType },
      { title: 'Reason', cell: d => [d.reason, d.httpStatus ? ' (HTTP ' + d.httpStatus + ')' : ''] },
      { title: 'Status', cell: d => [badge(d.status), d.resolution ? h('div', { class: 'muted' }, d.resolution) : null] },
      { title: 'Attempts', num: true, cell: d => String(d.attempts) },
      { title: 'Created', cell: d => fmtTime(d.createdAt) },
      { title: 'Actions', cell: d => d.status !== 'OPEN' ? '' : h('div', { class: 'buttons' },
        h('button', { type: 'button', 'data-action': 'replay', 'aria-label': 'replay dead letter ' + d.id, onclick: async () => {
          if (await confirmAction('Replay dead letter ' + d.id + ' (' + d.target + ', order ' + d.orderId + ')?') === null) return;
          await attempt(async () => {
            const r = await api('/api/ops/dead-letters/' + d.id + '/replay', { body: {} });
            route();
            notice('Dead letter ' + d.id + ': ' + (r.status || 'replayed'));
          });
        } }, 'Replay'),
        h('button', { type: 'button', 'data-action': 'discard', 'aria-label': 'discard dead letter ' + d.id, onclick: async () => {
          const reason = await confirmAction('Discard dead letter ' + d.id + ' without delivering it?', { required: true });
          if (reason === null) return;
          await attempt(async () => {
            await api('/api/ops/dead-letters/' + d.id + '/discard', { body: { reason } });
            route();
            notice('Dead letter ' + d.id + ' discarded.');
          });
        } }, 'Discard…')) },
    ], letters, { id: 'dead-letters-table', rowId: d => d.id, empty: 'No dead letters match.' }));
    const bulk = async (body, what) => {
      if (await confirmAction('Replay ' + what + '?') === null) return;
      await attempt(async () => {
        const r = await api('/api/ops/dead-letters/replay', { body });
        route();
        notice('Bulk replay: ' + JSON.stringify(Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v !== 'object'))));
      });
    };
    hub.append(h('div', { class: 'buttons' },
      h('button', { type: 'button', id: 'replay-selected', onclick: () => selected.size
        ? bulk({ ids: [...selected] }, 'the ' + selected.size + ' selected dead letters')
        : showProblem(new Error('Select dead letters first.')) }, 'Replay selected'),
      h('button', { type: 'button', id: 'replay-matching', onclick: () => {
        const body = {};
        for (const k of ['target', 'orderId', 'reason', 'olderThan', 'newerThan']) if (filter[k]) body[k] = filter[k];
        if (filter.limit) body.limit = Number(filter.limit);
        bulk(body, 'every OPEN dead letter this filter selects');
      } }, 'Replay all matching the filter')));

    const queues = (await api('/api/ops/broker/dead-letters')).queues || {};
    const messages = h('div', { id: 'broker-messages' });
    broker.append(table([
      { title: 'Queue', cell: q => q[0] },
      { title: 'Messages', num: true, cell: q => String(q[1]) },
      { title: '', cell: q => h('button', { type: 'button', 'aria-label': 'show messages of ' + q[0],
        onclick: () => attempt(() => brokerQueue(messages, q[0])) }, 'Show') },
    ], Object.entries(queues), { id: 'broker-queues', rowId: q => q[0] }), messages);
  }

  /** A broker message id (ID:...) as a path segment: a colon is allowed there and stays as the API names it. */
  const pathSegment = (id) => encodeURIComponent(id).replace(/%3A/gi, ':');

  async function brokerQueue(target, queue) {
    const list = await api('/api/ops/broker/dead-letters/' + encodeURIComponent(queue));
    const again = () => attempt(() => brokerQueue(target, queue));
    const filterId = uid('broker-filter');
    const filter = h('input', { id: filterId, type: 'search', name: 'brokerFilter' });
    const narrow = () => {
      const f = filter.value.trim().toLowerCase();
      for (const row of target.querySelectorAll('#broker-messages-table tbody tr[data-id]')) row.hidden = !!f && !row.textContent.toLowerCase().includes(f);
    };
    filter.addEventListener('input', narrow);
    target.replaceChildren(h('h3', {}, 'Queue ', h('code', {}, queue)),
      h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: filterId }, 'Filter by reason, origin or content'), filter)), table([
      { title: 'Message', cell: m => h('code', {}, m.messageId) },
      { title: 'From', cell: m => m.originalQueue || '' },
      { title: 'Reason', cell: m => m.reason || '' },
      { title: 'Failed', cell: m => m.failedAt || fmtTime(m.timestamp) },
      { title: 'Deliveries', num: true, cell: m => m.deliveryCount == null ? '' : String(m.deliveryCount) },
      { title: 'Preview', cell: m => h('pre', {}, typeof m.preview === 'string' ? m.preview : JSON.stringify(m.preview)) },
      { title: 'Actions', cell: m => h('div', { class: 'buttons' },
        h('button', { type: 'button', 'data-action': 'replay', 'aria-label': 'replay message ' + m.messageId, onclick: async () => {
          if (await confirmAction('Send message ' + m.messageId + ' back to ' + (m.originalQueue || 'its queue') + '?') === null) return;
          await attempt(async () => {
            await api('/api/ops/broker/dead-letters/' + encodeURIComponent(queue) + '/' + pathSegment(m.messageId) + '/replay', { body: {} });
            notice('Message replayed.');
            again();
          });
        } }, 'Replay'),
        h('button', { type: 'button', 'data-action': 'discard', 'aria-label': 'discard message ' + m.messageId, onclick: async () => {
          const reason = await confirmAction('Discard message ' + m.messageId + '?', { required: true });
          if (reason === null) return;
          await attempt(async () => {
            await api('/api/ops/broker/dead-letters/' + encodeURIComponent(queue) + '/' + pathSegment(m.messageId) + '/discard', { body: { reason } });
            notice('Message discarded.');
            again();
          });
        } }, 'Discard…')) },
    ], Array.isArray(list) ? list : (list.messages || []), { id: 'broker-messages-table', rowId: m => m.messageId, empty: 'The queue is empty.' }));
  }

  // ---------- Rejected receipts ----------

  async function receiptsPage(page, _m, params) {
    page.append(h('h1', {}, 'Rejected receipts'),
      h('p', { class: 'muted' }, 'Documents the hub kept but could not turn into orders. After a mapping fix, replay them through today\'s mappings.'));
    const form = h('form', { class: 'filters card', id: 'receipts-filter', role: 'search' },
      field({ label: 'Status', name: 'status', value: params.get('status') || 'REJECTED', options: ['REJECTED', 'ACCEPTED', 'DUPLICATE'] }),
      field({ label: 'Channel', name: 'channel', value: params.get('channel') }),
      field({ label: 'Older than', name: 'olderThan', value: params.get('olderThan') }),
      field({ label: 'Newer than', name: 'newerThan', value: params.get('newerThan') }),
      field({ label: 'Limit', name: 'limit', type: 'number', min: 1, max: 1000, value: params.get('limit') || '50' }),
      h('button', { type: 'submit', class: 'primary' }, 'Filter'));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = '#/receipts' + query(formValues(form)); });
    const out = h('div', { id: 'receipts' });
    const content = h('div', { id: 'receipt-content' });
    page.append(form, out, content);
    const filter = formValues(form);
    const list = await api('/api/ops/receipts' + query(filter));
    const selected = new Set();
    out.append(table([
      { title: 'Select', cell: r => r.status === 'REJECTED' ? h('input', { type: 'checkbox', 'aria-label': 'select receipt ' + r.receiptId,
        onchange: (ev) => { if (ev.target.checked) selected.add(r.receiptId); else selected.delete(r.receiptId); } }) : '' },
      { title: 'Receipt', cell: r => h('code', {}, r.receiptId) },
      { title: 'Channel', cell: r => r.channel },
      { title: 'Via', cell: r => r.via },
      { title: 'Format', cell: r => r.format || '' },
      { title: 'Received', cell: r => fmtTime(r.receivedAt) },
      { title: 'Status', cell: r => badge(r.status) },
      { title: 'Errors', cell: r => h('ul', { class: 'errors' }, (r.errors || []).map(e => h('li', {}, h('code', {}, e.field || ''), ' ', e.message))) },
      { title: 'Actions', cell: r => h('div', { class: 'buttons' },
        h('button', { type: 'button', 'aria-label': 'show content of receipt ' + r.receiptId, onclick: () => attempt(async () => {
          const text = await api(r.links.content, { text: true, headers: { 'Accept': '*/*' } });
          content.replaceChildren(h('h2', {}, 'Content of ', h('code', {}, r.receiptId)), h('pre', {}, text));
          content.scrollIntoView({ block: 'nearest' });
        }) }, 'Content'),
        r.links && r.links.replay ? h('button', { type: 'button', 'aria-label': 'replay receipt ' + r.receiptId, onclick: async () => {
          if (await confirmAction('Replay receipt ' + r.receiptId + ' through today\'s mappings?') === null) return;
          await attempt(async () => {
            const res = await api(r.links.replay, { body: {} });
            route();
            // accepted now: the API answers with the order; a multi-order document with its order ids
            notice('Receipt ' + r.receiptId + ': ' + (res.orderId ? 'accepted as order ' + res.orderId
              : (res.status || 'replayed') + (res.orderIds && res.orderIds.length ? ' → ' + res.orderIds.join(', ') : '')));
          });
        } }, 'Replay') : null) },
    ], list, { id: 'receipts-table', rowId: r => r.receiptId, empty: 'No receipts match.' }));
    out.append(h('div', { class: 'buttons' }, h('button', { type: 'button', id: 'replay-receipts', onclick: async () => {
      if (!selected.size) { showProblem(new Error('Select receipts first.')); return; }
      if (await confirmAction('Replay the ' + selected.size + ' selected receipts?') === null) return;
      await attempt(async () => {
        const r = await api('/api/ops/receipts/replay', { body: { ids: [...selected] } });
        route();
        notice('Replayed ' + r.matched + ': ' + r.accepted + ' accepted, ' + r.stillRejected + ' still rejected.');
      });
    } }, 'Replay selected')));
  }

  // ---------- Mapping playground ----------

  /** Renders JSON as text with every value in a span carrying its JSON pointer, for highlighting. */
  function jsonView(value, id) {
    const root = h('div', { class: 'json', id, tabindex: '0' });
    const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');
    function render(v, pointer, indent, parent) {
      const span = h('span', { 'data-pointer': pointer });
      parent.append(span);
      const pad = '  '.repeat(indent + 1);
      if (Array.isArray(v)) {
        span.append('[');
        v.forEach((x, i) => { span.append('\n' + pad); render(x, pointer + '/' + i, indent + 1, span); if (i < v.length - 1) span.append(','); });
        span.append((v.length ? '\n' + '  '.repeat(indent) : '') + ']');
      } else if (v && typeof v === 'object') {
        span.append('{');
        const keys = Object.keys(v);
        keys.forEach((k, i) => {
          span.append('\n' + pad, h('span', { class: 'key' }, JSON.stringify(k)), ': ');
          render(v[k], pointer + '/' + esc(k), indent + 1, span);
          if (i < keys.length - 1) span.append(',');
        });
        span.append((keys.length ? '\n' + '  '.repeat(indent) : '') + '}');
      } else {
        span.append(h('span', { class: typeof v === 'string' ? 'str' : null }, JSON.stringify(v)));
      }
    }
    render(value, '', 0, root);
    return root;
  }

  /** Marks the value an error's pointer names (or, when it is missing, says so inside its nearest existing parent); answers the mark. */
  function highlight(view, pointer, message) {
    if (!view || typeof pointer !== 'string') return null;
    let p = pointer.startsWith('/') ? pointer : (pointer === '' ? '' : null);
    if (p === null) return null;
    while (p !== null) {
      const el = [...view.querySelectorAll('[data-pointer]')].find(x => x.getAttribute('data-pointer') === p);
      if (el && p === pointer) {
        el.classList.add('err');
        el.title = (el.title ? el.title + '\n' : '') + pointer + ': ' + message;
        return el;
      }
      if (el) {
        // not there: a mark inside the nearest member that is, naming what is missing (not the whole member marked)
        const missing = h('span', { class: 'err missing', 'data-missing': pointer, title: pointer + ': ' + message },
          ' \u2190 ' + pointer.substring(p.length + 1) + ': ' + message);
        el.insertBefore(missing, el.firstChild ? el.firstChild.nextSibling : null);
        return missing;
      }
      if (p === '') break;
      p = p.substring(0, p.lastIndexOf('/'));
      // the whole document only for a missing top-level member (/currency); a deeper path from elsewhere marks nothing
      if (p === '' && pointer.indexOf('/', 1) > 0) break;
    }
    return null;
  }

  // ---------- where a problem points in a document that is not JSON ----------

  /**
   * A model of a text document (CSV, XML, X12 or EDIFACT) that turns an error's {field, message} into the character
   * range it names: "line 2, column unit_price" (CSV), an XPath such as /cXML/Request/OrderRequest/ItemOut[1]/@quantity
   * (XML mappings), "segment 4 (BEG) element 1" (EDI), or "... at line 3, column 7 ..." in the message (XML syntax).
   */
  function sourceModel(text) {
    const lines = [];
    for (let at = 0; ;) {
      const nl = text.indexOf('\n', at);
      const end = nl < 0 ? text.length : nl;
      lines.push({ start: at, end: text[end - 1] === '\r' ? end - 1 : end });
      if (nl < 0) break;
      at = nl + 1;
    }
    const head = text.replace(/^\uFEFF/, '').trimStart();
    const xml = head.startsWith('<') ? xmlElements(text) : null;
    const edi = /^(ISA|UNA|UNB)/.test(head) ? ediSegments(text) : null;
    const line = (n) => lines[n - 1] && lines[n - 1].end > lines[n - 1].start ? { start: lines[n - 1].start, end: lines[n - 1].end } : null;

    function csvCell(lineNo, column) {
      const header = lines[0] && text.substring(lines[0].start, lines[0].end);
      const row = line(lineNo);
      if (!header || !row) return row;
      const delimiter = [',', ';', '\t', '|'].map(d => [d, header.split(d).length]).sort((a, b) => b[1] - a[1])[0][0];
      const names = csvCells(header, 0, delimiter).map(c => header.substring(c.start, c.end).replace(/^"|"$/g, '').trim());
      const index = names.indexOf(column);
      const cells = csvCells(text.substring(row.start, row.end), row.start, delimiter);
      return index >= 0 && cells[index] ? cells[index] : row;
    }

    function locate(field, message) {
      const f = String(field || '');
      let m = f.match(/^line (\d+)(?:, column (.+))?$/);
      if (m) return m[2] ? csvCell(Number(m[1]), m[2]) : line(Number(m[1]));
      m = String(message || '').match(/at line (\d+), column (\d+)/);
      if (m && (f === 'body' || f === '')) return line(Number(m[1]));
      m = f.match(/^segment (\d+)(?: \(([A-Z0-9]+)\))?(?: element (\d+))?(?: component (\d+))?/);
      if (m && edi) return edi.locate(Number(m[1]), m[2], Number(m[3] || 0), Number(m[4] || 0));
      if (f.startsWith('/') && xml) return xml.locate(f);
      return null;
    }
    return { locate };
  }

  /** The cells of one CSV line (quotes respected) as absolute ranges. */
  function csvCells(line, offset, delimiter) {
    const cells = [];
    let start = 0, quoted = false;
    for (let i = 0; i <= line.length; i++) {
      const c = line[i];
      if (c === '"') quoted = !quoted;
      else if (i === line.length || (c === delimiter && !quoted)) {
        cells.push({ start: offset + start, end: offset + i });
        start = i + 1;
      }
    }
    return cells;
  }

  /** Every element of an XML text by the path the XML mappings name (/a/b[2]/c), with its range and its attributes. */
  function xmlElements(text) {
    const all = [];
    const root = { children: {}, path: '' };
    const stack = [root];
    const re = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/([^\s>]+)\s*>|<([^\s>/!?]+)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g;
    let m;
    while ((m = re.exec(text)) !== null) {
      if (m[1]) {
        const open = stack.length > 1 ? stack.pop() : null;
        if (open) open.end = m.index + m[0].length;
      } else if (m[2]) {
        const parent = stack[stack.length - 1];
        parent.children[m[2]] = (parent.children[m[2]] || 0) + 1;
        const el = { name: m[2], nth: parent.children[m[2]], parent, children: {}, start: m.index,
          end: m.index + m[0].length, attrs: {} };
        const attrs = /([^\s=]+)\s*=\s*("[^"]*"|'[^']*')/g;
        let a;
        const from = m.index + 1 + m[2].length;
        while ((a = attrs.exec(m[3])) !== null) el.attrs[a[1]] = { start: from + a.index, end: from + a.index + a[0].length };
        all.push(el);
        if (!m[4]) stack.push(el);
      }
    }
    const byPath = {};
    const pathOf = (el) => {
      if (el.path !== undefined) return el.path;
      el.path = pathOf(el.parent) + '/' + el.name + (el.parent.children[el.name] > 1 ? '[' + el.nth + ']' : '');
      return el.path;
    };
    for (const el of all) byPath[pathOf(el)] = el;
    return {
      locate(xpath) {
        let p = xpath;
        const attr = p.match(/\/@([^/]+)$/);
        if (attr) p = p.substring(0, p.length - attr[0].length);
        while (p) {
          const el = byPath[p] || byPath[p.replace(/\[1\]$/, '')];
          if (el) return attr && el.attrs[attr[1]] && p.length + attr[0].length === xpath.length ? el.attrs[attr[1]] : el;
          p = p.substring(0, p.lastIndexOf('/'));
        }
        return null;
      },
    };
  }

  /** The segments of an X12 or EDIFACT interchange (separators from ISA or UNA), numbered from 1 as the parser does. */
  function ediSegments(text) {
    const t = text.replace(/^\uFEFF/, '');
    const lead = text.length - t.trimStart().length;
    const s = t.trimStart();
    let element, component, terminator, release = null;
    if (s.startsWith('ISA')) {
      element = s[3]; component = s[104]; terminator = s[105];
    } else if (s.startsWith('UNA')) {
      component = s[3]; element = s[4]; release = s[6] === ' ' ? null : s[6]; terminator = s[8];
    } else {
      component = ':'; element = '+'; release = '?'; terminator = '\'';
    }
    const segments = [];
    let start = lead;
    for (let i = lead; i < text.length; i++) {
      if (release && text[i] === release) { i++; continue; }
      if (text[i] === terminator) {
        const raw = text.substring(start, i);
        const skip = raw.length - raw.trimStart().length;
        if (raw.trim()) segments.push({ start: start + skip, end: i + 1 });
        start = i + 1;
      }
    }
    if (text.substring(start).trim()) segments.push({ start: start + (text.substring(start).length - text.substring(start).trimStart().length), end: text.length });
    const numbered = segments.filter(g => !text.startsWith('UNA', g.start));
    const split = (from, to, sep) => {
      const parts = [];
      let a = from;
      for (let i = from; i <= to; i++) {
        if (i < to && release && text[i] === release) { i++; continue; }
        if (i === to || text[i] === sep) { parts.push({ start: a, end: i }); a = i + 1; }
      }
      return parts;
    };
    const tagOf = (g) => text.substring(g.start, split(g.start, g.end, element)[0].end);
    return {
      locate(position, tag, el, comp) {
        let g = numbered[position - 1];
        if (tag && g && tagOf(g) !== tag) {
          g = [numbered[position - 2], numbered[position], numbered[position - 3], numbered[position + 1]]
            .find(x => x && tagOf(x) === tag) || g;
        }
        if (!g) return null;
        const body = text[g.end - 1] === terminator ? g.end - 1 : g.end;
        const elements = split(g.start, body, element);
        if (!el || !elements[el] || elements[el].end === elements[el].start) return { start: g.start, end: g.end };
        const components = split(elements[el].start, elements[el].end, component);
        return comp && components[comp - 1] && components[comp - 1].end > components[comp - 1].start
          ? components[comp - 1] : elements[el];
      },
    };
  }

  /** The document with each located range marked (a title names the problems); answers the view and the marks. */
  function sourceView(text, located, id) {
    const cuts = new Set([0, text.length]);
    for (const l of located) { cuts.add(l.range.start); cuts.add(l.range.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const view = h('pre', { class: 'source', id, tabindex: '0' });
    const first = new Map();
    for (let i = 0; i < points.length - 1; i++) {
      const a = points[i], b = points[i + 1];
      const covering = located.filter(l => l.range.start <= a && l.range.end >= b && l.range.end > l.range.start);
      if (!covering.length) { view.append(text.substring(a, b)); continue; }
      const mark = h('mark', { class: 'err', 'data-field': covering[0].error.field,
        title: covering.map(l => l.error.field + ': ' + l.error.message).join('\n') }, text.substring(a, b));
      view.append(mark);
      for (const l of covering) if (!first.has(l)) first.set(l, mark);
    }
    return { view, marks: first };
  }

  /** The problems as a list; each one found in a view (locate answers the marked element) gets a button to it. */
  function errorList(errors, locate) {
    return h('ul', { class: 'errors' }, errors.map(e => {
      const el = locate(e);
      return h('li', {}, h('code', {}, e.field || '(document)'), ' ', e.message,
        el ? h('button', { type: 'button', 'aria-label': 'show where: ' + e.field, onclick: () => {
          el.scrollIntoView({ block: 'center' });
          el.closest('[tabindex]').focus({ preventScroll: true });
        } }, 'show') : null);
    }));
  }

  async function playgroundPage(page) {
    page.append(h('h1', {}, 'Mapping playground'),
      h('p', { class: 'muted' }, 'Paste or upload a document, choose the channel and format, and see the canonical orders and every problem a submission would find. Nothing is stored.'));
    let formats = [];
    try { formats = (await api('/api/mappings')).formats || []; } catch (e) { showProblem(e); }
    const docId = uid('doc');
    const fileId = uid('file');
    const form = h('form', { class: 'card', id: 'playground-form' },
      h('div', { class: 'filters' },
        field({ label: 'Channel', name: 'channel', value: 'webshop' }),
        field({ label: 'Format', name: 'format', options: [['', '(recognise from the content)']].concat(formats.map(f => [f, f])) }),
        field({ label: 'Content type', name: 'contentType', options: [['application/json', 'application/json'], ['application/xml', 'application/xml'], ['text/xml', 'text/xml'],
          ['text/csv', 'text/csv'], ['application/edi-x12', 'application/edi-x12'], ['application/edifact', 'application/edifact'], ['text/plain', 'text/plain']] }),
        h('div', { class: 'field' }, h('label', { for: fileId }, 'Upload a file'), h('input', { id: fileId, type: 'file', onchange: async (ev) => {
          const f = ev.target.files[0];
          if (!f) return;
          $('#' + docId).value = await f.text();
          const ct = $('[name=contentType]', form);
          const n = f.name.toLowerCase();
          ct.value = n.endsWith('.json') ? 'application/json' : n.endsWith('.xml') ? 'application/xml' : n.endsWith('.csv') ? 'text/csv'
            : n.endsWith('.edi') || n.endsWith('.x12') ? 'application/edi-x12' : n.endsWith('.edifact') ? 'application/edifact' : ct.value;
        } }))),
      h('label', { for: docId }, 'Document'),
      h('textarea', { id: docId, name: 'document', rows: '14', spellcheck: 'false', required: true }),
      h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary', id: 'preview-button' }, 'Preview')));
    const out = h('div', { id: 'preview-result', 'aria-live': 'polite' });
    page.append(form, out);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      attempt(async () => {
        out.replaceChildren();
        const v = formValues(form);
        const text = $('#' + docId).value;
        const res = await api('/api/mappings/preview' + query({ channel: v.channel, format: v.format }),
          { body: text, headers: { 'Content-Type': v.contentType } });
        renderPreview(out, res, text, v.contentType);
      });
    });
  }

  function renderPreview(out, res, text, contentType) {
    out.append(h('h2', {}, 'Read as ', h('code', {}, res.format || '?')));
    const json = contentType.includes('json') || /^\s*[{[]/.test(text);
    let docView = null;
    if (json) {
      try { docView = jsonView(JSON.parse(text), 'document-view'); } catch (e) { docView = null; }
    }
    // a document that is not JSON: every problem that points into it (line and column, XPath, segment) is marked there
    const model = json ? null : sourceModel(text);
    const located = [];
    const all = (res.documentErrors || []).concat(...(res.orders || []).map(o => o.errors || []));
    if (model) for (const error of all) {
      const range = model.locate(error.field, error.message);
      if (range) located.push({ error, range });
    }
    const source = located.length ? sourceView(text, located, 'document-source') : null;
    const inSource = (e) => {
      const l = located.find(x => x.error === e);
      return l ? source.marks.get(l) || null : null;
    };
    if (res.documentErrors && res.documentErrors.length) {
      const list = errorList(res.documentErrors, e => inSource(e) || highlight(docView, e.field, e.message));
      out.append(h('div', { class: 'card', id: 'document-errors' }, h('h3', {}, 'Problems with the document'), list,
        docView ? [h('p', { class: 'muted' }, 'The document, marked where the problems point:'), docView] : null));
    }
    (res.orders || []).forEach((o, i) => {
      const view = o.order ? jsonView(o.order, 'order-view-' + i) : null;
      out.append(h('div', { class: 'card preview-order' },
        h('h3', {}, 'Order ' + (o.position ?? i + 1) + (o.documentId ? ' (' + o.documentId + ')' : '') + ' ', badge(o.outcome || (o.valid ? 'VALID' : 'INVALID'))),
        o.detail ? h('p', {}, o.detail) : null,
        o.existingOrderId ? h('p', {}, 'Existing order: ', h('a', { href: '#/orders/' + encodeURIComponent(o.existingOrderId) }, o.existingOrderId)) : null,
        o.errors && o.errors.length ? [h('h4', {}, o.errors.length + ' problem' + (o.errors.length > 1 ? 's' : '')),
          errorList(o.errors, e => inSource(e) || highlight(view, e.field, e.message))]
          : h('p', {}, 'No problems found.'),
        view ? [h('h4', {}, 'Canonical order'), view] : null));
    });
    if (source) out.append(h('div', { class: 'card', id: 'source-errors' }, h('h3', {}, 'The document, marked where the problems point'),
      h('p', { class: 'muted' }, located.length + ' of the ' + all.length + ' problems point into the document; hover a mark for its message.'), source.view));
    if (res.acknowledgement) out.append(h('div', { class: 'card' }, h('h3', {}, 'Acknowledgement ' + (res.acknowledgement.type || '')),
      h('pre', {}, res.acknowledgement.body || '')));
  }

  // ---------- Routes ----------

  async function routesPage(page) {
    page.append(h('h1', {}, 'Routes'));
    const body = await api('/api/ops/routes');
    const filterId = uid('route-filter');
    const input = h('input', { id: filterId, type: 'search' });
    const wrap = h('div', { id: 'routes' });
    page.append(h('p', { class: 'muted' }, 'Routes from ', h('code', {}, body.routesLocation || ''), ' · mappings from ', h('code', {}, body.mappingsLocation || '')),
      h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: filterId }, 'Filter by id or endpoint'), input)), wrap);
    const act = (r, action) => async () => {
      if (await confirmAction(action[0].toUpperCase() + action.substring(1) + ' route ' + r.routeId + '?') === null) return;
      await attempt(async () => {
        const res = await api('/api/ops/routes/' + encodeURIComponent(r.routeId) + '/' + action, { body: {} });
        route();
        notice(action === 'reload'
          ? 'Route ' + r.routeId + ' reloaded from ' + (res.source || 'its file') + ' with ' + (res.reloaded || []).join(', ') + ': ' + res.status
          : 'Route ' + r.routeId + ': ' + res.status);
      });
    };
    const render = () => {
      const f = input.value.toLowerCase();
      const rows = (body.routes || []).filter(r => !f || r.routeId.toLowerCase().includes(f) || String(r.from).toLowerCase().includes(f));
      wrap.replaceChildren(table([
        { title: 'Route', cell: r => h('code', {}, r.routeId) },
        { title: 'State', cell: r => badge(r.status) },
        { title: 'From', cell: r => r.from },
        { title: 'Exchanges', num: true, cell: r => String(r.exchangesTotal ?? '') },
        { title: 'Failed', num: true, cell: r => String(r.exchangesFailed ?? '') },
        { title: 'In flight', num: true, cell: r => String(r.inflight ?? '') },
        { title: 'Last error', cell: r => !r.lastError ? '' : typeof r.lastError === 'string' ? r.lastError
          : [h('span', { class: 'last-error' }, r.lastError.message || JSON.stringify(r.lastError)), r.lastError.at ? h('div', { class: 'muted' }, fmtTime(r.lastError.at)) : null] },
        { title: 'Actions', cell: r => isAdmin() ? h('div', { class: 'buttons' },
          r.status === 'Started' ? h('button', { type: 'button', 'aria-label': 'stop route ' + r.routeId, onclick: act(r, 'stop') }, 'Stop')
            : h('button', { type: 'button', 'aria-label': 'start route ' + r.routeId, onclick: act(r, 'start') }, 'Start'),
          h('button', { type: 'button', 'aria-label': 'reload route ' + r.routeId, onclick: act(r, 'reload') }, 'Reload')) : h('span', { class: 'muted' }, 'ADMIN only') },
      ], rows, { id: 'routes-table', rowId: r => r.routeId }));
    };
    input.addEventListener('input', render);
    render();
  }

  // ---------- Stock and planning ----------

  async function stockPage(page, [sku]) {
    page.append(h('h1', {}, 'Stock and planning'));
    const skuId = uid('sku');
    const form = h('form', { class: 'filters card', id: 'stock-form', role: 'search' },
      h('div', { class: 'field' }, h('label', { for: skuId }, 'SKU'), h('input', { id: skuId, name: 'sku', value: sku || '', required: true })),
      h('button', { type: 'submit', class: 'primary' }, 'Show'));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = '#/stock/' + encodeURIComponent($('#' + skuId).value.trim()); });
    page.append(form);
    if (!sku) return;
    const [stock, plan] = await Promise.all([api('/api/inventory/' + encodeURIComponent(sku)),
      api('/api/inventory/' + encodeURIComponent(sku) + '/planning')]);
    const figures = {};
    if (plan.overall) figures['*'] = plan.overall;
    for (const w of plan.warehouses || []) figures[w.warehouse] = w;
    const val = (f) => f && f.value !== undefined && f.value !== null ? String(f.value) : (f && f.reason ? '— ' + f.reason : '');
    page.append(h('h2', {}, 'Stock of ', h('code', {}, sku), ' · available ', String(stock.available)), table([
      { title: 'Warehouse', cell: w => w.warehouse },
      { title: 'On hand', num: true, cell: w => String(w.onHand) },
      { title: 'Reserved', num: true, cell: w => String(w.reserved) },
      { title: 'Allocated', num: true, cell: w => String(w.allocated) },
      { title: 'Available', num: true, cell: w => String(w.available) },
      { title: 'Safety stock', num: true, cell: w => val((figures[w.warehouse] || {}).safetyStock) },
      { title: 'Reorder point', num: true, cell: w => val((figures[w.warehouse] || {}).reorderPoint) },
      { title: 'Order quantity', num: true, cell: w => String((figures[w.warehouse] || {}).orderQuantity ?? '') },
      { title: 'Forecast model', cell: w => { const f = (figures[w.warehouse] || {}).forecast || {}; return f.model ? f.model + (f.error != null ? ' (' + f.metric + ' ' + f.error + ')' : '') : (f.reason || ''); } },
    ], stock.warehouses || [], { id: 'stock-table' }));
    const o = plan.overall || {};
    page.append(h('p', { class: 'muted' }, 'Overall: safety stock ', val(o.safetyStock), ' · statistical ', val(o.statisticalSafetyStock),
      ' · reorder point ', val(o.reorderPoint), ' · EOQ ', val(o.eoq), ' · computed ', fmtTime(plan.computedAt)));

    if (!isOperator()) return;
    const history = await api('/api/inventory/' + encodeURIComponent(sku) + '/demand-history');
    const selId = uid('chart-warehouse');
    const select = h('select', { id: selId }, history.series.map(s => h('option', { value: s.warehouse }, s.warehouse === '*' ? 'All warehouses (ordered units)' : s.warehouse)));
    const chartBox = h('div', { class: 'chart', id: 'demand-chart', role: 'img', 'aria-label': 'Demand history with forecast, safety stock and reorder point' });
    const summary = h('p', { class: 'muted', id: 'chart-summary' });
    page.append(h('h2', {}, 'Demand and forecast'), h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: selId }, 'Warehouse'), select)), chartBox, summary);
    let plot = null;
    const draw = () => {
      if (plot) { plot.destroy(); plot = null; }
      chartBox.replaceChildren();
      const w = select.value;
      const s = history.series.find(x => x.warehouse === w);
      const f = figures[w] || {};
      const forecast = (f.forecast && f.forecast.daily) || [];
      const start = Date.parse(history.from + 'T00:00:00Z') / 1000;
      const n = s.daily.length + forecast.length;
      const xs = [], demand = [], fc = [], ss = [], rop = [];
      const num = (x) => x && x.value != null ? Number(x.value) : null;
      for (let i = 0; i < n; i++) {
        xs.push(start + i * 86400);
        demand.push(i < s.daily.length ? s.daily[i] : null);
        fc.push(i >= s.daily.length ? forecast[i - s.daily.length] : (i === s.daily.length - 1 && forecast.length ? s.daily[i] : null));
        ss.push(num(f.safetyStock));
        rop.push(num(f.reorderPoint));
      }
      summary.textContent = s.daily.length + ' days of demand from ' + history.from + ' to ' + history.to + ' (' + s.daily.reduce((a, b) => a + b, 0) + ' units), '
        + forecast.length + ' days of forecast' + (f.forecast && f.forecast.model ? ' (' + f.forecast.model + ')' : '')
        + '; safety stock ' + val(f.safetyStock) + ', reorder point ' + val(f.reorderPoint) + '.';
      if (typeof uPlot === 'undefined') { chartBox.append('The chart library did not load.'); return; }
      plot = new uPlot({
        width: Math.max(280, chartBox.clientWidth || 800), height: 320,
        scales: { d: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] }, s: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
        series: [{},
          { label: 'Demand (units/day)', scale: 'd', stroke: '#0a58ca', width: 1, points: { show: false } },
          { label: 'Forecast (units/day)', scale: 'd', stroke: '#8250df', width: 2, dash: [6, 4], points: { show: false } },
          { label: 'Safety stock (units)', scale: 's', stroke: '#9a6700', width: 1.5, points: { show: false } },
          { label: 'Reorder point (units)', scale: 's', stroke: '#b42318', width: 1.5, points: { show: false } }],
        axes: [{}, { scale: 'd', label: 'demand, units / day' }, { scale: 's', side: 1, label: 'stock, units', grid: { show: false } }],
      }, [xs, demand, fc, ss, rop], chartBox);
    };
    select.addEventListener('change', draw);
    draw();
    const resize = () => { if (plot) plot.setSize({ width: Math.max(280, chartBox.clientWidth), height: 320 }); };
    window.addEventListener('resize', resize);
    onLeave(page, () => { window.removeEventListener('resize', resize); if (plot) plot.destroy(); });
  }

  // ---------- Live overview ----------

  async function overviewPage(page) {
    const updated = h('span', { id: 'overview-updated' });
    page.append(h('h1', {}, 'Live overview'), h('p', { class: 'muted' }, 'Refreshes every 2 seconds. ', updated));
    const box = h('div', { id: 'overview' });
    page.append(box);
    if (!isOperator()) { box.append(h('p', {}, 'The overview needs an OPS or ADMIN key.')); return; }
    let previous = null;
    let timer = null;
    let stopped = false;
    const tick = async () => {
      const began = Date.now();
      try {
        const o = await api('/api/ops/overview');
        if (stopped) return;
        renderOverview(box, o, previous);
        previous = o;
        updated.textContent = 'Last update ' + fmtTime(o.at) + '.';
        $('#problem').hidden = true;
      } catch (e) {
        if (!stopped) showProblem(e);
      }
      // the next one two seconds after this one began: a refresh every 2 s, never more often
      if (!stopped) timer = setTimeout(tick, Math.max(0, 2000 - (Date.now() - began)));
    };
    onLeave(page, () => { stopped = true; clearTimeout(timer); });
    await tick();
  }

  function renderOverview(box, o, prev) {
    const seconds = prev ? (Date.parse(o.at) - Date.parse(prev.at)) / 1000 : null;
    const prevCount = {};
    if (prev) for (const s of prev.stages || []) prevCount[s.from + '>' + s.to] = s.count;
    const totalOrders = Object.values(o.ordersByStatus || {}).reduce((a, b) => a + b, 0);
    const openLetters = Object.values(o.openDeadLetters || {}).reduce((a, b) => a + b, 0);
    const maxState = Math.max(1, ...Object.values(o.ordersByStatus || {}));
    box.replaceChildren(
      h('div', { class: 'kpis' },
        h('div', { class: 'kpi' }, h('div', { class: 'muted' }, 'Orders'), h('div', { class: 'value', id: 'kpi-orders' }, String(totalOrders))),
        h('div', { class: 'kpi' }, h('div', { class: 'muted' }, 'Outbox backlog'), h('div', { class: 'value', id: 'kpi-outbox' }, String(o.outbox.backlog)),
          o.outbox.oldest ? h('div', { class: 'muted' }, 'oldest ' + fmtTime(o.outbox.oldest)) : null),
        h('div', { class: 'kpi' }, h('div', { class: 'muted' }, 'Open dead letters'), h('div', { class: 'value' }, h('a', { href: '#/dead-letters' }, String(openLetters))))),
      h('div', { class: 'row' },
        h('div', { class: 'card' }, h('h2', {}, 'Orders per state'), table([
          { title: 'State', cell: r => badge(r[0]) },
          { title: 'Orders', num: true, cell: r => String(r[1]) },
          { title: '', cell: r => h('span', { class: 'bar', style: null, 'data-width': r[1] }) },
        ], Object.entries(o.ordersByStatus || {}), { id: 'orders-per-state' })),
        h('div', { class: 'card' }, h('h2', {}, 'Connectors'), table([
          { title: 'Connector', cell: c => c.name },
          { title: 'Health', cell: c => badge(c.status) },
          { title: 'Details', cell: c => c.details ? Object.entries(c.details).map(([k, v]) => k + ': ' + (typeof v === 'object' ? JSON.stringify(v) : v)).join(', ') : '' },
        ], o.connectors || [], { id: 'connectors' })),
        h('div', { class: 'card' }, h('h2', {}, 'Queues'), table([
          { title: 'Queue', cell: q => q[0] },
          { title: 'Messages', num: true, cell: q => String(q[1]) },
        ], Object.entries(o.queues || {}), { id: 'queues' }), o.queuesError ? h('p', { class: 'problem' }, o.queuesError) : null)),
      h('div', { class: 'card' }, h('h2', {}, 'Stages (this instance since start)'), table([
        { title: 'From', cell: s => s.from },
        { title: 'To', cell: s => s.to },
        { title: 'Transitions', num: true, cell: s => String(s.count) },
        { title: 'Per minute now', num: true, cell: s => seconds ? String(Math.round(((s.count - (prevCount[s.from + '>' + s.to] || 0)) / seconds) * 600) / 10) : '…' },
        { title: 'Mean time in state', num: true, cell: s => s.meanMs == null ? '' : fmtSeconds(s.meanMs / 1000) },
        { title: 'Longest', num: true, cell: s => s.maxMs == null ? '' : fmtSeconds(s.maxMs / 1000) },
      ], o.stages || [], { id: 'stages' })));
    // bar widths set through the CSSOM (the page's policy allows no inline style attributes)
    for (const bar of box.querySelectorAll('.bar[data-width]')) bar.style.width = (Number(bar.dataset.width) / maxState * 8) + 'em';
  }

  // ---------- Reports ----------

  async function reportsPage(page, _m, params) {
    page.append(h('h1', {}, 'Reports'));
    const today = new Date().toISOString().substring(0, 10);
    const monthAgo = new Date(Date.now() - 30 * 86400000).toISOString().substring(0, 10);
    const form = h('form', { class: 'filters card', id: 'report-form' },
      field({ label: 'From', name: 'from', type: 'date', value: params.get('from') || monthAgo }),
      field({ label: 'To', name: 'to', type: 'date', value: params.get('to') || today }),
      field({ label: 'Group by', name: 'groupBy', value: params.get('groupBy') || 'day', options: [['day', 'day'], ['channel', 'channel'], ['status', 'status']] }),
      h('button', { type: 'submit', class: 'primary' }, 'Show'),
      h('button', { type: 'button', id: 'download-csv', onclick: () => attempt(async () => {
        const v = formValues(form);
        const res = await api('/api/reports/orders' + query(toRange(v)), { raw: true, headers: { 'Accept': 'text/csv' } });
        const blob = await res.blob();
        const a = h('a', { href: URL.createObjectURL(blob), download: 'orders-report-' + v.from + '-' + v.to + '-' + v.groupBy + '.csv' });
        document.body.append(a);
        a.click();
        a.remove();
        notice('CSV downloaded.');
      }) }, 'Download CSV'));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = '#/reports' + query(formValues(form)); });
    const out = h('div', { id: 'report' });
    page.append(form, out);
    const v = formValues(form);
    const r = await api('/api/reports/orders' + query(toRange(v)));
    const t = r.totals || {};
    out.append(h('div', { class: 'kpis' },
      h('div', { class: 'kpi' }, h('div', { class: 'muted' }, 'Orders'), h('div', { class: 'value', id: 'report-orders' }, String(t.orders ?? 0))),
      h('div', { class: 'kpi' }, h('div', { class: 'muted' }, 'Amounts'), h('div', {}, Object.entries(t.amounts || {}).map(([c, a]) => h('div', {}, a + ' ' + c)))),
      h('div', { class: 'kpi' }, h('div', { class: 'muted' }, 'Fill rate'), h('div', { class: 'value' }, t.fillRate == null ? '–' : Math.round(t.fillRate * 1000) / 10 + ' %')),
      h('div', { class: 'kpi' }, h('div', { class: 'muted' }, 'Cancelled'), h('div', { class: 'value' }, String(t.cancelled ?? 0)))));
    const groups = r.groups || [];
    const chart1 = h('div', { class: 'chart', id: 'report-chart', role: 'img', 'aria-label': 'Orders per ' + r.groupBy });
    out.append(h('h2', {}, 'Orders per ' + r.groupBy), chart1);
    const plots = [];
    plots.push(barChart(chart1, groups.map(g => g.key), [{ label: 'Orders', values: groups.map(g => g.orders), color: '#0a58ca' },
      { label: 'Cancelled', values: groups.map(g => g.cancelled), color: '#b42318' }]));
    out.append(table([
      { title: r.groupBy, cell: g => g.key },
      { title: 'Orders', num: true, cell: g => String(g.orders) },
      { title: 'Amounts', cell: g => Object.entries(g.amounts || {}).map(([c, a]) => a + ' ' + c).join(', ') },
      { title: 'Fill rate', num: true, cell: g => g.fillRate == null ? '' : Math.round(g.fillRate * 1000) / 10 + ' %' },
      { title: 'Backorder rate', num: true, cell: g => g.backorderRate == null ? '' : Math.round(g.backorderRate * 1000) / 10 + ' %' },
      { title: 'Cancelled', num: true, cell: g => String(g.cancelled) },
    ], groups, { id: 'report-groups' }));
    const stages = (r.stages || []).filter(s => s.count > 0);
    const chart2 = h('div', { class: 'chart', id: 'stage-chart', role: 'img', 'aria-label': 'Average and p95 time per lifecycle stage' });
    out.append(h('h2', {}, 'Time per lifecycle stage (seconds)'), chart2);
    plots.push(barChart(chart2, stages.map(s => s.stage || (s.from + '→' + s.to)), [
      { label: 'Average', values: stages.map(s => s.averageSeconds), color: '#0a58ca' },
      { label: 'p95', values: stages.map(s => s.p95Seconds), color: '#9a6700' }]));
    out.append(table([
      { title: 'Stage', cell: s => s.stage || (s.from + ' → ' + s.to) },
      { title: 'Orders', num: true, cell: s => String(s.count) },
      { title: 'Average', num: true, cell: s => fmtSeconds(s.averageSeconds) },
      { title: 'p95', num: true, cell: s => fmtSeconds(s.p95Seconds) },
      { title: 'Stuck longest', cell: s => (s.stuckLongest || []).map(x => h('div', {}, h('a', { href: '#/orders/' + encodeURIComponent(x.orderId) }, x.orderId), ' ' + fmtSeconds(x.stuckSeconds))) },
    ], r.stages || []));
    out.append(h('h2', {}, 'Cancellation reasons'), table([
      { title: 'Reason', cell: x => x.reason },
      { title: 'Orders', num: true, cell: x => String(x.count) },
    ], r.cancellationReasons || []));
    onLeave(page, () => plots.forEach(p => p && p.destroy()));
  }

  function toRange(v) {
    // the report's "to" is exclusive: the day chosen is included
    return { from: v.from, to: nextDay(v.to), groupBy: v.groupBy };
  }

  /** The day after a date (YYYY-MM-DD), for the API's exclusive "to"; anything else as it is. */
  function nextDay(date) {
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
    return new Date(Date.parse(date + 'T00:00:00Z') + 86400000).toISOString().substring(0, 10);
  }

  /** Grouped bars with uPlot (categories on x). */
  function barChart(target, labels, sets) {
    if (typeof uPlot === 'undefined') { target.append('The chart library did not load.'); return null; }
    if (!labels.length) { target.append(h('p', { class: 'muted' }, 'No data in this range.')); return null; }
    const xs = labels.map((_, i) => i);
    const n = sets.length;
    const bars = uPlot.paths.bars;
    return new uPlot({
      width: Math.max(280, target.clientWidth || 800), height: 300,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [{ values: (u, ticks) => ticks.map(t => Number.isInteger(t) ? (labels[t] ?? '') : ''), space: 40 }, {}],
      series: [{ label: 'group', value: (u, i) => i == null ? '' : labels[i] }].concat(sets.map((s, k) => ({
        label: s.label, fill: s.color, stroke: s.color,
        // two sets side by side (left and right of the group), one centred
        paths: bars({ size: [n === 1 ? 0.6 : 0.4, 80], align: n === 1 ? 0 : (k === 0 ? -1 : 1) }),
        points: { show: false } }))),
    }, [xs].concat(sets.map(s => s.values.map(v => v == null ? null : Number(v)))), target);
  }

  // ---------- Audit log ----------

  async function auditPage(page) {
    page.append(h('h1', {}, 'Audit log'), h('p', { class: 'muted' }, 'Every state-changing action taken here is recorded: who, when, before and after.'));
    const entries = await api('/api/ops/audit?limit=200');
    page.append(table([
      { title: 'When', cell: e => fmtTime(e.at) },
      { title: 'Who', cell: e => e.actor + ' (' + e.role + ')' },
      { title: 'Action', cell: e => e.action },
      { title: 'Target', cell: e => e.target },
      { title: 'Before', cell: e => e.before ?? '' },
      { title: 'After', cell: e => e.after ?? '' },
      { title: 'Detail', cell: e => e.detail ?? '' },
    ], entries, { id: 'audit-table' }));
  }

  // ---------- start ----------

  document.addEventListener('DOMContentLoaded', () => {
    $('#sign-in-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const kind = $('input[name=kind]:checked').value;
      attempt(() => signIn(kind, $('#credential').value.trim()));
    });
    $('#sign-out').addEventListener('click', () => signOut());
    window.addEventListener('hashchange', route);
    const c = credential();
    if (!c) { signOut(); return; }
    api('/api/me').then(who => { me = who; start(); }).catch(e => { signOut(); showProblem(e); });
  });
})();
