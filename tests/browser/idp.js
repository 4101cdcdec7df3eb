// A real OpenID provider for the single sign-on test: oidc-provider (a certified
// implementation, from npm, used as it is) with two people in different groups, its own
// sign-in and consent pages (its development interactions), RP-initiated and back-channel
// logout. The test changes a person's groups between sign-ins.

import Provider from 'oidc-provider';

export const CLIENT_ID = 'utblick';
export const CLIENT_SECRET = 'utblick-test-secret';

/**
 * Starts the provider on `port` (Utblick was told its issuer before it started) for the
 * Utblick at `utblick` (its base URL). Returns `setGroups(person, groups)` and `close()`.
 */
export async function startIdp(port, utblick) {
  const groups = new Map([
    ['eva', ['utblick-bou', 'alla-anstallda']],
    ['olle', ['alla-anstallda']],
  ]);
  const names = new Map([['eva', 'Eva Ek'], ['olle', 'Olle Ås']]);
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [`${utblick}/api/v1/auth/oidc/callback`],
      post_logout_redirect_uris: [`${utblick}/login.html?sso=signed-out`],
      backchannel_logout_uri: `${utblick}/api/v1/auth/oidc/backchannel-logout`,
      backchannel_logout_session_required: true,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    async findAccount(ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: `${id}@tranas.se`, email_verified: true, name: names.get(id) || id, groups: groups.get(id) || [] };
        },
      };
    },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    // The claims of the scopes asked for go into the ID token (Utblick reads only it).
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    cookies: { keys: ['utblick-browser-suite'] },
    pkce: { required: () => true },
  });
  const server = await new Promise((resolve) => {
    const s = provider.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    setGroups(person, list) {
      groups.set(person, list);
    },
    close() {
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
