"""`make bench`: CareHub's decision export and history page, measured against baselines taken
in the same run on the same machine (these machines are noisy: compare ratios, not seconds).

Builds its own data set in a separate database (`carehub_bench` on the same server), serves
CareHub with gunicorn, signs in as an auditor over HTTP and measures:

- export_rows_per_s: the CSV export through the real stack (gunicorn, session, access checks,
  audit event), read to the end;
- copy_rows_per_s: PostgreSQL COPY of the same rows and columns, discarded (the physical limit);
- export_vs_copy: their ratio;
- export_peak_rss_mb: the gunicorn worker's peak resident memory after the export;
- import_export_rows_per_s: django-import-export exporting the same columns (on a sample);
- list_page_queries: SQL queries for one 50-row page of the decision history;
- list_page_rps_ratio: that page's requests per second over a bare 50-row template page.

Results go to bench/results.json. Size with BENCH_DECISIONS (default 1,000,000).
"""

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
DECISIONS = int(os.environ.get("BENCH_DECISIONS", "1000000"))
PEOPLE = 10_000
SERVICES = 3
PORT = int(os.environ.get("BENCH_PORT", "8765"))
IMPORT_EXPORT_SAMPLE = min(DECISIONS, 100_000)
PAGE_REQUESTS = 150
PASSWORD = "bench-auditor-password-not-secret"  # noqa: S105 - a throwaway database
TOTP_KEY = "3132333435363738393031323334353637383930"  # the auditor's app (RFC 6238's test key)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def bench_database_url() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/carehub_bench"


def recreate_database() -> None:
    import psycopg

    admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS carehub_bench WITH (FORCE)")
        conn.execute("CREATE DATABASE carehub_bench")


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def build_data() -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from carehub.models import Membership, Person, Role, Service, User

    services = [Service.objects.create(name=f"Bench service {i + 1}") for i in range(SERVICES)]
    auditor = User.objects.create(username="bench.auditor", password=make_password(PASSWORD))
    TOTPDevice.objects.create(user=auditor, name="Bench app", confirmed=True, key=TOTP_KEY)
    maker = User.objects.create(username="bench.carer")
    for service in services:
        Membership.objects.create(user=auditor, service=service, role=Role.AUDITOR)
        Membership.objects.create(user=maker, service=service, role=Role.CARE_STAFF)
    Person.objects.bulk_create(
        Person(
            service=services[i % SERVICES],
            given_name=f"Given{i}",
            family_name=f"Family{i}",
            date_of_birth="1940-01-01",
        )
        for i in range(PEOPLE)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_people AS "
            "SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM carehub_person"
        )
        cursor.execute(
            """
            INSERT INTO decisions_sharingrequest (id, person_id, route, requester_name,
                requester_organisation, requester_role, requester_contact, information_category,
                information_detail, recipient_class, received_on, received_how, answers, version,
                created_by_id, created_at, submission_key)
            SELECT gen_random_uuid(), p.id, 'family_carer_friend', 'Relative ' || g, '',
                'Daughter', '07700 900000', 'health', 'Test results', 'family',
                date '2025-01-01' + (g %% 600), 'phone', '{"legitimate_purpose": false}', 2, %s,
                now() - make_interval(secs => g), gen_random_uuid()
            FROM generate_series(0, %s - 1) AS g JOIN bench_people AS p ON p.n = g %% %s
            """,
            [maker.pk, DECISIONS, PEOPLE],
        )
        cursor.execute(
            """
            INSERT INTO decisions_decision (id, request_id, person_id, facts, answer_path, ruleset,
                recommendation, recommendation_reasons, actions, final, rationale,
                departure_justification, article6_basis, article9_condition, what_shared,
                method, recipient_name, recipient_organisation, recipient_role, recipient_email,
                recipient_contact_verified, team_mailbox_safeguards_confirmed, principles,
                requester_told, requester_told_note, person_told, person_told_note,
                needs_sign_off, decided_by_id, decided_at)
            SELECT gen_random_uuid(), r.id, r.person_id,
                '{"requester": "family_carer_friend", "legitimate_purpose": false}', '[]',
                '2024-11.1', 'withhold', '["Rule 5"]', '[]', 'withhold',
                'No clear and legitimate purpose', '', '', '', '', '', '', '', '', '', false,
                false, '{}', true, 'Told by phone', false, 'No contact details', false, %s,
                r.created_at
            FROM decisions_sharingrequest AS r
            """,
            [maker.pk],
        )
        cursor.execute("ANALYZE")


class Session:
    """An HTTP client holding one keep-alive connection and the session cookies."""

    def __init__(self):
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None):
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response

    def sign_in(self, username: str, password: str) -> None:
        page = self.request("GET", "/sign-in/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        response = self.request(
            "POST",
            "/sign-in/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{PORT}/sign-in/",
            },
        )
        response.read()
        if response.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in failed: HTTP {response.status}")
        # The second step, as an auditor must: a code from the app.
        from django_otp.oath import TOTP

        page = self.request("GET", "/sign-in/code/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        code = f"{TOTP(bytes.fromhex(TOTP_KEY)).token():06d}"
        response = self.request(
            "POST",
            "/sign-in/code/",
            body=urlencode({"csrfmiddlewaretoken": token, "code": code, "next": "/"}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{PORT}/sign-in/code/",
            },
        )
        response.read()
        if response.status != 302 or response.getheader("Location") != "/":
            raise RuntimeError(f"second step failed: HTTP {response.status}")


def wait_for_server(process) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def worker_peak_rss_mb(master_pid: int) -> float:
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master_pid}$", text, re.M):
            match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.M)
            peak = max(peak, int(match.group(1)) if match else 0)
    return round(peak / 1024, 1)


def measure_export(session: Session) -> tuple[float, int]:
    started = time.perf_counter()
    response = session.request("GET", "/decisions/export.csv")
    if response.status != 200:
        raise RuntimeError(f"export failed: HTTP {response.status}")
    lines = 0
    while chunk := response.read(1 << 20):
        lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    rows = lines - 1  # the header row
    expected = int(response.getheader("X-Row-Count"))
    if rows != expected:
        raise RuntimeError(f"export truncated: {rows} rows of {expected}")
    return rows / elapsed, rows


def measure_copy() -> float:
    from django.db import connection

    from carehub.exports import select_sql
    from decisions.exports import COLUMNS
    from decisions.models import Decision

    select, params = select_sql(Decision.objects.order_by("-decided_at", "pk"), COLUMNS)
    started = time.perf_counter()
    rows = 0
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(f"COPY ({select}) TO STDOUT (FORMAT csv)", params) as copy,
    ):
        for data in copy:
            rows += bytes(data).count(b"\n")
    return rows / (time.perf_counter() - started)


def measure_import_export() -> float:
    from import_export import resources

    from decisions.models import Decision

    class DecisionResource(resources.ModelResource):
        class Meta:
            model = Decision
            fields = (
                "id",
                "decided_at",
                "person__service__name",
                "person_id",
                "request__route",
                "request__information_category",
                "recommendation",
                "final",
                "departure_justification",
                "rationale",
                "needs_sign_off",
                "decided_by__username",
                "ruleset",
            )

    queryset = Decision.objects.select_related("person__service", "request", "decided_by").order_by(
        "-decided_at", "pk"
    )[:IMPORT_EXPORT_SAMPLE]
    started = time.perf_counter()
    dataset = DecisionResource().export(queryset=queryset)
    dataset.csv  # noqa: B018 - render, as a download would
    return IMPORT_EXPORT_SAMPLE / (time.perf_counter() - started)


def list_page_queries() -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from carehub.models import User

    client = Client()
    auditor = User.objects.get(username="bench.auditor")
    client.force_login(auditor)
    session = client.session  # past the second step, as the HTTP session is
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=auditor).persistent_id
    session.save()
    client.get("/decisions/?final=withhold")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/decisions/?final=withhold")
    assert response.status_code == 200
    return len(queries)


def requests_per_second(session: Session, path: str) -> float:
    for _ in range(10):
        session.request("GET", path).read()
    started = time.perf_counter()
    for _ in range(PAGE_REQUESTS):
        response = session.request("GET", path)
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    return PAGE_REQUESTS / (time.perf_counter() - started)


def main() -> None:
    env = {
        **os.environ,
        "DATABASE_URL": bench_database_url(),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "HTTPS_ONLY": "false",
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    log(f"building {DECISIONS:,} decisions for {PEOPLE:,} people in {SERVICES} services")
    recreate_database()
    manage("migrate", "--noinput", "-v0", env=env)
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    started = time.perf_counter()
    build_data()
    log(f"data built in {time.perf_counter() - started:.0f} s")

    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "carehub.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "1",
            "--worker-class",
            "gthread",
            "--threads",
            "2",
            "--timeout",
            "600",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_server(server)
        session = Session()
        session.sign_in("bench.auditor", PASSWORD)
        log("export through gunicorn")
        export_rate, exported = measure_export(session)
        peak_rss = worker_peak_rss_mb(server.pid)
        log("list page and bare page")
        list_rps = requests_per_second(session, "/decisions/?final=withhold")
        bare_rps = requests_per_second(session, "/bench/bare/")
    finally:
        server.terminate()
        server.wait(timeout=30)
    log("COPY to nowhere")
    copy_rate = measure_copy()
    log(f"django-import-export on {IMPORT_EXPORT_SAMPLE:,} rows")
    import_export_rate = measure_import_export()
    results = {
        "decisions": DECISIONS,
        "exported_rows": exported,
        "export_rows_per_s": round(export_rate),
        "copy_rows_per_s": round(copy_rate),
        "export_vs_copy": round(export_rate / copy_rate, 3),
        "export_peak_rss_mb": peak_rss,
        "import_export_rows_per_s": round(import_export_rate),
        "import_export_sample_rows": IMPORT_EXPORT_SAMPLE,
        "export_vs_import_export": round(export_rate / import_export_rate, 1),
        "list_page_queries": list_page_queries(),
        "list_page_rps": round(list_rps, 1),
        "bare_page_rps": round(bare_rps, 1),
        "list_page_rps_ratio": round(list_rps / bare_rps, 3),
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
