import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest, Plugin } from 'vite';
import { gzip } from './compress.js';

/** What a page family downloads first, and each chunk it may load later. */
export interface PageFamily {
  name: string;
  /** The entry and everything it imports statically, transitively. */
  initial: string[];
  /** Each lazily loaded chunk, with the static imports it brings that `initial` lacks. */
  lazy: { name: string; files: string[] }[];
}

function staticClosure(manifest: Manifest, keys: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return seen;
}

/** The entries of a Vite manifest as page families, following `imports` and `dynamicImports`. */
export function pageFamilies(manifest: Manifest): PageFamily[] {
  return Object.entries(manifest)
    .filter(([, chunk]) => chunk.isEntry)
    .map(([key, entry]) => {
      const initialKeys = staticClosure(manifest, [key]);
      const lazyKeys = new Set<string>();
      const queue = [...initialKeys];
      while (queue.length) {
        for (const dynamic of manifest[queue.pop()!]?.dynamicImports ?? []) {
          if (lazyKeys.has(dynamic) || initialKeys.has(dynamic)) continue;
          lazyKeys.add(dynamic);
          queue.push(...staticClosure(manifest, [dynamic]));
        }
      }
      const files = (keys: Iterable<string>) => [...keys].map((k) => manifest[k].file);
      return {
        name: entry.name ?? key,
        initial: files(initialKeys),
        lazy: [...lazyKeys].map((lazyKey) => ({
          name: manifest[lazyKey].name ?? lazyKey,
          files: files([...staticClosure(manifest, [lazyKey])].filter((k) => !initialKeys.has(k))),
        })),
      };
    });
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Prints raw and gzip sizes of each page family's initial JavaScript and of each lazy chunk. */
export function sizeReport(): Plugin {
  let outDir = 'dist';
  return {
    name: 'tenantry:size-report',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    async closeBundle() {
      const manifest = JSON.parse(
        await readFile(join(outDir, '.vite', 'manifest.json'), 'utf8'),
      ) as Manifest;
      const sizeOf = async (files: string[]) => {
        let raw = 0;
        let zipped = 0;
        for (const file of new Set(files)) {
          const bytes = await readFile(join(outDir, file));
          raw += bytes.length;
          zipped += gzip(bytes).length;
        }
        return `${kb(raw).padStart(10)} ${kb(zipped).padStart(10)}`;
      };
      const rows = [`${'JavaScript'.padEnd(40)} ${'raw'.padStart(10)} ${'gzip'.padStart(10)}`];
      for (const family of pageFamilies(manifest)) {
        rows.push(`${`${family.name} (initial)`.padEnd(40)} ${await sizeOf(family.initial)}`);
        for (const chunk of family.lazy.sort((a, b) => a.name.localeCompare(b.name))) {
          rows.push(`${`  lazy ${chunk.name}`.padEnd(40)} ${await sizeOf(chunk.files)}`);
        }
      }
      console.log(`\n${rows.join('\n')}\n`);
    },
  };
}
