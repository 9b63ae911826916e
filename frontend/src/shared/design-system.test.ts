import { getIconLibrary } from '@shoelace-style/shoelace/dist/components/icon/library.js';
import { describe, expect, it } from 'vitest';
import { ICONS, iconUrl, installDesignSystem } from './design-system.js';

const rulesOf = (sheet: CSSStyleSheet) => Array.from(sheet.cssRules, (rule) => rule.cssText).join('\n');

describe('design system', () => {
  it('adopts the tokens once, keeping sheets adopted before them', () => {
    const earlier = new CSSStyleSheet();
    document.adoptedStyleSheets = [earlier];
    installDesignSystem(document);
    installDesignSystem(document);

    const sheets = document.adoptedStyleSheets;
    expect(sheets[0]).toBe(earlier);
    expect(sheets).toHaveLength(4);
    const text = sheets.slice(1).map(rulesOf).join('\n');
    expect(text).toContain('--sl-color-primary-600');
    expect(text).toMatch(/prefers-color-scheme: dark/);
    // the brand themes the components: Shoelace's primary and focus ring are ours
    expect(text).toMatch(/--sl-color-primary-600:\s*var\(--tn-primary\)/);
    expect(text).toMatch(/--sl-focus-ring-color:\s*var\(--tn-primary\)/);
    document.adoptedStyleSheets = [];
  });

  it('draws icons from inline SVG, never from a CDN', () => {
    installDesignSystem(document);
    const library = getIconLibrary('default');
    expect(library?.resolver('three-dots')).toBe(iconUrl('three-dots'));
    for (const name of Object.keys(ICONS)) {
      const url = iconUrl(name);
      expect(url.startsWith('data:image/svg+xml,')).toBe(true);
      expect(decodeURIComponent(url)).toContain('<svg');
    }
    expect(iconUrl('not-an-icon')).toBe('');
    document.adoptedStyleSheets = [];
  });
});
