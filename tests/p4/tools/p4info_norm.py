#!/usr/bin/env python3
"""p4info_norm.py FILE - prints a P4Info text-format file (protobuf text
format, as p4c and fop4-p4c write it) in a canonical order: every message's
fields sorted (recursively) by their printed form. Two P4Info files are
"identical after normalising order" when this prints the same text for both:
the same entities, fields, ids and annotations, in any order. Comments and
blank lines are dropped.

p4info_norm.py --compare [--ignore FIELD]...: reads lines "NAME REF OURS"
on stdin and prints,
for each, "same NAME" or "differs NAME: <first differing normalised lines>"
(one process for a whole corpus: starting Python per file is slow). Fields
named by --ignore are dropped from both sides first (e.g. the tutorials'
P4Info files come from a p4c older than initial_default_action)."""
import sys


def tokens(text):
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in ' \t\r\n':
            i += 1
        elif c == '#':
            while i < n and text[i] != '\n':
                i += 1
        elif c in '{}:':
            yield c
            i += 1
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == '\\' else 1
            yield text[i:j + 1]
            i = j + 1
        else:
            j = i
            while j < n and text[j] not in ' \t\r\n{}:#"':
                j += 1
            yield text[i:j]
            i = j


def parse(toks):
    """A message: a list of (name, value) where value is a str or a list."""
    out = []
    for t in toks:
        if t == '}':
            return out
        name = t
        t = next(toks)
        if t == ':':
            t = next(toks)
        if t == '{':
            out.append((name, parse(toks)))
        else:
            out.append((name, t))
    return out


IGNORE = set()


def show(msg, depth=0):
    lines = []
    for name, v in msg:
        if name in IGNORE:
            continue
        ind = '  ' * depth
        if isinstance(v, list):
            lines.append(ind + name + ' {\n' + show(v, depth + 1) + ind + '}\n')
        else:
            lines.append(ind + name + ': ' + v + '\n')
    return ''.join(sorted(lines))


def norm(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return show(parse(tokens(f.read())))


def first_diff(a, b):
    al, bl = a.splitlines(), b.splitlines()
    for i in range(max(len(al), len(bl))):
        x = al[i] if i < len(al) else '(end)'
        y = bl[i] if i < len(bl) else '(end)'
        if x != y:
            return 'p4c: %s | ours: %s' % (x.strip(), y.strip())
    return ''


def compare():
    for line in sys.stdin:
        name, ref, ours = line.split()
        try:
            a, b = norm(ref), norm(ours)
        except (OSError, StopIteration) as e:
            print('differs %s: %s' % (name, e))
            continue
        if a == b:
            print('same ' + name)
        else:
            print('differs %s: %s' % (name, first_diff(a, b)))


def main():
    if sys.argv[1] == '--compare':
        args = sys.argv[2:]
        while len(args) >= 2 and args[0] == '--ignore':
            IGNORE.add(args[1])
            args = args[2:]
        compare()
    else:
        sys.stdout.write(norm(sys.argv[1]))


if __name__ == '__main__':
    main()
