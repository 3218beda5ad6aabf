import { mulberry32 } from './prng.js';

/** One synthetic credential embedded in ordinary text. */
export interface SecretSample {
  /** The secretlint rule whose real format this follows (`github`, `aws`, …). */
  readonly rule: string;
  /** The `[REDACTED:<kind>]` kind a redactor should give it. */
  readonly kind: string;
  /** The text a person would paste: the credential inside a sentence, a config file, a log. */
  readonly text: string;
  /** Substrings of the credential that must never reach the disk (each ≥ 12 characters). */
  readonly values: readonly string[];
}

const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const alnum = upper + lower + digits;
const hex = '0123456789abcdef';
const base64 = `${alnum}+/`;

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function chars(random: Random, alphabet: string, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

function between(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

/** A base64 body that starts like real DER (`MI…`) and ends on a letter, wrapped at 64. */
function pemBody(random: Random, header: string): { block: string; body: string } {
  const body =
    header === 'OPENSSH PRIVATE KEY'
      ? `b3BlbnNzaC1rZXktdjE${chars(random, base64, between(random, 300, 600))}`
      : `MI${chars(random, 'IJEBCG', 1)}${chars(random, base64, between(random, 200, 900))}`;
  const lines = body.match(/.{1,64}/g) ?? [];
  return { block: `-----BEGIN ${header}-----\n${lines.join('\n')}\n-----END ${header}-----`, body };
}

/** Two distinctive pieces from the first 64 characters (a key body is wrapped at 64). */
function pieces(value: string): string[] {
  return [value.slice(2, 26), value.slice(30, 54)];
}

type Generator = (random: Random) => { text: string; values: string[]; kind: string };

const generators: Record<string, Generator[]> = {
  aws: [
    (r) => {
      const id = `${pick(r, ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA'])}${chars(r, upper + digits, 16)}`;
      return { kind: 'aws-access-key', text: `export AWS_ACCESS_KEY_ID=${id}`, values: [id] };
    },
    (r) => {
      const secret = `${chars(r, `${alnum}/+`, 39)}${chars(r, alnum, 1)}`;
      return {
        kind: 'aws-secret-key',
        text: `[default]\naws_secret_access_key = ${secret}\nregion = eu-west-1`,
        values: [secret],
      };
    },
    (r) => {
      const account = `${chars(r, digits, 4)}-${chars(r, digits, 4)}-${chars(r, digits, 4)}`;
      return { kind: 'aws-account-id', text: `AWS_ACCOUNT_ID="${account}"`, values: [account] };
    },
  ],
  gcp: [
    (r) => {
      const key = pemBody(r, 'PRIVATE KEY');
      const file = JSON.stringify(
        {
          type: 'service_account',
          project_id: `demo-${chars(r, lower, 6)}`,
          private_key_id: chars(r, hex, 40),
          private_key: `${key.block}\n`,
          client_email: `ci@demo-${chars(r, lower, 6)}.iam.gserviceaccount.com`,
        },
        null,
        2,
      );
      return { kind: 'gcp-service-account', text: file, values: pieces(key.body) };
    },
  ],
  privatekey: [
    (r) => {
      const header = pick(r, ['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY']);
      const key = pemBody(r, header);
      return {
        kind: 'private-key',
        text: `Here is the deploy key from ~/.ssh:\n\n${key.block}\n\nwhy does ssh say "invalid format"?`,
        values: pieces(key.body),
      };
    },
  ],
  npm: [
    (r) => {
      const token = `npm_${chars(r, alnum, 36)}`;
      return { kind: 'npm-token', text: `NPM_TOKEN=${token} pnpm publish`, values: [token] };
    },
    (r) => {
      const token = `${chars(r, hex, 8)}-${chars(r, hex, 4)}-4${chars(r, hex, 3)}-a${chars(r, hex, 3)}-${chars(r, hex, 12)}`;
      return {
        kind: 'npm-token',
        text: `My .npmrc:\n//registry.npmjs.org/:_authToken=${token}\nalways-auth=true`,
        values: [token],
      };
    },
    (r) => {
      const token = chars(r, hex, 40);
      return {
        kind: 'github-token',
        text: `"dependencies": { "lib": "git+https://${token}:x-oauth-basic@github.com/acme/lib.git" }`,
        values: [token],
      };
    },
  ],
  basicauth: [
    (r) => {
      const password = `${chars(r, alnum, 14)}-${chars(r, alnum, 6)}`;
      return {
        kind: 'url-password',
        text: `curl -fsS https://deploy-bot:${password}@ci.${chars(r, lower, 6)}.io/api/v2/builds`,
        values: [password],
      };
    },
  ],
  slack: [
    (r) => {
      const token = `${pick(r, ['xoxb', 'xoxp'])}-${chars(r, digits, 12)}-${chars(r, digits, 13)}-${chars(r, alnum, 24)}`;
      return { kind: 'slack-token', text: `SLACK_BOT_TOKEN: "${token}"`, values: [token] };
    },
    (r) => {
      const tail = chars(r, alnum, 24);
      const url = `https://hooks.slack.com/services/T${chars(r, upper + digits, 10)}/B${chars(r, upper + digits, 10)}/${tail}`;
      return {
        kind: 'slack-webhook',
        text: `The alert goes to ${url} when the build fails.`,
        values: [tail],
      };
    },
  ],
  sendgrid: [
    (r) => {
      const key = `SG.${chars(r, alnum, 22)}.${chars(r, alnum, 43)}`;
      return { kind: 'sendgrid-key', text: `sendgrid.setApiKey('${key}');`, values: [key] };
    },
  ],
  shopify: [
    (r) => {
      const key = `${pick(r, ['shpat', 'shpss', 'shpca', 'shppa'])}_${chars(r, hex, 32)}`;
      return { kind: 'shopify-token', text: `SHOPIFY_ADMIN_TOKEN=${key}`, values: [key] };
    },
  ],
  github: [
    (r) => {
      const token = `${pick(r, ['ghp', 'gho', 'ghu', 'ghs', 'ghr'])}_${chars(r, alnum, 36)}`;
      return {
        kind: 'github-token',
        text: `git push failed, I set GITHUB_TOKEN=${token} in the shell first`,
        values: [token],
      };
    },
    (r) => {
      const token = `github_pat_${chars(r, alnum, 22)}_${chars(r, alnum, 59)}`;
      return { kind: 'github-token', text: `  token: ${token}\n  repo: acme/web`, values: [token] };
    },
  ],
  gitlab: [
    (r) => {
      const token = `glpat-${chars(r, alnum, 20)}`;
      return { kind: 'gitlab-token', text: `GITLAB_TOKEN=${token} glab mr list`, values: [token] };
    },
  ],
  grafana: [
    (r) => {
      const token = `glc_${chars(r, alnum, between(r, 40, 120))}`;
      return { kind: 'grafana-token', text: `grafana_cloud_token = "${token}"`, values: [token] };
    },
    (r) => {
      const token = `glsa_${chars(r, alnum, 32)}_${chars(r, hex, 8)}`;
      return { kind: 'grafana-token', text: `Authorization: Bearer ${token}`, values: [token] };
    },
  ],
  openai: [
    (r) => {
      const key = `sk-proj-${chars(r, alnum, 74)}T3BlbkFJ${chars(r, alnum, 74)}`;
      return { kind: 'openai-key', text: `OPENAI_API_KEY=${key}`, values: [key] };
    },
    (r) => {
      const key = `sk-${chars(r, alnum, 20)}T3BlbkFJ${chars(r, alnum, 20)}`;
      return { kind: 'openai-key', text: `openai.api_key = "${key}"`, values: [key] };
    },
  ],
  anthropic: [
    (r) => {
      const key = `sk-ant-api03-${chars(r, alnum, 93)}AA`;
      return { kind: 'anthropic-key', text: `ANTHROPIC_API_KEY=${key}`, values: [key] };
    },
  ],
  groq: [
    (r) => {
      const key = `gsk_${chars(r, alnum, 52)}`;
      return { kind: 'groq-key', text: `const groq = new Groq({ apiKey: "${key}" });`, values: [key] };
    },
  ],
  huggingface: [
    (r) => {
      const token = `hf_${chars(r, upper + lower, 34)}`;
      return { kind: 'huggingface-token', text: `huggingface-cli login --token ${token}`, values: [token] };
    },
  ],
  linear: [
    (r) => {
      const key = `lin_api_${chars(r, alnum, 40)}`;
      return { kind: 'linear-key', text: `LINEAR_API_KEY=${key}`, values: [key] };
    },
  ],
  notion: [
    (r) => {
      const token = `ntn_${chars(r, digits, 11)}${chars(r, alnum, 35)}`;
      return { kind: 'notion-token', text: `NOTION_TOKEN="${token}"`, values: [token] };
    },
  ],
  '1password': [
    (r) => {
      let json = JSON.stringify({
        email: `${chars(r, lower, 12)}@1passwordserviceaccounts.com`,
        muk: { alg: 'A256GCM', k: chars(r, alnum, 43), kty: 'oct' },
        secretKey: `A3-${chars(r, upper + digits, 6)}-${chars(r, upper + digits, 6)}`,
        srpX: chars(r, hex, 64),
      });
      while (json.length % 3 !== 1) json = `${json.slice(0, -1)} }`;
      const token = `ops_${Buffer.from(json).toString('base64')}`;
      return {
        kind: '1password-token',
        text: `export OP_SERVICE_ACCOUNT_TOKEN=${token}`,
        values: pieces(token),
      };
    },
  ],
  'database-connection-string': [
    (r) => {
      const password = `${chars(r, alnum, 16)}`;
      const scheme = pick(r, ['postgres', 'postgresql', 'mysql', 'mongodb+srv']);
      const url = `${scheme}://app_user:${password}@db-${chars(r, lower, 5)}.internal:5432/orders`;
      return { kind: 'database-password', text: `DATABASE_URL=${url}`, values: [password] };
    },
  ],
  'hashicorp-vault': [
    (r) => {
      const token = `hvs.${chars(r, alnum, between(r, 90, 120))}`;
      return { kind: 'vault-token', text: `VAULT_TOKEN=${token} vault kv get secret/app`, values: [token] };
    },
    (r) => {
      const token = `hvb.${chars(r, alnum, between(r, 138, 200))}`;
      return { kind: 'vault-token', text: `batch token: ${token}`, values: pieces(token) };
    },
  ],
  vercel: [
    (r) => {
      const token = `${pick(r, ['vcp', 'vci', 'vca', 'vcr', 'vck'])}_${chars(r, alnum, between(r, 24, 60))}`;
      return { kind: 'vercel-token', text: `vercel deploy --token ${token} --prod`, values: [token] };
    },
  ],
  databricks: [
    (r) => {
      const token = `dapi${chars(r, hex, 32)}`;
      return { kind: 'databricks-token', text: `DATABRICKS_TOKEN=${token}`, values: [token] };
    },
  ],
  docker: [
    (r) => {
      const token = `dckr_pat_${chars(r, alnum, 27)}`;
      return {
        kind: 'docker-token',
        text: `echo ${token} | docker login -u acme --password-stdin`,
        values: [token],
      };
    },
  ],
  figma: [
    (r) => {
      const token = `figd_${chars(r, alnum, between(r, 40, 60))}`;
      return { kind: 'figma-token', text: `X-Figma-Token: ${token}`, values: [token] };
    },
  ],
};

/** The rules of the preset the corpus covers (every scanning rule of secretlint's recommended preset). */
export const secretCorpusRules: readonly string[] = Object.keys(generators);

const openers = [
  'The build broke after I rotated credentials. Relevant bit:',
  'Can you check why this config is rejected?',
  'Stack trace from CI, with the env dumped at the top:',
  'Pasting the file so you can see it:',
  'I ran this and got a 401:',
];
const closers = [
  'Everything else in the file is unchanged.',
  'It worked yesterday, so something on our side changed.',
  'Let me know if you need the rest of the log.',
  'The test suite passes locally, only CI fails.',
];

/**
 * Synthetic credentials in the real format of every rule of secretlint's recommended preset,
 * random for each seed, each inside a realistic message. `perRule` samples of each generator.
 */
export function secretCorpus(seed: number, perRule = 1): SecretSample[] {
  const random = mulberry32(seed);
  const samples: SecretSample[] = [];
  for (const [rule, makers] of Object.entries(generators)) {
    for (const make of makers) {
      for (let i = 0; i < perRule; i++) {
        const made = make(random);
        const text =
          rule === 'gcp' ? made.text : `${pick(random, openers)}\n${made.text}\n${pick(random, closers)}`;
        samples.push({ rule, kind: made.kind, text, values: made.values });
      }
    }
  }
  return samples;
}

/** A seed for this run: `JIDO_SECRET_SEED` when set (to replay a failure), else random. */
export function secretCorpusSeed(
  environment: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const fixed = environment.JIDO_SECRET_SEED;
  return fixed !== undefined && /^\d+$/.test(fixed) ? Number(fixed) : Math.floor(Math.random() * 2 ** 32);
}
