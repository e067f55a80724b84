// Definitions (administrators): download the broker's definitions, upload a file to import.

import { get, post } from '../api.js';
import { h, fill, attempt, confirmed } from '../ui.js';

export function mount(root) {
  const file = h('input', { type: 'file', accept: '.json,application/json', id: 'definitions-file' });
  fill(root, h('h1', {}, 'Definitions'),
    h('p', { class: 'muted' }, 'Users, virtual hosts, permissions, queues, exchanges, bindings and policies, as RabbitMQ exports them.'),
    h('h2', {}, 'Export'),
    h('button', { type: 'button', id: 'definitions-download', onclick: download }, 'Download broker definitions'),
    h('h2', {}, 'Import'),
    h('div', { class: 'toolbar' }, file, h('button', { type: 'button', id: 'definitions-upload', onclick: upload }, 'Upload broker definitions')));

  async function download() {
    await attempt(async () => {
      const defs = await get('/api/definitions');
      const url = URL.createObjectURL(new Blob([JSON.stringify(defs, null, 2)], { type: 'application/json' }));
      const day = new Date().toISOString().slice(0, 10);
      const a = h('a', { href: url, download: `warren_definitions_${day}.json` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
  }

  async function upload() {
    const f = file.files[0];
    if (!f || !confirmed(`Import the definitions in ${f.name}? Users, permissions and objects of the same names are replaced.`)) return;
    await attempt(async () => {
      let defs;
      try { defs = JSON.parse(await f.text()); } catch (e) { throw new Error(`${f.name}: not JSON (${e.message})`); }
      await post('/api/definitions', defs);
    }, `Definitions from ${f.name} imported.`);
  }

  return {};
}
