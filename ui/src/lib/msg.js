// Texts for the scripts come from the server's message catalogs (internal/i18n, keys
// "js.…"), rendered into the page as JSON; nothing is translated here.
let cache;

export function msg(key, ...args) {
  if (!cache) {
    const el = document.getElementById('msgs');
    try {
      cache = el ? JSON.parse(el.textContent) : {};
    } catch {
      cache = {};
    }
  }
  const text = cache[key] || key;
  return text.replace(/\{(\d+)\}/g, (m, i) => (args[i] !== undefined ? String(args[i]) : m));
}

export const lang = () => document.documentElement.lang || 'vi';
