// The OpenID provider the test suite starts on 127.0.0.1: the certified `oidc-provider`
// package, two issuers (/a and /b) on one port so tests can tell workspaces apart.
// Test users are clients registered at run time (POST <issuer>/reg with their `email`);
// a client_credentials grant for the API's audience gives a signed JWT access token
// whose `sub` is the client id and whose `email` claim is the registered e-mail.
import http from 'node:http';
import { generateKeyPair, exportJWK } from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const audience = process.env.OIDC_AUDIENCE;
const base = `http://127.0.0.1:${port}`;

async function provider(path) {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `${path}-key-1`, alg: 'RS256', use: 'sig' };
  const issuer = new Provider(`${base}/${path}`, {
    clients: [],
    jwks: { keys: [jwk] },
    scopes: ['api'],
    extraClientMetadata: { properties: ['email'] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    async extraTokenClaims(ctx, token) {
      const client = await ctx.oidc.provider.Client.find(token.clientId);
      return client && client.email ? { email: client.email } : {};
    },
  });
  return issuer.callback();
}

const issuers = { a: await provider('a'), b: await provider('b') };

http
  .createServer((req, res) => {
    const [, path] = req.url.split('/');
    const handle = issuers[path];
    if (!handle) {
      res.writeHead(404).end();
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice(path.length + 1) || '/';
    handle(req, res);
  })
  .listen(port, '127.0.0.1', () => console.log(`listening on ${base}`));
