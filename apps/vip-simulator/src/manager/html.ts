const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/** Wraps page content in the VIP Manager layout with its navigation. */
export function renderPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)} - VIP Manager (simulator)</title>
<style>
body { font-family: sans-serif; margin: 2rem; max-width: 60rem; }
table { border-collapse: collapse; } td, th { border: 1px solid #999; padding: .3rem .6rem; }
.error { color: #a00; } .notice { color: #060; } form { margin: .5rem 0; }
</style>
</head>
<body>
<nav><a href="/manager">Home</a> | <a href="/manager/credentials">Credentials</a> |
<a href="/manager/users">Users</a> | <a href="/manager/reports">Usage report</a></nav>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>`;
}

/** Renders [label, value] pairs as a two-column table with escaped values. */
export function renderDefinitionTable(rows: Array<[string, unknown]>): string {
  const cells = rows
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('\n');

  return `<table>${cells}</table>`;
}

export function renderError(message: string): string {
  return `<p class="error">${escapeHtml(message)}</p>`;
}

export function renderNotice(message: string): string {
  return `<p class="notice">${escapeHtml(message)}</p>`;
}
