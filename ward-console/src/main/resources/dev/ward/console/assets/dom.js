// Building the DOM without HTML strings: every text goes in as a text node (textContent), so nothing that
// comes from the relay (alert fields, policy YAML, findings) is ever parsed as markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element: h('td', {class: 'x', 'data-test': 'y', onclick: f}, 'text', child, [more]). */
export function h(tag, props, ...children) {
  return fill(document.createElement(tag), props, children);
}

/** An SVG element, with the same props as h(). */
export function s(tag, props, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), props, children);
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function debounce(fn, ms) {
  let timer = null;
  const d = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(timer);
  return d;
}

/** Local date and time with seconds: 2026-12-06 14:03:07. */
export function formatTime(ms) {
  if (!ms) {
    return '';
  }
  const d = new Date(ms);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
    + `:${p(d.getSeconds())}`;
}

/** 14:03 */
export function formatClock(ms) {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** '4 s ago', '12 min ago', '3 h ago', '2 d ago'. */
export function relative(ms, now = Date.now()) {
  if (!ms) {
    return 'never';
  }
  const sec = Math.max(0, Math.round((now - ms) / 1000));
  if (sec < 60) {
    return `${sec} s ago`;
  }
  if (sec < 3600) {
    return `${Math.floor(sec / 60)} min ago`;
  }
  if (sec < 86400) {
    return `${Math.floor(sec / 3600)} h ago`;
  }
  return `${Math.floor(sec / 86400)} d ago`;
}

/** A cell (or span) with text cut by CSS and the whole text as its tooltip. */
export function truncated(tag, text, props = {}) {
  return h(tag, {...props, class: `trunc ${props.class || ''}`.trim(), title: props.title || text || null}, text || '');
}

/** Makes a table row act as a button: focusable, Enter or Space runs open. */
export function clickableRow(tr, label, open) {
  tr.tabIndex = 0;
  tr.setAttribute('aria-label', label);
  tr.classList.add('clickable');
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      open();
    }
  });
  return tr;
}

function fill(el, props, children) {
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) {
      continue;
    }
    if (k === 'class') {
      el.setAttribute('class', v);
    } else if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden') {
      el[k] = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) {
      continue;
    }
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}
