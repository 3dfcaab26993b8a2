// Which files a browser-mode window may open by path (the `open` request), besides the matrix given on
// the command line (always served) and uploads (always allowed: the bytes come from the user).
//
// The policy is simple: the server runs as the user, is reachable only with the token, and by default
// listens on 127.0.0.1 — so whoever holds the token is the user at this machine, and may open any file
// the user can read, as in the desktop app. When the server listens on another interface (--host), a
// token leak would expose the file system, so opening by path is refused unless --allow-open-paths.
export function serverPathPolicy(allowOpenPaths: boolean, host: string): (absolutePath: string) => true | string {
  if (allowOpenPaths) return () => true;
  return () => `opening files by path is turned off on this server (it listens on ${host}); upload the file instead, or restart with --allow-open-paths`;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
