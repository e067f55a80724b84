// One exchange: details, bindings from and to it, bind, publish, delete. Its publish form and
// binding columns serve the queue page too.

import { get, post, del, enc } from '../api.js';
import { h, fill, fmt, rate, kvTable, link, table, form, field, jsonField, attempt, confirmed, flash } from '../ui.js';

/** The API's name for the default exchange in a path. */
export const pathName = (exchange) => exchange || 'amq.default';

/** Bindings as a table showing their source or their destination, each with an unbind button. */
export function bindingColumns(show, refresh) {
  const other = show === 'source'
    ? { title: 'From', value: (b) => (b.source ? link(b.source, 'exchanges', b.vhost, b.source) : '(AMQP default)') }
    : { title: 'To', value: (b) => link(b.destination, b.destination_type === 'queue' ? 'queues' : 'exchanges', b.vhost, b.destination) };
  return [other,
    { title: 'Routing key', value: (b) => b.routing_key },
    { title: 'Arguments', value: (b) => fmt.json(b.arguments) },
    { title: '', value: (b) => (b.source ? h('button', { type: 'button', class: 'link', onclick: () => unbind(b, refresh) }, 'Unbind') : '') }];
}

async function unbind(b, refresh) {
  if (!confirmed(`Remove the binding from '${b.source}' to '${b.destination}' (routing key '${b.routing_key}')?`)) return;
  const kind = b.destination_type === 'queue' ? 'q' : 'e';
  await attempt(async () => {
    await del(`/api/bindings/${enc(b.vhost)}/e/${enc(b.source)}/${kind}/${enc(b.destination)}/${enc(b.properties_key)}`);
    await refresh();
  }, 'Binding removed.');
}

/** Publishes through the API (POST .../publish) and says whether the message was routed. */
export function publishForm(vhost, exchange, routingKey, done) {
  return form(null, [
    field('Routing key', 'routing_key', { value: routingKey ?? '', id: 'publish-routing-key' }),
    field('Delivery mode', 'delivery_mode', { options: [['1', '1 - Non-persistent'], ['2', '2 - Persistent']] }),
    field('Headers (JSON)', 'headers', { rows: 2, placeholder: '{"x-trace": "1"}' }),
    field('Properties (JSON)', 'properties', { rows: 2, placeholder: '{"content_type": "text/plain"}' }),
    field('Payload encoding', 'payload_encoding', { options: [['string', 'String (default)'], ['base64', 'Base64']] }),
    field('Payload', 'payload', { rows: 4, id: 'publish-payload' }),
  ], 'Publish message', (v) => attempt(async () => {
    const properties = { ...jsonField(v.properties, 'Properties'), delivery_mode: Number(v.delivery_mode) };
    const headers = jsonField(v.headers, 'Headers');
    if (Object.keys(headers).length) properties.headers = headers;
    const r = await post(`/api/exchanges/${enc(vhost)}/${enc(pathName(exchange))}/publish`,
      { routing_key: v.routing_key, payload: v.payload, payload_encoding: v.payload_encoding, properties });
    if (r && r.routed === false) flash('Message published, but not routed.', 'error');
    else flash('Message published.', 'ok');
    if (done) await done();
  }), { id: 'publish-form' });
}

export function mount(root, [vhost, name]) {
  const base = `/api/exchanges/${enc(vhost)}/${enc(pathName(name))}`;
  const details = h('div', { id: 'exchange-details' });
  const from = h('div', { id: 'exchange-bindings-source' });
  const to = h('div', { id: 'exchange-bindings-destination' });
  fill(root,
    h('h1', {}, 'Exchange ', name || '(AMQP default)', h('span', { class: 'muted' }, ` in virtual host ${vhost}`)),
    details, h('h2', {}, 'Bindings from this exchange'), from,
    h('h2', {}, 'Bindings to this exchange'), to,
    name && h('details', { id: 'bind' }, h('summary', {}, 'Add binding from this exchange'), bindForm()),
    h('details', { id: 'publish' }, h('summary', {}, 'Publish message'), publishForm(vhost, name, '', null)),
    name && !name.startsWith('amq.') && h('details', { id: 'danger' }, h('summary', {}, 'Delete this exchange'),
      h('button', { type: 'button', class: 'danger', id: 'delete', onclick: remove }, 'Delete exchange')));

  async function refresh() {
    const [x, source, destination] = await Promise.all([get(base), get(`${base}/bindings/source`),
      get(`${base}/bindings/destination`)]);
    const s = x.message_stats;
    fill(details, kvTable({
      Type: x.type, Durable: x.durable, 'Auto delete': x.auto_delete, Internal: x.internal, Policy: x.policy || 'none',
      'Message rate in': fmt.rate(rate(s, 'publish_in')), 'Message rate out': fmt.rate(rate(s, 'publish_out')),
    }), h('h3', {}, 'Arguments'), kvTable(x.arguments));
    fill(from, table(bindingColumns('destination', refresh), source, { empty: 'No bindings.' }));
    fill(to, table(bindingColumns('source', refresh), destination, { empty: 'No bindings.' }));
  }

  function bindForm() {
    return form(null, [
      field('To', 'kind', { options: [['q', 'Queue'], ['e', 'Exchange']] }),
      field('Name', 'destination', { required: true, id: 'bind-destination' }),
      field('Routing key', 'routing_key'),
      field('Arguments (JSON)', 'arguments', { rows: 2 }),
    ], 'Bind', (v) => attempt(async () => {
      await post(`/api/bindings/${enc(vhost)}/e/${enc(name)}/${v.kind}/${enc(v.destination)}`,
        { routing_key: v.routing_key, arguments: jsonField(v.arguments, 'Arguments') });
      await refresh();
    }, 'Binding added.'), { id: 'bind-form' });
  }

  async function remove() {
    if (!confirmed(`Delete exchange '${name}' and its bindings?`)) return;
    if (await attempt(() => del(base))) location.hash = '#/exchanges';
  }

  return { refresh };
}
