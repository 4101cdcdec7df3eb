// Change your own password (required after an administrator reset it).

import { ApiError, currentUser, goToLogin, refreshMe, request, safeNext, whenReady } from './api.js';
import { t } from './i18n.js';
import { renderHeader, setUpPage, showFormErrors } from './layout.js';

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage();
  document.getElementById('must-change').hidden = !currentUser().must_change_password;
  const form = document.getElementById('password-form');
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    document.getElementById('done').hidden = true;
    const data = new FormData(form);
    if (data.get('new_password') !== data.get('repeat_password')) {
      const err = new ApiError(422, { detail: t('password.mismatch'), errors: [{ field: 'repeat_password', message: t('password.mismatch') }] });
      showFormErrors(form, err, summary);
      return;
    }
    try {
      await request('POST', '/me/password', {
        body: { current_password: data.get('current_password'), new_password: data.get('new_password') },
      });
      showFormErrors(form, null, summary);
      form.reset();
      await refreshMe();
      renderHeader();
      document.getElementById('must-change').hidden = true;
      document.getElementById('done').hidden = false;
      if (new URLSearchParams(location.search).has('next')) location.assign(safeNext());
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
});
