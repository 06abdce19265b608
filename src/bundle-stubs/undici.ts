/**
 * Stands in for `undici` in the bundles only (tsconfig.json `paths`, which ncc follows; jest and the
 * type checker of src/ never import undici).
 *
 * Why: @actions/core imports its OIDC helper (`getIDToken`), which imports @actions/http-client, which
 * imports undici for a single class, `ProxyAgent`, used by `HttpClient.getAgentDispatcher()`. Nothing
 * in this action asks for an OIDC token or a dispatcher, yet evaluating undici at start-up (a whole
 * HTTP/1.1 and HTTP/2 client, and a WebAssembly HTTP parser compiled on load) cost every run about
 * 6.5 MiB of memory and tens of milliseconds (bench/steps.md). Write-back talks to GitHub through
 * @octokit/request, which uses Node's built-in `fetch`, not this package.
 *
 * In practice webpack sees that nothing the action uses reaches `ProxyAgent` and leaves even this
 * stub out of dist/. Should a later change call into @actions/http-client's proxy dispatcher, it
 * fails loudly (here, or with "ProxyAgent is not defined") instead of misbehaving quietly.
 */
export class ProxyAgent {
  constructor() {
    throw new Error(
      'codex-reauth: undici is not bundled (src/bundle-stubs/undici.ts); @actions/http-client proxy dispatchers are unavailable',
    );
  }
}
