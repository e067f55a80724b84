// Channels: the paged list (see list.js): mode, prefetch, unacked, consumers.

import { h, fill, fmt, rate, link } from '../ui.js';
import { pagedList, listState } from '../list.js';

const state = listState();

/** RabbitMQ's mode letters: C confirm, T transactional. */
const mode = (c) => [c.confirm && 'C', c.transactional && 'T'].filter(Boolean).join(' ');

export const channelColumns = [
  { title: 'Channel', key: 'name', value: (c) => c.name },
  { title: 'Connection', value: (c) => (c.connection_details ? link(c.connection_details.name, 'connections', c.connection_details.name) : '') },
  { title: 'User', key: 'user', value: (c) => c.user },
  { title: 'Mode', value: mode },
  { title: 'State', key: 'state', value: (c) => c.state },
  { title: 'Prefetch', key: 'prefetch_count', num: true, value: (c) => fmt.num(c.prefetch_count) },
  { title: 'Unconfirmed', key: 'messages_unconfirmed', num: true, value: (c) => fmt.num(c.messages_unconfirmed) },
  { title: 'Unacked', key: 'messages_unacknowledged', num: true, value: (c) => fmt.num(c.messages_unacknowledged) },
  { title: 'Consumers', key: 'consumer_count', num: true, value: (c) => fmt.num(c.consumer_count) },
  { title: 'Publish', key: 'message_stats.publish_details.rate', num: true, value: (c) => fmt.rate(rate(c.message_stats, 'publish')) },
  { title: 'Deliver / get', key: 'message_stats.deliver_get_details.rate', num: true, value: (c) => fmt.rate(rate(c.message_stats, 'deliver_get')) },
  { title: 'Ack', key: 'message_stats.ack_details.rate', num: true, value: (c) => fmt.rate(rate(c.message_stats, 'ack')) },
];

export function mount(root) {
  const channels = pagedList({ id: 'channel-list', endpoint: '/api/channels', columns: channelColumns, state, noun: 'channel' });
  fill(root, h('h1', {}, 'Channels'), channels.toolbar, channels.list);
  return { refresh: channels.refresh };
}
