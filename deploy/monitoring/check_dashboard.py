#!/usr/bin/env python3
"""Checks a Grafana dashboard and the alerting rules against the metrics Dialtone exports.

The dashboard: JSON that parses, unique panel ids, every panel with a gridPos and a title, every
query panel and target on the dashboard's Prometheus `datasource` variable, and every target's expr
valid PromQL as the real promtool parses it (all of them written as recording rules into a temporary
rules file for `promtool check rules`). Dashboard and rules: every dialtone_* metric they name is in
metrics.txt. Prints one line per problem, naming the panel (or file and line) and the expression, and
exits 1 if there is any. Python 3 standard library only.

usage: check_dashboard.py [--promtool promtool] [--metrics metrics.txt] [--rules RULES.yml]... DASHBOARD.json
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

METRIC = re.compile(r"\bdialtone_[a-z0-9_]+")
METRIC_TYPES = {"gauge", "counter", "summary"}
# What a summary exports besides its quantiles (Dialtone's summaries have no _sum).
SUMMARY_SUFFIXES = ("_count",)
# Grafana's own variables, replaced by a value of the same kind before promtool sees the expression.
GRAFANA_BUILTINS = {
    "__rate_interval": "5m",
    "__interval": "1m",
    "__range": "1h",
    "__interval_ms": "60000",
    "__range_s": "3600",
    "__range_ms": "3600000",
}
VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")


class Problems:
    """The problems found so far, each a line naming what and where."""

    def __init__(self):
        self.lines = []

    def add(self, where, what):
        self.lines.append(f"{where}: {what}")


def load_metric_names(path, problems):
    """The metric names metrics.txt allows: each listed name, plus _count for a summary.

    A name may appear once per section (a '# --- <process>' line): replicas and agents both
    export their certificate's expiry, say.
    """
    names = set()
    in_section = set()
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
    except OSError as e:
        problems.add(path, f"cannot read the metrics list: {e.strerror}")
        return names
    for number, raw in enumerate(lines, 1):
        if raw.startswith("# --- "):
            in_section = set()
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        fields = line.split()
        where = f"{path}:{number}"
        if len(fields) != 3:
            problems.add(where, f"expected 'name type labels' (labels comma-separated, - for none), got {line!r}")
            continue
        name, kind, labels = fields
        if not re.fullmatch(r"[a-zA-Z_:][a-zA-Z0-9_:]*", name):
            problems.add(where, f"{name!r} is not a metric name")
        if kind not in METRIC_TYPES:
            problems.add(where, f"type {kind!r} of {name} is not one of {', '.join(sorted(METRIC_TYPES))}")
        if labels != "-" and not all(re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", label) for label in labels.split(",")):
            problems.add(where, f"labels {labels!r} of {name} are not comma-separated label names")
        if name in in_section:
            problems.add(where, f"{name} is listed twice")
        in_section.add(name)
        names.add(name)
        if kind == "summary":
            names.update(name + suffix for suffix in SUMMARY_SUFFIXES)
    return names


def all_panels(panels):
    """Every panel, rows' nested panels included (a collapsed row holds its panels)."""
    for panel in panels or []:
        yield panel
        if isinstance(panel, dict) and panel.get("type") == "row":
            yield from all_panels(panel.get("panels"))


def datasource_variable(dashboard, where, problems):
    """The name of the dashboard's Prometheus datasource variable, or None (a problem then)."""
    for variable in (dashboard.get("templating") or {}).get("list") or []:
        if variable.get("type") == "datasource" and variable.get("query") == "prometheus":
            return variable.get("name")
    problems.add(where, "no templating variable of type datasource with query prometheus")
    return None


def refers_to(datasource, variable):
    """Whether a panel's or target's datasource is the variable (as {type, uid} or the legacy string)."""
    refs = {f"${variable}", f"${{{variable}}}"}
    if isinstance(datasource, str):
        return datasource in refs
    return isinstance(datasource, dict) and datasource.get("uid") in refs and datasource.get("type", "prometheus") == "prometheus"


def substitute_variables(expr):
    """The expression with Grafana's variables replaced by values promtool can parse."""
    def value(match):
        name = match.group(1) or match.group(2) or match.group(3)
        return GRAFANA_BUILTINS.get(name, "dashboard_variable")
    return VARIABLE.sub(value, expr)


def check_structure(dashboard, where, problems):
    """Panels' ids, titles, positions and datasources; returns (panel title, refId, expr) per target."""
    for key in ("uid", "title"):
        if not dashboard.get(key):
            problems.add(where, f"the dashboard has no {key}")
    variable = datasource_variable(dashboard, where, problems)
    seen_ids = {}
    exprs = []
    for index, panel in enumerate(all_panels(dashboard.get("panels"))):
        if not isinstance(panel, dict):
            problems.add(where, f"panel #{index} is not an object")
            continue
        title = panel.get("title")
        name = f"panel {title!r}" if title else f"panel #{index} (id {panel.get('id')})"
        if not title:
            problems.add(where, f"{name} has no title")
        panel_id = panel.get("id")
        if not isinstance(panel_id, int):
            problems.add(where, f"{name} has no integer id")
        elif panel_id in seen_ids:
            problems.add(where, f"{name} has id {panel_id}, already used by {seen_ids[panel_id]}")
        else:
            seen_ids[panel_id] = name
        grid = panel.get("gridPos")
        if not isinstance(grid, dict) or not all(isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
            problems.add(where, f"{name} has no gridPos with integer h, w, x, y")
        elif grid["x"] < 0 or grid["w"] <= 0 or grid["x"] + grid["w"] > 24:
            problems.add(where, f"{name} has gridPos x={grid['x']} w={grid['w']}, outside the 24 columns")
        if panel.get("type") == "row":
            continue
        if variable and not refers_to(panel.get("datasource"), variable):
            problems.add(where, f"{name} has datasource {json.dumps(panel.get('datasource'))}, not the ${variable} variable")
        for target in panel.get("targets") or []:
            ref = target.get("refId", "?")
            if variable and "datasource" in target and not refers_to(target["datasource"], variable):
                problems.add(where, f"{name} target {ref} has datasource {json.dumps(target['datasource'])}, not the ${variable} variable")
            expr = target.get("expr")
            if not isinstance(expr, str) or not expr.strip():
                problems.add(where, f"{name} target {ref} has no expr")
                continue
            exprs.append((name, ref, expr))
    return exprs


def promtool_check(promtool, exprs, workdir):
    """Runs promtool check rules on the expressions as recording rules; returns (ok, output)."""
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:expr_{i}", "expr": substitute_variables(expr)} for i, expr in enumerate(exprs)]}]}
    path = os.path.join(workdir, f"exprs-{len(os.listdir(workdir))}.yml")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(rules, f, indent=1)  # JSON is YAML: promtool reads it as a rules file
    try:
        result = subprocess.run([promtool, "check", "rules", path], capture_output=True, text=True, check=False)
    except OSError as e:
        raise SystemExit(f"check_dashboard: cannot run {promtool}: {e.strerror}; run scripts/install-prereqs (as root)")
    return result.returncode == 0, (result.stdout + result.stderr).strip()


def check_promql(promtool, exprs, where, problems):
    """Every expression valid PromQL; on a failure, each is checked alone to name the bad ones."""
    if not exprs:
        return
    with tempfile.TemporaryDirectory(prefix="check-dashboard-") as workdir:
        ok, output = promtool_check(promtool, [e for _, _, e in exprs], workdir)
        if ok:
            return
        named = 0
        for name, ref, expr in exprs:
            alone_ok, alone_output = promtool_check(promtool, [expr], workdir)
            if not alone_ok:
                named += 1
                reason = " ".join(line.strip() for line in alone_output.splitlines()
                                  if line.strip() and not line.startswith("Checking") and "FAILED" not in line)
                # promtool names the temporary file and rule; the panel and target say more.
                reason = reason.split("could not parse expression: ", 1)[-1]
                problems.add(where, f"{name} target {ref}: invalid PromQL {expr!r}: {reason}")
        if not named:
            problems.add(where, f"promtool check rules failed on the dashboard's expressions: {output}")


def strings_in(value, path=""):
    """(path, string) for every string in a panel or the dashboard, but targets' exprs and nested panels."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings_in(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "panels" or (key == "expr" and path.startswith("targets")):
                continue
            yield from strings_in(item, f"{path}.{key}" if path else key)


def check_metric_names(known, dashboard, exprs, where, rules_paths, problems):
    """Every dialtone_* name in the dashboard (expressions, titles, descriptions, legends) and the rules files is in the list."""
    for name, ref, expr in exprs:
        for metric in sorted(set(METRIC.findall(expr)) - known):
            problems.add(where, f"{name} target {ref}: metric {metric} is not in metrics.txt: {expr!r}")
    owners = [("the dashboard", dashboard)] + [
        (f"panel {p.get('title')!r}", p) for p in all_panels(dashboard.get("panels")) if isinstance(p, dict)]
    for owner, value in owners:
        for field, text in strings_in(value):
            for metric in sorted(set(METRIC.findall(text)) - known):
                problems.add(where, f"{owner} {field}: metric {metric} is not in metrics.txt: {text!r}")
    for path in rules_paths:
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.readlines()
        except OSError as e:
            problems.add(path, f"cannot read the rules: {e.strerror}")
            continue
        for number, line in enumerate(lines, 1):
            for metric in sorted(set(METRIC.findall(line)) - known):
                problems.add(f"{path}:{number}", f"metric {metric} is not in metrics.txt: {line.strip()}")


def check(dashboard_path, metrics_path, rules_paths, promtool="promtool"):
    """All checks; returns the problems as lines (empty: all good)."""
    problems = Problems()
    known = load_metric_names(metrics_path, problems)
    try:
        with open(dashboard_path, encoding="utf-8") as f:
            dashboard = json.load(f)
    except OSError as e:
        problems.add(dashboard_path, f"cannot read the dashboard: {e.strerror}")
        return problems.lines
    except json.JSONDecodeError as e:
        problems.add(f"{dashboard_path}:{e.lineno}:{e.colno}", f"not JSON: {e.msg}")
        return problems.lines
    if not isinstance(dashboard, dict):
        problems.add(dashboard_path, "the dashboard is not a JSON object")
        return problems.lines
    exprs = check_structure(dashboard, dashboard_path, problems)
    check_promql(promtool, exprs, dashboard_path, problems)
    check_metric_names(known, dashboard, exprs, dashboard_path, rules_paths, problems)
    return problems.lines


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dashboard")
    parser.add_argument("--promtool", default="promtool")
    parser.add_argument("--metrics", default=os.path.join(here, "metrics.txt"))
    parser.add_argument("--rules", action="append", default=[], help="a rules file whose dialtone_* names to check")
    args = parser.parse_args(argv)
    lines = check(args.dashboard, args.metrics, args.rules, args.promtool)
    for line in lines:
        print(f"check_dashboard: {line}", file=sys.stderr)
    if lines:
        print(f"check_dashboard: {len(lines)} problem(s)", file=sys.stderr)
        return 1
    print(f"check_dashboard: {args.dashboard}: structure, PromQL and metric names OK", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
