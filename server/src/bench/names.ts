/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same names and dates. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRODUCTS = [
  'mobile app', 'web checkout', 'billing worker', 'support chatbot', 'search reranker', 'email summaries',
  'ios app', 'android app', 'partner api', 'analytics etl', 'document parser', 'translation service',
  'slack bot', 'crm sync', 'eval harness', 'prompt lab', 'notebook', 'rag prototype', 'agent sandbox',
  'data pipeline', 'fraud detector', 'recommendations', 'voice assistant', 'code review bot',
  'invoice parser', 'onboarding flow', 'ci pipeline', 'load test', 'qa automation', 'webhook relay',
];
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'test', 'eu', 'us', 'canary'];
const TITLE_ENVIRONMENTS = ['Production', 'Staging', 'Development', 'Research'];

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const title = (text: string) => text.replace(/\b[a-z]/g, (c) => c.toUpperCase());

/** Key names the way people write them: "mobile app 12", "billing worker prod", "Slack Bot - Staging". */
export function keyName(random: () => number): string {
  const product = pick(random, PRODUCTS);
  const n = 1 + Math.floor(random() * 400);
  const shape = random();
  if (shape < 0.4) return `${product} ${n}`;
  if (shape < 0.6) return `${product} ${pick(random, ENVIRONMENTS)}`;
  if (shape < 0.85) return `${product} ${pick(random, ENVIRONMENTS)} ${n}`;
  return `${title(product)} - ${pick(random, TITLE_ENVIRONMENTS)}`;
}
