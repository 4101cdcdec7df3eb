// The accessibility statement and the privacy notice: text only, in the page's language.
import { whenReady } from './api.js';
import { setUpPage } from './layout.js';

whenReady(() => setUpPage());
