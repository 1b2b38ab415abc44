// Login: the relay's read token (watch) or admin token (also change policies). The server answers with the
// role and sets an HttpOnly session cookie; the token itself is never stored by the page.
import {api} from './api.js';
import {h} from './dom.js';

export function render(view, params, {signedIn}) {
  document.title = 'Log in · Ward console';
  const token = h('input', {
    id: 'login-token', name: 'token', type: 'password', autocomplete: 'current-password', required: true,
    spellcheck: 'false', 'aria-describedby': 'login-help', 'data-test': 'login-token',
  });
  const error = h('p', {id: 'login-error', class: 'error-box', role: 'alert', 'data-test': 'login-error', hidden: true});
  const submit = h('button', {type: 'submit', class: 'primary', 'data-test': 'login-submit'}, 'Log in');
  const form = h('form', {class: 'login', 'aria-labelledby': 'login-title', 'data-test': 'login-form'},
    h('h1', {id: 'login-title', class: 'brand'}, h('img', {src: 'assets/favicon.svg', alt: '', width: 28, height: 28}),
      'Ward console'),
    h('label', {for: 'login-token'}, 'Relay token'),
    token,
    h('div', {id: 'login-help', class: 'help'},
      h('p', {}, h('strong', {}, 'Read token'), ' (WARD_RELAY_READ_TOKEN): watch live alerts, the fleet, policies '
        + 'and posture checks.'),
      h('p', {}, h('strong', {}, 'Admin token'), ' (WARD_RELAY_ADMIN_TOKEN): all of that, and add, edit and delete '
        + 'policies.'),
      h('p', {class: 'muted'}, 'The token is sent once; the session lives in an HttpOnly cookie and ends after 8 hours '
        + 'without use or when you log out.')),
    error,
    submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    submit.disabled = true;
    try {
      const answer = await api('POST', 'login', {token: token.value});
      token.value = '';
      signedIn(answer);
    } catch (err) {
      error.textContent = err.status === 401 ? 'This token is not one of the relay\'s read or admin tokens.'
        : err.status === 429 ? 'Too many wrong tokens from this address: wait a minute, then try again.'
          : `Login failed: ${err.message}`;
      error.hidden = false;
      token.select();
    } finally {
      submit.disabled = false;
    }
  });
  view.append(h('div', {class: 'login-wrap'}, form));
  token.focus();
}
