#!/usr/bin/python3
"""Sets the confidence of every surface and dependency rule that fired often
enough on the CoNLL04 train folds to its pooled held-out precision.

Usage: tools/calibrate_rules.py [RULES_TSV]   (default /tmp/kgraph-folds/rules.tsv,
       written by tools/conll04-folds.sh)

The confidence is the smoothed lenient precision (tp + 1) / (tp + fp + 2) of
the rule's triples on the five held-out folds, rounded to 0.01: lenient,
because CoNLL04's name boundaries ("Tupelo, Miss" as one place) are not
kgraph's, and a triple right up to them is a right fact. Rules with fewer
than MIN_SUPPORT triples keep their confidence (too few to measure), as do
rules for relations CoNLL04 does not annotate. The data files are rewritten
in place; nothing else in them changes.
"""
import csv
import os
import sys

MIN_SUPPORT = 10
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = [os.path.join(ROOT, 'data/relations/patterns.txt'),
         os.path.join(ROOT, 'data/relations/dependency_patterns.txt')]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else '/tmp/kgraph-folds/rules.tsv'
    measured = {}
    with open(path) as f:
        for row in csv.DictReader(f, delimiter='\t'):
            tp, fp = int(row['lenient_tp']), int(row['lenient_fp'])
            if tp + fp >= MIN_SUPPORT:
                rule = row['rule'][4:] if row['rule'].startswith('dep:') else row['rule']
                measured[rule] = (round((tp + 1) / (tp + fp + 2), 2), tp, fp)
    seen = set()
    for name in FILES:
        lines = open(name).read().split('\n')
        for i, line in enumerate(lines):
            cols = line.split('\t')
            if line.startswith('#') or len(cols) < 4 or cols[0] not in measured:
                continue
            conf, tp, fp = measured[cols[0]]
            print(f'{cols[0]:24s} {cols[2]} -> {conf:.2f}  (tp={tp} fp={fp})')
            cols[2] = f'{conf:.2f}'
            lines[i] = '\t'.join(cols)
            seen.add(cols[0])
        with open(name, 'w') as f:
            f.write('\n'.join(lines))
    for rule in sorted(set(measured) - seen):
        print(f'{rule:24s} (not a rule in the data files: kept as measured only)')


if __name__ == '__main__':
    main()
