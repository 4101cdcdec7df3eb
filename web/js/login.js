// Sign in, then go back to where the user was (or to the password page when it must change).

import { ApiError, login, safeNext, whenReady } from './api.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';

whenReady(() => {
  setUpPage();
  const form = document.getElementById('login-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showFormErrors(form, null, summary);
    const data = new FormData(form);
    try {
      const user = await login(String(data.get('email')), String(data.get('password')));
      location.assign(user.must_change_password ? `/password.html?next=${encodeURIComponent(safeNext())}` : safeNext());
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
  document.getElementById('email').focus();
});
