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
  },
};

const STORAGE_KEY = 'utblick.lang';

function initialLanguage() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl in TEXTS) return fromUrl;
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
