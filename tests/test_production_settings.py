"""Production settings from the environment: the published development key is
refused with DEBUG off, `check --deploy` is clean with the README's
production variables, and every page carries the CSP and Permissions-Policy."""

import subprocess
import sys

import pytest

from .served import ROOT, SECRET, production_env

# The variables the README's Production section documents.
PRODUCTION = {
    "SECRET_KEY": SECRET,
    "DATABASE_URL": "postgres://kpi@127.0.0.1:5432/kpi",
    "ALLOWED_HOSTS": "kpi.example.go.th",
    "CSRF_TRUSTED_ORIGINS": "https://kpi.example.go.th",
    "HTTPS": "1",
    "PROXY_COUNT": "1",
}


def run_manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("key", [None, "dev-only-insecure-key-change-me", ""])
def test_debug_off_refuses_a_missing_or_development_key(tmp_path, key):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    if key is not None:
        env["SECRET_KEY"] = key
    result = run_manage(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_the_demo_runs_with_debug_on_and_no_configuration(tmp_path):
    env = production_env(tmp_path, DEBUG="1")
    del env["SECRET_KEY"]
    result = run_manage(env, "check")
    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_with_the_documented_variables(tmp_path):
    env = production_env(tmp_path, **PRODUCTION)
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_fails_without_https(tmp_path):
    env = production_env(tmp_path, **{**PRODUCTION, "HTTPS": "0"})
    result = run_manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


def test_https_switch_turns_on_secure_cookies_hsts_redirect_and_proxy_header(tmp_path):
    env = production_env(tmp_path, **PRODUCTION)
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)")
    result = run_manage(env, "shell", "-c", code)
    assert result.stdout.strip().splitlines()[-1] == "True True True 31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.django_db
def test_pages_carry_csp_and_permissions_policy(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Request-ID"]
