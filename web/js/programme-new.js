// Registering a new governing document (a programme, policy, plan …) as a draft; its
// priority areas and kinds of work are filled in on the draft's edit page.

import { ApiError, currentUser, goToLogin, request, whenReady, may } from './api.js';
import { el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { setUpPage, showFormErrors } from './layout.js';

const TYPES = ['programme', 'policy', 'plan', 'strategy', 'guideline'];

function renderTypes() {
  const select = document.getElementById('n-type');
  const chosen = select.value || 'programme';
  select.replaceChildren(...TYPES.map((x) => {
    const o = el('option', t(`type.${x}`), { value: x });
    o.selected = x === chosen;
    return o;
  }));
}

whenReady(() => {
  if (!currentUser()) {
    goToLogin();
    return;
  }
  setUpPage(renderTypes);
  renderTypes();
  const form = document.getElementById('new-form');
  if (!may('edit_register')) {
    form.hidden = true;
    showMessage('page-error', t('new.coordinators_only'));
    return;
  }
  const summary = document.getElementById('form-error');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const body = Object.fromEntries(
      ['title', 'document_type', 'document_id', 'diarienummer', 'responsible_administration', 'responsible_department', 'purpose', 'background']
        .map((name) => [name, f[name].value]),
    );
    try {
      const { data } = await request('POST', '/programmes', { body: { ...body, priority_areas: [], work_kinds: [] } });
      location.assign(`/programme-edit.html?id=${data.id}`);
    } catch (err) {
      showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
    }
  });
});
