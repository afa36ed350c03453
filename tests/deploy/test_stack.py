"""The production configuration from deploy/, started on this machine and used.

PostgreSQL (a database of this test's own on the server STACK_DATABASE_URL names)
behind PgBouncer with deploy/pgbouncer.ini, Redis, nginx with deploy/nginx.conf and a
certificate made now, and the ExecStart lines of deploy/systemd/ run with the
environment the units give them (deploy/ier.env filled in with fresh secrets): the
release steps, two web nodes, the worker, the identity stand-in and the health
recorder. Only addresses, ports and file locations are moved to loopback and a
temporary folder. A person applies through HTTPS, the worker verifies, `ier ems-pull`
takes the application; evidence and register uploads go through nginx's limits; then
everything stops as systemd would stop it (SIGTERM) and must exit."""

import json
import os
import pwd
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

from tests.deploy.test_monitoring import mtail_metrics, service_metrics
from tests.deploy.units import DEPLOY, PROJECT, Unit, fill_env_file

sys.path.insert(0, str(PROJECT / "benchmarks"))
sys.path.insert(0, str(PROJECT / "benchmarks" / "load"))
import nginx_local
from journey import Applicant, free_port

pytestmark = pytest.mark.stack

DATABASE_URL = os.environ.get(
    "STACK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ier_stack"
)
REFERENCE = re.compile(r"<strong>([A-Z0-9]{5}) ([A-Z0-9]{5})</strong>")
FIELD = re.compile(r'name="([^"]+)"')
ENV_FILE = "/etc/ier/ier.env"
MB = 1024 * 1024


class Process:
    """One service, in a process group of its own, its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: dict, cwd: Path, logs: Path):
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.log = logs / ("%s.log" % name)
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log.open("ab") as log:
            self.popen = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        return self

    def run(self) -> str:
        """Start it and wait for it to finish successfully (a oneshot)."""
        self.start()
        assert self.popen.wait(timeout=300) == 0, self.tail()
        return self.log.read_text()

    def tail(self) -> str:
        return "%s: %s" % (self.name, self.log.read_text()[-3000:])

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self) -> int | None:
        """SIGTERM, as `systemctl stop` sends; the exit status, None if it hung."""
        if not self.alive():
            return self.popen.returncode if self.popen else 0
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            return self.popen.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
            return None


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        self.logs = folder / "logs"
        self.logs.mkdir()
        self.paths = {
            "/opt/ier": str(PROJECT),
            "/etc/ier": str(folder / "etc"),
            "/var/lib": str(folder / "var-lib"),
            "/run": str(folder / "run"),
        }
        self.env_files = {ENV_FILE: str(folder / "etc" / "ier.env")}
        self.processes: list[Process] = []
        self.cleanup: list[Path] = []
        self.ports = {
            name: free_port()
            for name in ("https", "http", "pgbouncer", "redis", "identity")
        }
        self.node_ports = [free_port(), free_port()]
        self.https = "https://127.0.0.1:%d" % self.ports["https"]

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def base_env(self) -> dict[str, str]:
        return {
            "PATH": os.environ["PATH"],
            "HOME": str(self.folder),
            "LANG": "C.UTF-8",
        }

    def unit_process(self, unit_name: str, instance: str = "", line: int = 0):
        unit = Unit.load(unit_name)
        for key, parent in (
            ("RuntimeDirectory", "/run"),
            ("StateDirectory", "/var/lib"),
        ):
            mode = unit.values(key + "Mode") or ["0755"]
            for name in unit.values(key):
                here = Path(self.paths[parent]) / name.replace("%i", instance)
                here.mkdir(parents=True, exist_ok=True)
                here.chmod(int(mode[0], 8))
        env = {
            **self.base_env(),
            **unit.environment(instance, self.env_files, self.paths),
        }
        argv = unit.commands(instance, env, self.paths)[line]
        cwd = Path(unit.value("WorkingDirectory").replace("/opt/ier", str(PROJECT)))
        label = unit_name.replace("@.service", "@%s" % instance).replace(".service", "")
        return Process("%s-%d" % (label, line), argv, env, cwd, self.logs)

    def service(self, unit_name: str, instance: str = "") -> Process:
        process = self.unit_process(unit_name, instance).start()
        self.processes.append(process)
        return process

    def ier(self, *arguments: str, env: dict | None = None) -> str:
        """An operator's `ier` command with the deployment's environment."""
        worker = self.unit_process("ier-worker.service")
        return Process(
            arguments[0],
            [str(PROJECT / ".venv" / "bin" / "ier"), *arguments],
            {**worker.env, **(env or {})},
            PROJECT,
            self.logs,
        ).run()

    def shell(self, code: str) -> str:
        return self.ier("shell", "-c", code).strip().splitlines()[-1]

    def psql(self, sql: str) -> str:
        return subprocess.run(
            ["psql", DATABASE_URL, "-Atc", sql],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    def stop(self) -> dict[str, int | None]:
        stopped = {p.name: p.stop() for p in reversed(self.processes)}
        for folder in self.cleanup:
            shutil.rmtree(folder, ignore_errors=True)
        return stopped


def fresh_databases() -> tuple[str, str]:
    server, name = DATABASE_URL.rsplit("/", 1)
    for sql in (
        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % name,
        "DROP DATABASE IF EXISTS %s_identity WITH (FORCE)" % name,
        "CREATE DATABASE %s" % name,
        "CREATE DATABASE %s_identity" % name,
    ):
        subprocess.run(["psql", server + "/postgres", "-qc", sql], check=True)
    return name, name + "_identity"


def start_pgbouncer(stack: Stack, databases: tuple[str, str], password: str):
    """deploy/pgbouncer.ini with this machine's addresses and files. PgBouncer will
    not run as root: started by root, it becomes the postgres user (`user`), so its
    files live in a folder of their own that user can reach."""
    folder = Path(tempfile.mkdtemp(prefix="ier-stack-pgbouncer-"))
    stack.cleanup.append(folder)
    server = httpx.URL(DATABASE_URL.replace("postgres://", "http://"))
    (folder / "databases.ini").write_text(
        "".join(
            "%s = host=%s port=%d dbname=%s\n" % (name, server.host, server.port, name)
            for name in databases
        )
    )
    (folder / "userlist.txt").write_text('"%s" "%s"\n' % (server.username, password))
    text = (DEPLOY / "pgbouncer.ini").read_text()
    for old, new in [
        ("%include /etc/pgbouncer/databases.ini", "%%include %s/databases.ini"),
        ("listen_port = 6432", "listen_port = %d" % stack.ports["pgbouncer"]),
        ("auth_file = /etc/pgbouncer/userlist.txt", "auth_file = %s/userlist.txt"),
        ("logfile = /var/log/postgresql/pgbouncer.log", "logfile = %s/pgbouncer.log"),
        ("pidfile = /var/run/postgresql/pgbouncer.pid", "pidfile = %s/pgbouncer.pid"),
    ]:
        assert text.count(old) == 1, old
        text = text.replace(old, new.replace("%s", str(folder)).replace("%%", "%"))
    if os.geteuid() == 0:
        text += "user = postgres\n"
        owner = pwd.getpwnam("postgres")
        for path in (folder, *folder.iterdir()):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    (folder / "pgbouncer.ini").write_text(text)
    process = Process(
        "pgbouncer",
        [
            shutil.which("pgbouncer") or "/usr/sbin/pgbouncer",
            str(folder / "pgbouncer.ini"),
        ],
        stack.base_env(),
        folder,
        stack.logs,
    ).start()
    stack.processes.append(process)
    return process


def wait_for(url: str, process: Process, headers: dict | None = None, **kw) -> None:
    for _ in range(600):
        assert process.alive(), process.tail()
        try:
            if httpx.get(url, timeout=1, headers=headers, **kw).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("%s did not answer: %s" % (url, process.tail()))


def wait_for_port(port: int, process: Process) -> None:
    import socket

    for _ in range(300):
        assert process.alive(), process.tail()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(process.tail())


def fill_secrets(stack: Stack, databases: tuple[str, str], password: str) -> dict:
    user = httpx.URL(DATABASE_URL.replace("postgres://", "http://")).username
    pooled = "postgres://%s:%s@127.0.0.1:%d/%%s" % (
        user,
        password,
        stack.ports["pgbouncer"],
    )
    var = Path(stack.paths["/var/lib"]) / "ier"
    return {
        "IER_SECRET_KEY": secrets.token_urlsafe(50),
        "IER_COOKIE_KEYS": Fernet.generate_key().decode(),
        "IER_FIELD_KEYS": Fernet.generate_key().decode(),
        "IER_LOOKUP_HASH_KEY": secrets.token_urlsafe(32),
        "IER_IDENTITY_SERVICE_TOKEN": secrets.token_urlsafe(32),
        "IER_METRICS_TOKEN": secrets.token_urlsafe(32),
        "DATABASE_URL": pooled % databases[0],
        "IER_IDENTITY_DATABASE_URL": pooled % databases[1],
        "IER_IDENTITY_SERVICE_URL": "http://127.0.0.1:%d" % stack.ports["identity"],
        "IER_REDIS_URL": "redis://127.0.0.1:%d/0" % stack.ports["redis"],
        "IER_SERVICE_URL": stack.https,
        "IER_ALLOWED_HOSTS": "127.0.0.1",
        "IER_VAR_DIR": str(var),
        "IER_EVIDENCE_DIR": str(var / "evidence"),
        # No GOV.UK Notify from this machine: mails stay in each process's memory.
        "IER_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Two nodes and everything else on a small machine.
        "IER_GUNICORN_WORKERS": "1",
        "IER_GUNICORN_THREADS": "4",
        "IER_LOG_LEVEL": "WARNING",
    }


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    stack = Stack(tmp_path_factory.mktemp("stack"))
    try:
        yield start(stack)
    finally:
        stack.stop()


def start(stack: Stack) -> Stack:
    databases = fresh_databases()
    password = secrets.token_urlsafe(16)
    redis = Process(
        "redis",
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port",
            str(stack.ports["redis"]),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stack.base_env(),
        stack.folder,
        stack.logs,
    ).start()
    stack.processes.append(redis)
    pgbouncer = start_pgbouncer(stack, databases, password)
    wait_for_port(stack.ports["pgbouncer"], pgbouncer)
    etc = Path(stack.env_files[ENV_FILE])
    etc.parent.mkdir()
    settings = fill_secrets(stack, databases, password)
    etc.write_text(fill_env_file((DEPLOY / "ier.env").read_text(), settings))
    etc.chmod(0o640)

    # The release steps, then the synthetic country beside the assets (the slowest
    # step, which touches no database).
    stack.unit_process("ier-release.service", line=0).run()
    stack.unit_process("ier-release.service", line=1).run()
    assets = stack.unit_process("ier-release.service", line=2).start()
    stack.ier("seed", "--postcodes-per-authority", "1", "--people", "300")
    assert assets.popen.wait(timeout=300) == 0, assets.tail()

    identity = stack.service("ier-identity.service")
    stack.service("ier-worker.service")
    stack.service("ier-health.service")
    nodes = [stack.service("ier-web@.service", str(port)) for port in stack.node_ports]

    folder = stack.folder / "nginx"
    folder.mkdir()
    certificate = nginx_local.self_signed(folder)
    stack.certificate = certificate[0]
    config = nginx_local.loopback_config(
        folder,
        stack.node_ports,
        stack.ports["https"],
        stack.ports["http"],
        certificate,
    )
    nginx = Process(
        "nginx",
        [
            nginx_local.nginx_binary(),
            "-p",
            str(folder),
            "-c",
            str(config),
            "-g",
            "daemon off;",
        ],
        stack.base_env(),
        folder,
        stack.logs,
    ).start()
    stack.processes.append(nginx)

    wait_for(settings["IER_IDENTITY_SERVICE_URL"] + "/v1/health", identity)
    proxied = {"X-Forwarded-Proto": "https"}
    for port, node in zip(stack.node_ports, nodes, strict=True):
        wait_for("http://127.0.0.1:%d/healthz" % port, node, headers=proxied)
    wait_for(stack.https + "/healthz", nginx, verify=stack.tls())
    stack.settings = settings
    return stack


class Person(Applicant):
    """The ordinary journey through nginx over HTTPS, checking on every page that
    the form really has the fields the person fills in."""

    def __init__(self, stack: Stack, address: tuple[str, int]):
        super().__init__(stack.https, address, 7)
        self.client = httpx.Client(base_url=stack.https, verify=stack.tls(), timeout=30)
        self.shown: str | None = None

    def page(self, path: str) -> str:
        text = super().page(path)
        found = REFERENCE.search(text)
        self.shown = "".join(found.groups()) if found else self.shown
        return text

    def answer(self, path: str, data: dict, expect_error: bool = False) -> str:
        fields = set(FIELD.findall(self.client.get(path).text))
        assert set(data) <= fields, (path, sorted(set(data) - fields))
        return super().answer(path, data, expect_error)


def england_address(stack: Stack) -> tuple[str, int]:
    postcode, uprn = stack.psql(
        "SELECT a.postcode, a.uprn FROM geography_address a JOIN geography_authority"
        " g ON g.id = a.authority_id WHERE g.nation = 'England' AND a.synthetic"
        " ORDER BY a.uprn LIMIT 1"
    ).split("|")
    return postcode, int(uprn)


def status_of(stack: Stack, reference: str) -> str:
    return stack.psql(
        "SELECT status FROM registration_application WHERE reference = '%s'" % reference
    )


@pytest.fixture(scope="module")
def application(stack):
    """One person applies through HTTPS; the worker verifies the application."""
    person = Person(stack, england_address(stack))
    person.apply()
    assert person.shown, "the confirmation page showed no reference"
    deadline = time.monotonic() + 120
    while status_of(stack, person.shown) in ("submitted", "verifying"):
        assert time.monotonic() < deadline, "not verified in 2 minutes"
        time.sleep(0.5)
    return person.shown


@pytest.fixture(scope="module")
def ems_token(stack, application):
    return stack.shell(
        "from ier.api.tokens import create_token;"
        "from ier.registration.models import Application;"
        "a = Application.objects.get(reference=%r);"
        "print(create_token(a.authority, 'stack test')[1])" % application
    )


def test_an_application_made_over_https_is_pulled_by_the_ems(
    stack, application, ems_token
):
    out = stack.folder / "ems"
    out.mkdir()
    stack.ier(
        "ems-pull",
        "--url",
        stack.https + "/api/v1",
        "--out",
        str(out),
        env={"IER_EMS_TOKEN": ems_token, "SSL_CERT_FILE": str(stack.certificate)},
    )
    pulled = json.loads((out / ("%s.json" % application)).read_text())
    assert pulled["reference"] == application
    assert pulled["name"]["last_name"].startswith("Example")
    assert pulled["status"] in ("verified", "partial", "not_verified")
    assert [p.name for p in out.iterdir()] == ["%s.json" % application]
    assert status_of(stack, application) == "downloaded"


def test_https_is_what_the_nodes_see_through_nginx(stack):
    over_http = httpx.get("http://127.0.0.1:%d/" % stack.ports["http"])
    assert over_http.status_code == 301
    assert over_http.headers["location"].startswith("https://127.0.0.1")
    # Straight to a node, without nginx's X-Forwarded-Proto: sent to HTTPS.
    direct = httpx.get("http://127.0.0.1:%d/" % stack.node_ports[0])
    assert direct.status_code == 301
    # Through nginx the same page is served, with secure cookies and HSTS.
    page = httpx.get(stack.https + "/register/start/", verify=stack.tls())
    assert page.status_code == 302
    assert "Strict-Transport-Security" in page.headers
    cookies = page.headers.get_list("set-cookie")
    assert cookies and all("Secure" in cookie for cookie in cookies)


def exported(text: str) -> set[str]:
    return {
        line.split("{")[0].split(" ")[0]
        for line in text.splitlines()
        if line and not line.startswith("#")
    }


def test_metrics_answer_with_every_gauge_the_alerts_read(stack, application):
    metrics = httpx.get(
        stack.https + "/metrics",
        headers={"Authorization": "Bearer " + stack.settings["IER_METRICS_TOKEN"]},
        verify=stack.tls(),
    )
    assert metrics.status_code == 200
    assert service_metrics() <= exported(metrics.text)
    assert "ier_identity_service_up 1.0" in metrics.text
    assert httpx.get(stack.https + "/metrics", verify=stack.tls()).status_code == 404


def evidence_link(stack: Stack, reference: str) -> str:
    return stack.shell(
        "from ier.ero import evidence;"
        "from ier.registration.models import Application;"
        "a = Application.objects.get(reference=%r); links = [];"
        "link = evidence.service_link;"
        "evidence.service_link = lambda path: links.append(path) or link(path);"
        "evidence.create_request(a, 'A photo of your passport', 'Stack test');"
        "print(links[0])" % reference
    )


def upload(client: httpx.Client, link: str, size: int) -> httpx.Response:
    form = client.get(link)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    pdf = b"%PDF-1.4\n" + b"0" * (size - 9)
    return client.post(
        link,
        data={"csrfmiddlewaretoken": token.group(1)},
        files={"document": ("passport.pdf", pdf, "application/pdf")},
        headers={"Referer": str(client.base_url) + link},
    )


def test_a_9_mb_evidence_upload_passes_nginx_and_is_kept(stack, application):
    client = httpx.Client(base_url=stack.https, verify=stack.tls())
    response = upload(client, evidence_link(stack, application), 9 * MB)
    assert response.status_code == 200, response.text[:500]
    sizes = stack.psql("SELECT size FROM ero_evidencefile")
    assert sizes.split() == [str(9 * MB)]


def test_nginx_refuses_evidence_beyond_three_files_of_10_mb(stack, application):
    client = httpx.Client(base_url=stack.https, verify=stack.tls())
    response = upload(client, evidence_link(stack, application), 32 * MB)
    assert response.status_code == 413
    assert "nginx" in response.text


def register_csv(rows: int) -> bytes:
    lines = [
        "elector_id,first_name,middle_names,surname,date_of_birth,"
        "address_line_1,address_line_2,town,postcode,uprn"
    ]
    lines += [
        "E%d,Ann,,Example-%s,1980-01-01,%d Example Street,,Exampletown,ZZ99 9ZZ,"
        % (n, letters(n), n)
        for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def letters(number: int) -> str:
    """A different surname ending for each row: names hold no digits."""
    word = ""
    while True:
        number, index = divmod(number, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[index] + word
        if not number:
            return word


def test_a_register_upload_larger_than_a_page_passes_on_its_path_only(stack, ems_token):
    body = register_csv(40000)
    assert len(body) > 2 * MB
    client = httpx.Client(
        base_url=stack.https,
        verify=stack.tls(),
        headers={"Authorization": "Bearer " + ems_token},
        timeout=120,
    )
    loaded = client.put(
        "/api/v1/register", content=body, headers={"Content-Type": "text/csv"}
    )
    assert loaded.status_code == 200, loaded.text[:500]
    assert loaded.json()["entries"] == 40000
    elsewhere = client.post(
        "/api/v1/applications",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert elsewhere.status_code == 413
    assert "nginx" in elsewhere.text


def test_the_mtail_program_reads_nginx_s_real_log(stack):
    """Run after the uploads: nginx's log holds 200s, 302s and 413s by now."""
    result = subprocess.run(
        [
            "mtail",
            "-one_shot",
            "-one_shot_format",
            "prometheus",
            "-emit_prog_label=false",
            "-progs",
            str(DEPLOY / "monitoring"),
            "-logs",
            str(stack.folder / "nginx" / "access.log"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert mtail_metrics() <= exported(result.stdout)
    lines = (stack.folder / "nginx" / "access.log").read_text().splitlines()
    counted = re.findall(
        r'ier_http_requests_total\{status="(\d+)"\} (\d+)', result.stdout
    )
    assert sum(int(n) for _, n in counted) == len(lines)
    assert {"200", "302", "413"} <= {status for status, _ in counted}


def test_when_no_node_answers_people_are_told_to_come_back(stack):
    """The last test: it stops the web nodes."""
    nodes = [p for p in stack.processes if p.name.startswith("ier-web@")]
    assert [node.stop() for node in nodes] == [0, 0]
    busy = httpx.get(stack.https + "/", verify=stack.tls())
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "120"
    assert "Sorry, the service is busy" in busy.text


def test_everything_stops_when_asked(stack):
    stopped = stack.stop()
    hung = [name for name, status in stopped.items() if status is None]
    assert not hung, "did not stop on SIGTERM: %s" % hung
