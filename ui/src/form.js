// The assessment form (templates/assessment.html). The page works without it: the form
// posts to the server, which saves through the API. With it:
//   - live verdicts as values are typed: the values go to POST /api/v1/evaluate and the
//     page shows what the server answers (the thresholds and rules never come here);
//   - saving (PATCH …/values) and the workflow (POST …/status) through the API, with the
//     version the form was loaded at (If-Match); a conflict (409) is shown with both values,
//     and the officer chooses to reload or to write theirs over the current ones.
import { msg, lang } from './lib/msg.js';
import { send } from './lib/api.js';

const STATES = ['met', 'not_met', 'missing', 'no_threshold', 'incomplete', 'error', 'not_applicable'];
const SYMBOLS = { met: '✓', not_met: '✗', not_applicable: '–', error: '!' };
const symbol = (s) => SYMBOLS[s] || '?';

const form = document.getElementById('assessment-form');
if (form) start(form);

// time writes an API timestamp in Vietnam's time, as the server's pages do.
function time(iso) {
  const d = new Date(iso);
  if (isNaN(d)) return '—';
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(d).map((x) => [x.type, x.value]),
  );
  const day = lang() === 'vi' ? `${p.day}/${p.month}/${p.year}` : `${p.year}-${p.month}-${p.day}`;
  return `${day} ${p.hour}:${p.minute}`;
}

function start(form) {
  const cfg = JSON.parse(document.getElementById('form-config').textContent);
  const controls = [...form.querySelectorAll('[data-code]')];
  const byCode = new Map(controls.map((c) => [c.dataset.code, c]));
  const notes = new Map([...form.querySelectorAll('[data-note]')].map((n) => [n.dataset.note, n]));
  const live = document.getElementById('form-live');
  const saveStatus = document.getElementById('save-status');
  const messages = document.getElementById('form-messages');
  const versionInput = form.querySelector('input[name=version]');
  const bad = new Set(); // codes whose text does not read: left out of the evaluation
  const dirty = new Set(); // codes typed since the last good evaluation
  let timer = 0;
  let seq = 0;
  let lastCode = null;
  let busy = false;

  const labelOf = (c) => {
    const l = form.querySelector(`label[for="${CSS.escape(c.id)}"]`);
    return l ? l.textContent.replace(/\s+/g, ' ').trim() : c.dataset.code;
  };
  // shown writes a value the way its control shows it (a select's words).
  const shown = (c, value) => {
    if (value === null || value === undefined || value === '') return '—';
    if (c && c.tagName === 'SELECT') {
      const o = [...c.options].find((x) => x.value === value);
      if (o) return o.textContent.trim();
    }
    if (lang() === 'vi' && /^-?\d+\.(\d{1,2}|\d{4,})$/.test(value)) return value.replace('.', ',');
    return value;
  };

  function setVersion(v) {
    cfg.version = v;
    versionInput.value = String(v);
  }

  // saved shows in the page's header who saved the assessment, when, and its version, as the
  // save answered, so that the header and the save bar name the same version.
  function saved(a) {
    setVersion(a.version);
    const by = document.querySelector('[data-updated]');
    if (by) by.textContent = msg('js.form.updated_by', a.updated_by, time(a.updated_at));
    const ver = document.querySelector('[data-version]');
    if (ver) ver.textContent = msg('js.form.version', a.version);
  }

  function fieldError(c, text) {
    const err = document.getElementById(c.id + '-err');
    if (text) c.setAttribute('aria-invalid', 'true');
    else c.removeAttribute('aria-invalid');
    if (err) {
      err.textContent = text || '';
      err.hidden = !text;
    }
  }

  function clearMessages() {
    messages.replaceChildren();
    saveStatus.textContent = '';
  }

  function showError(text) {
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = text;
    messages.replaceChildren(p);
    p.scrollIntoView({ block: 'center' });
  }

  // ---- live verdicts

  const values = () => {
    const out = {};
    for (const c of controls) {
      const v = c.value.trim();
      if (v !== '' && !bad.has(c.dataset.code)) out[c.dataset.code] = v;
    }
    return out;
  };
  const evaluate = (vals) => send('POST', '/api/v1/evaluate', { set: cfg.set, unit: cfg.unit, as_of: cfg.as_of, values: vals });

  function paint(el, status, reason) {
    for (const s of STATES) el.classList.remove(s);
    el.classList.add(status);
    el.querySelector('.sym').textContent = symbol(status);
    el.querySelector('.word').textContent = msg('js.verdict.' + status);
    el.querySelector('.reason').textContent = reason || '';
  }

  function apply(r) {
    const reason = (x) => (lang() === 'vi' ? x.reason_vi : x.reason_en);
    for (const v of r.indicators || []) {
      const el = form.querySelector(`[data-verdict="${CSS.escape(v.code)}"]`);
      if (el) paint(el, v.status, reason(v));
    }
    for (const c of r.criteria || []) {
      const el = form.querySelector(`[data-cverdict="${c.number}"]`);
      if (el) paint(el, c.status, reason(c));
      const mini = document.querySelector(`[data-cmini="${c.number}"]`);
      if (mini) {
        mini.className = 'verdict-mini ' + c.status;
        mini.textContent = symbol(c.status);
      }
    }
    const sum = document.querySelector('[data-summary]');
    if (sum) {
      sum.classList.toggle('met', !!r.met);
      sum.classList.toggle('not_met', !r.met);
      sum.querySelector('.sym').textContent = r.met ? '✓' : '✗';
      // As the server renders it: a set without indicators is summed up by its criteria only.
      sum.querySelector('.text').textContent = r.indicators_total
        ? msg('js.form.summary', r.criteria_met, r.criteria_total, r.indicators_met, r.indicators_total)
        : msg('js.form.summary_criteria', r.criteria_met, r.criteria_total);
      sum.querySelector('.set-met').textContent = msg(r.met ? 'js.form.set_met' : 'js.form.set_not_met');
    }
    const inc = document.querySelector('[data-inconsistencies]');
    if (inc) {
      inc.replaceChildren(...(r.inconsistencies || []).map((x) => {
        const li = document.createElement('li');
        li.textContent = lang() === 'vi' ? x.message_vi : x.message_en;
        return li;
      }));
    }
    // Say what the value just typed gave, for those who cannot see the sign change.
    if (lastCode) {
      const m = /^TC(\d+)$/i.exec(lastCode);
      const el = m ? form.querySelector(`[data-cverdict="${m[1]}"]`) : form.querySelector(`[data-verdict="${CSS.escape(lastCode)}"]`);
      if (el) live.textContent = `${m ? msg('js.form.criterion', m[1]) : lastCode}: ${el.querySelector('.word').textContent}`;
    }
  }

  async function refresh() {
    const my = ++seq;
    let res;
    try {
      res = await evaluate(values());
    } catch {
      saveStatus.textContent = msg('js.form.offline');
      return;
    }
    if (my !== seq) return;
    if (res.status === 422) {
      // Find which of the values typed since the last good answer does not read.
      const suspects = [...dirty];
      dirty.clear();
      let found = false;
      for (const code of suspects) {
        const c = byCode.get(code);
        const v = c ? c.value.trim() : '';
        if (!v) continue;
        const one = await evaluate({ [code]: v });
        if (one.status === 422) {
          bad.add(code);
          found = true;
          fieldError(c, msg('js.form.bad_value', v));
        }
      }
      if (found && my === seq) refresh();
      return;
    }
    if (res.status !== 200) return;
    dirty.clear();
    apply(res.body);
  }

  const touched = (e) => {
    const code = e.target.dataset.code;
    if (!code) return;
    lastCode = code;
    dirty.add(code);
    bad.delete(code);
    fieldError(e.target, '');
    clearTimeout(timer);
    timer = setTimeout(refresh, e.type === 'change' ? 0 : 350);
  };
  form.addEventListener('input', touched);
  form.addEventListener('change', touched);

  // ---- saving and the workflow

  function changes() {
    const out = [];
    for (const c of controls) {
      if (c.disabled) continue;
      const code = c.dataset.code;
      const v = c.value.trim();
      const n = notes.get(code);
      const note = n ? n.value.trim() : '';
      const saved = c.dataset.saved || '';
      if (v === saved && note === ((n && n.dataset.saved) || '')) continue;
      if (v === '' && saved === '') continue; // a note is kept with a value only
      out.push({ code, value: v === '' ? null : v, note });
    }
    return out;
  }

  function conflict(current, mine, action, comment) {
    const box = document.createElement('section');
    box.className = 'conflict';
    box.id = 'conflict';
    box.tabIndex = -1;
    box.setAttribute('role', 'alert');
    const h = document.createElement('h2');
    h.textContent = msg('js.conflict.title');
    const p = document.createElement('p');
    p.textContent = msg('js.conflict.text', current.updated_by, time(current.updated_at), msg('js.status.' + current.status));
    box.append(h, p);
    const rows = mine.filter((ch) => {
      const theirs = (current.values || {})[ch.code];
      return (theirs ? theirs.value : null) !== ch.value;
    });
    if (rows.length) {
      const t = document.createElement('table');
      t.className = 'list';
      const head = t.createTHead().insertRow();
      for (const k of ['js.conflict.value', 'js.conflict.yours', 'js.conflict.theirs']) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = msg(k);
        head.append(th);
      }
      const body = t.createTBody();
      for (const ch of rows) {
        const c = byCode.get(ch.code);
        const theirs = (current.values || {})[ch.code];
        const tr = body.insertRow();
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = c ? labelOf(c) : ch.code;
        tr.append(th);
        tr.insertCell().textContent = ch.value === null ? msg('js.conflict.removed') : shown(c, ch.value);
        tr.insertCell().textContent = theirs
          ? `${shown(c, theirs.value)} (${msg('js.conflict.by', theirs.entered_by, time(theirs.entered_at))})`
          : '—';
      }
      box.append(t);
    }
    const choose = document.createElement('p');
    choose.textContent = msg(rows.length ? 'js.conflict.choose' : 'js.conflict.choose_status');
    const buttons = document.createElement('p');
    const reload = document.createElement('a');
    reload.className = 'button';
    reload.href = location.pathname;
    reload.textContent = msg('js.conflict.reload');
    buttons.append(reload);
    if (rows.length && current.status && ['draft', 'returned'].includes(current.status)) {
      const keep = document.createElement('button');
      keep.type = 'button';
      keep.textContent = msg('js.conflict.keep');
      keep.addEventListener('click', async () => {
        setVersion(current.version);
        await run(action, comment);
      });
      buttons.append(' ', keep);
    }
    box.append(choose, buttons);
    messages.replaceChildren(box);
    box.focus();
  }

  async function commit(action, comment) {
    clearMessages();
    const list = changes();
    const base = `/api/v1/assessments/${cfg.id}`;
    const ifMatch = () => ({ 'If-Match': `"${cfg.version}"` });
    if (list.length) {
      const res = await send('PATCH', base + '/values', { values: list }, ifMatch());
      if (res.status === 409 && res.body && res.body.current) return conflict(res.body.current, list, action, comment);
      if (res.status !== 200) {
        const err = (res.body && res.body.error) || {};
        const m = /^values\[(\d+)\]$/.exec(err.field || '');
        const c = m && list[+m[1]] && byCode.get(list[+m[1]].code);
        if (c) {
          fieldError(c, err.message);
          showError(msg('js.form.fix_value', list[+m[1]].code));
          c.focus();
          return;
        }
        return showError(err.message || msg('js.form.failed', res.status));
      }
      saved(res.body);
      for (const ch of list) {
        const c = byCode.get(ch.code);
        c.dataset.saved = c.value.trim();
        const n = notes.get(ch.code);
        if (n) n.dataset.saved = n.value.trim();
      }
    }
    if (action === 'save') {
      saveStatus.textContent = list.length ? msg('js.form.saved', time(new Date().toISOString()), cfg.version) : msg('js.form.nothing');
      return;
    }
    const res = await send('POST', base + '/status', { action, comment }, ifMatch());
    if (res.status === 200) {
      location.assign(location.pathname + '?done=' + encodeURIComponent(action));
      return;
    }
    if (res.status === 409 && res.body && res.body.current) return conflict(res.body.current, [], action, comment);
    showError(((res.body && res.body.error) || {}).message || msg('js.form.failed', res.status));
  }

  async function run(action, comment) {
    if (busy) return;
    busy = true;
    form.setAttribute('aria-busy', 'true');
    saveStatus.textContent = msg('js.form.saving');
    try {
      await commit(action, comment);
    } catch {
      showError(msg('js.form.offline'));
    } finally {
      busy = false;
      form.removeAttribute('aria-busy');
      if (saveStatus.textContent === msg('js.form.saving')) saveStatus.textContent = '';
    }
  }

  form.addEventListener('submit', (e) => {
    const action = (e.submitter && e.submitter.value) || 'save';
    // Approving locks the assessment: the first press goes to the server as a plain form post,
    // and the page it answers asks to confirm (its confirm field marks the second press).
    if (action === 'approve' && !form.querySelector('input[name="confirm"]')) return;
    e.preventDefault();
    const box = form.querySelector('#comment');
    const comment = box ? box.value.trim() : '';
    if ((action === 'return' || action === 'unlock') && !comment) {
      showError(msg('js.form.comment_needed'));
      box.setAttribute('aria-invalid', 'true');
      box.focus();
      return;
    }
    if (box) box.removeAttribute('aria-invalid');
    run(action, comment);
  });
}
