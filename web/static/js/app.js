// No inline scripts (strict CSP): behaviour is attached here.
document.addEventListener('htmx:configRequest', (event) => {
  const token = document.body.dataset.csrf;
  if (token) event.detail.headers['X-CSRF-Token'] = token;
});
// Confirmation before destructive form submissions: <form data-confirm="…">.
document.addEventListener('submit', (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
