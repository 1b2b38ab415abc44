// Live alerts: the newest stored alerts (GET api/alerts), then each new one as the relay stores it (the
// server-sent events of api/alerts/stream), with filters, the last hour's chart, and one alert in full.
import {api, query} from './api.js';
import {clickableRow, debounce, formatTime, h, replace, truncated} from './dom.js';
import {alertTime, severity, showAlert} from './alert-detail.js';
import {AlertChart} from './chart.js';
import {heading} from './ui.js';

const PAGE = 100;
const MAX_ROWS = 1000;
const COLUMNS = ['Time', 'Severity', 'Action', 'Container', 'Policy', 'Operation', 'Process', 'Resource', 'Result'];
const OPERATIONS = ['Process', 'File', 'Network', 'Capabilities', 'Syscall'];
const ACTIONS = ['Block', 'Audit', 'Allow'];

/** Kept while the console is open, so that coming back to the page keeps the filters. */
const filters = {container: '', policy: '', severity: '', operation: '', action: '', q: ''};
let firstRender = true;

export function render(view) {
  const page = new AlertsPage(view);
  page.reload();
  return () => page.stop();
}

class AlertsPage {
  constructor(view) {
    this.ids = new Set();
    this.next = null;
    this.stream = null;
    this.buffer = null;
    this.generation = 0;
    this.chart = new AlertChart();
    this.status = h('span', {id: 'stream-state', class: 'badge', 'data-test': 'stream-state'}, 'connecting');
    this.count = h('span', {class: 'muted', 'data-test': 'alerts-count'});
    this.lost = h('span', {class: 'badge warn', 'data-test': 'alerts-lost', hidden: true});
    this.body = h('tbody', {'data-test': 'alerts-body'});
    this.table = h('table', {class: 'data alerts', 'data-test': 'alerts-table', 'data-state': 'loading'},
      h('caption', {class: 'sr-only'}, 'Alerts, newest first. Press Enter on a row to open the alert.'),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', {scope: 'col'}, c)))), this.body);
    this.more = h('button', {type: 'button', 'data-test': 'alerts-more', hidden: true,
      onclick: () => this.loadOlder()}, 'Load older alerts');
    this.error = h('div', {});
    view.append(heading('Live alerts', this.status, this.count, this.lost), this.chart.figure, this.filterForm(), this.error,
      h('div', {class: 'table-wrap'}, this.table), this.more);
    this.chartTimer = setInterval(() => this.loadChart(), 60_000);
  }

  async reload() {
    const generation = ++this.generation;
    this.closeStream();
    this.ids.clear();
    this.body.replaceChildren();
    this.lost.hidden = true;
    this.table.dataset.state = 'loading';
    replace(this.error);
    // The stream opens first and what it brings is held until the history is shown: nothing falls in between.
    this.buffer = [];
    this.openStream();
    this.loadChart();
    try {
      const page = await api('GET', `alerts${query({...filters, limit: PAGE})}`);
      if (generation !== this.generation) {
        return;
      }
      page.alerts.forEach((a) => this.addRow(a, false));
      this.setNext(page.next);
      const held = this.buffer;
      this.buffer = null;
      held.forEach((a) => this.addRow(a, true));
      this.showEmpty();
      this.table.dataset.state = 'ready';
      if (firstRender) {
        firstRender = false;
        performance.mark('ward-alerts-rendered');
      }
    } catch (err) {
      this.buffer = null;
      this.table.dataset.state = 'error';
      replace(this.error, h('p', {class: 'error-box', role: 'alert'}, `Could not load alerts: ${err.message}`));
    }
  }

  stop() {
    this.generation++;
    this.closeStream();
    clearInterval(this.chartTimer);
    this.chart.stop();
  }

  async loadOlder() {
    this.more.disabled = true;
    try {
      const page = await api('GET', `alerts${query({...filters, limit: PAGE, before: this.next})}`);
      page.alerts.forEach((a) => this.addRow(a, false));
      this.setNext(page.next);
    } catch (err) {
      replace(this.error, h('p', {class: 'error-box', role: 'alert'}, `Could not load older alerts: ${err.message}`));
    } finally {
      this.more.disabled = false;
    }
  }

  async loadChart() {
    try {
      this.chart.set(await api('GET', `alerts/histogram${query({...filters, minutes: 60})}`));
    } catch (err) {
      replace(this.chart.figure, h('p', {class: 'error-box'}, `Could not load the chart: ${err.message}`));
    }
  }

  openStream() {
    const stream = new EventSource(`api/alerts/stream${query(filters)}`);
    this.stream = stream;
    this.setStatus('connecting');
    stream.addEventListener('open', () => this.setStatus('live'));
    stream.addEventListener('error', () => {
      this.setStatus(stream.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting');
      if (stream.readyState === EventSource.CLOSED) {
        // Closed for good (an HTTP error such as 401): a session check sends the user to the login page.
        api('GET', 'session').catch(() => {});
      }
    });
    stream.addEventListener('alert', (e) => {
      const a = JSON.parse(e.data);
      if (this.buffer) {
        this.buffer.push(a);
        return;
      }
      this.addRow(a, true);
      this.showEmpty();
      this.chart.add(alertTime(a), severity(a));
    });
    stream.addEventListener('dropped', (e) => {
      // The relay skipped alerts this browser read too slowly: say so, the table is not complete.
      const {total} = JSON.parse(e.data);
      this.lost.textContent = `${total} live alerts were not shown (the browser fell behind); reload to see them`;
      this.lost.hidden = false;
    });
  }

  closeStream() {
    if (this.stream) {
      this.stream.close();
      this.stream = null;
    }
  }

  setStatus(state) {
    this.status.textContent = state === 'live' ? 'live' : state;
    this.status.className = `badge stream-${state}`;
    this.status.dataset.state = state;
  }

  setNext(next) {
    this.next = next;
    this.more.hidden = !next;
  }

  addRow(a, live) {
    if (a.id !== undefined && this.ids.has(a.id)) {
      return;
    }
    this.ids.add(a.id);
    const tr = alertRow(a);
    if (live) {
      tr.classList.add('new');
      this.body.prepend(tr);
      while (this.body.rows.length > MAX_ROWS) {
        this.ids.delete(this.body.lastElementChild.dataset.id);
        this.body.lastElementChild.remove();
      }
    } else {
      this.body.append(tr);
    }
    this.count.textContent = `${this.body.querySelectorAll('tr[data-id]').length} shown`;
  }

  showEmpty() {
    const empty = this.body.querySelector('tr.empty');
    const rows = this.body.querySelectorAll('tr[data-id]').length;
    if (rows && empty) {
      empty.remove();
    } else if (!rows && !empty) {
      this.body.append(h('tr', {class: 'empty'}, h('td', {colspan: COLUMNS.length}, 'No alerts match.')));
    }
  }

  filterForm() {
    const apply = () => this.reload();
    const later = debounce(apply, 300);
    const text = (key, label, hint) => field(key, label, h('input', {
      id: `filter-${key}`, type: 'search', value: filters[key], placeholder: hint, 'data-test': `filter-${key}`,
      oninput: (e) => {
        filters[key] = e.target.value;
        later();
      },
    }));
    const choice = (key, label, options) => field(key, label, h('select', {
      id: `filter-${key}`, 'data-test': `filter-${key}`,
      onchange: (e) => {
        filters[key] = e.target.value;
        apply();
      },
    }, options.map(([value, name]) => h('option', {value, selected: filters[key] === value ? true : null}, name))));
    const any = (list) => [['', 'any'], ...list.map((v) => [v, v])];
    return h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter alerts', onsubmit: (e) => e.preventDefault()},
      text('container', 'Container', 'name'),
      text('policy', 'Policy', 'name'),
      choice('severity', 'Severity at least', [['', 'any'], ...Array.from({length: 10}, (_, i) => [String(i + 1),
        String(i + 1)])]),
      choice('operation', 'Operation', any(OPERATIONS)),
      choice('action', 'Action', any(ACTIONS)),
      text('q', 'Resource or source contains', 'text'),
      h('button', {type: 'button', class: 'ghost', 'data-test': 'filter-clear', onclick: (e) => {
        Object.keys(filters).forEach((k) => {
          filters[k] = '';
        });
        e.target.form.querySelectorAll('input, select').forEach((el) => {
          el.value = '';
        });
        apply();
      }}, 'Clear filters'));
  }
}

function field(key, label, control) {
  return h('div', {class: 'field'}, h('label', {for: `filter-${key}`}, label), control);
}

function alertRow(a) {
  const sev = severity(a);
  const action = String(a.Action || '');
  const tr = h('tr', {'data-id': a.id, 'data-test': 'alert-row', 'data-policy': a.PolicyName || '',
    'data-resource': a.Resource || ''},
  h('td', {class: 'nowrap'}, formatTime(alertTime(a))),
  h('td', {}, h('span', {class: `badge sev-${sev}`}, a.Severity ?? '')),
  h('td', {}, h('span', {class: `badge action-${action.toLowerCase()}`}, action)),
  truncated('td', a.ContainerName),
  truncated('td', a.PolicyName),
  h('td', {}, a.Operation || ''),
  truncated('td', a.ProcessName),
  truncated('td', a.Resource, {class: 'wide'}),
  h('td', {}, a.Result || ''));
  return clickableRow(tr, `${action} ${a.Operation || ''} ${a.Resource || ''} in ${a.ContainerName || ''}: open`,
    () => showAlert(a.id, tr));
}
