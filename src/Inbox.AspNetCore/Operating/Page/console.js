'use strict';
// The operations console's page. Every value from the server reaches the document as text (append, textContent,
// attributes set one by one), never as markup. URLs are relative to the page, so any route prefix works.
(() => {
  const base = location.pathname.endsWith('/') ? location.pathname : location.pathname + '/';
  const byId = (id) => document.getElementById(id);
  const form = byId('filters');
  const statusLine = byId('status');
  const watchInterval = 2000;
  const watchLimit = 60000;
  let currentAfter = null;
  let nextAfter = null;
  // The tenant the counts and failure groups on screen were read for: their buttons act on what they show, not on
  // a tenant typed into the filters but not searched for.
  let shownTenant = '';
  let watchUntil = 0;
  let watchTimer = null;
  // The server's time (ms) when the list, followed after an action, first showed nothing unfinished.
  let settledAt = null;

  class ConsoleError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'onclick') node.addEventListener('click', value);
      else if (name === 'className') node.className = value;
      else node.setAttribute(name, String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function say(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle('error', Boolean(isError));
  }

  function fail(error) {
    say(error instanceof ConsoleError ? `${error.code}: ${error.message}` : `The console did not answer: ${error.message}`, true);
  }

  // The body, and the server's clock from the Date header (whole seconds; NaN without one).
  async function request(method, path, query) {
    const url = new URL(base + path, location.origin);
    for (const [name, value] of Object.entries(query || {})) {
      if (value) url.searchParams.set(name, value);
    }
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') headers['X-Inbox-Console'] = '1';
    const response = await fetch(url, { method, headers, credentials: 'same-origin', cache: 'no-store' });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch { body = null; }
    if (!response.ok) {
      const error = (body && (body.error || body)) || {};
      throw new ConsoleError(response.status, error.code || error.title || String(response.status), error.message || error.detail || response.statusText);
    }
    return { body, date: Date.parse(response.headers.get('Date') || '') };
  }

  async function call(method, path, query) {
    return (await request(method, path, query)).body;
  }

  function filters() {
    const data = new FormData(form);
    return {
      status: data.get('status') || '',
      endpoint: (data.get('endpoint') || '').trim(),
      key: (data.get('key') || '').trim(),
      tenant: (data.get('tenant') || '').trim(),
    };
  }

  function time(value) {
    return value ? el('span', { className: 'mono', title: value }, value.replace('T', ' ').replace(/\.\d+Z$/, 'Z')) : '';
  }

  function age(seconds) {
    if (seconds === null || seconds === undefined) return '\u2014';
    const units = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]];
    const parts = [];
    let rest = Math.max(0, Math.floor(seconds));
    for (const [unit, size] of units) {
      if (rest >= size || (unit === 's' && parts.length === 0)) {
        parts.push(`${Math.floor(rest / size)} ${unit}`);
        rest %= size;
      }
      if (parts.length === 2) break;
    }
    return parts.join(' ');
  }

  function statusCell(status) {
    return el('td', { className: `status-${status}`, 'data-field': 'status' }, status);
  }

  function fill(tableId, rows) {
    const body = byId(tableId).querySelector('tbody');
    body.replaceChildren(...rows);
    byId(`${tableId}-empty`).hidden = rows.length > 0;
  }

  async function loadCounts() {
    const { tenant } = filters();
    const answer = await call('GET', 'counts', { tenant });
    const endpoints = answer.data.endpoints;
    fill('counts', endpoints.map((row) => el('tr', { 'data-endpoint': row.endpoint },
      el('td', {}, el('code', {}, row.endpoint)),
      ...['accepted', 'processing', 'succeeded', 'failed'].map((status) =>
        el('td', { className: 'number', 'data-status': status }, String(row.counts[status] ?? 0))),
      el('td', { title: row.oldest_unfinished_at || '' }, age(row.oldest_unfinished_age_seconds)))));
    byId('endpoint-names').replaceChildren(...endpoints.map((row) => el('option', { value: row.endpoint })));
    byId('counts-as-of').replaceChildren('as of ', time(answer.data.as_of));
    return Date.parse(answer.data.as_of);
  }

  async function loadFailures() {
    const { tenant } = filters();
    const answer = await call('GET', 'failures', { tenant });
    shownTenant = tenant;
    fill('failures', answer.data.groups.map((group) => el('tr', { 'data-code': group.code, 'data-endpoint': group.endpoint },
      el('td', {}, el('code', {}, group.code)),
      el('td', {}, el('code', {}, group.endpoint)),
      el('td', { className: 'number' }, String(group.count)),
      el('td', {}, el('button', { type: 'button', className: 'link mono', onclick: () => showDetail(group.newest.id) }, group.newest.id), ' ', time(group.newest.updated_at)),
      el('td', {}, el('button', {
        type: 'button',
        className: 'redrive',
        title: `Run the failed ${group.endpoint} operations with ${group.code} again`,
        onclick: (event) => redriveGroup(event.currentTarget, group, tenant),
      }, group.count === 1 ? 'Redrive 1' : `Redrive ${group.count}`)))));
  }

  async function loadOperations(after) {
    const query = { ...filters(), after };
    const { body: answer, date } = await request('GET', 'operations', query);
    currentAfter = after || null;
    nextAfter = answer.next || null;
    fill('operations', answer.data.map((operation) => el('tr', { 'data-operation-id': operation.id },
      el('td', {}, time(operation.created_at)),
      el('td', {}, el('button', { type: 'button', className: 'link mono', onclick: () => showDetail(operation.id) }, operation.id)),
      el('td', {}, operation.tenant),
      el('td', {}, el('code', {}, operation.endpoint)),
      el('td', {}, el('code', {}, operation.idempotency_key)),
      statusCell(operation.status),
      el('td', { 'data-field': 'error' }, operation.error_code ? el('code', {}, operation.error_code) : ''),
      el('td', {}, operation.status === 'failed'
        ? el('button', { type: 'button', className: 'redrive', onclick: (event) => redriveOne(event.currentTarget, operation.id) }, 'Redrive')
        : ''))));
    byId('next-page').hidden = nextAfter === null;
    return { operations: answer.data, listedAt: date };
  }

  async function showDetail(id) {
    try {
      const { data } = await call('GET', `operations/${encodeURIComponent(id)}`);
      const fields = [
        ['Operation', data.id], ['Status', data.status], ['Tenant', data.tenant], ['Endpoint', data.endpoint],
        ['Idempotency key', data.idempotency_key], ['Message', data.message_type], ['Created', data.created_at],
        ['Updated', data.updated_at], ['Expires', data.expires_at], ['Relay republished', String(data.relay_attempts)],
        ['Error', data.error ? `${data.error.code}: ${data.error.message ?? ''}` : ''], ['Request', data.request_id],
      ];
      byId('detail-fields').replaceChildren(...fields.flatMap(([name, value]) => [el('dt', {}, name), el('dd', { className: 'mono' }, value ?? '')]));
      byId('entries').querySelector('tbody').replaceChildren(...data.inbox_entries.map((entry) => el('tr', {},
        el('td', {}, el('code', {}, entry.consumer)),
        statusCell(entry.status),
        el('td', { className: 'number' }, String(entry.attempt)),
        el('td', {}, time(entry.lease_expires_at)),
        el('td', {}, entry.error ? `${entry.error.code}: ${entry.error.message ?? ''}` : ''),
        el('td', {}, time(entry.updated_at)))));
      byId('detail').hidden = false;
      byId('detail').scrollIntoView({ block: 'nearest' });
    } catch (error) {
      fail(error);
    }
  }

  async function refresh() {
    try {
      const [countsAsOf, , listed] = await Promise.all([loadCounts(), loadFailures(), loadOperations(currentAfter)]);
      return { countsAsOf, ...listed };
    } catch (error) {
      fail(error);
      return null;
    }
  }

  // After an action the listed operations move on by themselves; the page follows them for a while.
  function watch() {
    watchUntil = Date.now() + watchLimit;
    settledAt = null;
    if (watchTimer === null) watchTimer = setTimeout(watchTick, watchInterval);
  }

  // An action while a tick is under way schedules its own tick, so a stale answer never ends the watch. The counts
  // are cached on the server (as_of says when they were read), so once the operations have finished the page follows
  // the counts until they were read after that (the Date header has whole seconds, hence the second added).
  async function watchTick() {
    watchTimer = null;
    const state = await refresh();
    let more = false;
    if (state) {
      const unfinished = state.operations.some((operation) => operation.status === 'accepted' || operation.status === 'processing');
      if (unfinished) settledAt = null;
      else if (settledAt === null) settledAt = state.listedAt;
      const countsBehind = !unfinished && Number.isFinite(settledAt) && !(state.countsAsOf >= settledAt + 1000);
      more = unfinished || countsBehind;
    }
    if (more && Date.now() < watchUntil && watchTimer === null) watchTimer = setTimeout(watchTick, watchInterval);
  }

  async function act(button, path, query, describe) {
    button.disabled = true;
    try {
      const { data } = await call('POST', path, query);
      say(describe(data));
      await refresh();
      watch();
    } catch (error) {
      button.disabled = false;
      fail(error);
    }
  }

  function redriveOne(button, id) {
    return act(button, `operations/${encodeURIComponent(id)}/redrive`, {}, () => `Redriven ${id}: it runs again.`);
  }

  function redriveGroup(button, group, tenant) {
    return act(button, 'failures/redrive', { code: group.code, endpoint: group.endpoint, tenant },
      (data) => `Redriven ${data.redriven} ${group.endpoint} operation${data.redriven === 1 ? '' : 's'} that failed with ${group.code}.`);
  }

  function releaseLeases(button) {
    return act(button, 'leases/release', { tenant: shownTenant },
      (data) => `Released ${data.released} expired lease${data.released === 1 ? '' : 's'}.`).finally(() => { button.disabled = false; });
  }

  function search(event) {
    event.preventDefault();
    const query = new URLSearchParams(Object.entries(filters()).filter(([, value]) => value));
    history.replaceState(null, '', query.size ? `?${query}` : location.pathname);
    currentAfter = null;
    refresh();
  }

  const initial = new URLSearchParams(location.search);
  for (const name of ['status', 'endpoint', 'key', 'tenant']) {
    if (initial.has(name)) form.elements[name].value = initial.get(name);
  }

  form.addEventListener('submit', search);
  form.addEventListener('reset', () => setTimeout(() => form.requestSubmit(), 0));
  byId('refresh').addEventListener('click', () => { say(''); refresh(); });
  byId('release-leases').addEventListener('click', (event) => releaseLeases(event.currentTarget));
  byId('next-page').addEventListener('click', () => loadOperations(nextAfter).catch(fail));
  refresh();
})();
