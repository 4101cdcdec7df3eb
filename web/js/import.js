// The import form of a register (activities, projects): a CSV or XLSX file in the export's
// own format, tried first or imported, and the server's report as a message. Every bad row
// the server names is shown by submitForm, field by field.

import { ApiError, request } from './api.js';
import { showMessage } from './dom.js';
import { t } from './i18n.js';
import { submitForm } from './layout.js';

/** Wires the form `#import-form` to `POST /imports/{what}`; `loaded` runs after an import. */
export function importForm(what, loaded) {
  const form = document.getElementById('import-form');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    const dryRun = form.elements.dry_run.checked;
    let report = null;
    submitForm(form, document.getElementById('import-error'), async () => {
      if (!file) throw new ApiError(422, { detail: t('import.no_file'), errors: [] });
      report = (await request('POST', `/imports/${what}?dry_run=${dryRun}`, { file })).data;
    }, async () => {
      await loaded();
      showMessage('notice', t(report.dry_run ? 'import.would' : 'import.done', report));
    });
  });
}
