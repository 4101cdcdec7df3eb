// Sign in, then go back to where the user was (or to the password page when it must change):
// with the municipality's account (single sign-on, when the site has an identity provider),
// or with e-mail and password. The provider sends the browser back here with `?sso=` saying
// how it went; a signed-in session then gets its access token from the refresh cookie.

import { ApiError, completeSignIn, login, request, safeNext, whenReady } from './api.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';

/** Where to go after a sign-in through the provider (the page it leaves from keeps it). */
const NEXT = 'utblick.next';

const OUTCOMES = ['pending', 'refused', 'failed', 'unavailable', 'signed-out'];

whenReady(async () => {
  setUpPage();
  const form = document.getElementById('login-form');
  const summary = document.getElementById('form-error');
  const sso = new URLSearchParams(location.search).get('sso');
  if (sso === 'signed-in') {
    const next = sessionStorage.getItem(NEXT) || '/';
    sessionStorage.removeItem(NEXT);
    if (await completeSignIn()) {
      location.assign(safeNext(new URLSearchParams({ next })));
      return;
    }
  }
  if (OUTCOMES.includes(sso)) {
    const notice = document.getElementById('sso-notice');
    notice.dataset.i18n = `login.sso.${sso}`;
    notice.textContent = t(`login.sso.${sso}`);
    notice.hidden = false;
  }
  const site = await request('GET', '/site', { auth: false }).then((r) => r.data).catch(() => ({}));
  if (site.single_sign_on) {
    document.getElementById('sso').hidden = false;
    document.getElementById('sso-login').addEventListener('click', () => {
      sessionStorage.setItem(NEXT, safeNext());
      location.assign('/api/v1/auth/oidc/login');
    });
  }
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
  (site.single_sign_on ? document.getElementById('sso-login') : document.getElementById('email')).focus();
});
