// Small behaviours shared by the pages. The pages work without it; it adds the expandable
// unit tree.
import { msg, lang } from './lib/msg.js';
import { getJSON } from './lib/api.js';

const expandable = (level) => level === 'province' || level === 'district';

function unitName(u) {
  return lang() === 'vi' && u.full_name ? u.full_name : u.name;
}

// addToggle puts a button before a tree item whose unit has units below it; the button
// loads and shows them (keyboard: it is a button, Enter and Space work).
function addToggle(li, asOf) {
  const name = li.dataset.name || li.querySelector('a').textContent;
  const btn = document.createElement('button');
  btn.type = 'button';
  btn.className = 'tree-toggle';
  btn.setAttribute('aria-expanded', 'false');
  btn.setAttribute('aria-label', msg('js.tree.expand', name));
  btn.textContent = '+';
  li.prepend(btn);
  let list = null;
  btn.addEventListener('click', async () => {
    const open = btn.getAttribute('aria-expanded') === 'true';
    if (open) {
      btn.setAttribute('aria-expanded', 'false');
      btn.setAttribute('aria-label', msg('js.tree.expand', name));
      btn.textContent = '+';
      if (list) list.hidden = true;
      return;
    }
    btn.setAttribute('aria-expanded', 'true');
    btn.setAttribute('aria-label', msg('js.tree.collapse', name));
    btn.textContent = '−';
    if (list) {
      list.hidden = false;
      return;
    }
    list = document.createElement('ul');
    list.className = 'tree';
    list.setAttribute('aria-busy', 'true');
    const wait = document.createElement('li');
    wait.textContent = msg('js.tree.loading');
    list.append(wait);
    li.append(list);
    try {
      const q = new URLSearchParams({ parent: li.dataset.code, as_of: asOf });
      const data = await getJSON('/api/v1/units?' + q);
      if (data.units.length) {
        list.replaceChildren(...data.units.map((u) => item(u, asOf)));
      } else {
        wait.textContent = msg('js.tree.empty');
      }
      list.removeAttribute('aria-busy');
    } catch {
      list.remove();
      list = null;
      btn.setAttribute('aria-expanded', 'false');
      btn.setAttribute('aria-label', msg('js.tree.expand', name));
      btn.textContent = '+';
      const err = document.createElement('span');
      err.className = 'error';
      err.setAttribute('role', 'alert');
      err.textContent = ' ' + msg('js.tree.failed');
      li.append(err);
      setTimeout(() => err.remove(), 5000);
    }
  });
}

function item(u, asOf) {
  const li = document.createElement('li');
  li.dataset.code = u.code;
  li.dataset.level = u.level;
  li.dataset.name = unitName(u);
  const a = document.createElement('a');
  a.href = '/units/' + encodeURIComponent(u.code) + '?as_of=' + encodeURIComponent(asOf);
  a.textContent = unitName(u);
  const code = document.createElement('span');
  code.className = 'code';
  code.textContent = u.code;
  li.append(a, ' ', code);
  if (expandable(u.level)) addToggle(li, asOf);
  return li;
}

for (const tree of document.querySelectorAll('[data-tree]')) {
  const asOf = tree.dataset.asOf;
  for (const li of tree.children) {
    if (expandable(li.dataset.level)) addToggle(li, asOf);
  }
}
