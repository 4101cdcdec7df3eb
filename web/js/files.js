// Attached files (evidence) of a report or a project: listed with their size, each
// downloaded (fetched with the session, never opened inside the page), attached from a file
// input, removed while not handed in with a report. The server decides who may; `editable`
// only hides what would be refused.

import { ApiError, downloadExport, request } from './api.js';
import { actionButton, el, showMessage } from './dom.js';
import { t } from './i18n.js';
import { submitForm } from './layout.js';
import { kronor } from './numbers.js';

function sizeOf(bytes) {
  return bytes < 1024 * 1024
    ? t('files.kb', { n: Math.max(1, Math.round(bytes / 1024)) })
    : t('files.mb', { n: kronor(Math.round(bytes / 10485.76)) });
}

/**
 * Wires the files part whose elements are `#<prefix>files`, `#<prefix>file-form`,
 * `#<prefix>file-error`: `owner` is `reports`, `projects` or `activities`; `changed(message)`
 * reloads the page's record after a change. Returns `show(id, editable)`, which loads and
 * shows the files of record `id`.
 */
export function filesPart(prefix, owner, changed) {
  const list = document.getElementById(`${prefix}files`);
  const form = document.getElementById(`${prefix}file-form`);
  const error = `${prefix}file-error`;
  let current = null;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    submitForm(form, document.getElementById(error), async () => {
      if (!file) throw new ApiError(422, { detail: t('import.no_file'), errors: [] });
      await request('POST', `/${owner}/${current}/attachments?file_name=${encodeURIComponent(file.name)}`, {
        file, headers: { 'Content-Type': 'application/octet-stream' },
      });
    }, async () => {
      form.reset();
      await changed(t('files.attached', { name: file.name }));
    });
  });
  return async function show(id, editable) {
    current = id;
    const files = (await request('GET', `/${owner}/${id}/attachments`)).data;
    list.replaceChildren(...(files.length ? files.map((f) => {
      const li = el('li');
      const handed = f.handed_in_version ? `, ${t('files.handed_in', { number: f.handed_in_version })}` : '';
      li.append(el('span', f.file_name), ` (${sizeOf(f.size_bytes)}${handed}) `);
      li.append(actionButton(t('files.download'), f.file_name, () => downloadExport(`/attachments/${f.id}`, f.file_name)
        .catch((err) => showMessage(error, err.message))));
      if (editable && !f.handed_in_version) {
        li.append(' ', actionButton(t('files.remove'), f.file_name, () => request('DELETE', `/attachments/${f.id}`)
          .then(() => changed(t('files.removed', { name: f.file_name })))
          .catch((err) => showMessage(error, err.message))));
      }
      return li;
    }) : [el('li', t('files.none'))]));
    form.hidden = !editable;
  };
}
