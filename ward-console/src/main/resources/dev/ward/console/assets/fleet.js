// Fleet: every agent connected to a relay sharing this store, and the ones that went away (GET api/fleet,
// polled). Agents that dropped events are highlighted: their relay connection lost telemetry.
import {api} from './api.js';
import {formatTime, h, relative, replace, truncated} from './dom.js';
import {heading} from './ui.js';

const REFRESH_MS = 5000;
const COLUMNS = ['State', 'Container and image', 'Family and task', 'Pod', 'Version', 'Relay', 'Last seen',
  'Events', 'Dropped', 'Policies'];

export function render(view) {
  const summary = h('p', {class: 'muted', 'data-test': 'fleet-summary'}, 'Loading…');
  const body = h('tbody', {'data-test': 'fleet-body'});
  const table = h('table', {class: 'data fleet', 'data-test': 'fleet-table', 'data-state': 'loading'},
    h('caption', {class: 'sr-only'}, 'Agents, connected first'),
    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', {scope: 'col'}, c)))), body);
  const error = h('div', {});
  view.append(heading('Fleet'), summary, error, h('div', {class: 'table-wrap'}, table));
  let agents = [];
  const draw = () => {
    replace(body, agents.length ? agents.map(agentRow)
      : h('tr', {class: 'empty'}, h('td', {colspan: COLUMNS.length}, 'No agent has connected yet.')));
    const connected = agents.filter((a) => a.state === 'connected').length;
    const dropped = agents.reduce((n, a) => n + (a.dropped || 0), 0);
    summary.textContent = `${connected} connected, ${agents.length - connected} gone`
      + (dropped ? `; ${dropped} events dropped` : '; no events dropped');
  };
  const load = async () => {
    try {
      const answer = await api('GET', 'fleet');
      agents = answer.agents.slice().sort((a, b) =>
        (a.state === b.state ? 0 : a.state === 'connected' ? -1 : 1) || (b.lastSeen || 0) - (a.lastSeen || 0));
      replace(error);
      draw();
      table.dataset.state = 'ready';
    } catch (err) {
      replace(error, h('p', {class: 'error-box', role: 'alert'}, `Could not load the fleet: ${err.message}`));
    }
  };
  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => clearInterval(timer);
}

function agentRow(a) {
  const dropped = a.dropped || 0;
  const gone = a.state !== 'connected';
  const task = String(a.task || '');
  return h('tr', {'data-test': 'fleet-row', 'data-container': a.container || '', 'data-state': a.state,
    class: [gone ? 'gone' : '', dropped ? 'dropped' : ''].join(' ').trim() || null, tabindex: 0},
  h('td', {}, h('span', {class: `badge state-${gone ? 'gone' : 'connected'}`}, gone ? 'gone' : 'connected')),
  h('td', {}, truncated('div', a.container, {class: 'strong'}), truncated('div', a.image, {class: 'muted small'})),
  h('td', {}, truncated('div', a.family), truncated('div', task.split('/').pop(), {class: 'muted small', title: task})),
  truncated('td', [a.namespace, a.pod].filter(Boolean).join('/')),
  h('td', {class: 'nowrap'}, a.version || ''),
  truncated('td', a.relay),
  h('td', {class: 'nowrap', title: formatTime(a.lastSeen), 'data-test': 'fleet-last-seen'}, relative(a.lastSeen),
    h('div', {class: 'muted small', title: formatTime(a.connectedAt)}, `connected ${relative(a.connectedAt)}`)),
  h('td', {class: 'num'}, String(a.events ?? '')),
  h('td', {class: `num ${dropped ? 'warn-cell' : ''}`, 'data-test': 'fleet-dropped'},
    dropped ? h('span', {class: 'badge warn', title: 'events this agent dropped: its buffer was full'},
      `${dropped} dropped`) : '0'),
  truncated('td', (a.policies || []).join(', ')));
}
