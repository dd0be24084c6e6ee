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

// send makes a request with a JSON body and returns {status, body} whatever the status (the
// body is the decoded JSON, or null); only a failed connection throws.
export async function send(method, url, body, headers = {}) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-Requested-With': 'fetch',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  return { status: res.status, body: data };
}
