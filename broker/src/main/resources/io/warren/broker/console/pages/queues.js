// Queues: the paged list (see list.js) with depth, consumers and rates, and a form to declare one.

import { get, put, enc } from '../api.js';
import { h, fill, fmt, rate, link, form, field, vhostField, jsonField, attempt, flash } from '../ui.js';
import { pagedList, listState } from '../list.js';

const state = listState(); // kept while the console is open: coming back finds the list as left

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

/** RabbitMQ's abbreviations: D durable, AD auto-delete, Excl exclusive, Args (listed on hover). */
function features(q) {
  const args = Object.keys(q.arguments || {}).filter((k) => k !== 'x-queue-type');
  return h('span', { title: args.map((k) => `${k}: ${fmt.json(q.arguments[k])}`).join('\n') },
    [q.durable && 'D', q.auto_delete && 'AD', q.exclusive && 'Excl', args.length && 'Args']
      .filter(Boolean).map((x) => h('span', { class: 'tag' }, x)));
}

export function mount(root) {
  const vhosts = get('/api/vhosts');
  const queues = pagedList({ id: 'queue-list', endpoint: '/api/queues', byVhost: true, columns: COLUMNS, state, vhosts, noun: 'queue' });
  const add = h('details', { id: 'add-queue' }, h('summary', {}, 'Add a new queue'));
  fill(root, h('h1', {}, 'Queues'), queues.toolbar, queues.list, add);
  vhosts.then((vs) => add.append(declareForm(vs, queues.refresh))).catch((e) => flash(e.message));
  return { refresh: queues.refresh };
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
