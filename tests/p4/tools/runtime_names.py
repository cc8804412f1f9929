#!/usr/bin/env python3
"""runtime_names.py - do the p4lang tutorials' sX-runtime.json files work
with our P4Info? Reads lines "RUNTIME_JSON P4INFO_TXTPB" on stdin; for each
table entry checks, as the tutorials' p4runtime_lib looks names up, that the
table (by name or alias), its match fields, the action (name or alias, and
among the table's actions) and the action's parameters are in the P4Info.
Prints one line per problem, then "RESULT entries files problems"."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from p4info_norm import parse, tokens  # noqa: E402


def field(msg, name, default=None):
    for k, v in msg:
        if k == name:
            return v
    return default


def fields(msg, name):
    return [v for k, v in msg if k == name]


def unquote(s):
    return s[1:-1] if s and s[0] == '"' else s


def by_name(objs, name):
    for o in objs:
        pre = field(o, 'preamble', [])
        if name in (unquote(field(pre, 'name')), unquote(field(pre, 'alias'))):
            return o
    return None


def check(runtime, p4info, problems):
    info = parse(tokens(open(p4info).read()))
    tables, actions = fields(info, 'tables'), fields(info, 'actions')
    n = 0
    for e in json.load(open(runtime)).get('table_entries', []):
        n += 1
        where = '%s: %s' % (os.path.basename(runtime), e.get('table'))
        t = by_name(tables, e.get('table'))
        if t is None:
            problems.append('%s: no such table' % where)
            continue
        keys = [unquote(field(m, 'name')) for m in fields(t, 'match_fields')]
        for k in e.get('match', {}):
            if k not in keys:
                problems.append('%s: no match field %s' % (where, k))
        a = by_name(actions, e.get('action_name'))
        if a is None:
            problems.append('%s: no action %s' % (where, e.get('action_name')))
            continue
        aid = field(field(a, 'preamble'), 'id')
        if aid not in [field(r, 'id') for r in fields(t, 'action_refs')]:
            problems.append('%s: action %s not in the table' %
                            (where, e.get('action_name')))
        params = [unquote(field(p, 'name')) for p in fields(a, 'params')]
        for p in e.get('action_params', {}):
            if p not in params:
                problems.append('%s: action %s has no parameter %s' %
                                (where, e.get('action_name'), p))
    return n


def main():
    problems, entries, files = [], 0, 0
    for line in sys.stdin:
        runtime, p4info = line.split()
        entries += check(runtime, p4info, problems)
        files += 1
    for p in problems:
        print(p)
    print('RESULT %d %d %d' % (entries, files, len(problems)))


if __name__ == '__main__':
    main()
