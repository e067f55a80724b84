// The console's frame: log in, the navigation (what a user's tags allow, as in RabbitMQ), the
// hash router (#/queues/%2F/orders) that mounts one page module at a time, and the refresh timer
// that asks the mounted page to poll the API again.

import { currentUser, hasTag, logIn, logOut } from './api.js';
import { h, fill, form, field, flash } from './ui.js';

const admin = () => hasTag('administrator');
/** Top-level pages: path, module, title, who sees it. */
const PAGES = [
  ['', 'overview', 'Overview', () => true],
  ['connections', 'connections', 'Connections', () => true],
  ['channels', 'channels', 'Channels', () => true],
  ['exchanges', 'exchanges', 'Exchanges', () => true],
  ['queues', 'queues', 'Queues', () => true],
  ['vhosts', 'vhosts', 'Virtual hosts', admin],
  ['users', 'users', 'Users', admin],
  ['policies', 'policies', 'Policies', () => admin() || hasTag('policymaker')],
  ['definitions', 'definitions', 'Definitions', admin],
];
/** Pages of one object: #/queues/VHOST/NAME and the like. */
const DETAIL = { queues: 'queue', exchanges: 'exchange', connections: 'connection', users: 'user' };

const main = document.getElementById('main');
let current = null; // the mounted page: {refresh(), destroy()}
let timer = null;
let polling = false; // a poll still waiting for the API: the next tick is skipped, not stacked
let routing = 0; // which navigation is the latest: an older one still loading gives way

function refreshSeconds() {
  return Number(sessionStorage.getItem('warren.refresh') || 5);
}

function renderLogin(reason) {
  stop();
  fill(document.getElementById('flash'));
  fill(document.getElementById('nav'));
  fill(document.getElementById('session'));
  fill(main, h('div', { class: 'login' },
    h('h1', {}, 'Log in'),
    reason && h('p', { class: 'flash error', role: 'alert' }, reason),
    form(null, [
      field('Username', 'username', { autocomplete: 'username', required: true, autofocus: true }),
      field('Password', 'password', { type: 'password', autocomplete: 'current-password' }),
    ], 'Log in', async (v) => {
      try {
        await logIn(v.username, v.password);
        // a fresh page: nothing of another user's session (the overview's history) stays
        location.reload();
      } catch (e) {
        renderLogin(e.message);
      }
    }, { id: 'login' })));
}

function renderFrame(active) {
  const user = currentUser();
  fill(document.getElementById('nav'), PAGES.filter((p) => p[3]()).map(([path, , title]) =>
    h('a', { href: `#/${path}`, class: path === active ? 'active' : null, id: `nav-${path || 'overview'}` }, title)));
  const refresh = field('', 'refresh', {
    options: [2, 5, 10, 30].map((n) => [n, `Refresh every ${n} s`]).concat([[0, 'No refresh']]),
    value: String(refreshSeconds()),
    onchange: (e) => { sessionStorage.setItem('warren.refresh', e.target.value); schedule(); },
  });
  fill(document.getElementById('session'), refresh.querySelector('select'),
    h('span', { id: 'user' }, user.name, ' ', user.tags.map((t) => h('span', { class: 'tag' }, t))),
    h('button', { type: 'button', id: 'logout', onclick: () => { logOut(); renderLogin(); } }, 'Log out'));
}

function stop() {
  clearInterval(timer);
  timer = null;
  if (current && current.destroy) current.destroy();
  current = null;
}

function schedule() {
  clearInterval(timer);
  const s = refreshSeconds();
  if (s > 0) {
    timer = setInterval(() => {
      if (polling || !current || !current.refresh) return;
      polling = true;
      Promise.resolve(current.refresh()).catch((e) => flash(e.message)).finally(() => { polling = false; });
    }, s * 1000);
  }
}

async function route() {
  const navigation = ++routing;
  if (!currentUser()) {
    renderLogin();
    return;
  }
  const segments = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const top = segments[0] || '';
  const page = PAGES.find((p) => p[0] === top);
  stop();
  renderFrame(top);
  fill(document.getElementById('flash'));
  if (!page || !page[3]()) {
    fill(main, h('h1', {}, 'Not found'), h('p', { class: 'muted' }, 'There is no such page, or your tags do not let you see it.'));
    return;
  }
  document.title = `${segments.length > 1 ? segments[segments.length - 1] : page[2]} - Warren`;
  const name = segments.length > 1 && DETAIL[top] ? DETAIL[top] : page[1];
  const root = h('div', { id: `page-${name}` });
  fill(main, root);
  try {
    const module = await import(`./pages/${name}.js`);
    if (navigation !== routing) return;
    const mounted = module.mount(root, segments.slice(1));
    current = mounted;
    if (mounted.refresh) await mounted.refresh();
    schedule();
  } catch (e) {
    flash(e.message);
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('warren-logged-out', (e) => { logOut(); renderLogin(e.detail || 'Please log in again.'); });
route();
