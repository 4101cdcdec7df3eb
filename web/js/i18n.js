// Swedish by default, English on request. Texts of the programme itself stay Swedish:
// they are the municipality's adopted wording.

const TEXTS = {
  sv: {
    skip: 'Hoppa till innehållet',
    'nav.label': 'Huvudmeny',
    'nav.programme': 'Programmet',
    'nav.api': 'API-dokumentation',
    'lang.switch': 'In English',
    loading: 'Hämtar programmet …',
    loaded: 'Programmet är hämtat.',
    'programme.eyebrow': 'Styrdokument',
    'facts.heading': 'Dokumentfakta',
    'facts.document_id': 'Dokument-ID',
    'facts.diarienummer': 'Diarienummer',
    'facts.version': 'Version',
    'facts.document_type': 'Dokumenttyp',
    'facts.status': 'Status',
    'facts.administration': 'Förvaltning',
    'facts.department': 'Ansvarig',
    'facts.decided_by': 'Beslutat av',
    'facts.published': 'Publiceringsdatum',
    'facts.revise_by': 'Revideras',
    'purpose.heading': 'Syfte och mål',
    'areas.heading': 'Prioriterade områden',
    'areas.hint': 'Områdena vägleder men begränsar inte: projekt utanför dem är möjliga om de bidrar till smart och hållbar tillväxt för alla och ger ett bestående värde.',
    'kinds.heading': 'Tre slags internationellt arbete',
    'frameworks.heading': 'Målramverk som programmet knyter an till',
    'frameworks.owner': 'Antaget av',
    'frameworks.year': 'år',
    'frameworks.overall': 'Övergripande mål',
    'background.heading': 'Bakgrund',
    'versions.heading': 'Alla programversioner',
    'versions.title': 'Titel',
    footer: 'Utblick – kommunens system för det internationella arbetet.',
    'footer.api': 'API-dokumentation (OpenAPI)',
    'revision.overdue': 'Programmet skulle ha reviderats senast {date}. Revidering är försenad.',
    'revision.due': 'Programmet ska revideras senast {date}.',
    'error.none': 'Det finns inget program registrerat ännu.',
    'error.network': 'Utblick svarar inte. Kontrollera nätverket och försök igen.',
    'error.api': 'Programmet kunde inte hämtas: {detail}',
    'status.draft': 'Utkast',
    'status.adopted': 'Antagen',
    'status.superseded': 'Ersatt',
    'body.council': 'Kommunfullmäktige',
    'body.executive_board': 'Kommunstyrelsen',
    'body.committee': 'Nämnd',
    'body.company_board': 'Bolagsstyrelse',
    'type.programme': 'Program',
    'type.policy': 'Policy',
    'type.plan': 'Plan',
    'type.strategy': 'Strategi',
    'type.guideline': 'Riktlinje',
    'kind.horizon_scanning': 'Omvärldsbevakning',
    'kind.positioning': 'Positionering',
    'kind.development': 'Verksamhetsutveckling',
    none: '–',
    'nav.users': 'Användare',
    'nav.tokens': 'API-nycklar',
    'nav.password': 'Byt lösenord',
    'nav.login': 'Logga in',
    'nav.logout': 'Logga ut',
    'login.title': 'Logga in',
    'login.email': 'E-postadress',
    'login.password': 'Lösenord',
    'login.submit': 'Logga in',
    'login.intro': 'Logga in med din e-postadress i kommunen. Allmänheten kan läsa det antagna programmet utan att logga in.',
    'password.title': 'Byt lösenord',
    'password.current': 'Nuvarande lösenord',
    'password.new': 'Nytt lösenord',
    'password.repeat': 'Upprepa det nya lösenordet',
    'password.hint': 'Minst 12 tecken. Ett par ord i en mening blir ett bra lösenord.',
    'password.submit': 'Byt lösenord',
    'password.done': 'Lösenordet är bytt. Dina andra inloggningar har avslutats.',
    'password.mismatch': 'Lösenorden är inte lika.',
    'password.must': 'Ditt lösenord har återställts. Välj ett eget innan du fortsätter.',
    'users.title': 'Användare',
    'users.new': 'Ny användare',
    'users.email': 'E-post',
    'users.name': 'Namn',
    'users.role': 'Roll',
    'users.organisation': 'Organisation',
    'users.none': '(ingen)',
    'users.password': 'Första lösenord',
    'users.password.hint': 'Minst 12 tecken. Personen byter det vid första inloggningen.',
    'users.active': 'Aktiv',
    'users.actions': 'Åtgärder',
    'users.create': 'Skapa användare',
    'users.created': 'Användaren {email} är skapad.',
    'users.deactivate': 'Inaktivera',
    'users.activate': 'Aktivera',
    'users.saved': 'Ändringen är sparad.',
    'users.yes': 'Ja',
    'users.no': 'Nej',
    'role.admin': 'Administratör',
    'role.coordinator': 'Samordnare',
    'role.reporter': 'Rapportör',
    'role.reader': 'Läsare',
    'tokens.title': 'API-nycklar',
    'tokens.intro': 'Nycklar för system som hämtar data ur Utblick, till exempel styrkortssystemet. En nyckel visas bara en gång.',
    'tokens.new': 'Ny API-nyckel',
    'tokens.name': 'Vad nyckeln används till',
    'tokens.scopes': 'Behörigheter',
    'tokens.expires': 'Gäller till och med (valfritt)',
    'tokens.create': 'Skapa nyckel',
    'tokens.shown_once': 'Kopiera nyckeln nu. Den visas inte igen.',
    'tokens.copy': 'Kopiera',
    'tokens.copied': 'Kopierad.',
    'tokens.prefix': 'Början',
    'tokens.last_used': 'Senast använd',
    'tokens.status': 'Status',
    'tokens.revoke': 'Återkalla',
    'tokens.revoked': 'Återkallad',
    'tokens.valid': 'Giltig',
    'tokens.confirm': 'Återkalla nyckeln {name}? System som använder den slutar fungera direkt.',
    'tokens.never': 'aldrig',
    'scope.read': 'Läsa',
    'scope.export': 'Exportera',
    'scope.kpi:read': 'Läsa styrtal',
    'scope.goals:write': 'Skriva mål',
    'scope.import': 'Importera',
    'forbidden': 'Du har inte behörighet till den här sidan.',
  },
  en: {
    skip: 'Skip to content',
    'nav.label': 'Main menu',
    'nav.programme': 'The programme',
    'nav.api': 'API documentation',
    'lang.switch': 'På svenska',
    loading: 'Loading the programme …',
    loaded: 'The programme has loaded.',
    'programme.eyebrow': 'Governing document',
    'facts.heading': 'Document facts',
    'facts.document_id': 'Document ID',
    'facts.diarienummer': 'Registry number (diarienummer)',
    'facts.version': 'Version',
    'facts.document_type': 'Document type',
    'facts.status': 'Status',
    'facts.administration': 'Administration',
    'facts.department': 'Responsible department',
    'facts.decided_by': 'Decided by',
    'facts.published': 'Published',
    'facts.revise_by': 'To be revised by',
    'purpose.heading': 'Purpose and goals',
    'areas.heading': 'Priority areas',
    'areas.hint': 'The areas guide but do not limit: projects outside them are possible if they contribute to smart and sustainable growth for all and give lasting value.',
    'kinds.heading': 'Three kinds of international work',
    'frameworks.heading': 'Goal frameworks the programme links to',
    'frameworks.owner': 'Adopted by',
    'frameworks.year': 'in',
    'frameworks.overall': 'Overall goal',
    'background.heading': 'Background',
    'versions.heading': 'All programme versions',
    'versions.title': 'Title',
    footer: "Utblick – the municipality's system for its international work.",
    'footer.api': 'API documentation (OpenAPI)',
    'revision.overdue': 'The programme should have been revised by {date}. Its revision is overdue.',
    'revision.due': 'The programme is to be revised by {date}.',
    'error.none': 'No programme has been registered yet.',
    'error.network': 'Utblick does not answer. Check the network and try again.',
    'error.api': 'The programme could not be loaded: {detail}',
    'status.draft': 'Draft',
    'status.adopted': 'Adopted',
    'status.superseded': 'Superseded',
    'body.council': 'Municipal council (Kommunfullmäktige)',
    'body.executive_board': 'Municipal executive board (Kommunstyrelsen)',
    'body.committee': 'Committee',
    'body.company_board': 'Company board',
    'type.programme': 'Programme',
    'type.policy': 'Policy',
    'type.plan': 'Plan',
    'type.strategy': 'Strategy',
    'type.guideline': 'Guideline',
    'kind.horizon_scanning': 'Horizon scanning',
    'kind.positioning': 'Positioning',
    'kind.development': 'Operational development',
    none: '–',
    'nav.users': 'Users',
    'nav.tokens': 'API tokens',
    'nav.password': 'Change password',
    'nav.login': 'Sign in',
    'nav.logout': 'Sign out',
    'login.title': 'Sign in',
    'login.email': 'E-mail address',
    'login.password': 'Password',
    'login.submit': 'Sign in',
    'login.intro': 'Sign in with your municipal e-mail address. The public can read the adopted programme without signing in.',
    'password.title': 'Change password',
    'password.current': 'Current password',
    'password.new': 'New password',
    'password.repeat': 'Repeat the new password',
    'password.hint': 'At least 12 characters. A few words in a sentence make a good password.',
    'password.submit': 'Change password',
    'password.done': 'Your password is changed. Your other sessions have ended.',
    'password.mismatch': 'The passwords differ.',
    'password.must': 'Your password was reset. Choose your own before you go on.',
    'users.title': 'Users',
    'users.new': 'New user',
    'users.email': 'E-mail',
    'users.name': 'Name',
    'users.role': 'Role',
    'users.organisation': 'Organisation',
    'users.none': '(none)',
    'users.password': 'First password',
    'users.password.hint': 'At least 12 characters. The person changes it at first sign-in.',
    'users.active': 'Active',
    'users.actions': 'Actions',
    'users.create': 'Create user',
    'users.created': 'The user {email} has been created.',
    'users.deactivate': 'Deactivate',
    'users.activate': 'Activate',
    'users.saved': 'The change is saved.',
    'users.yes': 'Yes',
    'users.no': 'No',
    'role.admin': 'Administrator',
    'role.coordinator': 'Coordinator',
    'role.reporter': 'Reporter',
    'role.reader': 'Reader',
    'tokens.title': 'API tokens',
    'tokens.intro': 'Tokens for systems that read from Utblick, such as the scorecard system. A token is shown only once.',
    'tokens.new': 'New API token',
    'tokens.name': 'What the token is for',
    'tokens.scopes': 'Permissions',
    'tokens.expires': 'Valid until (optional)',
    'tokens.create': 'Create token',
    'tokens.shown_once': 'Copy the token now. It will not be shown again.',
    'tokens.copy': 'Copy',
    'tokens.copied': 'Copied.',
    'tokens.prefix': 'Starts with',
    'tokens.last_used': 'Last used',
    'tokens.status': 'Status',
    'tokens.revoke': 'Revoke',
    'tokens.revoked': 'Revoked',
    'tokens.valid': 'Valid',
    'tokens.confirm': 'Revoke the token {name}? Systems using it stop working at once.',
    'tokens.never': 'never',
    'scope.read': 'Read',
    'scope.export': 'Export',
    'scope.kpi:read': 'Read KPIs',
    'scope.goals:write': 'Write goals',
    'scope.import': 'Import',
    'forbidden': 'You do not have access to this page.',
  },
};

const STORAGE_KEY = 'utblick.lang';

function initialLanguage() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl in TEXTS) {
    // A link with ?lang= chooses the language for the pages that follow too.
    try { localStorage.setItem(STORAGE_KEY, fromUrl); } catch { /* storage may be off */ }
    return fromUrl;
  }
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored in TEXTS) return stored;
  } catch { /* storage may be off */ }
  return 'sv';
}

let lang = initialLanguage();

export function language() {
  return lang;
}

/** The text for `key` in the current language, with `{name}` placeholders filled. */
export function t(key, values = {}) {
  const text = TEXTS[lang][key] ?? TEXTS.sv[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');
}

/** Puts the current language on every element marked with data-i18n attributes. */
export function applyTexts(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
  const button = document.getElementById('lang-switch');
  if (button) {
    button.textContent = t('lang.switch');
    button.lang = lang === 'sv' ? 'en' : 'sv';
  }
}

export function setLanguage(next) {
  if (!(next in TEXTS)) return;
  lang = next;
  try { localStorage.setItem(STORAGE_KEY, next); } catch { /* storage may be off */ }
  applyTexts();
}

export function toggleLanguage() {
  setLanguage(lang === 'sv' ? 'en' : 'sv');
}
