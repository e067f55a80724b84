// Virtual hosts (administrators): list with their message counts, add, delete.

import { get, put, del, enc } from '../api.js';
import { h, fill, fmt, table, form, field, attempt, confirmed } from '../ui.js';

export function mount(root) {
  const list = h('div', { id: 'vhost-list' });
  fill(root, h('h1', {}, 'Virtual hosts'), list,
    h('details', {}, h('summary', {}, 'Add a new virtual host'), form(null, [
      field('Name', 'name', { required: true }),
      field('Description', 'description'),
      field('Tags (comma separated)', 'tags'),
      field('Default queue type', 'default_queue_type', { options: ['classic', 'quorum', 'stream'] }),
    ], 'Add virtual host', (v) => attempt(async () => {
      await put(`/api/vhosts/${enc(v.name)}`, { description: v.description, tags: v.tags, default_queue_type: v.default_queue_type });
      await refresh();
    }, `Virtual host '${v.name}' added.`))));

  async function refresh() {
    const vhosts = await get('/api/vhosts');
    fill(list, table([
      { title: 'Name', value: (v) => v.name },
      { title: 'Description', value: (v) => v.description || '' },
      { title: 'Tags', value: (v) => (Array.isArray(v.tags) ? v.tags : []).map((t) => h('span', { class: 'tag' }, t)) },
      { title: 'Default queue type', value: (v) => v.default_queue_type || v.metadata?.default_queue_type || '' },
      { title: 'Ready', num: true, value: (v) => fmt.num(v.messages_ready) },
      { title: 'Unacked', num: true, value: (v) => fmt.num(v.messages_unacknowledged) },
      { title: 'Total', num: true, value: (v) => fmt.num(v.messages) },
      { title: '', value: (v) => h('button', { type: 'button', class: 'link', onclick: () => remove(v.name) }, 'Delete') },
    ], vhosts));
  }

  async function remove(name) {
    if (!confirmed(`Delete virtual host '${name}' with all its queues, exchanges and messages?`)) return;
    await attempt(async () => { await del(`/api/vhosts/${enc(name)}`); await refresh(); }, `Virtual host '${name}' deleted.`);
  }

  return { refresh };
}
