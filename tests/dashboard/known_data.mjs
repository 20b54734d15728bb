// The browser tests' data: visits at two branches in two weeks of November 2026 (the hub's time
// zone is Asia/Shanghai), and what the dashboard must show for them, worked out by hand from
// hub/DASHBOARD.md's definitions.
const vase = (dwell_ms) => ({ id: 'celadon-vase', dwell_ms });
const ding = { id: 'bronze-ding', dwell_ms: 30000 };
const poem = { id: 'jingyesi', dwell_ms: 10000, poem_ms: 40000 };

export const KNOWN = {
  time_zone: 'Asia/Shanghai',
  branches: { north: { 'zh-CN': '北馆', en: 'North Branch' }, south: { 'zh-CN': '南馆', en: 'South Branch' } },
  holidays: [{ date: '2026-11-11', name: { 'zh-CN': '读书日', en: 'Reading Day' } },
    { date: '2026-10-01', name: { 'zh-CN': '国庆节', en: 'National Day' } }],
  devices: [{ id: 'north-kiosk-1', branch: 'north' }, { id: 'south-kiosk-1', branch: 'south' }],
  people: [
    { name: 'ada', role: 'administrator', password: 'correct horse battery' },
    { name: 'lin', role: 'librarian', branch: 'north', password: 'north branch reading room' },
  ],
  // `pavilion-hub simulate` fills the fortnight up to this day at two other branches.
  simulated: { end: '2026-10-04', days: 14, from: '2026-09-21' },
  // `count` visits, one every `every_ms` from `first_start`.
  visits: [
    // Saturday afternoon at North: 30 visitors in the gallery, 20 of them also at the ding.
    { device: 'north-kiosk-1', count: 20, first_start: '2026-11-07T15:00:00+08:00', every_ms: 60000, package: 'gallery', input: 'touch', exhibits: [vase(60000), ding], length_ms: 180000 },
    { device: 'north-kiosk-1', count: 10, first_start: '2026-11-07T15:20:00+08:00', every_ms: 60000, package: 'gallery', input: 'touch', exhibits: [vase(60000)], length_ms: 180000 },
    // Monday morning at North: 12 visitors in English hear 静夜思 to its end.
    { device: 'north-kiosk-1', count: 12, first_start: '2026-11-09T10:00:00+08:00', every_ms: 60000, package: 'poetry-garden', input: 'touch', language: 'en', exhibits: [poem], length_ms: 120000 },
    // Wednesday evening (a holiday) at North: 5 visitors, too few to show.
    { device: 'north-kiosk-1', count: 5, first_start: '2026-11-11T20:00:00+08:00', every_ms: 60000, package: 'gallery', input: 'touch', exhibits: [vase(30000)], length_ms: 90000 },
    // Saturday morning at South: 20 visitors with the keypad, 15 of them in high contrast.
    { device: 'south-kiosk-1', count: 15, first_start: '2026-11-07T11:00:00+08:00', every_ms: 60000, package: 'gallery', input: 'keypad', accessibility: 'high_contrast', exhibits: [vase(45000)], length_ms: 150000 },
    { device: 'south-kiosk-1', count: 5, first_start: '2026-11-07T11:15:00+08:00', every_ms: 60000, package: 'gallery', input: 'keypad', exhibits: [vase(45000)], length_ms: 150000 },
  ],
};

export const PERIOD = { from: '2026-11-02', to: '2026-11-15' };

export const EXPECTED = {
  visitors: 67,            // 30 + 12 + 5 + 20
  north_visitors: 47,
  south_visitors: 20,
  exhibits_opened: 87,     // 20 × 2 + 10 + 12 + 5 + 20
  median_visit_seconds: 150,  // the 34th of 5 × 90, 12 × 120, 20 × 150, 30 × 180
  saturday_visitors: 50,   // 2026-11-07
  heatmap: { saturday_15: 30, saturday_11: 20, monday_10: 12 },  // Wednesday 20:00 holds 5: withheld
  vase_visitors: 55,
  vase_attraction: 1,
  ding_visitors: 20,
  ding_attraction: 20 / 55,
  vase_holding: 1,         // median dwell 60 s against 60 s
  ding_holding: 0.5,       // 30 s against 60 s
  poems_completed: 12,
  funnel: [67, 67, 12, 12],  // visited, opened an exhibit, started 静夜思, heard it to its end
  english: 12,
  high_contrast: 15,
  touch: 47,
  keypad: 20,
  kiosk: 67,
  received: { 'north-kiosk-1': 311, 'south-kiosk-1': 115 },  // events sent (see hub_fixture.mjs)
};
