// The event browser: reads the sample's read-only stream API (/api/...) and the eventsource Actuator endpoint.
// Every value from the server is written into the page with textContent, never as markup.
'use strict';

(function () {
  const PAGE_SIZE = 20;
  const REFRESH_MILLIS = 2000;
  const CONFIRM_MILLIS = 5000;

  const settings = { endpoint: null, writable: false };
  // What the stream table shows: the newest page, or the page after / before a position.
  let streamQuery = {};
  let streamPage = null;
  let refreshTimer = null;

  const $ = (id) => document.getElementById(id);

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function cell(row, text, className) {
    const td = element('td', text, className);
    row.appendChild(td);
    return td;
  }

  function showError(message) {
    const box = $('error');
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    $('error').hidden = true;
    $('error').textContent = '';
  }

  function showStatus(message) {
    $('status').textContent = message;
  }

  // A number as the server wrote it (10.50, or an integer beyond 2^53), where JavaScript's number would show it
  // otherwise (10.5, or rounded). It still counts as a number in arithmetic.
  class RawNumber {
    constructor(source) {
      this.source = source;
    }

    valueOf() {
      return Number(this.source);
    }

    toString() {
      return this.source;
    }
  }

  // JSON.parse, keeping each number's text where the browser gives it (the reviver's source, in current browsers).
  function parseJson(text) {
    return JSON.parse(text, (key, value, context) => {
      if (typeof value === 'number' && context && typeof context.source === 'string'
          && String(value) !== context.source) {
        return new RawNumber(context.source);
      }
      return value;
    });
  }

  // JSON text of a parsed value, numbers as the server wrote them.
  function jsonText(value, indent, depth) {
    const level = depth || 0;
    if (value instanceof RawNumber) {
      return value.source;
    }
    if (value === null || typeof value !== 'object') {
      return JSON.stringify(value);
    }
    const open = indent ? '\n' + ' '.repeat(indent * (level + 1)) : '';
    const close = indent ? '\n' + ' '.repeat(indent * level) : '';
    const separator = indent ? ': ' : ':';
    if (Array.isArray(value)) {
      const items = value.map((item) => jsonText(item, indent, level + 1));
      return items.length ? '[' + open + items.join(',' + open) + close + ']' : '[]';
    }
    const members = Object.keys(value).map((key) => JSON.stringify(key) + separator
      + jsonText(value[key], indent, level + 1));
    return members.length ? '{' + open + members.join(',' + open) + close + '}' : '{}';
  }

  // Fetches JSON; a refusal becomes an Error whose message says what the server said (problem+json detail).
  async function fetchJson(url, options) {
    let response;
    try {
      response = await fetch(url, Object.assign({ headers: { Accept: 'application/json' } }, options));
    } catch (failure) {
      throw new Error('The server did not answer (' + failure.message + ')');
    }
    const text = await response.text();
    let body = null;
    if (text) {
      try {
        body = parseJson(text);
      } catch (notJson) {
        body = null;
      }
    }
    if (!response.ok) {
      const detail = body && (body.detail || body.error || body.message);
      throw new Error(response.status + ' ' + (response.statusText || '') + (detail ? ': ' + detail : ''));
    }
    return body;
  }

  function time(at) {
    if (!at) {
      return '';
    }
    // 2026-12-04T10:00:00.123456Z -> 2026-12-04 10:00:00.123
    return String(at).replace('T', ' ').replace(/(\.\d{3})\d*/, '$1').replace('Z', '');
  }

  function payloadCell(row, event) {
    if (event.payload !== null && event.payload !== undefined) {
      const td = cell(row, jsonText(event.payload), 'payload');
      td.title = jsonText(event.payload, 2);
    } else {
      cell(row, event.payloadError || 'unreadable', 'payload empty');
    }
  }

  function aggregateButton(id) {
    const button = element('button', id, 'aggregate');
    button.type = 'button';
    button.title = 'Show the history of ' + id;
    button.dataset.aggregateId = id;
    button.addEventListener('click', () => showHistory(id));
    return button;
  }

  // --- the global stream ---

  async function loadStream(query) {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    for (const [key, value] of Object.entries(query)) {
      params.set(key, String(value));
    }
    try {
      const page = await fetchJson('api/events?' + params.toString());
      streamQuery = query;
      streamPage = page;
      renderStream(page);
    } catch (failure) {
      showError('Reading the event stream failed: ' + failure.message);
    }
  }

  function renderStream(page) {
    const body = $('events').tBodies[0];
    body.replaceChildren();
    // Newest first.
    const events = page.events.slice().reverse();
    for (const event of events) {
      const row = element('tr');
      row.dataset.position = String(event.position);
      cell(row, event.position, 'number');
      cell(row, time(event.at), 'time');
      cell(row, event.aggregateType);
      const idCell = cell(row, null);
      idCell.appendChild(aggregateButton(event.aggregateId));
      cell(row, event.version, 'number');
      cell(row, event.type);
      cell(row, event.user === null ? '' : event.user);
      payloadCell(row, event);
      body.appendChild(row);
    }
    if (events.length === 0) {
      const row = element('tr');
      const td = cell(row, 'No events on this page.', 'empty');
      td.colSpan = 8;
      body.appendChild(row);
    }
    $('older').disabled = !page.older;
    $('newer').disabled = !page.newer;
    const first = page.events.length ? page.events[0].position : null;
    const last = page.events.length ? page.events[page.events.length - 1].position : null;
    $('page-info').textContent = (first === null ? 'empty page' : 'positions ' + first + '–' + last)
      + ' of ' + page.head;
  }

  // --- an aggregate's history ---

  async function showHistory(id, afterVersion) {
    const trimmed = String(id).trim();
    if (!trimmed) {
      showError('Type an aggregate id to see its history.');
      return;
    }
    const query = afterVersion ? '?after=' + encodeURIComponent(afterVersion) : '';
    try {
      const history = await fetchJson('api/aggregates/' + encodeURIComponent(trimmed) + '/events' + query);
      renderHistory(history);
      clearError();
    } catch (failure) {
      showError('Reading the history of \u201c' + trimmed + '\u201d failed: ' + failure.message);
    }
  }

  function renderHistory(history) {
    $('history-type').textContent = history.aggregateType || 'aggregate';
    $('history-id').textContent = history.aggregateId;
    const body = $('history').tBodies[0];
    body.replaceChildren();
    for (const event of history.events) {
      const row = element('tr');
      row.dataset.version = String(event.version);
      cell(row, event.version, 'number');
      cell(row, event.position, 'number');
      cell(row, time(event.at), 'time');
      cell(row, event.type);
      cell(row, event.user === null ? '' : event.user);
      payloadCell(row, event);
      body.appendChild(row);
    }
    const more = $('history-more');
    more.replaceChildren();
    const first = history.events.length ? Number(history.events[0].version) : 1;
    const last = history.events.length ? Number(history.events[history.events.length - 1].version) : 0;
    more.hidden = !(history.more || first > 1);
    if (!more.hidden) {
      more.appendChild(element('span', 'Versions ' + first + '–' + last + ' shown. '));
    }
    if (first > 1) {
      const start = element('button', '\u2190 From version 1');
      start.type = 'button';
      start.addEventListener('click', () => showHistory(history.aggregateId));
      more.appendChild(start);
    }
    if (history.more) {
      const next = element('button', 'Later events \u2192');
      next.type = 'button';
      next.addEventListener('click', () => showHistory(history.aggregateId, String(last)));
      more.appendChild(next);
    }
    $('history-section').hidden = false;
    $('history-section').scrollIntoView({ block: 'nearest' });
  }

  // --- the subscriptions, from the Actuator endpoint ---

  async function loadSubscriptions() {
    if (!settings.endpoint) {
      return;
    }
    try {
      const answer = await fetchJson(settings.endpoint);
      renderSubscriptions(answer);
    } catch (failure) {
      showError('Reading the subscriptions from ' + settings.endpoint + ' failed: ' + failure.message);
    }
  }

  function lagText(subscription) {
    const lag = subscription.lag === null || subscription.lag === undefined ? '?' : subscription.lag;
    let text = lag + (lag === 1 ? ' event' : ' events');
    if (subscription.lagMillis !== null && subscription.lagMillis !== undefined && subscription.lagMillis > 0) {
      text += ', ' + (subscription.lagMillis / 1000).toFixed(1) + ' s';
    }
    return text;
  }

  function fillFailure(td, failure) {
    td.className = 'failure';
    td.replaceChildren();
    if (!failure) {
      return;
    }
    td.appendChild(element('div', 'at position ' + failure.position + ', ' + failure.aggregateType + ' '
      + failure.aggregateId + ' v' + failure.version + ' (' + failure.eventType + ')'));
    td.appendChild(element('code', failure.error));
    if (failure.at) {
      td.appendChild(element('div', time(failure.at), 'note'));
    }
  }

  // The operations that fit each state; the endpoint refuses the others (409) anyway.
  const OPERATIONS = [
    { operation: 'restart', label: 'Restart', states: ['HALTED'],
      title: 'Retry the failing event and go on' },
    { operation: 'skip', label: 'Skip', states: ['HALTED'], danger: true,
      confirm: 'Skip the failing event of \u201c%s\u201d into its dead letters and go on?',
      title: 'Put the failing event into the dead letters and go on' },
    { operation: 'pause', label: 'Pause', states: ['RUNNING'], title: 'Stop reading until resumed' },
    { operation: 'resume', label: 'Resume', states: ['PAUSED'], title: 'Go on reading' },
    { operation: 'reset', label: 'Rebuild', states: ['RUNNING', 'PAUSED', 'HALTED', 'STOPPED'], danger: true,
      confirm: 'Rebuild \u201c%s\u201d: clear its read model and read every event again from the beginning?',
      title: 'Reset to the beginning: the read model is rebuilt from all events' },
  ];

  // Rows are kept and updated in place, and a row's buttons are only replaced when its state changes, so that the
  // refresh every few seconds never pulls a button from under the pointer.
  function renderSubscriptions(answer) {
    const store = answer.store || {};
    $('store-info').textContent = 'Store: ' + (store.kind || '?') + (store.table ? ' (table ' + store.table + ')' : '')
      + ', head at position ' + (store.head === undefined ? '?' : store.head) + '.';
    const body = $('subscriptions').tBodies[0];
    const existing = new Map();
    for (const row of Array.from(body.rows)) {
      if (row.dataset.subscription !== undefined) {
        existing.set(row.dataset.subscription, row);
      }
      row.remove();
    }
    const subscriptions = answer.subscriptions || [];
    for (const subscription of subscriptions) {
      let row = existing.get(subscription.name);
      if (!row) {
        row = element('tr');
        row.dataset.subscription = subscription.name;
        for (let i = 0; i < 9; i++) {
          row.appendChild(element('td'));
        }
      }
      fillSubscription(row, subscription);
      body.appendChild(row);
    }
    if (subscriptions.length === 0) {
      const row = element('tr');
      const td = cell(row, 'No subscriptions.', 'empty');
      td.colSpan = 9;
      body.appendChild(row);
    }
  }

  function fillSubscription(row, subscription) {
    const cells = row.cells;
    const text = (index, value, className) => {
      cells[index].textContent = value === null || value === undefined ? '' : String(value);
      cells[index].className = className || '';
    };
    text(0, subscription.name);
    text(1, subscription.state, 'state state-' + subscription.state);
    text(2, subscription.failurePolicy);
    text(3, subscription.checkpoint + ' / ' + subscription.head, 'number');
    text(4, lagText(subscription));
    text(5, subscription.owner);
    text(6, subscription.deadLetters, 'number');
    fillFailure(cells[7], subscription.lastFailure);
    const operations = cells[8];
    operations.className = 'operations';
    operations.hidden = !settings.writable;
    if (row.dataset.state !== subscription.state) {
      row.dataset.state = subscription.state;
      operations.replaceChildren();
      if (settings.writable) {
        for (const spec of OPERATIONS) {
          if (!spec.states.includes(subscription.state)) {
            continue;
          }
          const button = element('button', spec.label, spec.danger ? 'danger' : null);
          button.type = 'button';
          button.title = spec.title;
          button.dataset.operation = spec.operation;
          button.addEventListener('click', () => operate(subscription.name, spec, button));
          operations.appendChild(button);
        }
      }
    }
  }

  // An operation that changes what a projection has done (skip, rebuild) asks first: the button turns into a
  // confirmation for a few seconds, and only a second click runs it.
  async function operate(name, spec, button) {
    if (spec.confirm && button.dataset.armed !== 'true') {
      button.dataset.armed = 'true';
      button.textContent = 'Confirm ' + spec.label.toLowerCase() + '?';
      button.title = spec.confirm.replace('%s', name);
      button.classList.add('armed');
      window.setTimeout(() => {
        button.dataset.armed = 'false';
        button.textContent = spec.label;
        button.title = spec.title;
        button.classList.remove('armed');
      }, CONFIRM_MILLIS);
      return;
    }
    button.dataset.armed = 'false';
    button.disabled = true;
    const request = { operation: spec.operation };
    if (spec.operation === 'reset') {
      request.position = 0;
    }
    try {
      await fetchJson(settings.endpoint + '/' + encodeURIComponent(name), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(request),
      });
      clearError();
      showStatus(spec.label + ' of \u201c' + name + '\u201d recorded at ' + new Date().toLocaleTimeString());
    } catch (failure) {
      showError(spec.label + ' of \u201c' + name + '\u201d failed: ' + failure.message);
    } finally {
      button.disabled = false;
    }
    await loadSubscriptions();
  }

  // --- start ---

  async function start() {
    $('newest').addEventListener('click', () => loadStream({}));
    $('older').addEventListener('click', () => {
      if (streamPage && streamPage.events.length) {
        loadStream({ before: streamPage.events[0].position });
      }
    });
    $('newer').addEventListener('click', () => {
      if (streamPage && streamPage.events.length) {
        loadStream({ after: streamPage.events[streamPage.events.length - 1].position });
      } else if (streamQuery.before !== undefined) {
        loadStream({ after: streamQuery.before - 1 });
      }
    });
    $('lookup').addEventListener('submit', (submit) => {
      submit.preventDefault();
      showHistory($('aggregate-id').value);
    });
    $('close-history').addEventListener('click', () => {
      $('history-section').hidden = true;
    });

    try {
      Object.assign(settings, await fetchJson('api/browser'));
    } catch (failure) {
      showError('Reading the page settings failed: ' + failure.message);
    }
    $('mode').textContent = settings.writable ? 'operations enabled' : 'read-only';
    for (const header of document.querySelectorAll('#subscriptions th.operations')) {
      header.hidden = !settings.writable;
    }
    $('subscriptions').hidden = !settings.endpoint;
    if (settings.note) {
      $('endpoint-note').textContent = settings.note;
      $('endpoint-note').hidden = false;
    }
    await Promise.all([loadStream({}), loadSubscriptions()]);
    if (settings.endpoint) {
      refreshTimer = window.setInterval(loadSubscriptions, REFRESH_MILLIS);
    }
  }

  document.addEventListener('DOMContentLoaded', start);
  window.addEventListener('beforeunload', () => window.clearInterval(refreshTimer));
})();
