// One alert in full, in a modal dialog over the live table: the process tree it came from (root first, the
// alerting process last) and every field as stored (GET api/alerts/ID).
import {api, pathPart} from './api.js';
import {formatTime, h, replace} from './dom.js';

/** When the alert happened, in epoch milliseconds (UpdatedTime has the sub-second part, Timestamp is seconds). */
export function alertTime(a) {
  const parsed = a.UpdatedTime ? Date.parse(a.UpdatedTime) : NaN;
  return Number.isNaN(parsed) ? Number(a.Timestamp || 0) * 1000 : parsed;
}

export function severity(a) {
  const n = parseInt(a.Severity, 10);
  return Number.isNaN(n) ? 0 : n;
}

/** Opens the dialog for alert id; focus goes back to returnTo when it closes. */
export async function showAlert(id, returnTo) {
  const body = h('div', {class: 'detail-body', 'data-test': 'alert-detail-body'}, h('p', {class: 'muted'}, 'Loading…'));
  const close = h('button', {type: 'button', class: 'ghost', 'data-test': 'alert-detail-close',
    'aria-label': 'Close the alert'}, 'Close');
  const title = h('h2', {id: 'alert-detail-title'}, 'Alert');
  const dialog = h('dialog', {class: 'detail', 'aria-labelledby': 'alert-detail-title', 'data-test': 'alert-detail'},
    h('div', {class: 'detail-head'}, title, close), body);
  const done = () => {
    dialog.close();
    dialog.remove();
    if (returnTo && returnTo.isConnected) {
      returnTo.focus();
    }
  };
  close.addEventListener('click', done);
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    done();
  });
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
  try {
    const {alert, tree} = await api('GET', `alerts/${pathPart(id)}`);
    title.textContent = `${alert.Action || 'Alert'}: ${alert.PolicyName || alert.Type || ''}`;
    replace(body, summary(alert), processTree(tree || []), fields(alert),
      h('details', {}, h('summary', {}, 'JSON'), h('pre', {class: 'json', 'data-test': 'alert-json'},
        JSON.stringify(alert, null, 2))));
    dialog.dataset.state = 'ready';
  } catch (err) {
    replace(body, h('p', {class: 'error-box', role: 'alert'}, `Could not load the alert: ${err.message}`));
  }
  return dialog;
}

function summary(a) {
  return h('p', {class: 'detail-summary'},
    h('span', {class: `badge sev-${severity(a)}`}, `severity ${a.Severity ?? '?'}`), ' ',
    h('span', {class: `badge action-${String(a.Action || '').toLowerCase()}`}, a.Action || ''), ' ',
    `${a.Operation || ''} ${a.Resource || ''} by ${a.ProcessName || '?'} in ${a.ContainerName || '?'} at `
    + formatTime(alertTime(a)));
}

function processTree(tree) {
  const section = h('section', {'aria-labelledby': 'tree-title'}, h('h3', {id: 'tree-title'}, 'Process tree'));
  if (!tree.length) {
    section.append(h('p', {class: 'muted'}, 'Not known for this alert.'));
    return section;
  }
  // Nested lists: each process is the child of the one before it; the last one raised the alert.
  const root = h('ul', {class: 'tree', 'data-test': 'process-tree'});
  let list = root;
  tree.forEach((p, i) => {
    const last = i === tree.length - 1;
    const item = h('li', {'data-test': 'tree-node', 'data-pid': p.pid, class: last ? 'culprit' : null,
      'aria-current': last ? 'true' : null},
    h('code', {}, p.process || '?'),
    p.args ? h('span', {class: 'args'}, ` ${Array.isArray(p.args) ? p.args.join(' ') : p.args}`) : null,
    h('span', {class: 'muted'}, ` pid ${p.pid}${p.ppid !== undefined ? `, parent ${p.ppid}` : ''}`),
    last ? h('span', {class: 'badge'}, 'raised the alert') : null);
    list.append(item);
    if (!last) {
      const child = h('ul', {});
      item.append(child);
      list = child;
    }
  });
  section.append(root);
  return section;
}

function fields(a) {
  const dl = h('dl', {class: 'fields', 'data-test': 'alert-fields'});
  for (const [k, v] of Object.entries(a)) {
    const text = v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v ?? '');
    dl.append(h('div', {'data-field': k}, h('dt', {}, k), h('dd', {}, text)));
  }
  return h('section', {'aria-labelledby': 'fields-title'}, h('h3', {id: 'fields-title'}, 'Fields'), dl);
}
