// Posture: a task definition, CloudFormation template or Kubernetes manifest, pasted or uploaded, checked by
// the relay with `ward check`'s rules (POST api/posture); the findings as a table and as SARIF to download.
import {api, apiRaw} from './api.js';
import {h, replace} from './dom.js';
import {errorBox, heading} from './ui.js';

const COLUMNS = ['Severity', 'Rule', 'Finding', 'Location', 'Help'];
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'note', 'info'];

/** Kept while the console is open: coming back shows the same input. */
const input = {content: '', filename: ''};

export function render(view) {
  const text = h('textarea', {id: 'posture-input', class: 'code-input', rows: 12, wrap: 'off', spellcheck: 'false',
    'data-test': 'posture-input', value: input.content,
    placeholder: 'Paste an ECS task definition (JSON), a CloudFormation template or a Kubernetes manifest'});
  const file = h('input', {id: 'posture-file', type: 'file', 'data-test': 'posture-file',
    accept: '.json,.yaml,.yml,.template,application/json,text/yaml'});
  const fileName = h('span', {class: 'muted', 'data-test': 'posture-filename'}, input.filename);
  const check = h('button', {type: 'submit', class: 'primary', 'data-test': 'posture-check'}, 'Check');
  const sarif = h('button', {type: 'button', 'data-test': 'posture-sarif', disabled: !input.content},
    'Download SARIF');
  const link = h('p', {class: 'sarif-link'});
  const results = h('section', {'aria-live': 'polite', 'data-test': 'posture-results'});
  text.addEventListener('input', () => {
    input.content = text.value;
    input.filename = '';
    fileName.textContent = '';
    sarif.disabled = !text.value.trim();
  });
  file.addEventListener('change', async () => {
    const chosen = file.files[0];
    if (chosen) {
      text.value = await chosen.text();
      input.content = text.value;
      input.filename = chosen.name;
      fileName.textContent = chosen.name;
      sarif.disabled = false;
    }
  });
  const form = h('form', {class: 'posture', 'aria-label': 'Configuration to check'},
    h('label', {for: 'posture-input'}, 'Configuration'), text,
    h('div', {class: 'actions'}, h('label', {for: 'posture-file'}, 'or upload a file'), file, fileName, check,
      sarif));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    check.disabled = true;
    results.dataset.state = 'loading';
    try {
      showFindings(results, await api('POST', 'posture', body()));
    } catch (err) {
      replace(results, errorBox(err.status === 422 ? `Not a configuration ward check reads: ${err.message}`
        : `Could not check: ${err.message}`));
      results.dataset.state = 'error';
    } finally {
      check.disabled = false;
    }
  });
  sarif.addEventListener('click', () => download(link));
  view.append(heading('Posture'),
    h('p', {class: 'help'}, 'What ward check finds in a deployment before it runs: privileged containers, secrets in '
      + 'environment variables, a missing or bypassable agent. Nothing you paste is stored.'),
    form, link, results);
}

function body() {
  const trimmed = input.content.trimStart();
  return {content: input.content, filename: input.filename || (trimmed.startsWith('{') ? 'pasted.json' : 'pasted.yaml')};
}

function showFindings(results, answer) {
  const findings = answer.findings.slice().sort((a, b) => rank(a.severity) - rank(b.severity));
  const counts = SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length]).filter(([, n]) => n);
  const tbody = h('tbody', {}, findings.length ? findings.map(findingRow)
    : h('tr', {class: 'empty'}, h('td', {colspan: COLUMNS.length}, 'No findings.')));
  replace(results,
    h('h2', {}, 'Findings'),
    h('p', {'data-test': 'posture-summary', 'data-input': answer.input, 'data-count': findings.length},
      `Read as ${answer.input}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`
      + (counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : '') + '.'),
    h('div', {class: 'table-wrap'}, h('table', {class: 'data findings', 'data-test': 'findings-table'},
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => h('th', {scope: 'col'}, c)))), tbody)));
  results.dataset.state = 'ready';
}

function findingRow(f) {
  const loc = f.location || {};
  const where = [loc.line ? `line ${loc.line}${loc.column ? `, column ${loc.column}` : ''}` : '', loc.path || '']
    .filter(Boolean);
  return h('tr', {'data-test': 'finding-row', 'data-rule': f.rule, tabindex: 0},
    h('td', {}, h('span', {class: `badge sev-word-${f.severity}`}, f.severity)),
    h('td', {class: 'nowrap'}, h('code', {}, f.rule)),
    h('td', {}, h('strong', {}, f.title || ''), f.container ? [' ', h('span', {class: 'badge'}, f.container)] : null,
      f.message ? h('div', {class: 'muted'}, f.message) : null),
    h('td', {}, where.map((w) => h('div', {}, w))),
    h('td', {}, helpText(f.help)));
}

function helpText(help) {
  if (!help) {
    return '';
  }
  // Only an https address becomes a link; anything else stays text.
  return /^https:\/\/[^\s]+$/.test(help) ? h('a', {href: help, rel: 'noreferrer', target: '_blank'}, help) : help;
}

async function download(link) {
  try {
    const res = await apiRaw('POST', 'posture?format=sarif', body());
    const blob = await res.blob();
    const url = URL.createObjectURL(blob);
    const a = h('a', {href: url, download: 'ward-check.sarif', 'data-test': 'posture-sarif-link'},
      `ward-check.sarif (${Math.max(1, Math.round(blob.size / 1024))} KB)`);
    replace(link, 'SARIF: ', a);
    a.click();
  } catch (err) {
    replace(link, errorBox(`Could not make the SARIF file: ${err.message}`));
  }
}

function rank(severity) {
  const i = SEVERITY_ORDER.indexOf(severity);
  return i < 0 ? SEVERITY_ORDER.length : i;
}
