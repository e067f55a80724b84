// One connection: details, client properties, its channels; close it with a reason.

import { get, getOptional, del, enc } from '../api.js';
import { h, fill, fmt, kvTable, form, field, attempt, confirmed, table } from '../ui.js';
import { channelColumns } from './channels.js';

export function mount(root, [name]) {
  const base = `/api/connections/${enc(name)}`;
  const details = h('div', { id: 'connection-details' });
  const props = h('div', { id: 'connection-client-properties' });
  const channels = h('div', { id: 'connection-channels' });
  fill(root, h('h1', {}, 'Connection ', h('span', { class: 'muted' }, name)),
    details, h('h2', {}, 'Client properties'), props, h('h2', {}, 'Channels'), channels,
    h('details', { id: 'close' }, h('summary', {}, 'Close this connection'),
      form(null, [field('Reason', 'reason', { value: 'Closed via management plugin', id: 'close-reason' })],
        'Force close', (v) => close(v.reason), { id: 'close-form' })));

  async function refresh() {
    const [c, chans] = await Promise.all([get(base), getOptional(`${base}/channels`)]);
    fill(details, kvTable({
      User: c.user, 'Virtual host': c.vhost, State: c.state, Protocol: c.protocol, 'Auth mechanism': c.auth_mechanism,
      Client: `${c.peer_host}:${c.peer_port}`, Server: `${c.host}:${c.port}`, TLS: c.ssl ? c.ssl_protocol || true : false,
      'Peer certificate': c.peer_cert_subject || undefined, Channels: c.channels, 'Channel max': c.channel_max,
      'Frame max': c.frame_max, Heartbeat: c.timeout, 'Connected at': c.connected_at && new Date(c.connected_at).toISOString(),
    }));
    fill(props, kvTable(c.client_properties));
    fill(channels, chans ? table(channelColumns, chans, { empty: 'No channels.' })
      : h('p', { class: 'muted' }, `${fmt.num(c.channels)} channel(s); this broker does not list them.`));
  }

  async function close(reason) {
    if (!confirmed(`Close connection ${name}? The client is told: ${reason}`)) return;
    // RabbitMQ reads the reason from this header and sends it in connection.close
    if (await attempt(() => del(base, { 'X-Reason': reason }))) location.hash = '#/connections';
  }

  return { refresh };
}
