// Small DOM helpers shared by the pages: elements, figures, tables, forms, messages, charts.

/** h('a', {href: '#/'}, 'text', child...) — attributes starting with "on" become listeners. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...nodes(children));
  return el;
}

export function fill(el, ...children) {
  el.replaceChildren(...nodes(children));
  return el;
}

/** Children as nodes: text for values, nothing for null, undefined and false (a condition's "no"). */
function nodes(children) {
  return children.flat().filter((c) => c !== null && c !== undefined && c !== false)
    .map((c) => (c instanceof Node ? c : String(c)));
}

// ---- figures ---------------------------------------------------------------------------

export const fmt = {
  num: (n) => (n === undefined || n === null ? '—' : Number(n).toLocaleString('en-US')),
  rate: (r) => (r === undefined || r === null ? '—' : `${Number(r).toFixed(Number(r) >= 100 ? 0 : 1)}/s`),
  bytes(b) {
    if (b === undefined || b === null) return '—';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    for (b = Number(b); b >= 1024 && i < units.length - 1; i++) b /= 1024;
    return `${b.toFixed(i ? 1 : 0)} ${units[i]}`;
  },
  duration(ms) {
    if (ms === undefined || ms === null) return '—';
    const s = Math.floor(ms / 1000);
    const d = Math.floor(s / 86400); const hh = Math.floor((s % 86400) / 3600); const m = Math.floor((s % 3600) / 60);
    return d ? `${d}d ${hh}h` : hh ? `${hh}h ${m}m` : `${m}m ${s % 60}s`;
  },
  bool: (b) => (b ? '●' : '○'),
  json: (v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)),
};

/** a.b.c of an object, undefined where a step is missing (fields a broker may not send yet). */
export function path(o, dotted) {
  return dotted.split('.').reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), o);
}

/** The rate RabbitMQ reports under X_details.rate, when the broker reports it. */
export const rate = (stats, key) => path(stats || {}, `${key}_details.rate`);

/** A link to a page of the console. */
export const link = (text, ...segments) =>
  h('a', { href: `#/${segments.map(encodeURIComponent).join('/')}` }, text);

/**
 * A key → value table (arguments, client properties); nested objects become nested tables, and
 * keys without a value (fields a broker does not report) are left out.
 */
export function kvTable(obj) {
  const keys = Object.keys(obj || {}).filter((k) => obj[k] !== undefined);
  if (!keys.length) return h('span', { class: 'muted' }, 'none');
  return h('table', { class: 'kv' }, keys.map((k) => h('tr', {}, h('th', {}, k),
    h('td', {}, obj[k] && typeof obj[k] === 'object' && !Array.isArray(obj[k]) ? kvTable(obj[k]) : fmt.json(obj[k])))));
}

// ---- messages --------------------------------------------------------------------------

/** Shows an API error as the API worded it (its reason), or a success note. */
export function flash(text, kind = 'error') {
  const box = document.getElementById('flash');
  fill(box, h('div', { class: `flash ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', { class: 'text' }, text),
    h('button', { class: 'close', title: 'dismiss', onclick: () => fill(box) }, '×')));
}

/** Runs an action, showing its error if it fails; answers whether it succeeded. */
export async function attempt(action, success) {
  try {
    await action();
    if (success) flash(success, 'ok');
    return true;
  } catch (e) {
    flash(e.message);
    return false;
  }
}

/** Every destructive action asks first. */
export const confirmed = (question) => window.confirm(question);

// ---- forms -----------------------------------------------------------------------------

/** A labelled form; onsubmit gets the form's values by name (checkboxes as booleans). */
export function form(title, fields, submit, onsubmit, attrs = {}) {
  const f = h('form', { class: 'form', ...attrs },
    title && h('h3', {}, title),
    fields,
    h('div', { class: 'row' }, h('span'), h('button', { type: 'submit' }, submit)));
  f.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const values = {};
    for (const el of f.elements) {
      if (!el.name) continue;
      values[el.name] = el.type === 'checkbox' ? el.checked : el.value;
    }
    onsubmit(values, f);
  });
  return f;
}

export function field(label, name, attrs = {}) {
  let input;
  if (attrs.options) {
    input = h('select', { name, ...attrs, options: null },
      attrs.options.map((o) => (Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o))));
    if (attrs.value !== undefined) input.value = attrs.value;
  } else if (attrs.rows) {
    input = h('textarea', { name, ...attrs });
  } else {
    input = h('input', { name, type: 'text', ...attrs });
  }
  return h('label', { class: 'row' }, h('span', {}, label), input);
}

/** A JSON object typed into a form ("" is none); throws a readable error otherwise. */
export function jsonField(text, what) {
  if (!text || !text.trim()) return {};
  let v;
  try { v = JSON.parse(text); } catch (e) { throw new Error(`${what}: not JSON (${e.message})`); }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${what}: a JSON object is expected`);
  return v;
}

/** A vhost select, filled from /api/vhosts by the caller. */
export function vhostField(vhosts, name = 'vhost', label = 'Virtual host') {
  return field(label, name, { options: vhosts.map((v) => v.name) });
}

// ---- tables ----------------------------------------------------------------------------

/**
 * A table of rows. columns: [{title, key (for sorting), value(row) → node or text, num}].
 * sort: {key, reverse} with onSort(key) to make headers clickable.
 */
export function table(columns, rows, { sort, onSort, empty = 'Nothing here.' } = {}) {
  if (!rows.length) return h('p', { class: 'muted empty' }, empty);
  const head = h('tr', {}, columns.map((c) => {
    const active = sort && sort.key === c.key;
    const sortable = c.key && onSort;
    return h('th', {
      class: [c.num && 'num', sortable && 'sortable', active && (sort.reverse ? 'desc' : 'asc')].filter(Boolean).join(' '),
      'aria-sort': active ? (sort.reverse ? 'descending' : 'ascending') : null,
      tabindex: sortable ? 0 : null, // sorted from the keyboard too (Enter)
      onclick: sortable ? () => onSort(c.key) : null,
      onkeydown: sortable ? (e) => { if (e.key === 'Enter') onSort(c.key); } : null,
    }, c.title);
  }));
  const body = rows.map((r) => h('tr', {}, columns.map((c) => h('td', { class: c.num ? 'num' : null }, c.value(r)))));
  return h('table', { class: 'list' }, h('thead', {}, head), h('tbody', {}, body));
}

/** Page links: « 1 … 4 5 [6] 7 8 … 100 » plus the count shown. */
export function pager(page, pageCount, total, onPage) {
  if (pageCount <= 1) return h('div', { class: 'pager' }, `${fmt.num(total)} item${total === 1 ? '' : 's'}`);
  const pages = new Set([1, pageCount, page - 2, page - 1, page, page + 1, page + 2]);
  const links = [];
  let last = 0;
  for (const p of [...pages].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b)) {
    if (p > last + 1) links.push(h('span', {}, '…'));
    links.push(p === page ? h('strong', {}, String(p))
      : h('button', { type: 'button', class: 'link', onclick: () => onPage(p) }, String(p)));
    last = p;
  }
  return h('div', { class: 'pager' }, `${fmt.num(total)} items, page `, links);
}

// ---- charts ----------------------------------------------------------------------------

const clock = (t) => new Date(t * 1000).toLocaleTimeString('en-GB');

const COLORS = ['#2f6fbd', '#e0772a', '#3a9a4d', '#c23b3b', '#8a5cc2', '#7a7a7a'];

/**
 * A line chart of figures sampled over time (uPlot). push(seconds, values) adds a sample and
 * drops those older than windowSeconds. The newest values are also in data-last, and the number
 * of samples in data-samples, for whoever reads the page without eyes (and the browser tests).
 * Series named in dashed are drawn dashed.
 */
export function timeChart(container, names, { windowSeconds = 600, height = 180, unit = '', dashed = [] } = {}) {
  const data = [[], ...names.map(() => [])];
  const box = h('div', { class: 'chart' });
  container.append(box);
  const width = () => Math.max(300, box.clientWidth || container.clientWidth || 600);
  const plot = new window.uPlot({
    width: width(), height,
    series: [{}, ...names.map((n, i) => ({ label: n, stroke: COLORS[i % COLORS.length], width: 2,
      dash: dashed.includes(n) ? [8, 5] : undefined, // a line that often covers another lets it show
      value: (u, v) => (v === null || v === undefined ? '—' : `${Number(v).toFixed(unit === '/s' ? 1 : 0)}${unit}`) }))],
    axes: [{ space: 70, values: (u, ticks) => ticks.map(clock) }, { size: 60 }],
    legend: { live: false }, // the figures beside the chart say the current values
    scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
  }, data, box);
  const resize = () => plot.setSize({ width: width(), height });
  window.addEventListener('resize', resize);
  return {
    push(t, values) {
      data[0].push(t);
      values.forEach((v, i) => data[i + 1].push(v ?? null));
      while (data[0].length && data[0][0] < t - windowSeconds) data.forEach((s) => s.shift());
      plot.setData(data);
      box.dataset.samples = data[0].length;
      box.dataset.last = values.map((v) => v ?? '').join(',');
    },
    /** Samples kept elsewhere (the overview keeps its history across visits). */
    load(samples) { samples.forEach((s) => this.push(s[0], s[1])); },
    destroy() { window.removeEventListener('resize', resize); plot.destroy(); },
  };
}
