/**
 * The portal entry (dist/portal-<hash>.js, named by Vite's manifest), loaded by the server's
 * /ui/ shell: styles the document and defines <tn-portal>, which upgrades the element already
 * there; each page's elements load later (page-loaders.ts).
 */
import { installDesignSystem } from '../shared/design-system.js';
import { adoptDocumentStyles } from '../shared/document-styles.js';
import './tn-portal.js';

installDesignSystem(document);
adoptDocumentStyles(document);
