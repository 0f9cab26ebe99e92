"""Every way out of poacal is a documented exit code with one line on stderr, whatever
the streams are: JSON stays JSON in any locale; help, version and completion onto a
closed or full stdout; a full stderr; dates at the edge of the range."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from poacal.cli import app
from poacal.errors import EXIT_CODES, EXIT_OK, EXIT_OUTPUT, EXIT_USAGE

DOCUMENTED = {code for code, _ in EXIT_CODES}


def poacal(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "POACAL_SCHEDULE": "", **kwargs.pop("env", {})}
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    done: subprocess.CompletedProcess[bytes] = subprocess.run(
        [sys.executable, "-m", "poacal", *args], env=env, **kwargs
    )
    return done


@pytest.mark.parametrize("encoding", ["ascii", "latin-1", "cp1252"])
@pytest.mark.parametrize(
    "args",
    [
        ["mandates", "--json", "--all"],
        ["--json", "--as-of", "2021-07-01"],
        ["show", "bms7", "--json"],
        ["remind", "--format", "json", "--kind", "mandates", "--as-of", "2021-07-20"],
    ],
)
def test_json_is_utf8_json_whatever_the_locale(args: list[str], encoding: str) -> None:
    r = poacal(*args, env={"PYTHONIOENCODING": encoding})
    assert r.returncode in DOCUMENTED and not r.stderr, r.stderr
    same = poacal(*args, env={"PYTHONIOENCODING": "utf-8"})
    assert r.stdout == same.stdout and json.loads(r.stdout)


def test_the_data_has_text_a_non_utf8_locale_cannot_show() -> None:
    """The JSON test above would pass vacuously without a character outside ASCII."""
    out = poacal("mandates", "--json", "--all").stdout.decode("utf-8")
    assert any(ord(c) > 127 for c in out)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["export", "--help"],
        ["deadlines"],
        ["deadlines", "--json"],
        ["--show-completion", "bash"],
    ],
)
@pytest.mark.parametrize("stdout", ["closed", "full"])
def test_a_closed_or_full_stdout_is_an_output_error(args: list[str], stdout: str) -> None:
    if stdout == "full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    if stdout == "closed":
        r = poacal(*args, stdout=None, preexec_fn=lambda: os.close(1))
    else:
        with open("/dev/full", "wb") as full:
            r = poacal(*args, stdout=full, stderr=subprocess.PIPE)
    assert r.returncode == EXIT_OUTPUT, r.stderr
    assert (
        r.stderr.startswith(b"poacal: error: cannot write the output")
        and b"internal" not in r.stderr
    )


def test_completion_onto_a_closed_stdout_is_an_output_error() -> None:
    script = Path(sys.executable).with_name("poacal")  # completion knows itself by name
    env = {
        **os.environ,
        "POACAL_SCHEDULE": "",
        "_POACAL_COMPLETE": "complete_bash",
        "COMP_WORDS": "poacal show bms",
        "COMP_CWORD": "2",
    }
    assert b"bms7" in subprocess.run([script], env=env, capture_output=True).stdout
    r = subprocess.run([script], env=env, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert r.returncode == EXIT_OUTPUT and b"internal" not in r.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["deadlines", "--as-of", "not a date"],
        ["show", "no-such-item"],
        ["export", "ics", "-o", "{out}"],
        ["deadlines", "--bogus"],
    ],
)
def test_a_full_stderr_keeps_the_exit_code(args: list[str], tmp_path: Path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    args = [a.replace("{out}", str(tmp_path / "x.ics")) for a in args]
    expected = poacal(*args).returncode
    with open("/dev/full", "wb") as full:
        r = poacal(*args, stderr=full)
    assert r.returncode == expected and expected in DOCUMENTED


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env={"POACAL_SCHEDULE": ""})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("domain", "ok"),
    [
        ("example.org", True),
        ("poa-feeds.example.org", True),
        ("localhost", True),
        ("a;b,c", False),
        ("a b", False),
        ("-a.org", False),
        ("a..org", False),
        ("a_b.org", False),
        ("é.org", False),
        ("a" * 64 + ".org", False),
    ],
)
def test_uid_domains_are_host_names(domain: str, ok: bool) -> None:
    code, out, err = run("export", "ics", "--uid-domain", domain, "--id", "bms7")
    if ok:
        assert code == EXIT_OK and f"UID:bms7@{domain}\n" in out.replace("\r", "")
    else:
        assert code == EXIT_USAGE and "is not a domain name" in err and "\\" not in out


@pytest.mark.parametrize("as_of", ["1945-01-01", "1949-06-30", "2096-01-01", "2100-12-31"])
def test_timeline_at_the_ends_of_the_date_range(as_of: str, tmp_path: Path) -> None:
    code, out, err = run("timeline", "--as-of", as_of)
    assert code == EXIT_OK and "as-of date" in out, err
    code, _, err = run("export", "site", str(tmp_path / "site"), "--as-of", as_of)
    assert code == EXIT_OK, err
    code, _, err = run("timeline", "--as-of", as_of, "--from", "1944")
    assert code == EXIT_USAGE and "--from/--to" in err


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_line_numbers_count_line_feeds_only(separator: str, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        '[schedule]\nrevision = 2026-01-01\n\n[[deadline]]\nid = "x"\n'
        f'description = "a{separator}b{separator}c"\nname = "X"\ndue = 2026-01-01\n\n'
        '[[deadline]]\nid = "y"\nname = "Y"\ndew = 2026-12-01\n',
        encoding="utf-8",
    )
    _, _, err = run("validate", str(path))
    assert f'{path}:13: deadline "y": unknown key "dew"' in err, err


@pytest.mark.parametrize("group", ["export", "add"])
def test_a_group_without_its_command_prints_its_help(group: str) -> None:
    r = poacal(group)
    assert r.returncode == EXIT_USAGE
    out = r.stdout.decode()
    assert out.startswith("Usage: ") and f" {group} [OPTIONS] COMMAND" in out.splitlines()[0]
    assert "\\x0a" not in out
    assert "\nCommands:\n" in out and not r.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish", "powershell"])
def test_completion_scripts_end_with_a_newline(shell: str) -> None:
    code, out, _ = run("--show-completion", shell)
    assert code == EXIT_OK and out.endswith("\n") and not out.endswith("\n\n\n")


def test_quiet_success_for_cron(tmp_path: Path) -> None:
    out = str(tmp_path / "feed.ics")
    code, _, err = run("export", "ics", "-o", out)
    assert code == EXIT_OK and err == f"Wrote {out}\n"
    assert run("export", "ics", "-o", out, "-q") == (EXIT_OK, "", "")
    code, _, err = run("validate")
    assert code == EXIT_OK and err.startswith("OK: ")
    assert run("validate", "--quiet") == (EXIT_OK, "", "")
    bad = tmp_path / "bad.toml"
    bad.write_text("[schedule]\n")
    code, _, err = run("validate", "-q", str(bad))
    assert code == 3 and "revision" in err  # errors are never quiet
