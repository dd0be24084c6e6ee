// Calls to the JSON API of the same server. Every request says it comes from a script
// (X-Requested-With), which the server asks of cookie-authenticated requests that change
// something.
export async function getJSON(url) {
  const res = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' },
  });
  if (!res.ok) throw new Error(url + ': HTTP ' + res.status);
  return res.json();
}
