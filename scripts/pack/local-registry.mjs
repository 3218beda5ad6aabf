// A local registry for the @jido-code scope, serving the freshly packed tarballs. The scratch
// projects point the scope at it, so npm installs @jido-code packages exactly as a user would
// (by name and range), never from the public registry. A request for a @jido-code package that
// was not packed is recorded and fails the pack check.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/** `packages`: a Map from package name to `{ tarball, manifest }` (the manifest as published). */
export async function startLocalRegistry(packages) {
  const unknown = [];
  const served = new Map();
  const server = createServer((request, response) => {
    const path = decodeURIComponent(request.url ?? '');
    const tarball = served.get(path);
    if (tarball) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(tarball);
      return;
    }
    const entry = packages.get(path.slice(1));
    if (!entry) {
      unknown.push(path);
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"not found"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(packument(entry, `http://127.0.0.1:${server.address().port}`)));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}/`;

  function packument({ tarball, manifest }, origin) {
    const bytes = readFileSync(tarball);
    const file = `/${manifest.name}/-/${manifest.name.split('/')[1]}-${manifest.version}.tgz`;
    served.set(file, bytes);
    const dist = {
      tarball: `${origin}${file}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
    };
    const version = { ...manifest, _id: `${manifest.name}@${manifest.version}`, dist };
    return {
      name: manifest.name,
      'dist-tags': { latest: manifest.version },
      versions: { [manifest.version]: version },
    };
  }

  return {
    npmrc: `@jido-code:registry=${url}\n`,
    unknown,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
