// A sortable, filterable, paginated list of API objects (queues, exchanges, connections,
// channels). It asks for RabbitMQ's paging (?page=&page_size=&name=&use_regex=&sort=&sort_reverse=&pagination=true):
// a broker answering the paged object {items, filtered_count, page_count, ..} pages on its
// side; one answering the whole list is paged here, so only a page of rows is ever drawn.

import { getOptional, enc } from './api.js';
import { h, fill, path, table, pager } from './ui.js';

/**
 * options: id (of the list element), endpoint (e.g. '/api/queues'), byVhost (the endpoint takes
 * /VHOST), columns (see ui.table), state (kept by the page module across visits: {vhost, name,
 * regex, sort, reverse, page, pageSize}), vhosts (a promise of /api/vhosts, for the select).
 */
export function pagedList({ id, endpoint, byVhost, columns, state, vhosts, noun }) {
  const list = h('div', { id });
  const toolbar = h('div', { class: 'toolbar' });
  if (byVhost) {
    const select = h('select', { id: `${id}-vhost`, onchange: (e) => { state.vhost = e.target.value; state.page = 1; refresh(); } },
      h('option', { value: '' }, 'All virtual hosts'));
    vhosts.then((vs) => select.append(...vs.map((v) => h('option', { value: v.name, selected: v.name === state.vhost }, v.name))))
      .catch(() => {}); // the page shows this failure (its declare form needs the vhosts too)
    toolbar.append(select);
  }
  let typing;
  toolbar.append(
    h('input', { id: `${id}-filter`, type: 'search', placeholder: 'Filter by name', value: state.name,
      oninput: (e) => { clearTimeout(typing); typing = setTimeout(() => { state.name = e.target.value; state.page = 1; refresh(); }, 250); } }),
    h('label', {}, h('input', { type: 'checkbox', checked: state.regex, onchange: (e) => { state.regex = e.target.checked; refresh(); } }), ' regex'),
    h('select', { onchange: (e) => { state.pageSize = Number(e.target.value); state.page = 1; refresh(); } },
      [20, 100, 500].map((n) => h('option', { value: n, selected: n === state.pageSize }, `${n} per page`))));

  async function load() {
    const base = byVhost && state.vhost ? `${endpoint}/${enc(state.vhost)}` : endpoint;
    const query = new URLSearchParams({ page: state.page, page_size: state.pageSize, name: state.name,
      use_regex: state.regex, pagination: true, sort: state.sort, sort_reverse: state.reverse });
    const answer = await getOptional(`${base}?${query}`);
    if (answer === null) return null;
    if (!Array.isArray(answer)) {
      return { items: answer.items, filtered: answer.filtered_count, total: answer.total_count, pages: answer.page_count };
    }
    let rows = answer;
    if (state.name) {
      const re = state.regex ? safeRegex(state.name) : null;
      const needle = state.name.toLowerCase();
      rows = rows.filter((r) => (re ? re.test(r.name) : String(r.name).toLowerCase().includes(needle)));
    }
    rows = sorted(rows, state.sort, state.reverse);
    const pages = Math.max(1, Math.ceil(rows.length / state.pageSize));
    const start = (Math.min(state.page, pages) - 1) * state.pageSize;
    return { items: rows.slice(start, start + state.pageSize), filtered: rows.length, total: answer.length, pages };
  }

  async function refresh() {
    const t0 = performance.now();
    const page = await load();
    if (page === null) {
      fill(list, h('p', { class: 'muted' }, `This broker does not list ${noun}s (${endpoint}).`));
      return;
    }
    state.page = Math.min(state.page, Math.max(1, page.pages));
    fill(list,
      pager(state.page, page.pages, page.filtered, (p) => { state.page = p; refresh(); }),
      table(columns, page.items, {
        sort: { key: state.sort, reverse: state.reverse },
        onSort: (k) => { state.reverse = state.sort === k ? !state.reverse : false; state.sort = k; refresh(); },
        empty: page.total ? `No ${noun} matches the filter.` : `No ${noun}s.`,
      }));
    list.dataset.renderMs = Math.round(performance.now() - t0); // load + draw, for the browser tests
  }

  return { toolbar, list, refresh };
}

/** The state a page keeps for its list. */
export const listState = (sort = 'name') => ({ vhost: '', name: '', regex: false, sort, reverse: false, page: 1, pageSize: 100 });

const collator = new Intl.Collator();

/** Rows by the field at key: each key read once, not at every comparison (10,000 rows). */
function sorted(rows, key, reverse) {
  const keyed = rows.map((r) => [path(r, key), r]);
  const numeric = keyed.some(([k]) => typeof k === 'number');
  const sign = reverse ? -1 : 1;
  keyed.sort(numeric ? (a, b) => sign * ((a[0] ?? -1) - (b[0] ?? -1))
    : (a, b) => sign * collator.compare(String(a[0] ?? ''), String(b[0] ?? '')));
  return keyed.map((k) => k[1]);
}

function safeRegex(text) {
  try { return new RegExp(text, 'i'); } catch { return /$^/; }
}
