// Every message catalogue (the shared one in en.ts/de.ts and each screen's messages*.ts) has the
// same keys in English and German, with the same {placeholders}, and every key is used by some
// code: a key is used when the source names it in quotes, or builds it from a template literal
// whose fixed start it begins with (t(`status.${s}`) uses every status.* key).
import { describe, expect, it } from 'vitest';
import { en } from './en';
import { de } from './de';

type Cat = { en: Record<string, string>; de: Record<string, string> };

function isCatalogue(x: unknown): x is Cat {
  return !!x && typeof x === 'object' && 'en' in x && 'de' in x && typeof (x as Cat).en === 'object' && typeof (x as Cat).de === 'object';
}

/** The catalogues: the shared one and every export of a messages*.ts file that pairs en and de. */
function catalogues(): [string, Cat][] {
  const out: [string, Cat][] = [['shared/i18n', { en, de }]];
  const modules = import.meta.glob<Record<string, unknown>>('../../**/messages*.ts', { eager: true });
  for (const [file, mod] of Object.entries(modules)) {
    for (const [name, value] of Object.entries(mod)) {
      if (isCatalogue(value)) out.push([`${file}#${name}`, value]);
    }
  }
  return out;
}

/** The source code that may use keys: every module except tests and the catalogues themselves. */
function code(): string {
  const files = import.meta.glob<string>('../../**/*.{ts,tsx}', { eager: true, query: '?raw', import: 'default' });
  return Object.entries(files)
    // Keys are relative to this folder: its own files are ./en.ts and ./de.ts.
    .filter(([f]) => !/\.test\.tsx?$/.test(f) && !/\/messages[^/]*\.ts$/.test(f) && !/^\.\/(en|de)\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .map(([, text]) => text)
    .join('\n');
}

const placeholders = (m: string) => [...m.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();

describe('message catalogues', () => {
  const cats = catalogues();

  it('finds the screens’ catalogues', () => {
    // The shared one and at least the editors', the logs' and the administration's.
    expect(cats.length).toBeGreaterThanOrEqual(5);
  });

  it.each(cats)('%s has every key in both languages, with the same placeholders', (_, c) => {
    expect(Object.keys(c.de).sort()).toEqual(Object.keys(c.en).sort());
    const differ = Object.keys(c.en).filter((k) => c.de[k] !== undefined && placeholders(c.en[k]!).join() !== placeholders(c.de[k]!).join());
    expect(differ).toEqual([]);
  });

  it('uses every key', () => {
    const src = code();
    const prefixes = [...src.matchAll(/`([a-zA-Z][\w.]*\.)\$\{/g)].map((m) => m[1]!);
    const used = (k: string) => src.includes(`'${k}'`) || src.includes(`"${k}"`) || src.includes(`\`${k}\``) || prefixes.some((p) => k.startsWith(p));
    const unused = cats.flatMap(([name, c]) => Object.keys(c.en).filter((k) => !used(k)).map((k) => `${name}: ${k}`));
    expect(unused).toEqual([]);
  });
});
