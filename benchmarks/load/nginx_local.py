"""deploy/nginx.conf on one machine: the same file with only its addresses, ports and
file locations moved to loopback and a temporary folder, for the load test and the
stack test. Every change must find its line, so a change to the shipped file that
these runs would no longer exercise fails loudly instead of being skipped."""

import getpass
import re
import shutil
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SHIPPED = PROJECT / "deploy" / "nginx.conf"
NODE_LINE = re.compile(r"^ *server 10\.0\.1\.\d+:8000 max_fails=0;\n", re.MULTILINE)


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _replace(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise ValueError("deploy/nginx.conf: expected one %r" % old)
    return text.replace(old, new)


def self_signed(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A certificate and key for `host`, made now (openssl), valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=%s" % host,
            "-addext",
            "subjectAltName=IP:%s" % host,
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def loopback_config(
    prefix: Path,
    node_ports: list[int],
    https_port: int,
    http_port: int,
    certificate: tuple[Path, Path],
    tls: bool = True,
    pass_client_address: bool = False,
) -> Path:
    """Write nginx.conf into `prefix` and return its path. Without `tls` the HTTPS
    server listens in plain HTTP (the load test measures the nodes, not TLS);
    `pass_client_address` passes on the X-Forwarded-For each simulated person sends."""
    text = SHIPPED.read_text()
    text = _replace(text, "user www-data;", "user %s;" % getpass.getuser())
    for old, new in [
        ("/run/nginx.pid", prefix / "nginx.pid"),
        ("/var/log/nginx/error.log", prefix / "error.log"),
        ("/var/log/nginx/access.log", prefix / "access.log"),
        ("/var/lib/nginx/body", prefix / "body"),
        ("/var/lib/nginx/proxy", prefix / "proxy"),
        ("/etc/ssl/ier/fullchain.pem", certificate[0]),
        ("/etc/ssl/ier/privkey.pem", certificate[1]),
        ("listen 80;", "listen 127.0.0.1:%d;" % http_port),
        # Off the standard port the Host header carries the port, as browsers send
        # it (CSRF's check of the Referer over HTTPS compares the two).
        ("proxy_set_header Host $host;", "proxy_set_header Host $host:$server_port;"),
        (
            "listen 443 ssl http2;",
            "listen 127.0.0.1:%d%s;" % (https_port, " ssl http2" if tls else ""),
        ),
    ]:
        text = _replace(text, old, str(new))
    line = "        server 127.0.0.1:%d max_fails=0;\n"
    nodes = "".join(line % port for port in node_ports)
    text, found = NODE_LINE.subn("", text)
    if not found:
        raise ValueError("deploy/nginx.conf: no web node lines in upstream web")
    text = _replace(text, "least_conn;\n", "least_conn;\n" + nodes)
    if pass_client_address:
        header = "X-Forwarded-For "
        text = _replace(text, header + "$remote_addr", header + "$http_x_forwarded_for")
    prefix.mkdir(parents=True, exist_ok=True)
    path = prefix / "nginx.conf"
    path.write_text(text)
    return path


def start(config: Path) -> subprocess.Popen:
    """nginx in the foreground with `config`; its own log lines go to the prefix."""
    prefix = str(config.parent)
    return subprocess.Popen(
        [nginx_binary(), "-p", prefix, "-c", str(config), "-g", "daemon off;"]
    )
