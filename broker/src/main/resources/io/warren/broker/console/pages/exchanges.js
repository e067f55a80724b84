// Exchanges: the paged list (see list.js) with their rates, and a form to declare one.

import { get, put, enc } from '../api.js';
import { h, fill, fmt, rate, link, form, field, vhostField, jsonField, attempt, flash } from '../ui.js';
import { pagedList, listState } from '../list.js';

const state = listState();
const TYPES = ['direct', 'fanout', 'topic', 'headers'];

const COLUMNS = [
  { title: 'Virtual host', key: 'vhost', value: (x) => x.vhost },
  { title: 'Name', key: 'name', value: (x) => link(x.name || '(AMQP default)', 'exchanges', x.vhost, x.name || 'amq.default') },
  { title: 'Type', key: 'type', value: (x) => x.type },
  { title: 'Features', value: (x) => [x.durable && 'D', x.auto_delete && 'AD', x.internal && 'I',
    Object.keys(x.arguments || {}).length && 'Args'].filter(Boolean).map((f) => h('span', { class: 'tag' }, f)) },
  { title: 'Policy', key: 'policy', value: (x) => x.policy || '' },
  { title: 'Message rate in', key: 'message_stats.publish_in_details.rate', num: true, value: (x) => fmt.rate(rate(x.message_stats, 'publish_in')) },
  { title: 'Message rate out', key: 'message_stats.publish_out_details.rate', num: true, value: (x) => fmt.rate(rate(x.message_stats, 'publish_out')) },
];

export function mount(root) {
  const vhosts = get('/api/vhosts');
  const exchanges = pagedList({ id: 'exchange-list', endpoint: '/api/exchanges', byVhost: true, columns: COLUMNS, state, vhosts, noun: 'exchange' });
  const add = h('details', { id: 'add-exchange' }, h('summary', {}, 'Add a new exchange'));
  fill(root, h('h1', {}, 'Exchanges'), exchanges.toolbar, exchanges.list, add);
  vhosts.then((vs) => add.append(declareForm(vs, exchanges.refresh))).catch((e) => flash(e.message));
  return { refresh: exchanges.refresh };
}

function declareForm(vhosts, done) {
  return form(null, [
    vhostField(vhosts),
    field('Name', 'name', { required: true, id: 'exchange-name' }),
    field('Type', 'type', { options: TYPES, id: 'exchange-type' }),
    field('Durability', 'durable', { options: [['true', 'Durable'], ['false', 'Transient']] }),
    field('Auto delete', 'auto_delete', { type: 'checkbox' }),
    field('Internal', 'internal', { type: 'checkbox' }),
    field('Arguments (JSON)', 'arguments', { rows: 2, placeholder: '{"alternate-exchange": "unrouted"}' }),
  ], 'Add exchange', (v) => attempt(async () => {
    await put(`/api/exchanges/${enc(v.vhost)}/${enc(v.name)}`, { type: v.type, durable: v.durable === 'true',
      auto_delete: v.auto_delete, internal: v.internal, arguments: jsonField(v.arguments, 'Arguments') });
    await done();
  }, `Exchange '${v.name}' declared.`), { id: 'declare-exchange' });
}
