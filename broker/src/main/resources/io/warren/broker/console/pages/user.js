// One user (administrators): tags and password, permissions per virtual host.

import { get, put, del, enc } from '../api.js';
import { h, fill, table, form, field, vhostField, attempt, confirmed, flash } from '../ui.js';
import { tagList } from './users.js';

export function mount(root, [name]) {
  const base = `/api/users/${enc(name)}`;
  const details = h('div', { id: 'user-details' });
  const permissions = h('div', { id: 'user-permissions' });
  const setForm = h('div');
  fill(root, h('h1', {}, 'User ', name), details, h('h2', {}, 'Permissions'), permissions,
    h('details', { id: 'set-permission' }, h('summary', {}, 'Set permission'), setForm),
    h('details', { id: 'danger' }, h('summary', {}, 'Delete this user'),
      h('button', { type: 'button', class: 'danger', id: 'delete', onclick: remove }, 'Delete user')));
  get('/api/vhosts').then((vhosts) => setForm.append(form(null, [
    vhostField(vhosts),
    field('Configure regexp', 'configure', { value: '.*' }),
    field('Write regexp', 'write', { value: '.*' }),
    field('Read regexp', 'read', { value: '.*' }),
  ], 'Set permission', (v) => attempt(async () => {
    await put(`/api/permissions/${enc(v.vhost)}/${enc(name)}`, { configure: v.configure, write: v.write, read: v.read });
    await refresh();
  }, 'Permission set.'), { id: 'permission-form' }))).catch((e) => flash(e.message));

  let user = null; // as last read: the update form sends its password hash back

  async function refresh() {
    const [fresh, perms] = await Promise.all([get(base), get(`${base}/permissions`)]);
    // the form is drawn once, so a poll does not wipe what is being typed into it
    if (!user) fill(details, updateForm(fresh));
    user = fresh;
    fill(permissions, table([
      { title: 'Virtual host', value: (p) => p.vhost },
      { title: 'Configure', value: (p) => p.configure },
      { title: 'Write', value: (p) => p.write },
      { title: 'Read', value: (p) => p.read },
      { title: '', value: (p) => h('button', { type: 'button', class: 'link', onclick: () => clear(p.vhost) }, 'Clear') },
    ], perms, { empty: 'No permissions.' }));
  }

  function updateForm(first) {
    return form(null, [
      field('Tags (comma separated)', 'tags', { value: tagList(first.tags).join(', '), id: 'user-tags' }),
      field('New password', 'password', { type: 'password', autocomplete: 'new-password', placeholder: 'unchanged when empty' }),
    ], 'Update user', (v) => attempt(async () => {
      // a PUT without password nor hash clears the password (RabbitMQ 3.10): send the hash back
      const body = v.password ? { tags: v.tags, password: v.password }
        : { tags: v.tags, password_hash: user.password_hash, hashing_algorithm: user.hashing_algorithm };
      await put(base, body);
      await refresh();
    }, `User '${name}' updated.`), { id: 'update-user' });
  }

  async function clear(vhost) {
    if (!confirmed(`Clear ${name}'s permissions in virtual host '${vhost}'?`)) return;
    await attempt(async () => { await del(`/api/permissions/${enc(vhost)}/${enc(name)}`); await refresh(); }, 'Permissions cleared.');
  }

  async function remove() {
    if (!confirmed(`Delete user '${name}'?`)) return;
    if (await attempt(() => del(base))) location.hash = '#/users';
  }

  return { refresh };
}
