// One queue: its figures and a depth chart (polled, charted here), arguments and effective
// policy, consumers, bindings; publish, get messages, bind, purge and delete.

import { get, getOptional, post, del, enc } from '../api.js';
import { h, fill, fmt, rate, kvTable, table, form, field, jsonField, attempt, confirmed, timeChart } from '../ui.js';
import { publishForm, bindingColumns } from './exchange.js';

/** RabbitMQ's get-messages modes, with the labels of its page. */
const ACK_MODES = [
  ['ack_requeue_true', 'Nack message requeue true'],
  ['reject_requeue_true', 'Reject requeue true'],
  ['ack_requeue_false', 'Automatic ack'],
  ['reject_requeue_false', 'Reject requeue false'],
];

export function mount(root, [vhost, name]) {
  const base = `/api/queues/${enc(vhost)}/${enc(name)}`;
  const figures = h('div', { class: 'cards', id: 'queue-figures' });
  const details = h('div', { id: 'queue-details' });
  const consumers = h('div', { id: 'queue-consumers' });
  const bindings = h('div', { id: 'queue-bindings' });
  const chartBox = h('div', { id: 'queue-depth-chart' });
  const results = h('div', { id: 'get-results' });
  fill(root,
    h('h1', {}, 'Queue ', h('span', { id: 'queue-title' }, name), h('span', { class: 'muted' }, ` in virtual host ${vhost}`)),
    figures, h('h2', {}, 'Queued messages'), chartBox,
    h('h2', {}, 'Details'), details,
    h('h2', {}, 'Consumers'), consumers,
    h('h2', {}, 'Bindings'), bindings,
    h('details', { id: 'bind' }, h('summary', {}, 'Add binding to this queue'), bindForm()),
    h('details', { id: 'publish' }, h('summary', {}, 'Publish message'),
      h('p', { class: 'muted' }, 'Published to the default exchange with the queue\'s name as routing key.'),
      publishForm(vhost, '', name, refresh)),
    h('details', { id: 'get' }, h('summary', {}, 'Get messages'), getForm(), results),
    h('details', { id: 'danger' }, h('summary', {}, 'Purge or delete'),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'danger', id: 'purge', onclick: purge }, 'Purge messages'),
        h('button', { type: 'button', class: 'danger', id: 'delete', onclick: remove }, 'Delete queue'))));
  const chart = timeChart(chartBox, ['Ready', 'Unacked', 'Total']);

  async function refresh() {
    const [q, b] = await Promise.all([get(base), get(`${base}/bindings`)]);
    chart.push(Date.now() / 1000, [q.messages_ready, q.messages_unacknowledged, q.messages]);
    const s = q.message_stats;
    fill(figures,
      card('Ready', q.messages_ready, 'queue-ready'), card('Unacked', q.messages_unacknowledged, 'queue-unacked'),
      card('Total', q.messages, 'queue-total'), card('Consumers', q.consumers, 'queue-consumers-count'),
      card('Incoming', fmt.rate(rate(s, 'publish'))), card('Deliver / get', fmt.rate(rate(s, 'deliver_get'))),
      card('Ack', fmt.rate(rate(s, 'ack'))));
    fill(details, kvTable({
      Type: q.type || 'classic', State: q.state, Node: q.node, Durable: q.durable, 'Auto delete': q.auto_delete,
      Exclusive: q.exclusive, 'Paged out': q.messages_paged_out, Policy: q.policy || 'none',
      'Operator policy': q.operator_policy || 'none',
    }), h('h3', {}, 'Arguments'), kvTable(q.arguments),
    h('h3', {}, 'Effective policy definition'), q.effective_policy_definition === undefined
      ? h('span', { class: 'muted' }, 'not reported by this broker') : kvTable(q.effective_policy_definition));
    fill(consumers, await consumerTable(q));
    fill(bindings, table(bindingColumns('source', refresh), b, { empty: 'No bindings.' }));
  }

  function card(label, value, id) {
    return h('div', { class: 'card' }, h('div', { class: 'label' }, label),
      h('div', { class: 'value', id }, typeof value === 'number' ? fmt.num(value) : value ?? '—'));
  }

  async function consumerTable(q) {
    let list = q.consumer_details;
    if (!list) { // older answers: the vhost's consumer list, where the broker has one
      const all = await getOptional(`/api/consumers/${enc(vhost)}`);
      list = all && all.filter((c) => c.queue && c.queue.name === name);
    }
    if (!list) return h('p', { class: 'muted' }, `${fmt.num(q.consumers)} consumer(s); this broker does not list them.`);
    return table([
      { title: 'Channel', value: (c) => (c.channel_details || {}).name || '' },
      { title: 'Consumer tag', value: (c) => c.consumer_tag },
      { title: 'Ack required', value: (c) => fmt.bool(c.ack_required) },
      { title: 'Exclusive', value: (c) => fmt.bool(c.exclusive) },
      { title: 'Prefetch', num: true, value: (c) => fmt.num(c.prefetch_count) },
      { title: 'Active', value: (c) => fmt.bool(c.active ?? true) },
      { title: 'Arguments', value: (c) => fmt.json(c.arguments) },
    ], list, { empty: 'No consumers.' });
  }

  function bindForm() {
    return form(null, [
      field('From exchange', 'source', { required: true }),
      field('Routing key', 'routing_key'),
      field('Arguments (JSON)', 'arguments', { rows: 2 }),
    ], 'Bind', (v) => attempt(async () => {
      await post(`/api/bindings/${enc(vhost)}/e/${enc(v.source)}/q/${enc(name)}`,
        { routing_key: v.routing_key, arguments: jsonField(v.arguments, 'Arguments') });
      await refresh();
    }, 'Binding added.'), { id: 'bind-form' });
  }

  function getForm() {
    return form(null, [
      field('Ack mode', 'ackmode', { options: ACK_MODES, id: 'get-ackmode' }),
      field('Encoding', 'encoding', { options: [['auto', 'Auto string / base64'], ['base64', 'base64']] }),
      field('Messages', 'count', { type: 'number', value: 1, min: 1, id: 'get-count' }),
    ], 'Get message(s)', async (v) => {
      // what requeues nothing takes the messages away: ask first
      if (v.ackmode.endsWith('false') && !confirmed(`Get messages from '${name}' without requeueing them? They are removed from the queue.`)) return;
      await attempt(async () => {
        const messages = await post(`${base}/get`,
          { count: Number(v.count), ackmode: v.ackmode, encoding: v.encoding, truncate: 50000 });
        fill(results, messages.length ? messages.map(message) : h('p', { class: 'muted', id: 'queue-empty' }, 'Queue is empty.'));
        await refresh();
      });
    }, { id: 'get-form' });
  }

  function message(m, i) {
    return h('div', { class: 'message' },
      h('h3', {}, `Message ${i + 1}`, h('span', { class: 'muted' }, ` — ${fmt.num(m.message_count)} left in the queue`)),
      kvTable({ Exchange: m.exchange || '(AMQP default)', 'Routing key': m.routing_key, Redelivered: m.redelivered,
        Properties: m.properties, Payload: `${fmt.num(m.payload_bytes)} bytes, encoding: ${m.payload_encoding}` }),
      h('pre', { class: 'payload' }, m.payload));
  }

  async function purge() {
    if (!confirmed(`Purge every ready message of queue '${name}'?`)) return;
    await attempt(async () => { await del(`${base}/contents`); await refresh(); }, `Queue '${name}' purged.`);
  }

  async function remove() {
    if (!confirmed(`Delete queue '${name}' and its messages?`)) return;
    if (await attempt(() => del(base))) location.hash = '#/queues';
  }

  return { refresh, destroy: () => chart.destroy() };
}
