// Connections: the paged list (see list.js): who, from where, with which client.

import { h, fill, fmt, rate, link } from '../ui.js';
import { pagedList, listState } from '../list.js';

const state = listState();

const COLUMNS = [
  { title: 'Virtual host', key: 'vhost', value: (c) => c.vhost },
  { title: 'Name', key: 'name', value: (c) => link(c.name, 'connections', c.name) },
  { title: 'User', key: 'user', value: (c) => c.user },
  { title: 'State', key: 'state', value: (c) => c.state },
  { title: 'TLS', key: 'ssl', value: (c) => (c.ssl ? c.ssl_protocol || 'yes' : '') },
  { title: 'Protocol', key: 'protocol', value: (c) => c.protocol },
  { title: 'Client', value: (c) => client(c.client_properties) },
  { title: 'Channels', key: 'channels', num: true, value: (c) => fmt.num(c.channels) },
  { title: 'From client', key: 'recv_oct_details.rate', num: true, value: (c) => byteRate(rate(c, 'recv_oct')) },
  { title: 'To client', key: 'send_oct_details.rate', num: true, value: (c) => byteRate(rate(c, 'send_oct')) },
];

const byteRate = (r) => (r === undefined ? '—' : `${fmt.bytes(r)}/s`);

export function client(p) {
  if (!p) return '';
  return [p.connection_name, p.product, p.version].filter(Boolean).join(' · ');
}

export function mount(root) {
  const connections = pagedList({ id: 'connection-list', endpoint: '/api/connections', columns: COLUMNS, state, noun: 'connection' });
  fill(root, h('h1', {}, 'Connections'), connections.toolbar, connections.list);
  return { refresh: connections.refresh };
}
