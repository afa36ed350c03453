"""deploy/monitoring: the alert rules pass their promtool unit tests, Prometheus
accepts its configuration, and every expression of the rules and the dashboard reads
a metric something really exports (the service, the mtail program over nginx's log,
or the named Debian exporter). tests/deploy/test_stack.py checks the first two lists
against a real scrape and a real access log."""

import json
import re
import shutil
import subprocess

import pytest
import yaml

from tests.deploy.units import DEPLOY, PROJECT

pytestmark = pytest.mark.stack

MONITORING = DEPLOY / "monitoring"
# Metrics of the standard exporters the rules use, by Debian package.
EXPORTERS = {
    "up": "prometheus",
    "probe_success": "prometheus-blackbox-exporter",
    "probe_ssl_earliest_cert_expiry": "prometheus-blackbox-exporter",
    "pg_stat_database_numbackends": "prometheus-postgres-exporter",
    "pg_settings_max_connections": "prometheus-postgres-exporter",
    "node_filesystem_avail_bytes": "prometheus-node-exporter",
    "node_filesystem_size_bytes": "prometheus-node-exporter",
}
KEYWORDS = {"and", "or", "unless", "bool", "offset", "by", "without", "on"}
GROUPING = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)"
)


def service_metrics() -> set[str]:
    source = (PROJECT / "src" / "ier" / "performance" / "metrics.py").read_text()
    return set(re.findall(r'GaugeMetricFamily\(\s*"(\w+)"', source))


def mtail_metrics() -> set[str]:
    program = (MONITORING / "nginx.mtail").read_text()
    names = set(re.findall(r"^counter (\w+)", program, re.MULTILINE))
    for name in re.findall(r"^histogram (\w+)", program, re.MULTILINE):
        names |= {name + suffix for suffix in ("_bucket", "_sum", "_count")}
    return names


def metric_names(expression: str) -> set[str]:
    """The metrics a PromQL expression reads: what is left once strings, label
    matchers, ranges, grouping clauses and function calls are taken out."""
    text = re.sub(r'"[^"]*"', "", expression)
    text = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", text)
    text = GROUPING.sub(" ", text)
    words = re.findall(r"\b([a-zA-Z_:][\w:]*)\b(?!\s*\()", text)
    return {w for w in words if w not in KEYWORDS and not re.fullmatch(r"\d+\w*", w)}


def rule_expressions() -> list[str]:
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())
    return [rule["expr"] for group in rules["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    return [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]


def promtool(*arguments: str, cwd=MONITORING) -> str:
    result = subprocess.run(
        [shutil.which("promtool") or "promtool", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_the_alert_rules_pass_their_unit_tests():
    assert "SUCCESS" in promtool("test", "rules", "alerts.test.yml")


def test_every_alert_has_a_unit_test_that_fires_it():
    tests = yaml.safe_load((MONITORING / "alerts.test.yml").read_text())["tests"]
    fired = {
        case["alertname"]
        for test in tests
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    rules = yaml.safe_load((MONITORING / "alerts.yml").read_text())["groups"]
    alerts = {rule["alert"] for group in rules for rule in group["rules"]}
    assert alerts == fired


def test_prometheus_accepts_its_configuration(tmp_path):
    token = tmp_path / "token"
    token.write_text("secret\n")
    config = (MONITORING / "prometheus.yml").read_text()
    config = config.replace("/etc/prometheus/ier-metrics-token", str(token))
    (tmp_path / "prometheus.yml").write_text(config)
    shutil.copy(MONITORING / "alerts.yml", tmp_path)
    assert "SUCCESS" in promtool("check", "config", "prometheus.yml", cwd=tmp_path)


def test_every_dashboard_expression_is_valid_promql(tmp_path):
    rules = {
        "groups": [
            {
                "name": "dashboard",
                "rules": [
                    {"record": "panel:%d" % n, "expr": e}
                    for n, e in enumerate(dashboard_expressions())
                ],
            }
        ]
    }
    (tmp_path / "dashboard.yml").write_text(yaml.safe_dump(rules))
    assert "SUCCESS" in promtool("check", "rules", "dashboard.yml", cwd=tmp_path)


@pytest.mark.parametrize("source", ["alerts", "dashboard"])
def test_every_expression_reads_an_exported_metric(source):
    exported = service_metrics() | mtail_metrics() | set(EXPORTERS)
    expressions = rule_expressions() if source == "alerts" else dashboard_expressions()
    read = set()
    for expression in expressions:
        names = metric_names(expression)
        assert names, expression
        assert names <= exported, (expression, names - exported)
        read |= names
    if source == "dashboard":
        assert service_metrics() <= read, "a service metric with no panel"


def test_metric_names_are_read_from_promql():
    assert metric_names(
        'sum by (le) (rate(ier_http_request_duration_seconds_bucket{status=~"5.."}'
        "[5m])) / on (instance) max(pg_settings_max_connections) > 3 * 86400"
    ) == {"ier_http_request_duration_seconds_bucket", "pg_settings_max_connections"}


def test_the_mtail_program_compiles():
    result = subprocess.run(
        ["mtail", "-compile_only", "-progs", str(MONITORING), "-logtostderr"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
