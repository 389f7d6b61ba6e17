"""What the core shows and computes, filled in by each app's AppConfig.ready().

The core imports no app (DESIGN.md, "Dependencies between apps"): an app
registers its navigation entries, dashboard cards, statistics, role
permissions, login identifiers and numbering kinds here, and the core's
screens read only this registry.

    # katalog/apps.py
    def ready(self):
        from dispusip.registry import registry, NavEntry
        registry.add_nav(NavEntry(label=_("Katalog"), url_name="katalog:daftar",
                                  permission="katalog.view_katalog"))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dispusip.models import Pengguna, Unit


def _allowed(user: Pengguna, permission: str | None, test: Callable | None) -> bool:
    if not user.is_authenticated:
        return False
    if permission and not user.has_perm(permission):
        return False
    return test is None or bool(test(user))


@dataclass(frozen=True)
class NavEntry:
    """A link in the staff navigation and a tile on the dashboard."""

    label: str
    url_name: str
    description: str = ""
    permission: str | None = None
    test: Callable[[Pengguna], bool] | None = None
    order: int = 100

    def visible_to(self, user: Pengguna) -> bool:
        return _allowed(user, self.permission, self.test)


@dataclass(frozen=True)
class DashboardCard:
    """A card on the staff dashboard: a template rendered with context(request)."""

    title: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    permission: str | None = None
    test: Callable[[Pengguna], bool] | None = None
    order: int = 100

    def visible_to(self, user: Pengguna) -> bool:
        return _allowed(user, self.permission, self.test)


@dataclass(frozen=True)
class StatisticProvider:
    """A figure that leadership dashboards and reports can read without importing
    the app that owns it. compute(unit) counts within one unit, or the whole
    province when unit is None."""

    key: str
    label: str
    compute: Callable[[Unit | None], int | float]
    order: int = 100


@dataclass(frozen=True)
class NumberingKind:
    """A kind of identifier people read (item barcode, member number, receipt
    number), with the agency's default pattern; administrators may override the
    pattern in the admin (dispusip.penomoran explains the pattern language)."""

    kind: str
    label: str
    pattern: str
    reset: str = "tidak"  # tidak | tahunan | bulanan | harian
    parts: tuple[str, ...] = ()  # extra fields the caller supplies, e.g. ("kode",)


@dataclass
class Registry:
    nav: list[NavEntry] = field(default_factory=list)
    cards: list[DashboardCard] = field(default_factory=list)
    statistics: dict[str, StatisticProvider] = field(default_factory=dict)
    role_permissions: dict[str, set[str]] = field(default_factory=dict)
    login_resolvers: list[Callable[[str], Iterable[Pengguna]]] = field(default_factory=list)
    numbering: dict[str, NumberingKind] = field(default_factory=dict)
    demo_seeders: list[str] = field(default_factory=list)
    public_nav: list[NavEntry] = field(default_factory=list)
    urls: list[tuple[str, str]] = field(default_factory=list)
    robots_disallow: list[str] = field(default_factory=list)
    home_sections: list[str] = field(default_factory=list)
    record_actions: list[str] = field(default_factory=list)
    member_home: str | None = None
    login_hints: list[str] = field(default_factory=list)

    def add_nav(self, entry: NavEntry) -> None:
        if any(e.url_name == entry.url_name for e in self.nav):
            return  # ready() may run twice in some test set-ups
        self.nav.append(entry)

    def add_card(self, card: DashboardCard) -> None:
        if any(c.title == card.title and c.template == card.template for c in self.cards):
            return
        self.cards.append(card)

    def add_statistic(self, provider: StatisticProvider) -> None:
        self.statistics[provider.key] = provider

    def grant(self, role: str, permissions: Iterable[str]) -> None:
        """Give a role ("app_label.codename") permissions; applied after every migrate."""
        self.role_permissions.setdefault(role, set()).update(permissions)

    def add_login_resolver(self, resolver: Callable[[str], Iterable[Pengguna]]) -> None:
        """Let an app map a login identifier (a member number, an old card number)
        to accounts; dispusip.auth_backends tries the password against each."""
        if resolver not in self.login_resolvers:
            self.login_resolvers.append(resolver)

    def add_numbering(self, kind: NumberingKind) -> None:
        self.numbering[kind.kind] = kind

    def add_public_nav(self, entry: NavEntry) -> None:
        """A link in the header for everyone, logged in or not (the OPAC)."""
        if all(e.url_name != entry.url_name for e in self.public_nav):
            self.public_nav.append(entry)

    def add_urls(self, prefix: str, module: str) -> None:
        """Mount an app's URLconf (dotted module path) at `prefix`, e.g. "opac/"."""
        if (prefix, module) not in self.urls:
            self.urls.append((prefix, module))

    def add_home_section(self, template: str) -> None:
        """A template included near the top of the public home page (e.g. the OPAC box)."""
        if template not in self.home_sections:
            self.home_sections.append(template)

    def add_record_action(self, template: str) -> None:
        """A template included on the OPAC record page (context: `k`, the record),
        e.g. circulation's "reserve" button; the catalogue never imports the app."""
        if template not in self.record_actions:
            self.record_actions.append(template)

    def set_member_home(self, url_name: str) -> None:
        """Where a library member (an account without a unit) lands after logging in."""
        self.member_home = url_name

    def add_login_hint(self, template: str) -> None:
        """A template shown under the login form (e.g. how members activate online access)."""
        if template not in self.login_hints:
            self.login_hints.append(template)

    def disallow_robots(self, *paths: str) -> None:
        """Paths robots.txt keeps crawlers off (endless result permutations, APIs)."""
        self.robots_disallow.extend(p for p in paths if p not in self.robots_disallow)

    def add_demo_seeder(self, dotted_path: str) -> None:
        """A function `seed_demo` calls (with a `stdout` writer) to load the app's
        demonstration data, after the core's branches and accounts exist."""
        if dotted_path not in self.demo_seeders:
            self.demo_seeders.append(dotted_path)

    def nav_for(self, user: Pengguna) -> list[NavEntry]:
        return sorted((e for e in self.nav if e.visible_to(user)), key=lambda e: e.order)

    def cards_for(self, user: Pengguna) -> list[DashboardCard]:
        return sorted((c for c in self.cards if c.visible_to(user)), key=lambda c: c.order)

    def compute_statistics(self, unit: Unit | None) -> list[tuple[StatisticProvider, Any]]:
        providers = sorted(self.statistics.values(), key=lambda p: p.order)
        return [(p, p.compute(unit)) for p in providers]


registry = Registry()
