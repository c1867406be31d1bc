// A journal for the report and FHIR tests: four weeks of doses (four a day, then three a day in
// the last week), an alcohol use, a SOWS check-in, a DSM-5 self-reflection and a taper plan,
// relative to the real clock (mitra serve has no --now). Written as one CSV import: a process
// per dose would take minutes.

import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

const hour = 3600 * 1000;
const day = 24 * hour;

// The `setup` list for startServer (browser.mjs), and what the journal holds.
export function fourWeeksSetup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'mitra-four-weeks-'));
  const file = path.join(dir, 'journal.csv');
  // Whole UTC hours; the server's zone is UTC, so each day's doses stay on one journal day.
  const midnight = Math.floor(Date.now() / day) * day;
  let csv = 'record,id,taken_at,zone,amount,unit,form,product,substance,note,triggers\r\n';
  let doses = 0;
  for (let back = 27; back >= 1; --back) {
    const hours = back <= 6 ? [7, 13, 19] : [7, 11, 15, 19];
    for (const h of hours) {
      const at = new Date(midnight - back * day + h * hour).toISOString().replace('.000Z', 'Z');
      csv += `dose,,${at},UTC,2.5,g,leaf_powder,,,,stress\r\n`;
      ++doses;
    }
  }
  const beer = new Date(midnight - 2 * day + 20 * hour).toISOString().replace('.000Z', 'Z');
  csv += `substance_use,,${beer},UTC,,,,,alcohol,one beer,\r\n`;
  writeFileSync(file, csv);
  const setup = [
    ['setup', '--zone', 'UTC', '--day-start', '04:00'],
    ['import', file],
    ['checkin', '--scale', 'sows', '--answers', '{"answers": [2,1,0,3,1,2,0,1,2,1,0,1,2,1,0,1]}'],
    ['reflect', '--answers',
      '{"answers": [true,true,false,true,false,false,true,false,false,true,false]}'],
    ['plan', 'new', '--goal', 'stop', '--pace', 'steady'],
  ];
  return {setup, doses, sows: 18, criteria: 5};
}
