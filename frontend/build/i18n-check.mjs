// `npm run i18n:check` (part of `npm run lint`): fails when the message catalogue is behind the
// source. It extracts and builds into a scratch folder and compares: every msg() must be in
// xliff/*.xlf as written, src/locales/*.ts must be what `npm run i18n:build` writes, and every
// message must have a German <target> (German is complete; Arabic may be partial).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';

const COMPLETE_LOCALES = ['de'];
const root = resolve(import.meta.dirname, '..');
const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8'));
const scratch = mkdtempSync(join(tmpdir(), 'tn-i18n-'));
const scratchConfig = join(root, '.lit-localize.check.json');
const problems = [];

try {
  cpSync(join(root, config.interchange.xliffDir), join(scratch, 'xliff'), { recursive: true });
  writeFileSync(
    scratchConfig,
    JSON.stringify({
      ...config,
      interchange: { ...config.interchange, xliffDir: join(scratch, 'xliff') },
      output: {
        ...config.output,
        outputDir: join(scratch, 'locales'),
        localeCodesModule: join(scratch, 'locales', 'locale-codes.ts'),
      },
    }),
  );
  const cli = join(root, 'node_modules', '.bin', 'lit-localize');
  for (const command of ['extract', 'build']) {
    try {
      execFileSync(cli, [command, '--config', scratchConfig], { cwd: root, stdio: 'pipe' });
    } catch (failed) {
      // Such as a translation whose placeholders no longer match its source.
      problems.push(`lit-localize ${command} failed:\n${String(failed.stderr ?? failed)}`);
    }
  }
  if (problems.length > 0) throw new Error('lit-localize failed');
  for (const locale of config.targetLocales) {
    const committed = readFileSync(join(root, config.interchange.xliffDir, `${locale}.xlf`), 'utf8');
    const extracted = readFileSync(join(scratch, 'xliff', `${locale}.xlf`), 'utf8');
    if (extracted !== committed) {
      problems.push(`xliff/${locale}.xlf is behind the source's msg() calls: run npm run i18n:extract`);
    }
    if (COMPLETE_LOCALES.includes(locale)) {
      const units = extracted.match(/<trans-unit\b[\s\S]*?<\/trans-unit>/g) ?? [];
      for (const unit of units.filter((text) => !text.includes('<target>'))) {
        problems.push(`xliff/${locale}.xlf has no translation for ${/id="([^"]+)"/.exec(unit)?.[1]}`);
      }
    }
  }
  for (const file of readdirSync(join(scratch, 'locales'))) {
    const built = readFileSync(join(scratch, 'locales', file), 'utf8');
    let committed = '';
    try {
      committed = readFileSync(join(root, config.output.outputDir, file), 'utf8');
    } catch {
      // reported below as out of date
    }
    if (built !== committed) {
      problems.push(`${config.output.outputDir}/${file} is out of date: run npm run i18n:build`);
    }
  }
} catch (error) {
  if (problems.length === 0) throw error;
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(scratchConfig, { force: true });
}

if (problems.length > 0) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}
