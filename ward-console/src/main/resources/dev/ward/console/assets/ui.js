// Shared pieces of the pages: the notice line under the header, the confirmation dialog, page titles.
import {h} from './dom.js';

let noticeTimer = null;

/** Shows a message in the live region under the header (kind: 'ok' | 'error'). */
export function notify(message, kind = 'ok') {
  const el = document.getElementById('notice');
  el.textContent = message;
  el.className = `notice ${kind}`;
  el.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    el.hidden = true;
  }, 8000);
}

export function clearNotice() {
  document.getElementById('notice').hidden = true;
}

/** The page's heading and the document title. */
export function heading(text, ...extra) {
  document.title = `${text} · Ward console`;
  return h('div', {class: 'page-head'}, h('h1', {id: 'page-title', 'data-test': 'page-title'}, text), ...extra);
}

/** An inline error message for a section of a page. */
export function errorBox(message) {
  return h('p', {class: 'error-box', role: 'alert', 'data-test': 'error'}, message);
}

/**
 * A modal question; resolves true when confirmed. Escape or Cancel resolve false. Focus starts on Cancel and
 * returns to where it was.
 */
export function confirmDialog({title, message, confirmLabel, danger = true}) {
  const back = document.activeElement;
  return new Promise((resolve) => {
    const cancel = h('button', {type: 'button', 'data-test': 'confirm-cancel'}, 'Cancel');
    const ok = h('button', {type: 'button', class: danger ? 'danger' : 'primary', 'data-test': 'confirm-ok'},
      confirmLabel);
    const dialog = h('dialog', {class: 'confirm', 'aria-labelledby': 'confirm-title', 'data-test': 'confirm-dialog'},
      h('h2', {id: 'confirm-title'}, title),
      h('p', {}, message),
      h('div', {class: 'actions'}, cancel, ok));
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      if (back && back.focus) {
        back.focus();
      }
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
