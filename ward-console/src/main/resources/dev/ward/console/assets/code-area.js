// A plain textarea with line numbers beside it and problem marks: a marked number in the gutter and a band
// behind the line. Lines never wrap (wrap="off"), so line N of the text is row N of the gutter.
import {h} from './dom.js';

export class CodeArea {
  constructor({id, label, value, describedBy}) {
    this.gutter = h('div', {class: 'gutter', 'aria-hidden': 'true', 'data-test': 'editor-gutter'});
    this.bands = h('div', {class: 'bands', 'aria-hidden': 'true'});
    this.textarea = h('textarea', {
      id, class: 'code', wrap: 'off', spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
      'aria-label': label, 'aria-describedby': describedBy, 'data-test': 'policy-text',
    });
    this.textarea.value = value;
    this.el = h('div', {class: 'code-area'}, this.gutter, h('div', {class: 'code-pane'}, this.bands, this.textarea));
    this.lineCount = 0;
    this.problems = [];
    this.textarea.addEventListener('input', () => this.renumber());
    this.textarea.addEventListener('scroll', () => this.syncScroll());
    this.renumber();
  }

  get value() {
    return this.textarea.value;
  }

  /** Marks the lines of problems [{line, column, severity, message}]; an error outranks a warning. */
  mark(problems) {
    this.problems = problems;
    this.paint();
  }

  /** Puts the caret at line:column (1-based), selects to the end of that line and scrolls it into view. */
  jump(line, column) {
    const lines = this.textarea.value.split('\n');
    const row = Math.min(Math.max(line, 1), lines.length);
    let start = 0;
    for (let i = 0; i < row - 1; i++) {
      start += lines[i].length + 1;
    }
    const col = Math.min(Math.max(column || 1, 1), lines[row - 1].length + 1);
    this.textarea.focus();
    this.textarea.setSelectionRange(start + col - 1, start + lines[row - 1].length);
    const lh = this.lineHeight();
    this.textarea.scrollTop = Math.max(0, (row - 1) * lh - this.textarea.clientHeight / 3);
    this.syncScroll();
  }

  renumber() {
    const count = this.textarea.value.split('\n').length;
    if (count === this.lineCount) {
      return;
    }
    this.lineCount = count;
    const rows = [];
    for (let i = 1; i <= count; i++) {
      rows.push(h('div', {class: 'ln', 'data-line': i}, String(i)));
    }
    this.gutter.replaceChildren(...rows, h('div', {class: 'ln-spacer'}));
    this.paint();
  }

  paint() {
    const worst = new Map();
    for (const p of this.problems) {
      const was = worst.get(p.line);
      worst.set(p.line, {
        severity: was && was.severity === 'error' ? 'error' : p.severity,
        messages: [...(was ? was.messages : []), `${p.severity} ${p.code || ''}: ${p.message}`],
      });
    }
    for (const ln of this.gutter.querySelectorAll('.ln')) {
      const mark = worst.get(Number(ln.dataset.line));
      ln.className = mark ? `ln ln-${mark.severity}` : 'ln';
      ln.title = mark ? mark.messages.join('\n') : '';
      if (mark) {
        ln.dataset.test = `gutter-${mark.severity}`;
      } else {
        delete ln.dataset.test;
      }
    }
    const lh = this.lineHeight();
    const top = parseFloat(getComputedStyle(this.textarea).paddingTop) || 0;
    this.bands.replaceChildren(...[...worst].map(([line, mark]) => {
      const band = h('div', {class: `band band-${mark.severity}`});
      // CSSOM, not a style attribute: allowed by the console's Content-Security-Policy.
      band.style.top = `${top + (line - 1) * lh}px`;
      band.style.height = `${lh}px`;
      return band;
    }));
    this.syncScroll();
  }

  syncScroll() {
    this.gutter.scrollTop = this.textarea.scrollTop;
    this.bands.style.transform = `translateY(${-this.textarea.scrollTop}px)`;
  }

  lineHeight() {
    return parseFloat(getComputedStyle(this.textarea).lineHeight) || 20;
  }
}
