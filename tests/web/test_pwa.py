"""The installable app: manifest, service worker, icons."""

from __future__ import annotations

import json

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

pytestmark = pytest.mark.django_db


def test_the_manifest_is_served_as_a_web_app_manifest(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/dashboard/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert (data["name"], data["short_name"]) == ("LDN Companion", "LDN")
    assert data["theme_color"] == "#1d5c63"


def test_the_manifest_icons_are_pngs_of_the_sizes_they_claim():
    from ldn.web.pwa.views import manifest_data

    purposes = set()
    for icon in manifest_data()["icons"]:  # type: ignore[union-attr]
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
        purposes.add(icon.get("purpose", "any"))
    assert purposes == {"any", "maskable"}


def test_every_page_links_the_manifest_and_the_apple_touch_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<link rel="apple-touch-icon" href="/static/pwa/apple-touch-icon.png">' in html
    assert '<meta name="color-scheme" content="light dark">' in html


def test_the_service_worker_is_served_from_the_root_uncached(client):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    assert b'addEventListener("fetch"' in response.content


def test_the_worker_loads_the_push_handlers_only_when_the_file_exists(client, monkeypatch):
    from ldn.web.pwa import views

    monkeypatch.setattr(views, "PUSH_HANDLERS", "ldn/icon.svg")  # a file that exists
    assert b'importScripts("/static/ldn/icon.svg")' in client.get("/sw.js").content
    monkeypatch.setattr(views, "PUSH_HANDLERS", "push/not-there.js")
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert b"not-there" not in response.content


def test_the_policy_lets_the_page_load_its_manifest_and_worker(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "manifest-src 'self'" in policy
    assert "worker-src 'self'" in policy
