// A real OpenID provider for the tests: node `oidc-provider` (certified by the OpenID
// Foundation), on the loopback address, with its development login form (any login name
// signs in as the account of that name; the password is not checked) and one confidential
// client. Settings come as JSON in argv[2]:
//   {port, client: {client_id, client_secret, redirect_uris, post_logout_redirect_uris},
//    accounts: {login: {email, groups, ...}}, fault: null | "bad-signature" |
//    "wrong-audience" | "expired"}
// A fault re-signs the ID token the token endpoint returns: with a key the JWKS does not
// hold (bad signature), for another client (wrong audience), or issued and expired two
// hours ago; the app must refuse each. It prints "ready <issuer>" once it listens.
import Provider from 'oidc-provider';
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';

const settings = JSON.parse(process.argv[2]);
const issuer = `http://127.0.0.1:${settings.port}`;

async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `key-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, alg: 'RS256', use: 'sig' };
}

const key = await signingKey();
const stray = await signingKey();
const SCOPES = 'openid email profile groups';

const provider = new Provider(issuer, {
  clients: [{
    ...settings.client,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [key] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
    groups: ['groups'],
  },
  scopes: SCOPES.split(' '),
  conformIdTokenClaims: false, // the scopes' claims go in the ID token, as the app reads them
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['test-provider-cookie-key'] },
  async findAccount(ctx, id) {
    const account = settings.accounts[id];
    if (!account) return undefined; // unknown or disabled in the directory: no sign-in
    return { accountId: id, async claims() { return { sub: id, email_verified: true, ...account }; } };
  },
  // The first-party client is trusted: no consent screen, every scope granted.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(SCOPES);
    await grant.save();
    return grant;
  },
});

async function faulty(idToken) {
  const claims = decodeJwt(idToken);
  const header = decodeProtectedHeader(idToken);
  let signWith = key;
  const now = Math.floor(Date.now() / 1000);
  if (settings.fault === 'bad-signature') signWith = { ...stray, kid: key.kid };
  if (settings.fault === 'wrong-audience') claims.aud = 'another-application';
  if (settings.fault === 'expired') Object.assign(claims, { iat: now - 7200, exp: now - 3600 });
  const { importJWK } = await import('jose');
  return new SignJWT(claims).setProtectedHeader(header).sign(await importJWK(signWith, 'RS256'));
}

provider.use(async (ctx, next) => {
  await next();
  if (settings.fault && ctx.path === '/token' && ctx.body?.id_token) {
    ctx.body = { ...ctx.body, id_token: await faulty(ctx.body.id_token) };
  }
});

provider.listen(settings.port, '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});
