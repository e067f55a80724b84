// Queues: a sortable, filterable, paginated list (the API pages it when it answers RabbitMQ's
// paged object to ?page=..; a broker that answers the whole list is paged here), and a form to
// declare a queue.

import { get, put, enc } from '../api.js';
import { h, fill, fmt, path, rate, link, table, pager, form, field, vhostField, jsonField, attempt } from '../ui.js';

// kept while the console is open, so coming back to the list finds it as it was left
const state = { vhost: '', name: '', regex: false, sort: 'name', reverse: false, page: 1, pageSize: 100 };

const COLUMNS = [
  { title: 'Virtual host', key: 'vhost', value: (q) => q.vhost },
  { title: 'Name', key: 'name', value: (q) => link(q.name, 'queues', q.vhost, q.name) },
  { title: 'Type', key: 'type', value: (q) => q.type || 'classic' },
  { title: 'Features', value: features },
  { title: 'Policy', key: 'policy', value: (q) => q.policy || '' },
  { title: 'State', key: 'state', value: (q) => q.state || '' },
  { title: 'Ready', key: 'messages_ready', num: true, value: (q) => fmt.num(q.messages_ready) },
  { title: 'Unacked', key: 'messages_unacknowledged', num: true, value: (q) => fmt.num(q.messages_unacknowledged) },
  { title: 'Total', key: 'messages', num: true, value: (q) => fmt.num(q.messages) },
  { title: 'Consumers', key: 'consumers', num: true, value: (q) => fmt.num(q.consumers) },
  { title: 'Incoming', key: 'message_stats.publish_details.rate', num: true, value: (q) => fmt.rate(rate(q.message_stats, 'publish')) },
  { title: 'Deliver / get', key: 'message_stats.deliver_get_details.rate', num: true, value: (q) => fmt.rate(rate(q.message_stats, 'deliver_get')) },
  { title: 'Ack', key: 'message_stats.ack_details.rate', num: true, value: (q) => fmt.rate(rate(q.message_stats, 'ack')) },
];

/** RabbitMQ's abbreviations: D durable, AD auto-delete, Excl exclusive, then the arguments. */
function features(q) {
  const f = [q.durable && 'D', q.auto_delete && 'AD', q.exclusive && 'Excl'];
  const args = Object.keys(q.arguments || {}).filter((k) => k !== 'x-queue-type');
  return h('span', { title: args.map((k) => `${k}: ${fmt.json(q.arguments[k])}`).join('\n') },
    f.filter(Boolean).map((x) => h('span', { class: 'tag' }, x)), args.length ? h('span', { class: 'tag' }, 'Args') : null);
}

function compare(a, b) {
  const x = path(a, state.sort); const y = path(b, state.sort);
  const r = typeof x === 'number' || typeof y === 'number' ? (x ?? -1) - (y ?? -1) : String(x ?? '').localeCompare(String(y ?? ''));
  return state.reverse ? -r : r;
}

/** The page of queues to show: {items, filtered, total, pages}, from the API's paging or ours. */
async function load() {
  const base = state.vhost ? `/api/queues/${enc(state.vhost)}` : '/api/queues';
  const query = new URLSearchParams({ page: state.page, page_size: state.pageSize, name: state.name,
    use_regex: state.regex, pagination: true, sort: state.sort, sort_reverse: state.reverse });
  const answer = await get(`${base}?${query}`);
  if (!Array.isArray(answer)) {
    return { items: answer.items, filtered: answer.filtered_count, total: answer.total_count, pages: answer.page_count };
  }
  let rows = answer;
  if (state.name) {
    const re = state.regex ? safeRegex(state.name) : null;
    const needle = state.name.toLowerCase();
    rows = rows.filter((q) => (re ? re.test(q.name) : q.name.toLowerCase().includes(needle)));
  }
  rows.sort(compare);
  const pages = Math.max(1, Math.ceil(rows.length / state.pageSize));
  const start = (Math.min(state.page, pages) - 1) * state.pageSize;
  return { items: rows.slice(start, start + state.pageSize), filtered: rows.length, total: answer.length, pages };
}

function safeRegex(text) {
  try { return new RegExp(text, 'i'); } catch { return /$^/; }
}

export function mount(root) {
  const list = h('div', { id: 'queue-list' });
  const vhostSelect = h('select', { id: 'queues-vhost', onchange: (e) => { state.vhost = e.target.value; state.page = 1; refresh(); } },
    h('option', { value: '' }, 'All virtual hosts'));
  let typing;
  const filter = h('input', { id: 'queues-filter', type: 'search', placeholder: 'Filter by name', value: state.name,
    oninput: (e) => { clearTimeout(typing); typing = setTimeout(() => { state.name = e.target.value; state.page = 1; refresh(); }, 250); } });
  const regex = h('label', {}, h('input', { type: 'checkbox', checked: state.regex,
    onchange: (e) => { state.regex = e.target.checked; refresh(); } }), ' regex');
  const size = h('select', { onchange: (e) => { state.pageSize = Number(e.target.value); state.page = 1; refresh(); } },
    [20, 100, 500].map((n) => h('option', { value: n, selected: n === state.pageSize }, `${n} per page`)));
  const add = h('details', { id: 'add-queue' }, h('summary', {}, 'Add a new queue'));
  fill(root, h('h1', {}, 'Queues'), h('div', { class: 'toolbar' }, vhostSelect, filter, regex, size), list, add);

  get('/api/vhosts').then((vhosts) => {
    vhostSelect.append(...vhosts.map((v) => h('option', { value: v.name, selected: v.name === state.vhost }, v.name)));
    add.append(declareForm(vhosts, refresh));
  });

  async function refresh() {
    const t0 = performance.now();
    const page = await load();
    state.page = Math.min(state.page, Math.max(1, page.pages));
    fill(list,
      pager(state.page, page.pages, page.filtered, (p) => { state.page = p; refresh(); }),
      table(COLUMNS, page.items, {
        sort: { key: state.sort, reverse: state.reverse },
        onSort: (k) => { state.reverse = state.sort === k ? !state.reverse : false; state.sort = k; refresh(); },
        empty: page.total ? 'No queue matches the filter.' : 'No queues.',
      }));
    list.dataset.renderMs = Math.round(performance.now() - t0);
  }
  return { refresh };
}

function declareForm(vhosts, done) {
  return form(null, [
    vhostField(vhosts),
    field('Name', 'name', { required: true, id: 'queue-name' }),
    field('Type', 'type', { options: ['classic', 'quorum', 'stream'] }),
    field('Durability', 'durable', { options: [['true', 'Durable'], ['false', 'Transient']] }),
    field('Auto delete', 'auto_delete', { type: 'checkbox' }),
    field('Arguments (JSON)', 'arguments', { rows: 2, placeholder: '{"x-max-length": 1000}' }),
  ], 'Add queue', (v) => attempt(async () => {
    const args = jsonField(v.arguments, 'Arguments');
    if (v.type !== 'classic') args['x-queue-type'] = v.type;
    await put(`/api/queues/${enc(v.vhost)}/${enc(v.name)}`,
      { durable: v.durable === 'true', auto_delete: v.auto_delete, arguments: args });
    await done();
  }, `Queue '${v.name}' declared.`), { id: 'declare-queue' });
}
