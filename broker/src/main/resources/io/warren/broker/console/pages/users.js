// Users (administrators only, as in RabbitMQ): list, add, delete; a user's page has permissions.

import { get, put, del, enc } from '../api.js';
import { h, fill, table, link, form, field, attempt, confirmed } from '../ui.js';

export const tagList = (tags) => (Array.isArray(tags) ? tags : String(tags || '').split(',').filter(Boolean));

export function mount(root) {
  const list = h('div', { id: 'user-list' });
  fill(root, h('h1', {}, 'Users'), list,
    h('details', { id: 'add-user' }, h('summary', {}, 'Add a user'), form(null, [
      field('Username', 'name', { required: true, id: 'new-user-name' }),
      field('Password', 'password', { type: 'password', autocomplete: 'new-password', id: 'new-user-password' }),
      field('Tags (comma separated)', 'tags', { placeholder: 'administrator, monitoring, policymaker, management', id: 'new-user-tags' }),
    ], 'Add user', (v) => attempt(async () => {
      await put(`/api/users/${enc(v.name)}`, { password: v.password, tags: v.tags });
      await refresh();
    }, `User '${v.name}' added.`), { id: 'declare-user' })));

  async function refresh() {
    const users = await get('/api/users');
    fill(list, table([
      { title: 'Name', value: (u) => link(u.name, 'users', u.name) },
      { title: 'Tags', value: (u) => tagList(u.tags).map((t) => h('span', { class: 'tag' }, t)) },
      { title: 'Password', value: (u) => (u.password_hash ? '●' : 'none') },
      { title: '', value: (u) => h('button', { type: 'button', class: 'link', onclick: () => remove(u.name) }, 'Delete') },
    ], users));
  }

  async function remove(name) {
    if (!confirmed(`Delete user '${name}'? Their connections stay open until they close.`)) return;
    await attempt(async () => { await del(`/api/users/${enc(name)}`); await refresh(); }, `User '${name}' deleted.`);
  }

  return { refresh };
}
