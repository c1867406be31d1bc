// Waits for a quiet machine before a browser measurement (scripts/wait-quiet.sh, which says
// why): Chromium's timings, and Lighthouse's blocking time four times over, count another
// process's work as the page's own.
import {execFileSync} from 'node:child_process';
import path from 'node:path';

export function waitQuiet() {
  execFileSync(path.resolve('scripts/wait-quiet.sh'), {stdio: ['ignore', 'inherit', 'inherit']});
}
