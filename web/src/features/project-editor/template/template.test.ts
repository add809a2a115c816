import { describe, expect, it } from 'vitest';
import { dnsVersionName, parseTemplate, renderTemplate, safeVersionName, sampleBuiltins, variableUses } from './language';
import { completeAt, lintTemplate, lintUrlTemplate, maskTags } from './lint';

const vars = sampleBuiltins({ projectName: 'Shop', imageName: 'team/shop', imageHost: 'registry.example.com:5000', tag: 'Feature/Login_2' });

describe('renderTemplate (the URL preview)', () => {
  it('fills built-ins as the server computes them', () => {
    expect(renderTemplate('https://{{SAFE_VERSION_NAME}}.{{fn.lowerCase(PROJECT_NAME)}}.example.com', { vars })).toBe(
      'https://featurelogin2.shop.example.com',
    );
    expect(renderTemplate('{{DNS_VERSION_NAME}} {{IMAGE_REF}}', { vars })).toBe('feature-login-2 registry.example.com:5000/team/shop:Feature/Login_2');
  });

  it('evaluates functions, operators, conditions and loops', () => {
    expect(renderTemplate('{{fn.replace(VERSION_NAME, "/", "-")}}', { vars })).toBe('Feature-Login_2');
    expect(renderTemplate('{{fn.suffixWithMaxLength("abcdef", "-x", 5)}}', { vars })).toBe('abc-x');
    expect(renderTemplate('{{fn.truncate("abcdef", 2)}}|{{fn.removeStart("v1.2", "v")}}|{{fn.trim("  a ")}}', { vars })).toBe('ab|1.2|a');
    expect(renderTemplate('{{1 + 2 * 3}} {{7 / 2}} {{"n" + 1}} {{1.5 + 1}}', { vars })).toBe('7 3 n1 2.5');
    expect(renderTemplate('{{if IMAGE_TAG == "x"}}a{{elseif true && !false}}b{{else}}c{{end}}', { vars })).toBe('b');
    expect(renderTemplate('{{PROJECT_NAME == "Shop" ? "yes" : "no"}}', { vars })).toBe('yes');
    expect(renderTemplate('{{for i, u in URLS}}{{i}}={{u}};{{end}}{{URLS[1]}}', { vars, urls: ['a', 'b'] })).toBe('0=a;1=b;b');
    expect(renderTemplate('\\{x\\}', { vars })).toBe('{x}');
  });

  it('fails like the server on undefined variables, bad indexes and kinds', () => {
    expect(() => renderTemplate('{{NOPE}}', { vars })).toThrow(/NOPE is not defined/);
    expect(() => renderTemplate('{{URLS[2]}}', { vars, urls: ['a'] })).toThrow(/out of range/);
    expect(() => renderTemplate('{{if PROJECT_NAME}}x{{end}}', { vars })).toThrow(/boolean/);
    expect(() => renderTemplate('{{1 / 0}}', { vars })).toThrow(/division by zero/);
  });
});

describe('sample built-ins', () => {
  it('sanitises tags like internal/render', () => {
    expect(safeVersionName('Release-1.2.3_RC')).toBe('release123rc');
    expect(dnsVersionName('--Release_1.2--')).toBe('release-1-2');
    expect(dnsVersionName('x'.repeat(70))).toHaveLength(63);
    expect(sampleBuiltins({ projectName: 'p', imageName: 'a/b', tag: '1' }).IMAGE_REF).toBe('a/b:1');
  });
});

describe('parseTemplate', () => {
  it('reports every bad tag, not only the first', () => {
    const src = 'a: {{fn.nope(X)}}\nb: {{ = }}\nc: {{if true}}';
    const { errors } = parseTemplate(src);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/unknown function fn.nope/),
      expect.stringMatching(/expected an expression/),
      '{{if}} without a matching {{end}}',
    ]);
    expect(src.slice(errors[0]!.from, errors[0]!.to)).toBe('nope');
  });

  it('refuses what the server refuses', () => {
    for (const [src, msg] of [
      ['{{while x}}', /not supported/],
      ['{{x = 1}}', /assignments/],
      ['{{fn.truncate("a")}}', /takes 2 arguments, not 1/],
      ['{{end}}', /without a matching/],
      ['{{if true}}{{else}}{{else}}{{end}}', /after \{\{else\}\}/],
      ['{{"open}}', /unterminated/],
      ['x {{ NAME', /without a matching \}\}/],
    ] as const) {
      expect(parseTemplate(src).errors[0]?.message, src).toMatch(msg);
    }
  });

  it('names the variables read, without loop variables', () => {
    const { nodes } = parseTemplate('{{for i, u in URLS}}{{u}}{{i}}{{A}}{{end}}{{fn.lowerCase(B)}}{{C[0]}}');
    expect(variableUses(nodes).map((u) => u.name)).toEqual(['URLS', 'A', 'B', 'C']);
  });
});

describe('lintTemplate', () => {
  it('flags unknown variables where they are, and accepts the known ones', () => {
    const src = 'image: {{IMAGE}}\nreplicas: {{REPLICAS}}\nhost: {{HOSTNAME}}\n';
    const problems = lintTemplate(src, ['REPLICAS']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/unknown variable HOSTNAME/) });
    expect(src.slice(problems[0]!.from, problems[0]!.to)).toBe('HOSTNAME');
    expect(lintTemplate(src, ['REPLICAS', 'HOSTNAME'])).toEqual([]);
  });

  it('suggests the variable of another case', () => {
    expect(lintTemplate('a: {{project_name}}', [])[0]?.message).toMatch(/did you mean PROJECT_NAME/);
  });

  it('flags YAML errors at their position, with placeholders filled in', () => {
    const src = 'a: {{IMAGE}}\nb: [1, 2\nc: 3\n';
    const problems = lintTemplate(src, []);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.message.startsWith('YAML:'))).toBe(true);
    expect(problems[0]!.from).toBeGreaterThanOrEqual(src.indexOf('['));
    expect(lintTemplate('a:\n  b: {{IMAGE}}-x\n  c: "{{URLS[0]}}"\n{{if true}}\nd: 1\n{{end}}\n', [])).toEqual([]);
  });

  it('wants a mapping, as Helm values are', () => {
    expect(lintTemplate('- a\n- b\n', [])[0]?.message).toMatch(/mapping, not a list/);
    expect(lintTemplate('', [])).toEqual([]);
    expect(lintTemplate('a: 1\na: 2\n', [])[0]?.message).toMatch(/YAML/);
  });

  it('does not check YAML while tags are broken', () => {
    expect(lintTemplate('a: {{', [])).toHaveLength(1);
  });

  it('masks tags keeping offsets and line breaks', () => {
    const src = 'a: {{X}}\n{{if\ntrue}}';
    const m = maskTags(src);
    expect(m).toHaveLength(src.length);
    expect(m).toBe('a: xxxxx\n    \n      ');
  });
});

describe('lintUrlTemplate', () => {
  it('allows only the built-ins URL templates see and http(s)', () => {
    expect(lintUrlTemplate('https://{{SAFE_VERSION_NAME}}.example.com')).toEqual([]);
    expect(lintUrlTemplate('https://{{RELEASE_NAME}}.example.com')[0]?.message).toMatch(/unknown variable RELEASE_NAME/);
    expect(lintUrlTemplate('ftp://x')[0]?.message).toMatch(/http/);
    expect(lintUrlTemplate('')[0]?.message).toMatch(/empty/);
  });
});

describe('completeAt', () => {
  const own = [{ name: 'REPLICAS', label: 'Replicas' }];
  it('completes variable names inside a tag only', () => {
    expect(completeAt('a: b', 4, own)).toBeNull();
    expect(completeAt('a: {{X}} b', 10, own)).toBeNull();
    const c = completeAt('a: {{REP', 8, own);
    expect(c?.from).toBe(5);
    expect(c?.options.map((o) => o.label)).toEqual(expect.arrayContaining(['REPLICAS', 'PROJECT_NAME', 'URLS']));
    expect(c?.options[0]).toEqual({ label: 'REPLICAS', detail: 'Replicas' });
  });
  it('completes functions after fn.', () => {
    const c = completeAt('{{fn.low', 8, own);
    expect(c?.from).toBe(5);
    expect(c?.options.map((o) => o.label)).toContain('lowerCase');
  });
});
