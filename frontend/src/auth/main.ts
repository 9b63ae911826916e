/**
 * The auth entry (dist/auth-<hash>.js, named by Vite's manifest), loaded by the server's
 * /a/auth/login and /a/auth/signup shells: styles the document and defines <tn-auth-page>,
 * which upgrades the element already there. The sign-in pages use no Shoelace component, so
 * they load none of the design system's tokens (the branding's --tn-* properties theme them).
 * The page speaks the application's `ui_locales`, else the browser's language; the card waits
 * for that language's messages before it first renders.
 */
import { adoptDocumentStyles } from '../shared/document-styles.js';
import { startLocalization } from '../shared/i18n.js';
import { readAuthConfig } from './config.js';
import './tn-auth-page.js';

adoptDocumentStyles(document);
void startLocalization({ uiLocales: readAuthConfig(document).uiLocales });
