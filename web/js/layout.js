// What every page shares: the texts in the chosen language, the language switch, and the
// signed-in user in the header with the menu that fits their role.

import { ApiError, currentUser, logout, may } from './api.js';
import { applyTexts, t, toggleLanguage } from './i18n.js';

function link(href, key) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = href;
  a.dataset.i18n = key;
  a.textContent = t(key);
  if (location.pathname === href || (href === '/' && location.pathname === '/index.html')) {
    a.setAttribute('aria-current', 'page');
  }
  li.append(a);
  return li;
}

/** The button that folds the menu away on narrow screens (CSS shows it only there). */
function menuToggle(nav) {
  let toggle = document.getElementById('menu-toggle');
  if (!toggle) {
    toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.id = 'menu-toggle';
    toggle.className = 'menu-toggle';
    toggle.setAttribute('aria-controls', nav.id);
    toggle.setAttribute('aria-expanded', 'false');
    toggle.addEventListener('click', () => {
      const open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
    });
    nav.closest('nav').before(toggle);
  }
  toggle.dataset.i18n = 'nav.menu';
  toggle.textContent = t('nav.menu');
}

/**
 * Gives every table cell the name of its column (`data-label`, from the table head), so a
 * phone can show each row as a card; kept up as pages render rows and change language.
 */
function labelTableCells() {
  const label = () => {
    for (const table of document.querySelectorAll('.table-scroll table')) {
      const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
      for (const row of table.querySelectorAll('tbody tr')) {
        [...row.children].forEach((cell, i) => {
          const name = names[i] || '';
          if (cell.dataset.label !== name) cell.dataset.label = name;
        });
      }
    }
  };
  label();
  new MutationObserver(label).observe(document.body, { childList: true, subtree: true, characterData: true });
}

/**
 * Designsystemet's components for the page's own elements: buttons, fields and notices get
 * its classes (`ds-button`, `ds-input`, `ds-alert`), also as pages render new ones.
 */
function designSystem() {
  const apply = () => {
    for (const b of document.querySelectorAll('button.primary:not(.ds-button), button.secondary:not(.ds-button)')) {
      b.classList.add('ds-button');
      b.dataset.variant = b.classList.contains('primary') ? 'primary' : 'secondary';
    }
    const fields = 'input:not([type=checkbox]):not([type=radio]):not([type=hidden]):not(.ds-input), select:not(.ds-input), textarea:not(.ds-input)';
    for (const f of document.querySelectorAll(fields)) f.classList.add('ds-input');
    for (const [selector, color] of [['.error', 'danger'], ['.notice', 'success'], ['.banner', 'warning']]) {
      for (const box of document.querySelectorAll(`${selector}:not(.ds-alert)`)) {
        box.classList.add('ds-alert');
        box.dataset.color = color;
      }
    }
  };
  apply();
  new MutationObserver(apply).observe(document.body, { childList: true, subtree: true });
}

/** The municipality's name beside the product's in the header (`GET /api/v1/site`). */
async function renderBrand() {
  const brand = document.querySelector('.site-header .brand');
  if (!brand) return;
  let site = null;
  try {
    site = JSON.parse(sessionStorage.getItem('utblick.site') || 'null');
  } catch {
    site = null;
  }
  if (!site) {
    try {
      const res = await fetch('/api/v1/site', { headers: { Accept: 'application/json' } });
      if (res.ok) {
        site = await res.json();
        sessionStorage.setItem('utblick.site', JSON.stringify(site));
      }
    } catch {
      return;
    }
  }
  if (!site || !site.municipality) return;
  let name = brand.querySelector('.municipality');
  if (!name) {
    name = document.createElement('span');
    name.className = 'municipality';
    brand.append(name);
  }
  name.textContent = site.municipality;
}

/** The footer of every page: what Utblick is, and the statements the law asks for. */
function renderFooter() {
  let footer = document.querySelector('footer.site-footer');
  if (!footer) {
    footer = document.createElement('footer');
    footer.className = 'site-footer';
    document.body.append(footer);
  }
  const wrap = document.createElement('div');
  wrap.className = 'wrap';
  const about = document.createElement('p');
  about.dataset.i18n = 'footer';
  const links = document.createElement('ul');
  links.className = 'footer-links';
  for (const [href, key] of [['/compilation.html', 'footer.compilations'], ['/tillganglighet.html', 'footer.a11y'], ['/personuppgifter.html', 'footer.privacy'], ['/api/docs/', 'footer.api']]) {
    const a = document.createElement('a');
    a.href = href;
    a.dataset.i18n = key;
    const li = document.createElement('li');
    li.append(a);
    links.append(li);
  }
  wrap.append(about, links);
  footer.replaceChildren(wrap);
}

/** Fills the menu and the account area of the header. */
export function renderHeader() {
  const nav = document.getElementById('nav-list');
  const user = currentUser();
  const items = [link('/', 'nav.programme')];
  items.push(link('/frameworks.html', 'nav.frameworks'));
  if (user) {
    items.push(link('/decisions.html', 'nav.decisions'), link('/twin-towns.html', 'nav.twins'),
      link('/projects.html', 'nav.projects'), link('/activities.html', 'nav.activities'), link('/leads.html', 'nav.leads'),
      link('/reports.html', 'nav.reports'), link('/kpis.html', 'nav.kpis'),
      link('/collaborations.html', 'nav.collabs'), link('/contacts.html', 'nav.contacts'), link('/organisations.html', 'nav.orgs'));
  }
  if (may('manage_users')) items.push(link('/users.html', 'nav.users'));
  if (may('manage_tokens')) items.push(link('/tokens.html', 'nav.tokens'));
  // The two logs share one menu item; each page links the other.
  if (may('read_audit')) items.push(link('/audit.html', 'nav.logs'));
  else if (may('read_security_log')) items.push(link('/security.html', 'nav.logs'));
  // The API documentation is for IT: every page's footer links it, and the menu keeps to
  // the work (an administrator's menu holds fifteen registers and still fits two rows).
  nav.replaceChildren(...items);
  menuToggle(nav);

  const account = document.getElementById('account');
  account.replaceChildren();
  if (user) {
    const name = document.createElement('span');
    name.className = 'who';
    name.id = 'signed-in-as';
    name.textContent = user.display_name;
    const pw = document.createElement('a');
    pw.href = '/password.html';
    pw.dataset.i18n = 'nav.password';
    pw.textContent = t('nav.password');
    const out = document.createElement('button');
    out.type = 'button';
    out.className = 'link-button';
    out.id = 'logout';
    out.dataset.i18n = 'nav.logout';
    out.textContent = t('nav.logout');
    out.addEventListener('click', async () => {
      // A session of the municipality's identity provider ends there too.
      const atProvider = await logout().catch(() => null);
      location.assign(atProvider || '/');
    });
    account.append(name, pw, out);
  } else {
    const a = document.createElement('a');
    a.href = `/login.html?next=${encodeURIComponent(location.pathname)}`;
    a.id = 'login-link';
    a.dataset.i18n = 'nav.login';
    a.textContent = t('nav.login');
    account.append(a);
  }
}

/** Sets up the shared parts; `onLanguage` re-renders the page's own content. */
export function setUpPage(onLanguage = () => {}) {
  renderHeader();
  renderFooter();
  applyTexts();
  labelTableCells();
  designSystem();
  renderBrand();
  document.getElementById('lang-switch').addEventListener('click', () => {
    toggleLanguage();
    onLanguage();
  });
}

/** Shows problem+json field errors next to their fields, and a summary in `summary`. */
export function showFormErrors(form, err, summary) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    el.removeAttribute('aria-describedby');
  }
  summary.hidden = !err;
  if (!err) return;
  summary.textContent = err.message;
  let first = null;
  for (const [field, message] of Object.entries(err.fields || {})) {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (!input) continue;
    const p = document.createElement('p');
    p.className = 'field-error';
    p.id = `${input.id}-error`;
    p.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', p.id);
    input.closest('.field')?.append(p);
    first ??= input;
  }
  (first || summary).focus();
}

/**
 * Submits a form's request: `send()` makes it; on success the errors go and `done()` runs;
 * on failure the server's field errors are shown at their fields (or, when Utblick does
 * not answer, a network message in the summary).
 */
export async function submitForm(form, summary, send, done) {
  try {
    await send();
    showFormErrors(form, null, summary);
    await done();
  } catch (err) {
    showFormErrors(form, err instanceof ApiError ? err : new Error(t('error.network')), summary);
  }
}
