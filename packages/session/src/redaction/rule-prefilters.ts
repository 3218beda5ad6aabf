import { AnchorScanner } from './anchor-scan.js';

/**
 * For each scanning rule of secretlint's recommended preset (12.0.0), when it could flag a text:
 * alternatives, each a list of literal pieces ("anchors") of one of the rule's own regular
 * expressions that every match of that expression contains (in every casing the rule accepts:
 * the anchors in {@link anyCase} are found in any ASCII casing). A text for which no alternative
 * has all its anchors cannot be flagged by the rule: the rule is left out of the run, and a text
 * no rule could flag is not handed to secretlint at all, so its fixed cost per run (registering
 * every rule) and its unanchored patterns are paid only for text that could hold a credential.
 * A rule missing here always runs; the tests check the table against the preset and against
 * secretlint alone, as the oracle, over the secret corpus and random text.
 */
const prefilters: Readonly<Record<string, readonly (readonly string[])[]>> = {
  // Access key ids; `…(SECRET|secret|Secret)_?(ACCESS|access|Access)…`; `…(ACCOUNT|account|Account)…`.
  aws: [
    ...['A3T', 'AKIA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'ASIA'].map((id) => [id]),
    ['secret', 'access'],
    ['account'],
  ],
  // Reads only `.json` and `.p12` files, and then a key file holding `private_key`.
  gcp: [['private_key']],
  privatekey: [['-----BEGIN']],
  // `https://…:x-oauth-basic@github.com/`; npm access tokens (`.npmrc` lines run in their own pass).
  npm: [[':x-oauth-basic@github'], ['npm_']],
  // `scheme://user:password@host`.
  basicauth: [['://', '@']],
  // Tokens `xoxb-`, `xoxp-`, `xoxa-`, `xoxo-`, `xoxr-`, `xapp-`; webhooks, matched in any case.
  slack: [['xox'], ['xapp-'], ['hooks.slack.com/services/t']],
  sendgrid: [['SG.']],
  shopify: [['shppa_'], ['shpca_'], ['shpat_'], ['shpss_']],
  github: [['ghp_'], ['gho_'], ['ghu_'], ['ghs_'], ['ghr_'], ['github_pat_']],
  gitlab: [['glpat-']],
  grafana: [['glc_'], ['glsa_']],
  // Both of the rule's alternatives contain the base64 of "openai".
  openai: [['T3BlbkFJ']],
  anthropic: [['sk-ant-api0']],
  groq: [['gsk_']],
  huggingface: [['hf_']],
  linear: [['lin_api_']],
  notion: [['ntn_']],
  '1password': [['ops_ey']],
  // `mongodb(+srv)://`, `mysql(x)://`, `postgres(ql)://`, matched in any case.
  'database-connection-string': [
    ['mongodb', '://'],
    ['mysql', '://'],
    ['postgres', '://'],
  ],
  'hashicorp-vault': [['hvs.'], ['hvb.'], ['hvr.']],
  vercel: [['vcp_'], ['vci_'], ['vca_'], ['vcr_'], ['vck_']],
  databricks: [['dapi']],
  docker: [['dckr_pat_']],
  figma: [['figd_']],
};

/** Anchors of rules that ignore case (their patterns have the `i` flag) or accept several casings. */
const anyCase: ReadonlySet<string> = new Set([
  'secret',
  'access',
  'account',
  'hooks.slack.com/services/t',
  'mongodb',
  'mysql',
  'postgres',
]);

const rulePrefix = '@secretlint/secretlint-rule-';

/** The short names of the rules with a prefilter (the tests compare them with the preset). */
export const prefilteredRules: readonly string[] = Object.keys(prefilters);

/** What a text holds that a prefilter or another pass of the scan looks for. */
export interface Prefiltered {
  /** False only when the rule `ruleId` cannot flag anything in the text; true for a rule not listed. */
  readonly couldMatch: (ruleId: string) => boolean;
  /** True when the text holds none of the anchors (nor any of `extraAnchors`): no listed rule could match. */
  readonly empty: boolean;
  /** True when the text holds `anchor`, one of the rules' anchors or of `extraAnchors`. */
  readonly has: (anchor: string) => boolean;
}

/** Literals the scanner's other passes look for (the `.npmrc` and key-file passes). */
export const extraAnchors: readonly string[] = ['_authToken=', 'private_key'];

let scanner: AnchorScanner | undefined;
/** The table by full rule id (`@secretlint/secretlint-rule-github`) as well as by short name. */
const byRuleId = new Map(
  Object.entries(prefilters).flatMap(([name, alternatives]) => [
    [name, alternatives],
    [`${rulePrefix}${name}`, alternatives],
  ]),
);

/** Looks at `text` once: which rules could flag something in it, and which anchors it holds. */
export function prefilter(text: string): Prefiltered {
  scanner ??= new AnchorScanner(
    [...new Set([...Object.values(prefilters).flat(2), ...extraAnchors])],
    anyCase,
  );
  const found = scanner.scan(text);
  const empty = found.size === 0;
  return {
    empty,
    has: (anchor) => found.has(anchor),
    couldMatch: (ruleId) => {
      const alternatives = byRuleId.get(ruleId);
      if (alternatives === undefined) return true;
      if (empty) return false;
      return alternatives.some((anchors) => anchors.every((anchor) => found.has(anchor)));
    },
  };
}
