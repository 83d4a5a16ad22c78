/** The built-in `/login` page: a plain form that posts `username`, `password` and `returnTo`. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export interface LoginPageOptions {
  returnTo: string;
  /** An error shown above the form, such as invalid credentials. */
  error?: string;
  /** True when no credential pair is configured, so signing in cannot succeed. */
  unconfigured: boolean;
  howToConfigure: string;
}

export const LOGIN_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

export function renderLoginPage(options: LoginPageOptions): string {
  const notices: string[] = [];
  if (options.unconfigured) {
    notices.push(`<p class="notice">No credentials are configured, so protected endpoints cannot be opened. ${escapeHtml(options.howToConfigure)}</p>`);
  }
  if (options.error !== undefined) notices.push(`<p class="error" role="alert">${escapeHtml(options.error)}</p>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Sinch Functions (local)</title>
<style>
  body { font-family: system-ui, sans-serif; display: flex; justify-content: center; margin-top: 10vh; color: #1b1b1b; }
  form { width: 20rem; display: flex; flex-direction: column; gap: 0.6rem; }
  input, button { font: inherit; padding: 0.45rem; }
  button { background: #3a4de4; color: white; border: 0; border-radius: 4px; cursor: pointer; }
  .error { color: #b00020; } .notice { color: #7a5200; }
</style>
</head>
<body>
<form method="post" action="/login">
  <h1>Sign in</h1>
  <p>This endpoint of the local Sinch function is protected.</p>
  ${notices.join('\n  ')}
  <label>User <input name="username" autocomplete="username" required></label>
  <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
  <input type="hidden" name="returnTo" value="${escapeHtml(options.returnTo)}">
  <button type="submit">Sign in</button>
</form>
</body>
</html>
`;
}
