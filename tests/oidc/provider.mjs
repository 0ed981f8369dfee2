// A real OpenID Connect provider for the single sign-on tests (tests/it/oidc.rs): the npm package
// oidc-provider with three fixed people, its development login and consent forms, discovery,
// PKCE required, and RP-initiated logout (so discovery advertises an end_session_endpoint).
//
// Started by the test as `node provider.mjs`: it listens on a loopback port of its own choosing (or
// OIDC_PORT, when set) and prints "listening ISSUER" (http://localhost:PORT) once it accepts
// connections. The bank is started next with that issuer, on its own port, and the test then tells
// the provider the bank's /login/oidc/terug, the one redirect URI the client may use, with
// `POST /test/redirect`; until then every other request is answered with 503.
//
// To test that the bank refuses bad ID tokens, `POST /test/mode` with a body of `normal`, `tamper`
// or `expire` changes what the token endpoint hands out from then on: `tamper` changes the token's
// payload (the person becomes a member of the administrators' group) without signing it again, so
// its signature no longer matches; `expire` signs a token with the provider's own key whose `exp`
// lies an hour in the past. Only loopback listens, and only the test talks to it.

import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };

// The people who can log in: a municipal analyst, a provider's staff member and someone from another
// department whose groups have no role in the bank.
const people = {
  jet: { name: 'Jet de Vries', groups: ['vb-analisten', 'gemeente-medewerkers'] },
  ahmed: { name: 'Ahmed Yilmaz', groups: ['/aanbieders/buurtwerk'] },
  kees: { name: 'Kees Buiten', groups: ['gemeente-medewerkers'] },
};

let mode = 'normal';

function makeProvider(issuer, redirect) {
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'verhalenbank',
        client_secret: 'test-geheim-van-de-verhalenbank',
        redirect_uris: [redirect],
        post_logout_redirect_uris: [new URL('/', redirect).href],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name', 'groups'] },
    // The groups go into the ID token, as Keycloak's and Entra ID's group claims do.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    cookies: { keys: ['test-cookie-key-van-de-verhalenbank'] },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    async findAccount(ctx, id) {
      const person = people[id];
      if (!person) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...person }) };
    },
  });
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/test/mode') {
      let body = '';
      for await (const chunk of ctx.req) body += chunk;
      mode = body.trim();
      ctx.body = `mode ${mode}`;
      return;
    }
    await next();
    if (ctx.path === '/token' && ctx.body && typeof ctx.body.id_token === 'string') {
      ctx.body = { ...ctx.body, id_token: changed(ctx.body.id_token) };
    }
  });
  return provider.callback();
}

const base64url = (buffer) => Buffer.from(buffer).toString('base64url');
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

function changed(idToken) {
  const [header, payload, signature] = idToken.split('.');
  const claims = decode(payload);
  if (mode === 'tamper') {
    claims.groups = ['vb-beheer'];
    return `${header}.${base64url(JSON.stringify(claims))}.${signature}`;
  }
  if (mode === 'expire') {
    const now = Math.floor(Date.now() / 1000);
    claims.iat = now - 7200;
    claims.exp = now - 3600;
    const signed = `${header}.${base64url(JSON.stringify(claims))}`;
    const mac = crypto.sign('sha256', Buffer.from(signed), privateKey);
    return `${signed}.${base64url(mac)}`;
  }
  return idToken;
}

// The issuer is known once the port is; the provider is made once the bank's redirect URI is.
let issuer;
let handle;
const server = http.createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/test/redirect') {
    let body = '';
    for await (const chunk of req) body += chunk;
    handle = makeProvider(issuer, body.trim());
    res.end(`redirect ${body.trim()}`);
    return;
  }
  if (!handle) {
    res.statusCode = 503;
    res.end('no redirect URI yet: POST /test/redirect first');
    return;
  }
  handle(req, res);
});

server.listen(Number(process.env.OIDC_PORT ?? 0), '127.0.0.1', () => {
  issuer = `http://localhost:${server.address().port}`;
  console.log(`listening ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
