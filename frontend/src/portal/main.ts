/**
 * Entry of /static/portal.js, loaded by the server's /ui/ shell: styles the document and
 * defines <tn-portal>, which upgrades the element already there.
 */
import { installDesignSystem } from '../shared/design-system.js';
import { adoptDocumentStyles } from '../shared/document-styles.js';
import './tn-portal.js';

installDesignSystem(document);
adoptDocumentStyles(document);
