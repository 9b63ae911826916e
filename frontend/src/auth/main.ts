/**
 * The auth entry (dist/auth-<hash>.js, named by Vite's manifest), loaded by the server's
 * /a/auth/login and /a/auth/signup shells: styles the document and defines <tn-auth-page>,
 * which upgrades the element already there. The sign-in pages use no Shoelace component, so
 * they load none of the design system's tokens (the branding's --tn-* properties theme them).
 */
import { adoptDocumentStyles } from '../shared/document-styles.js';
import './tn-auth-page.js';

adoptDocumentStyles(document);
