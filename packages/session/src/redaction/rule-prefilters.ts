/**
 * For each scanning rule of secretlint's recommended preset (12.0.0), patterns of which at least
 * one matches every text the rule can flag. Each is a contiguous part of one of the rule's own
 * regular expressions, with that expression's flags (`i` where the rule ignores case), so a text
 * none of them matches cannot be flagged by the rule: such a rule is left out of the run, and a
 * text no rule's prefilter matches is not handed to secretlint at all. secretlint's fixed cost per
 * run (registering every rule) is paid only for text that looks like it could hold a credential.
 * A rule missing here always runs; the tests check the table against the preset and against
 * secretlint alone, as the oracle, over the secret corpus and random text.
 */
const prefilters: Readonly<Record<string, readonly RegExp[]>> = {
  // Access key ids; `…SECRET_ACCESS_KEY = …`; `…ACCOUNT_ID = …` (each with its own casings).
  aws: [
    /A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA/,
    /(?:SECRET|secret|Secret)_?(?:ACCESS|access|Access)_?(?:KEY|key|Key)/,
    /(?:ACCOUNT|account|Account)_?(?:ID|id|Id)?(?:"|')?\s*(?::|=>|=)/,
  ],
  // Reads only `.json` and `.p12` files, and then a key file holding `private_key`.
  gcp: [/private_key/],
  privatekey: [/-----BEGIN/],
  // `https://…:x-oauth-basic@github.com/`; npm access tokens (`.npmrc` lines run in their own pass).
  npm: [/:x-oauth-basic@github/, /npm_/],
  basicauth: [/:\/\/[-a-zA-Z0-9_]{1,256}:[-a-zA-Z0-9_]{1,256}@/],
  slack: [/(?:xoxb|xoxp|xapp|xoxa|xoxo|xoxr)-/, /https:\/\/hooks\.slack\.com\/services\/T/i],
  sendgrid: [/SG\./],
  shopify: [/(?:shppa|shpca|shpat|shpss)_/],
  github: [/(?:ghp|gho|ghu|ghs|ghr)_|github_pat_/],
  gitlab: [/glpat-/],
  grafana: [/glc_|glsa_/],
  // Both of the rule's alternatives contain the base64 of "openai".
  openai: [/T3BlbkFJ/],
  anthropic: [/sk-ant-api0/],
  groq: [/gsk_/],
  huggingface: [/hf_/],
  linear: [/lin_api_/],
  notion: [/ntn_/],
  '1password': [/ops_ey/],
  'database-connection-string': [/mongodb(?:\+srv)?:\/\//i, /mysql(?:x)?:\/\//i, /postgres(?:ql)?:\/\//i],
  'hashicorp-vault': [/hvs\.|hvb\.|hvr\./],
  vercel: [/(?:vcp|vci|vca|vcr|vck)_/],
  databricks: [/dapi/],
  docker: [/dckr_pat_/],
  figma: [/figd_/],
};

const rulePrefix = '@secretlint/secretlint-rule-';

/** The short names of the rules with a prefilter (the tests compare them with the preset). */
export const prefilteredRules: readonly string[] = Object.keys(prefilters);

/**
 * False only when the rule `ruleId` cannot flag anything in `text`: no prefilter of the rule
 * matches. A rule without a prefilter always could.
 */
export function ruleCouldMatch(ruleId: string, text: string): boolean {
  const short = ruleId.startsWith(rulePrefix) ? ruleId.slice(rulePrefix.length) : ruleId;
  const patterns = prefilters[short];
  if (patterns === undefined) return true;
  return patterns.some((pattern) => pattern.test(text));
}
