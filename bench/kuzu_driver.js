#!/usr/bin/env node
// Kùzu side of the kgraph benchmark: loads a data directory written by
// `kgraph-bench gen` with COPY FROM, runs the same workload with Cypher and
// prints (and writes) JSON in the schema `kgraph-bench report` reads:
//   {system, load: {seconds, copy_seconds, checkpoint_seconds, edges, disk_bytes,
//    peak_rss_bytes}, h1|h2|sp: {answers: [...], passes: [{lat_us: [...], wall_s}]}}
//
// Semantics (same as bench/graph_data.h): 1-hop / 2-hop = distinct entities
// reachable over 1..1 / 1..2 out-edges of any relation, start excluded;
// shortest path = length of a shortest directed path of <= max_hops edges, or -1.
//
// Usage: node kuzu_driver.js --data DIR --db PATH --out FILE [--passes N]
//        (KUZU_MODULE=/path/to/node_modules/kuzu selects the installed package)
'use strict';
const fs = require('fs');
const path = require('path');
const kuzu = require(process.env.KUZU_MODULE || 'kuzu');

function parseArgs(argv) {
  const a = { passes: 3 };
  for (let i = 2; i < argv.length; i += 2) a[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['data', 'db', 'out']) {
    if (!a[k]) throw new Error(`missing --${k}`);
  }
  a.passes = Number(a.passes);
  return a;
}

function diskBytes(p) {
  let total = 0;
  for (const candidate of [p, p + '.wal']) {
    if (!fs.existsSync(candidate)) continue;
    const st = fs.statSync(candidate);
    if (st.isFile()) { total += st.size; continue; }
    for (const e of fs.readdirSync(candidate, { recursive: true })) {
      const s = fs.statSync(path.join(candidate, e));
      if (s.isFile()) total += s.size;
    }
  }
  return total;
}

function nowUs() { return Number(process.hrtime.bigint() / 1000n); }

function run(conn, statement) {
  const r = conn.querySync(statement);
  const results = Array.isArray(r) ? r : [r];
  const rows = results.map((x) => { const all = x.getAllSync(); x.close(); return all; });
  return rows[rows.length - 1];
}

// Runs `n` queries `passes` times after a short warm-up; answers from pass 1.
function measure(n, passes, query) {
  const answers = [];
  for (let i = 0; i < Math.min(n, 50); i++) query(i);
  const out = { answers, passes: [] };
  for (let p = 0; p < passes; p++) {
    const lat = [];
    const t0 = nowUs();
    for (let i = 0; i < n; i++) {
      const s = nowUs();
      const a = query(i);
      lat.push(nowUs() - s);
      if (p === 0) answers.push(a);
    }
    out.passes.push({ lat_us: lat, wall_s: (nowUs() - t0) / 1e6 });
  }
  return out;
}

function main() {
  const args = parseArgs(process.argv);
  const names = fs.readFileSync(path.join(args.data, 'nodes.csv'), 'utf8').split('\n');
  if (names[names.length - 1] === '') names.pop();
  const meta = JSON.parse(fs.readFileSync(path.join(args.data, 'meta.json'), 'utf8'));
  const w = { hop1: [], hop2: [], pairs: [], maxHops: 5 };
  for (const line of fs.readFileSync(path.join(args.data, 'workload.txt'), 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'max_hops') w.maxHops = Number(f[1]);
    else if (f[0] === 'h1') w.hop1.push(Number(f[1]));
    else if (f[0] === 'h2') w.hop2.push(Number(f[1]));
    else if (f[0] === 'sp') w.pairs.push([Number(f[1]), Number(f[2])]);
  }

  fs.rmSync(args.db, { recursive: true, force: true });
  fs.rmSync(args.db + '.wal', { force: true });
  const db = new kuzu.Database(args.db);
  const conn = new kuzu.Connection(db);
  run(conn, 'CREATE NODE TABLE Entity(name STRING, PRIMARY KEY(name))');
  run(conn, 'CREATE REL TABLE R(FROM Entity TO Entity, rel STRING)');
  const t0 = nowUs();
  run(conn, `COPY Entity FROM '${path.resolve(args.data, 'nodes.csv')}' (HEADER=false)`);
  run(conn, `COPY R FROM '${path.resolve(args.data, 'edges.csv')}' (HEADER=false)`);
  const t1 = nowUs();
  run(conn, 'CHECKPOINT');
  const t2 = nowUs();
  const edgeCount = Number(Object.values(run(conn, 'MATCH ()-[r:R]->() RETURN count(r) AS c')[0])[0]);
  if (edgeCount !== meta.edges) {
    throw new Error(`Kùzu loaded ${edgeCount} edges, expected ${meta.edges}`);
  }
  const result = {
    system: 'kuzu',
    version: kuzu.VERSION,
    load: {
      seconds: (t2 - t0) / 1e6,
      copy_seconds: (t1 - t0) / 1e6,
      checkpoint_seconds: (t2 - t1) / 1e6,
      edges: meta.edges,
      disk_bytes: diskBytes(args.db),
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    },
  };
  process.stderr.write(`kuzu ${meta.dataset}: loaded ${edgeCount} edges in ${result.load.seconds.toFixed(2)} s\n`);

  const one = (r) => Number(Object.values(r[0])[0]);
  const h1 = conn.prepareSync(
    'MATCH (a:Entity {name: $n})-[:R]->(b:Entity) WHERE id(b) <> id(a) RETURN count(DISTINCT id(b))');
  const h2 = conn.prepareSync(
    'MATCH (a:Entity {name: $n})-[:R*1..2]->(b:Entity) WHERE id(b) <> id(a) RETURN count(DISTINCT id(b))');
  const sp = conn.prepareSync(
    `MATCH p = (a:Entity {name: $a})-[:R* SHORTEST 1..${w.maxHops}]->(b:Entity {name: $b}) RETURN length(p)`);
  const exec = (ps, params) => {
    const r = conn.executeSync(ps, params);
    const rows = r.getAllSync();
    r.close();
    return rows;
  };
  const passes = args.passes;
  result.h1 = measure(w.hop1.length, passes, (i) => one(exec(h1, { n: names[w.hop1[i]] })));
  process.stderr.write(`kuzu ${meta.dataset}: 1-hop done\n`);
  result.h2 = measure(w.hop2.length, passes, (i) => one(exec(h2, { n: names[w.hop2[i]] })));
  process.stderr.write(`kuzu ${meta.dataset}: 2-hop done\n`);
  result.sp = measure(w.pairs.length, passes, (i) => {
    const rows = exec(sp, { a: names[w.pairs[i][0]], b: names[w.pairs[i][1]] });
    return rows.length === 0 ? -1 : Number(Object.values(rows[0])[0]);
  });
  process.stderr.write(`kuzu ${meta.dataset}: shortest paths done\n`);
  conn.closeSync();
  db.closeSync();
  fs.writeFileSync(args.out, JSON.stringify(result));
}

main();
