"""The capability registry: each capability declares itself in its AppConfig.

A capability is a Django app whose config subclasses :class:`CapabilityConfig`
and says where it is mounted, how it appears in the navigation, and which of
its modules add API routes, CLI commands and reference data. The project's
URL conf, API root, CLI, navigation and ``accord setup`` iterate these configs,
so adding a capability touches its own package and one line of
``INSTALLED_APPS``.

The configs are plain classes: the CLI reads them without starting Django
(``capability_configs()``), the web and API read them through Django's app
registry once it is ready.
"""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import import_module

from django.apps import AppConfig


class CapabilityConfig(AppConfig):
    """What every capability declares. Subclasses set the class attributes."""

    default_auto_field = "django.db.models.BigAutoField"

    #: path segment of its pages (``/<prefix>/``) and API (``/api/v1/<prefix>/``)
    prefix: str = ""
    #: the label and sentence shown in the navigation and on the home page
    nav_label: str = ""
    description: str = ""
    #: ``module:attribute`` of the django-ninja router, relative to the package
    api_router: str | None = "api:router"
    #: module (relative to the package) whose ``urlpatterns`` serve the pages
    urls_module: str | None = "urls"
    #: module (relative) with ``register(root: typer.Typer)`` for the CLI
    cli_module: str | None = "cli"
    #: module (relative) with ``load(console)`` called by ``accord setup``
    reference_module: str | None = None
    #: module (relative) that registers the capability's policy rules on import
    policy_module: str | None = "policy"
    #: module (relative) that registers the capability's background job kinds
    jobs_module: str | None = None
    #: module (relative) with ``home_tasks(user, today)``: what is waiting for people
    home_tasks_module: str | None = None

    def ready(self) -> None:
        for module in (self.policy_module, self.jobs_module):
            if module:
                self.module_path(module)

    # --- what the project asks of a capability -------------------------------
    @classmethod
    def module_path(cls, relative: str):
        return import_module(f"{cls.name}.{relative}")

    @classmethod
    def router(cls):
        if not cls.api_router:
            return None
        module, _, attribute = cls.api_router.partition(":")
        return getattr(cls.module_path(module), attribute)

    @classmethod
    def register_cli(cls, root) -> None:
        if cls.cli_module:
            cls.module_path(cls.cli_module).register(root)

    @classmethod
    def home_tasks(cls, user, today) -> list:
        if not cls.home_tasks_module:
            return []
        return cls.module_path(cls.home_tasks_module).home_tasks(user, today)

    @classmethod
    def load_reference(cls, console) -> None:
        if cls.reference_module:
            cls.module_path(cls.reference_module).load(console)


def _config_class(app: str) -> type[CapabilityConfig] | None:
    """The CapabilityConfig subclass an ``INSTALLED_APPS`` entry names, if any."""
    try:
        module = import_module(f"{app}.apps")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.apps":
            raise
        return None
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, CapabilityConfig) and value is not CapabilityConfig:
            return value
    return None


def capability_configs() -> list[type[CapabilityConfig]]:
    """Every installed capability, in ``INSTALLED_APPS`` order.

    Works before Django is set up (the CLI builds its command tree from it).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    from django.conf import settings

    return list(_configs_of(tuple(settings.INSTALLED_APPS)))


@lru_cache(maxsize=4)
def _configs_of(installed_apps: tuple[str, ...]) -> tuple[type[CapabilityConfig], ...]:
    # Asked on every page (navigation) and every home page (tasks): found once per app list.
    found = (_config_class(app) for app in installed_apps if app.startswith("accord."))
    return tuple(config for config in found if config is not None)
