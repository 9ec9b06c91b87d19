/**
 * Lets the event loop run its pending macrotasks (signal handlers, timers,
 * I/O callbacks) before going on. A loop of `await`s on promises that are
 * already resolved never does: it stays in the microtask queue.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
