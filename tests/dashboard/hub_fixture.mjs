// The browser tests' hub: `node hub_fixture.mjs start|stop FOLDER PAVILION_HUB` (a CTest fixture).
// start: a new SQLite hub in FOLDER with two branches' kiosks enrolled, the known visits below
// sent through POST /v1/events as kiosks send them, a week of `pavilion-hub simulate` data well
// before them, two people (`pavilion-hub user add`), and `pavilion-hub serve` on a free port
// left running; FOLDER/state.json says where. stop: ends that server.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KNOWN } from './known_data.mjs';

const [command, folder, program] = process.argv.slice(2);
if (!['start', 'stop'].includes(command) || !folder || (command === 'start' && !program)) {
  console.error('usage: node hub_fixture.mjs start|stop FOLDER [PAVILION_HUB]');
  process.exit(2);
}
const stateFile = path.join(folder, 'state.json');

function stop() {
  if (!fs.existsSync(stateFile)) return;
  const { pid } = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  fs.rmSync(stateFile);
}

// A UUIDv7 for an event made at `ms`, and a random v4 for a session.
function uuid7(ms) {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
function uuid4() {
  const bytes = randomBytes(16);
  bytes[6] = 0x40 | (bytes[6] & 0x0f);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The events of one visit as a kiosk records them: its start, the scene, each exhibit opened
// and closed (a poem listened to the end), optional settings, and its end.
function visitEvents(visit, startMs) {
  const session = uuid4();
  const events = [];
  let at = startMs;
  const add = (type, subject, value = 0) => {
    events.push({ created_ms: at, type, session, package_id: visit.package, package_version: '1.0.0', subject, value });
    at += 1000;
  };
  add('session_start', visit.input);
  add('scene_enter', visit.package);
  if (visit.language) add('language_change', visit.language);
  if (visit.accessibility) add('accessibility_change', visit.accessibility, 1);
  for (const exhibit of visit.exhibits) {
    add('exhibit_open', exhibit.id);
    if (exhibit.poem_ms) {
      add('poem_play', exhibit.id);
      at += exhibit.poem_ms;
      add('poem_complete', exhibit.id, exhibit.poem_ms);
    }
    at += exhibit.dwell_ms;
    add('exhibit_close', exhibit.id, exhibit.dwell_ms);
  }
  at = startMs + visit.length_ms;
  add('session_end', 'end_visit', visit.length_ms);
  return events;
}

function run(args, input) {
  return execFileSync(program, [...args, '--config', path.join(folder, 'hub.json')], { input, encoding: 'utf8' });
}

async function start() {
  stop();
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'hub.json'), JSON.stringify({
    listen: '127.0.0.1:0',
    database: 'hub.sqlite',
    time_zone: KNOWN.time_zone,
    branches: KNOWN.branches,
    holidays: KNOWN.holidays,
    threads: 2,
  }, null, 2));

  const tokens = {};
  for (const device of KNOWN.devices) {
    tokens[device.id] = run(['enrol', device.id, '--branch', device.branch]).trim().split(/\s+/).pop();
  }
  for (const person of KNOWN.people) {
    const branch = person.branch ? ['--branch', person.branch] : [];
    run(['user', 'add', person.name, '--role', person.role, ...branch], `${person.password}\n`);
  }
  // Demonstration data at other branches, a month before the known visits: the views say so.
  run(['simulate', '--branches', '2', '--days', String(KNOWN.simulated.days), '--end', KNOWN.simulated.end, '--seed', '7']);

  const server = spawn(program, ['serve', '--config', path.join(folder, 'hub.json')], {
    detached: true, stdio: ['ignore', 'pipe', fs.openSync(path.join(folder, 'hub.log'), 'a')],
  });
  const url = await new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`pavilion-hub did not say where it listens within 20 s: ${output}`)), 20000);
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const found = output.match(/listening on (http:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`pavilion-hub serve ended (${code}); see ${folder}/hub.log`)));
  });
  server.stdout.destroy();
  server.unref();

  for (const device of KNOWN.devices) {
    const events = [];
    for (const visit of KNOWN.visits.filter((item) => item.device === device.id)) {
      for (let index = 0; index < visit.count; index += 1) {
        events.push(...visitEvents(visit, Date.parse(visit.first_start) + index * visit.every_ms));
      }
    }
    events.sort((a, b) => a.created_ms - b.created_ms);
    const sent = Date.now();
    const batch = {
      schema: 1, device: device.id, sent_ms: sent, dropped_over_cap: 0, dropped_ring_full: 0,
      events: events.map((event, sequence) => ({ id: uuid7(event.created_ms), sequence, ...event })),
    };
    const response = await fetch(`${url}/v1/events`, {
      method: 'POST', headers: { Authorization: `Bearer ${tokens[device.id]}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
    });
    const answer = await response.json();
    if (response.status !== 200 || answer.stored !== events.length) {
      throw new Error(`the hub stored ${JSON.stringify(answer)} of ${events.length} events from ${device.id}`);
    }
  }
  fs.writeFileSync(stateFile, JSON.stringify({ url, pid: server.pid }));
  console.log(`dashboard hub at ${url} (pid ${server.pid})`);
}

if (command === 'stop') stop();
else await start();
