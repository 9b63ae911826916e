/**
 * The auth entry (dist/auth-<hash>.js, named by Vite's manifest), loaded by the server's
 * /a/auth/login and /a/auth/signup shells: styles the document and defines <tn-auth-page>,
 * which upgrades the element already there.
 */
import { installDesignSystem } from '../shared/design-system.js';
import { adoptDocumentStyles } from '../shared/document-styles.js';
import './tn-auth-page.js';

installDesignSystem(document);
adoptDocumentStyles(document);
