// Waiting in tests for something asynchronous to have happened (a message delivered, a process restarted)
// by polling for it, instead of sleeping a fixed time and hoping: a fixed sleep that is enough on a quiet
// machine is not on a loaded one, and then the test fails for no fault of the code.

/** Resolves once `ready()` is true; rejects naming `what` if it is still false after `timeoutMs`. */
export async function until(ready: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise(r => setTimeout(r, 5));
  }
}
