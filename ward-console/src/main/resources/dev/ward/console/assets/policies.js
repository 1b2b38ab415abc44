// Policies: the stored KubeArmorPolicies and AuthorizationPolicies with the agents each one reaches
// (GET api/policies), one policy's YAML, and delete after a confirmation. Only the admin role sees the
// controls that change anything; the server refuses the read role's changes anyway.
import {api, isAdmin, pathPart, query} from './api.js';
import {formatTime, h, relative, replace, truncated} from './dom.js';
import {confirmDialog, errorBox, heading, notify} from './ui.js';

const COLUMNS = ['Kind', 'Name', 'Namespace', 'Action', 'Updated', 'Reaches'];

export function renderList(view) {
  const admin = isAdmin();
  const add = admin ? h('a', {class: 'button primary', href: '#/policies/new', 'data-test': 'policy-add'},
    'Add policy') : null;
  const body = h('tbody', {'data-test': 'policies-body'});
  const table = h('table', {class: 'data policies', 'data-test': 'policies-table', 'data-state': 'loading'},
    h('caption', {class: 'sr-only'}, 'Stored policies'),
    h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', {scope: 'col'}, c)),
      h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Actions')))),
    body);
  const error = h('div', {});
  view.append(heading('Policies', add), error, h('div', {class: 'table-wrap'}, table));
  const load = async () => {
    try {
      const {policies} = await api('GET', 'policies');
      replace(body, policies.length ? policies.map((p) => policyRow(p, admin, load))
        : h('tr', {class: 'empty'}, h('td', {colspan: COLUMNS.length + 1}, 'No policy is stored on the relay.')));
      table.dataset.state = 'ready';
    } catch (err) {
      replace(error, errorBox(`Could not load the policies: ${err.message}`));
    }
  };
  load();
}

/** The API path of one policy, and after '#/' its page. */
export function policyPath(kind, name) {
  return `policies/${pathPart(kind)}/${pathPart(name)}`;
}

/** '?namespace=NS' for a namespaced policy; '' for the one without (the API's default). */
export function policyQuery(namespace) {
  return query({namespace});
}

export function renderView(view, [kind, name], {search}) {
  const admin = isAdmin();
  const namespace = search.get('namespace') || '';
  const ns = policyQuery(namespace);
  const yaml = h('pre', {class: 'yaml', 'data-test': 'policy-yaml', tabindex: 0, 'aria-label': `YAML of ${name}`},
    'Loading…');
  const actions = h('div', {class: 'actions'},
    h('a', {class: 'button ghost', href: '#/policies'}, 'All policies'),
    admin ? h('a', {class: 'button', href: `#/${policyPath(kind, name)}/edit${ns}`,
      'data-test': 'policy-edit'}, 'Edit') : null,
    admin ? h('button', {type: 'button', class: 'danger', 'data-test': 'policy-delete',
      onclick: async () => {
        if (await remove(kind, name, namespace)) {
          location.hash = '#/policies';
        }
      }}, 'Delete') : null);
  view.append(heading(name, h('span', {class: 'badge'}, kind),
    namespace ? h('span', {class: 'badge'}, `namespace ${namespace}`) : null), actions, yaml);
  api('GET', `${policyPath(kind, name)}${ns}`)
    .then((p) => {
      yaml.textContent = p.yaml;
      yaml.dataset.state = 'ready';
    })
    .catch((err) => replace(yaml, err.status === 404 ? `No ${kind} named ${name} is stored.` : err.message));
}

function policyRow(p, admin, reload) {
  const ns = policyQuery(p.namespace);
  const path = `#/${policyPath(p.kind, p.name)}`;
  const href = `${path}${ns}`;
  const reaches = p.reaches || [];
  return h('tr', {'data-test': 'policy-row', 'data-name': p.name, 'data-kind': p.kind},
    h('td', {}, p.kind === 'AuthorizationPolicy' ? 'AuthorizationPolicy' : 'KubeArmorPolicy'),
    h('td', {class: 'strong'}, h('a', {href, 'data-test': 'policy-view'}, p.name)),
    h('td', {}, p.namespace || ''),
    h('td', {}, p.action ? h('span', {class: `badge action-${String(p.action).toLowerCase()}`}, p.action) : ''),
    h('td', {class: 'nowrap', title: formatTime(p.updated)}, relative(p.updated)),
    truncated('td', reaches.length ? reaches.join(', ') : 'no agent now', {
      class: reaches.length ? 'wide' : 'wide muted', 'data-test': 'policy-reaches'}),
    h('td', {class: 'row-actions'}, admin ? [
      h('a', {class: 'button small', href: `${path}/edit${ns}`, 'data-test': 'policy-edit',
        'aria-label': `Edit ${p.name}`}, 'Edit'),
      h('button', {type: 'button', class: 'small danger', 'data-test': 'policy-delete',
        'aria-label': `Delete ${p.name}`, onclick: async () => {
          if (await remove(p.kind, p.name, p.namespace, reaches.length)) {
            reload();
          }
        }}, 'Delete'),
    ] : null));
}

/** Asks, then deletes; true when the policy is gone. */
async function remove(kind, name, namespace, reaching) {
  const agents = reaching === undefined ? '' : reaching === 1 ? ' The one agent it reaches drops it at once.'
    : reaching ? ` The ${reaching} agents it reaches drop it at once.` : '';
  const sure = await confirmDialog({
    title: `Delete ${name}?`,
    message: `The ${kind} ${name} is removed from the relay.${agents} This cannot be undone.`,
    confirmLabel: 'Delete policy',
  });
  if (!sure) {
    return false;
  }
  try {
    await api('DELETE', `${policyPath(kind, name)}${policyQuery(namespace)}`);
    notify(`Deleted ${kind} ${name}.`);
    return true;
  } catch (err) {
    notify(`Could not delete ${name}: ${err.message}`, 'error');
    return false;
  }
}
