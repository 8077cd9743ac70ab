#!/usr/bin/env bash
# Five-fold cross-validation of extraction on CoNLL04 train: the development
# figure for extraction changes, so that CoNLL04 dev, the seed page and FIRE
# dev stay measuring files (docs/EXTRACTION.md, "Calibration"). Documents are
# dealt into folds by orig_id mod 5; fold k's recognizer and relation
# classifier are trained on the other four folds (the recognizer with the
# committed command's other corpora), and fold k is extracted with them. Prints
# the pooled figures over the five held-out folds and the pooled precision of
# every rule, also written to $WORK/rules.tsv for tools/calibrate_rules.py.
#
# Usage: tools/conll04-folds.sh [--no-train]   (--no-train reuses the fold
#        models of an earlier run: for changes to rules, not to training)
# Environment: SHARED (../shared), WORK (/tmp/kgraph-folds), B (build),
#   EVAL_ARGS (extra kgraph-admin eval flags, e.g. --min-confidence 0.4),
#   REL_ARGS (extra `train relations` flags, e.g. --target-precision 0.6).
# Training takes about 3 minutes on 2 cores, evaluation about 10 seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
S=${SHARED:-../shared}
WORK=${WORK:-/tmp/kgraph-folds}
B=${B:-build}
train=1
[ "${1:-}" = "--no-train" ] && train=0
if [ ! -f "$S/eval/conll04/conll04_train.json" ]; then
  echo "conll04-folds: $S/eval/conll04/conll04_train.json is missing (set SHARED)" >&2
  exit 2
fi
mkdir -p "$WORK"

python3 - "$S/eval/conll04" "$WORK" <<'EOF'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
spert = json.load(open(os.path.join(src, 'conll04_train.json')))
gold = [json.loads(l) for l in open(os.path.join(src, 'train.gold.jsonl'))]
fold_of = lambda doc: int(doc.rsplit('-', 1)[1]) % 5
for k in range(5):
    json.dump([d for d in spert if d['orig_id'] % 5 != k], open(f'{out}/train{k}.json', 'w'))
    with open(f'{out}/train{k}.gold.jsonl', 'w') as tr, open(f'{out}/test{k}.gold.jsonl', 'w') as te:
        for g in gold:
            (te if fold_of(g['doc']) == k else tr).write(json.dumps(g) + '\n')
EOF

for k in 0 1 2 3 4; do
  m=$WORK/m$k
  mkdir -p "$m"
  ln -sf "$PWD/data/models/tagger.model" "$m/tagger.model"
  ln -sf "$PWD/data/models/parser.model" "$m/parser.model"
  if [ $train = 1 ] || [ ! -f "$m/ner.model" ]; then
    c=conll04=$WORK/train$k.json
    "$B/tools/kgraph-admin" train ner --seed 42 --tagger data/models/tagger.model --out "$m/ner.model" \
      --train wikigold=$S/nlp/ner/wikigold/wikigold.conll sec=$S/nlp/ner/sec-filings/FIN5.conll \
              gum=$S/nlp/ud-gum/en_gum-ud-train.conllu "$c" "$c" "$c" \
      --dev gum=$S/nlp/ud-gum/en_gum-ud-dev.conllu > "$WORK/train-ner$k.log" 2>&1
    "$B/tools/kgraph-admin" train relations --train "$WORK/train$k.gold.jsonl" --models "$m" \
      --out "$m/relation.model" ${REL_ARGS:-} > "$WORK/train-rel$k.log" 2>&1
  fi
  "$B/tools/kgraph-admin" eval --gold "$WORK/test$k.gold.jsonl" --models "$m" ${EVAL_ARGS:-} > "$WORK/eval$k.txt"
done

python3 - "$WORK" <<'EOF'
import re, sys, collections
work = sys.argv[1]
pooled = collections.OrderedDict()
rules = collections.defaultdict(lambda: [0, 0, 0, 0])
line_re = re.compile(r'^(\S.*?)\s+P=\S+ R=\S+ F1=\S+\s+\(tp=(\d+) fp=(\d+) found=(\d+)/(\d+)\)')
rule_re = re.compile(r'^  (\S+)\s+P=\S+\s+\(tp=(\d+) fp=(\d+)\)\s+\|\s+P=\S+\s+\(tp=(\d+) fp=(\d+)\)')
for k in range(5):
    section = ''
    for line in open(f'{work}/eval{k}.txt'):
        if line.startswith('per '): section = line.split()[1]
        m = line_re.match(line)
        if m and not line.startswith(' '):
            c = pooled.setdefault(m.group(1), [0, 0, 0, 0])
            for i in range(4): c[i] += int(m.group(i + 2))
        r = rule_re.match(line)
        if r and section == 'rule':
            for i in range(4): rules[r.group(1)][i] += int(r.group(i + 2))
def prf(tp, fp, found, gold):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = found / gold if gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0
print('pooled over the 5 held-out folds of CoNLL04 train:')
for name, (tp, fp, found, gold) in pooled.items():
    p, r, f = prf(tp, fp, found, gold)
    print(f'  {name:28s} P={p:.3f} R={r:.3f} F1={f:.3f}  (tp={tp} fp={fp} found={found}/{gold})')
print('per rule (pooled precision, strict | lenient):')
with open(f'{work}/rules.tsv', 'w') as out:
    out.write('rule\tstrict_tp\tstrict_fp\tlenient_tp\tlenient_fp\n')
    for name, counts in sorted(rules.items()):
        out.write('\t'.join([name] + [str(c) for c in counts]) + '\n')
for name, (tp, fp, ltp, lfp) in sorted(rules.items()):
    print(f'  {name:28s} P={tp / (tp + fp) if tp + fp else 0:.3f}  (tp={tp} fp={fp})'
          f'  | P={ltp / (ltp + lfp) if ltp + lfp else 0:.3f}  (tp={ltp} fp={lfp})')
EOF
