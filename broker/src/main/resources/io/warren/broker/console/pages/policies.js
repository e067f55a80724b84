// Policies: list, add or replace, delete (administrators and policymakers, as in RabbitMQ).

import { get, getOptional, put, del, enc } from '../api.js';
import { h, fill, fmt, table, form, field, vhostField, jsonField, attempt, confirmed, flash } from '../ui.js';

export function mount(root) {
  const list = h('div', { id: 'policy-list' });
  const add = h('details', {}, h('summary', {}, 'Add or update a policy'));
  fill(root, h('h1', {}, 'Policies'), list, add);
  get('/api/vhosts').then((vhosts) => add.append(form(null, [
    vhostField(vhosts),
    field('Name', 'name', { required: true }),
    field('Pattern', 'pattern', { required: true, placeholder: '^orders\\.' }),
    field('Apply to', 'apply-to', { options: [['all', 'Exchanges and queues'], ['queues', 'Queues'], ['exchanges', 'Exchanges']] }),
    field('Priority', 'priority', { type: 'number', value: 0 }),
    field('Definition (JSON)', 'definition', { rows: 3, required: true, placeholder: '{"max-length": 1000}' }),
  ], 'Add / update policy', (v) => attempt(async () => {
    await put(`/api/policies/${enc(v.vhost)}/${enc(v.name)}`, { pattern: v.pattern, 'apply-to': v['apply-to'],
      priority: Number(v.priority), definition: jsonField(v.definition, 'Definition') });
    await refresh();
  }, `Policy '${v.name}' set.`)))).catch((e) => flash(e.message));

  async function refresh() {
    const policies = await getOptional('/api/policies');
    if (policies === null) {
      fill(list, h('p', { class: 'muted' }, 'This broker does not have policies (/api/policies).'));
      return;
    }
    fill(list, table([
      { title: 'Virtual host', value: (p) => p.vhost },
      { title: 'Name', value: (p) => p.name },
      { title: 'Pattern', value: (p) => p.pattern },
      { title: 'Apply to', value: (p) => p['apply-to'] },
      { title: 'Definition', value: (p) => fmt.json(p.definition) },
      { title: 'Priority', num: true, value: (p) => p.priority },
      { title: '', value: (p) => h('button', { type: 'button', class: 'link', onclick: () => remove(p) }, 'Delete') },
    ], policies, { empty: 'No policies.' }));
  }

  async function remove(p) {
    if (!confirmed(`Delete policy '${p.name}' in virtual host '${p.vhost}'?`)) return;
    await attempt(async () => { await del(`/api/policies/${enc(p.vhost)}/${enc(p.name)}`); await refresh(); }, 'Policy deleted.');
  }

  return { refresh };
}
