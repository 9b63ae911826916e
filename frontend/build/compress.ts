import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** What the host serves precompressed; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|svg|json|html|txt|map)$/;
/** Below this a compressed answer saves less than its headers cost. */
const MIN_BYTES = 1024;

/** Every file under `folder`, skipping dot-folders such as `.vite/` (the host never serves them). */
async function* filesUnder(folder: string): AsyncGenerator<string> {
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

export function brotli(bytes: Buffer): Buffer {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
}

export function gzip(bytes: Buffer): Buffer {
  return gzipSync(bytes, { level: 9 });
}

/** Writes `name.br` and `name.gz` beside each compressible file of `folder` above MIN_BYTES. */
export async function compressFolder(folder: string): Promise<number> {
  let written = 0;
  for await (const path of filesUnder(folder)) {
    if (!COMPRESSIBLE.test(path) || (await stat(path)).size < MIN_BYTES) continue;
    const bytes = await readFile(path);
    await writeFile(`${path}.br`, brotli(bytes));
    await writeFile(`${path}.gz`, gzip(bytes));
    written += 1;
  }
  return written;
}

/**
 * Precompresses the build: the host picks `.br` or `.gz` by the request's Accept-Encoding, so
 * no CPU is spent compressing per request and brotli can run at its slowest, smallest setting.
 */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'tenantry:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    async closeBundle() {
      await compressFolder(outDir);
    },
  };
}
