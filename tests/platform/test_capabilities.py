"""The capability registry: Django uses each capability's own config, and the
project's navigation, URLs, API and CLI come from those configs alone."""

from django.apps import apps

from accord.platform.capabilities import CapabilityConfig, capability_configs

CAPABILITIES = ["procurement", "mobility", "missions", "dialogue", "commitments"]


def test_django_uses_each_capabilitys_own_config():
    loaded = {config.label: config for config in apps.get_app_configs()}
    for label in CAPABILITIES:
        assert isinstance(loaded[label], CapabilityConfig), label
        assert type(loaded[label]) is not CapabilityConfig


def test_the_registry_lists_the_installed_capabilities_in_order():
    assert [config.label for config in capability_configs()] == CAPABILITIES


def test_every_capability_is_served_on_the_web_and_the_api(client):
    from accord.api import api

    schema = api.get_openapi_schema()
    for config in capability_configs():
        assert any(path.startswith(f"/api/v1/{config.prefix}/") for path in schema["paths"]), config.label
        assert client.get(f"/{config.prefix}/").status_code in (200, 302), config.label
