"""Tests of check_dashboard.py against the shipped dashboard and broken copies of it, with the real promtool."""

import copy
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr

HERE = os.path.dirname(os.path.abspath(__file__))
MONITORING = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, MONITORING)
import check_dashboard  # noqa: E402

DASHBOARD = os.path.join(MONITORING, "grafana", "dialtone.json")
METRICS = os.path.join(MONITORING, "metrics.txt")
RULES = os.path.join(MONITORING, "prometheus", "dialtone-alerts.yml")
PROMTOOL = os.environ.get("PROMTOOL", "promtool")


class CheckDashboardTest(unittest.TestCase):
    def setUp(self):
        with open(DASHBOARD, encoding="utf-8") as f:
            self.dashboard = json.load(f)
        self.tmp = tempfile.TemporaryDirectory(prefix="check-dashboard-test-")
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, content):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        return path

    def problems(self, dashboard=None, metrics=METRICS, rules=(RULES,)):
        path = self.write("dashboard.json", dashboard if dashboard is not None else self.dashboard)
        return check_dashboard.check(path, metrics, list(rules), PROMTOOL)

    def panel(self, title):
        return next(p for p in check_dashboard.all_panels(self.dashboard["panels"]) if p.get("title") == title)

    def with_copy_of(self, title, **changes):
        """The dashboard plus a copy of one panel, changed; returns the copy."""
        duplicate = copy.deepcopy(self.panel(title))
        duplicate["id"] = 1000
        duplicate["title"] = f"{title} (copy)"
        duplicate.update(changes)
        self.dashboard["panels"].append(duplicate)
        return duplicate

    def assertOneProblem(self, problems, *fragments):
        self.assertEqual(1, len(problems), problems)
        for fragment in fragments:
            self.assertIn(fragment, problems[0])

    def test_shipped_dashboard_and_rules_pass(self):
        self.assertEqual([], self.problems())

    def test_main_exit_codes(self):
        with redirect_stderr(io.StringIO()):
            self.assertEqual(0, check_dashboard.main(["--promtool", PROMTOOL, "--rules", RULES, DASHBOARD]))
            broken = self.write("broken.json", "{ not json")
            self.assertEqual(1, check_dashboard.main(["--promtool", PROMTOOL, broken]))

    def test_invalid_promql_in_a_copied_panel_names_panel_and_expression(self):
        copied = self.with_copy_of("Region status")
        copied["targets"][0]["expr"] = "max by (region (dialtone_region_status)"
        self.assertOneProblem(self.problems(), "panel 'Region status (copy)' target A", "invalid PromQL",
                              "'max by (region (dialtone_region_status)'", "parse error")

    def test_every_bad_expression_is_named(self):
        self.with_copy_of("Epoch")["targets"][0]["expr"] = "max(dialtone_epoch"
        self.with_copy_of("Mode", id=1001)["targets"][0]["expr"] = "dialtone_mode{mode=AUTO}"
        problems = self.problems()
        self.assertEqual(2, len(problems), problems)
        self.assertIn("panel 'Epoch (copy)'", problems[0])
        self.assertIn("panel 'Mode (copy)'", problems[1])

    def test_a_misspelt_metric_fails(self):
        self.with_copy_of("Leader")["targets"][0]["expr"] = "max by (instance) (dialtone_leadr)"
        self.assertOneProblem(self.problems(), "panel 'Leader (copy)' target A", "dialtone_leadr is not in metrics.txt")

    def test_a_misspelt_metric_in_a_description_fails(self):
        self.with_copy_of("Leader")["description"] = "dialtone_leader per replica, dialtone_leeder never"
        self.assertOneProblem(self.problems(), "panel 'Leader (copy)' description", "dialtone_leeder is not in metrics.txt")

    def test_a_summary_exports_count_but_no_sum(self):
        self.with_copy_of("Epoch")["targets"][0]["expr"] = "rate(dialtone_detection_seconds_count[5m])"
        self.assertEqual([], self.problems())
        self.with_copy_of("Epoch", id=1001)["targets"][0]["expr"] = "rate(dialtone_detection_seconds_sum[5m])"
        self.assertOneProblem(self.problems(), "dialtone_detection_seconds_sum is not in metrics.txt")

    def test_grafana_variables_are_substituted(self):
        self.with_copy_of("Epoch")["targets"][0]["expr"] = (
            'sum(increase(dialtone_plans_total{outcome=~"$outcome"}[$__range]))'
            ' + sum(rate(dialtone_plans_total{outcome=~"[[outcome]]"}[${__rate_interval}]))')
        self.assertEqual([], self.problems())

    def test_duplicate_panel_id(self):
        self.with_copy_of("Epoch", id=self.panel("Leader")["id"])
        self.assertOneProblem(self.problems(), "panel 'Epoch (copy)'", f"id {self.panel('Leader')['id']}", "panel 'Leader'")

    def test_missing_grid_pos_title_and_a_fixed_datasource(self):
        copied = self.with_copy_of("Epoch")
        del copied["gridPos"]
        self.assertOneProblem(self.problems(), "panel 'Epoch (copy)' has no gridPos")
        copied["gridPos"] = {"h": 4, "w": 6, "x": 20, "y": 0}
        self.assertOneProblem(self.problems(), "outside the 24 columns")
        copied["gridPos"] = {"h": 4, "w": 6, "x": 0, "y": 0}
        copied["datasource"] = {"type": "prometheus", "uid": "P1809F7CD0C75ACF3"}
        self.assertOneProblem(self.problems(), "panel 'Epoch (copy)' has datasource", "not the $datasource variable")
        copied["datasource"] = self.panel("Epoch")["datasource"]
        copied["targets"][0]["datasource"] = "Prometheus"
        self.assertOneProblem(self.problems(), "panel 'Epoch (copy)' target A has datasource")
        del copied["targets"][0]["datasource"]
        copied["title"] = ""
        self.assertOneProblem(self.problems(), "panel #", "has no title")

    def test_no_datasource_variable(self):
        self.dashboard["templating"]["list"] = []
        self.assertOneProblem(self.problems(), "no templating variable of type datasource")

    def test_a_misspelt_metric_in_the_rules_names_file_and_line(self):
        with open(RULES, encoding="utf-8") as f:
            rules = f.read().replace("dialtone_zookeeper_connected == 0", "dialtone_zookeeper_conected == 0")
        path = self.write("alerts.yml", rules)
        line = rules.splitlines().index(next(l for l in rules.splitlines() if "zookeeper_conected" in l)) + 1
        self.assertOneProblem(self.problems(rules=(path,)), f"alerts.yml:{line}", "dialtone_zookeeper_conected is not in metrics.txt")

    def test_a_malformed_metrics_list(self):
        with open(METRICS, encoding="utf-8") as f:
            metrics = f.read() + "dialtone_extra histogram -\ndialtone_agent_ready gauge region\ndialtone_lonely\n"
        path = self.write("metrics.txt", metrics)
        problems = self.problems(metrics=path)
        self.assertEqual(3, len(problems), problems)
        self.assertIn("type 'histogram'", problems[0])
        self.assertIn("dialtone_agent_ready is listed twice", problems[1])
        self.assertIn("expected 'name type labels'", problems[2])


if __name__ == "__main__":
    unittest.main()
