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
// A target marked data-swap-errors shows the error fragment a 4xx/5xx response carries (htmx
// leaves error responses out of the page by default).
document.addEventListener('htmx:beforeSwap', (event) => {
  const target = event.detail.target;
  if (event.detail.xhr.status >= 400 && target && target.hasAttribute('data-swap-errors')) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
