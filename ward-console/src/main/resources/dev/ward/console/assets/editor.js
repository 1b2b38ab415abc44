// Add or edit policies: YAML in a code area, linted by the relay as you type (POST api/policies/lint, the
// same linter as `ward policy lint`), problems marked at their line, stored with PUT api/policies only when
// no error is left. The server refuses documents with errors too (422), and then shows them the same way.
import {api, isAdmin} from './api.js';
import {policyPath, policyQuery} from './policies.js';
import {debounce, h, replace} from './dom.js';
import {CodeArea} from './code-area.js';
import {errorBox, heading, notify} from './ui.js';

const LINT_DELAY_MS = 400;
const STARTER = `apiVersion: security.kubearmor.com/v1
kind: KubeArmorPolicy
metadata:
  name: my-policy
spec:
  severity: 5
  message: "what this policy catches"
  selector:
    matchLabels:
      kubearmor.io/container.name: my-container
  file:
    matchPaths:
      - path: /etc/shadow
  action: Audit
`;

export function render(view, [kind, name], {search}) {
  const editing = kind !== undefined;
  view.append(heading(editing ? `Edit ${name}` : 'Add policy'));
  if (!isAdmin()) {
    view.append(errorBox('Changing policies needs the admin token: log in with it to add or edit policies.'));
    return undefined;
  }
  const page = new EditorPage(view, editing);
  if (editing) {
    api('GET', `${policyPath(kind, name)}${policyQuery(search.get('namespace'))}`)
      .then((p) => page.load(p.yaml))
      .catch((err) => page.fail(`Could not load ${kind} ${name}: ${err.message}`));
  } else {
    page.load(STARTER);
  }
  return () => page.stop();
}

class EditorPage {
  constructor(view, editing) {
    this.seq = 0;
    this.errors = 0;
    this.checking = false;
    this.status = h('p', {id: 'lint-status', class: 'lint-status', role: 'status', 'data-test': 'lint-status'},
      'Loading…');
    this.documents = h('p', {class: 'muted', 'data-test': 'lint-documents'});
    this.list = h('ul', {id: 'lint-problems', class: 'problems', 'data-test': 'lint-problems',
      'aria-label': 'Problems'});
    this.error = h('div', {});
    this.save = h('button', {type: 'button', class: 'primary', id: 'policy-save', 'data-test': 'policy-save',
      disabled: true, onclick: () => this.store()}, 'Save');
    this.slot = h('div', {class: 'editor-slot'});
    this.later = debounce(() => this.lint(), LINT_DELAY_MS);
    view.append(
      h('p', {class: 'help'}, 'KubeArmorPolicy or AuthorizationPolicy YAML; several documents separated by ---. '
        + 'The relay checks it as you type. Nothing is stored before Save, and Save stays off while there is an error.'
        + (editing ? ' A changed metadata.name stores a new policy beside this one.' : '')),
      h('div', {class: 'editor-grid'}, this.slot,
        h('aside', {class: 'lint', 'aria-label': 'Lint results'}, this.status, this.documents, this.list)),
      this.error,
      h('div', {class: 'actions'}, this.save, h('a', {class: 'button ghost', href: '#/policies'}, 'Cancel')));
  }

  load(yaml) {
    this.area = new CodeArea({id: 'policy-text', label: 'Policy YAML', value: yaml, describedBy: 'lint-status'});
    this.area.textarea.addEventListener('input', () => {
      this.checking = true;
      this.refresh();
      this.later();
    });
    this.area.textarea.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 's') {
        e.preventDefault();
        this.store();
      }
    });
    replace(this.slot, this.area.el);
    this.area.textarea.focus();
    this.lint();
  }

  fail(message) {
    replace(this.error, errorBox(message));
    this.status.textContent = '';
  }

  stop() {
    this.seq++;
    this.later.cancel();
  }

  async lint() {
    const mine = ++this.seq;
    this.checking = true;
    this.refresh();
    try {
      const answer = await api('POST', 'policies/lint', {yaml: this.area.value});
      if (mine === this.seq) {
        this.show(answer.problems, answer.documents);
      }
    } catch (err) {
      if (mine === this.seq) {
        this.checking = false;
        this.status.textContent = `Could not check: ${err.message}`;
        this.refresh();
      }
    }
  }

  async store() {
    if (this.save.disabled) {
      return;
    }
    this.save.disabled = true;
    replace(this.error);
    try {
      const {stored} = await api('PUT', 'policies', {yaml: this.area.value});
      notify(`Stored ${stored.map(describeStored).join(', ')}.`);
      const one = stored.length === 1 ? stored[0] : null;
      location.hash = one ? `#/${policyPath(one.kind, one.name)}${policyQuery(one.namespace)}` : '#/policies';
    } catch (err) {
      if (err.status === 422 && err.body && err.body.problems) {
        this.show(err.body.problems, []);
      } else {
        replace(this.error, errorBox(`Not stored: ${err.message}`));
      }
      this.refresh();
    }
  }

  show(problems, documents) {
    this.checking = false;
    this.errors = problems.filter((p) => p.severity === 'error').length;
    const warnings = problems.length - this.errors;
    this.area.mark(problems);
    this.area.textarea.setAttribute('aria-invalid', String(this.errors > 0));
    this.status.textContent = problems.length === 0 ? 'No problems.'
      : `${plural(this.errors, 'error')}, ${plural(warnings, 'warning')}.`;
    this.status.className = `lint-status ${this.errors ? 'has-errors' : warnings ? 'has-warnings' : 'clean'}`;
    this.status.dataset.errors = String(this.errors);
    this.documents.textContent = documents && documents.length
      ? `Save stores: ${documents.map((d) => `${d.kind} ${d.name}`).join(', ')}` : '';
    replace(this.list, problems.map((p) => h('li', {}, h('button', {
      type: 'button', class: `problem problem-${p.severity}`, 'data-test': 'lint-problem', 'data-line': p.line,
      'data-column': p.column, 'data-code': p.code || '', onclick: () => this.area.jump(p.line, p.column),
    },
    h('span', {class: 'where'}, p.line > 0 ? `Line ${p.line}, column ${p.column}` : 'The whole text'),
    h('span', {class: `badge sev-word-${p.severity}`}, `${p.severity}${p.code ? ` ${p.code}` : ''}`),
    p.field ? h('code', {}, p.field) : null,
    h('span', {class: 'message'}, p.message)))));
    this.refresh();
  }

  refresh() {
    const empty = !this.area || this.area.value.trim() === '';
    this.save.disabled = this.checking || this.errors > 0 || empty;
    this.save.title = this.errors > 0 ? 'Fix the errors first' : this.checking ? 'Checking…' : '';
    if (this.checking) {
      this.status.textContent = 'Checking…';
    }
  }
}

/** 'KubeArmorPolicy x (sent to 2 agents)' from one item of PUT api/policies. */
function describeStored(d) {
  const sent = d.unchanged ? 'unchanged' : typeof d.agents === 'number' ? `sent to ${plural(d.agents, 'agent')}`
    : 'sent to the agents it selects';
  return `${d.kind} ${d.name} (${sent})`;
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
