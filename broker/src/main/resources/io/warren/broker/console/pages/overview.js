// Overview: message rates and queued messages charted from /api/overview polls (kept for the
// last ten minutes, also across visits to other pages), the totals, and the node's figures.

import { get, getOptional } from '../api.js';
import { h, fill, fmt, rate, timeChart } from '../ui.js';

const RATES = [
  ['publish', 'Publish'], ['confirm', 'Confirm'], ['deliver_get', 'Deliver / get'], ['ack', 'Ack'],
  ['redeliver', 'Redeliver'],
];
/** What deliver_get adds up, for a broker that reports the parts only. */
const DELIVER_GET = ['deliver', 'deliver_no_ack', 'get', 'get_no_ack'];
const history = { rates: [], depth: [] };
let previous = null; // the last sample's counters, for rates a broker does not compute itself

function count(stats, key) {
  if (stats[key] !== undefined) return stats[key];
  return key === 'deliver_get' ? DELIVER_GET.reduce((sum, k) => sum + (stats[k] || 0), 0) : 0;
}

/** Each rate: the broker's own (X_details.rate) when it gives one, else from the counters' change. */
function rates(stats, now) {
  const counts = RATES.map(([k]) => count(stats, k));
  const out = RATES.map(([k], i) => {
    const own = rate(stats, k);
    if (own !== undefined) return own;
    if (!previous || now <= previous.t) return null;
    return Math.max(0, (counts[i] - previous.counts[i]) / (now - previous.t));
  });
  previous = { t: now, counts };
  return out;
}

function card(label, value, alarm) {
  return h('div', { class: `card${alarm ? ' alarm' : ''}` }, h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, value));
}

export function mount(root) {
  const title = h('h1', {}, 'Overview');
  const totals = h('div', { class: 'cards', id: 'totals' });
  const node = h('div', { class: 'cards', id: 'node' });
  const rateBox = h('div', { id: 'rates-chart' });
  const depthBox = h('div', { id: 'depth-chart' });
  fill(root, title,
    h('div', { class: 'grid' },
      h('section', {}, h('h2', {}, 'Message rates'), rateBox),
      h('section', {}, h('h2', {}, 'Queued messages'), depthBox)),
    h('h2', {}, 'Totals'), totals, h('h2', {}, 'Node'), node);
  // confirms follow publishes and acks deliveries, often to the message: dashed, both show
  const rateChart = timeChart(rateBox, RATES.map((r) => r[1]), { unit: '/s', dashed: ['Confirm', 'Ack'] });
  const depthChart = timeChart(depthBox, ['Ready', 'Unacked']);
  rateChart.load(history.rates);
  depthChart.load(history.depth);

  async function refresh() {
    const [o, nodes] = await Promise.all([get('/api/overview'), getOptional('/api/nodes')]);
    const now = Date.now() / 1000;
    const q = o.queue_totals || {};
    const r = rates(o.message_stats || {}, now);
    const depth = [q.messages_ready ?? 0, q.messages_unacknowledged ?? 0];
    for (const [list, values, chart] of [[history.rates, r, rateChart], [history.depth, depth, depthChart]]) {
      list.push([now, values]);
      while (list[0][0] < now - 600) list.shift();
      chart.push(now, values);
    }
    fill(title, 'Overview ', h('span', { class: 'muted' },
      `${o.product_name || 'Warren'} ${o.product_version || o.rabbitmq_version || ''} on ${o.node || ''}`));
    const t = o.object_totals || {};
    fill(totals, card('Connections', fmt.num(t.connections)), card('Channels', fmt.num(t.channels)),
      card('Exchanges', fmt.num(t.exchanges)), card('Queues', fmt.num(t.queues)), card('Consumers', fmt.num(t.consumers)),
      card('Ready', fmt.num(q.messages_ready)), card('Unacked', fmt.num(q.messages_unacknowledged)),
      card('Total messages', fmt.num(q.messages)));
    const n = Array.isArray(nodes) && nodes.find((x) => x.name === o.node) || (Array.isArray(nodes) && nodes[0]);
    fill(node, n ? nodeCards(n) : h('p', { class: 'muted' }, 'This broker does not report node figures (/api/nodes).'));
  }
  return { refresh, destroy() { rateChart.destroy(); depthChart.destroy(); } };
}

function nodeCards(n) {
  return [
    card('Node', n.name || '—'),
    card('Uptime', fmt.duration(n.uptime)),
    card('Memory', `${fmt.bytes(n.mem_used)} of ${fmt.bytes(n.mem_limit)}`, n.mem_alarm),
    card('Memory alarm', n.mem_alarm === undefined ? '—' : n.mem_alarm ? 'ALARM' : 'none', n.mem_alarm),
    card('Disk free', `${fmt.bytes(n.disk_free)} (limit ${fmt.bytes(n.disk_free_limit)})`, n.disk_free_alarm),
    card('Disk alarm', n.disk_free_alarm === undefined ? '—' : n.disk_free_alarm ? 'ALARM' : 'none', n.disk_free_alarm),
    card('File descriptors', `${fmt.num(n.fd_used)} / ${fmt.num(n.fd_total)}`),
    card('Sockets', `${fmt.num(n.sockets_used)} / ${fmt.num(n.sockets_total)}`),
  ];
}
