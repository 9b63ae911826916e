/**
 * Entry of /static/embed/embed.js, which an app loads in its own pages to embed Tenantry's
 * widgets (`<tenantry-members token="…">`, …): the design system's tokens on the page, and the
 * widget elements, each loading its portal element when first shown.
 */
import { installDesignSystem } from '../shared/design-system.js';
import './widgets.js';

installDesignSystem(document);
