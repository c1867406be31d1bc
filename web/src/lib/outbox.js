// Logging a dose works offline. Each dose gets its key and its time when it is tapped, and
// waits here (localStorage, on this device only) until the server has it. Sending it again,
// after a lost answer or from a second tab, stores it once: the server keeps the first
// dose for each Idempotency-Key.

import {ApiError, newKey, request, Unreachable} from './api.js';

const kStore = 'mitra.outbox';
const listeners = new Set();

function read() {
  try {
    const items = JSON.parse(localStorage.getItem(kStore) ?? '[]');
    return Array.isArray(items) ? items : [];
  } catch {
    return [];
  }
}

function write(items) {
  localStorage.setItem(kStore, JSON.stringify(items));
  for (const listener of listeners) listener(items);
}

export function pending() {
  return read();
}

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Now, to the second, in UTC: the time the person tapped, whenever the server hears of it.
export function nowUtc() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Queues a dose and tries to send it at once. Returns {dose} when the server stored it,
// {queued: true} when it waits for the connection, or throws the server's ApiError
// (bad input) — in which case nothing is kept.
export async function logDose(body) {
  const item = {key: newKey(), body: {...body, at: body.at || nowUtc()}, queued_at: nowUtc()};
  write([...read(), item]);
  try {
    const dose = await send(item);
    remove(item.key);
    return {dose};
  } catch (error) {
    if (error instanceof Unreachable) return {queued: true};
    remove(item.key);
    throw error;
  }
}

function send(item) {
  return request('POST', '/doses', {body: item.body, headers: {'Idempotency-Key': item.key}});
}

function remove(key) {
  write(read().filter((item) => item.key !== key));
}

export function discard(key) {
  remove(key);
}

let flushing = null;
// Sends everything waiting, oldest first. A dose the server refuses (it can never succeed as
// it is) stays, marked with the reason, until the person fixes or discards it.
export function flush() {
  if (flushing) return flushing;
  flushing = (async () => {
    let sent = 0;
    for (const item of read()) {
      if (item.error) continue;
      try {
        await send(item);
        remove(item.key);
        sent += 1;
      } catch (error) {
        if (error instanceof Unreachable) break;
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 &&
            error.status !== 401 && error.status !== 408 && error.status !== 429) {
          write(read().map((i) => (i.key === item.key ? {...i, error: error.message} : i)));
        } else {
          break;  // The server is busy or the session ended: try again later.
        }
      }
    }
    return sent;
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}
