"""Log in by username, by an identifier an app registers (a member number), or by email.

Email is not unique across people, so an email login succeeds only when the
password matches exactly one of the accounts that share the address.
"""

from django.contrib.auth.backends import ModelBackend

from dispusip.models import Pengguna
from dispusip.registry import registry


class PenggunaBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(Pengguna.USERNAME_FIELD)
        if not username or password is None:
            return None
        identifier = username.strip()
        matches = {
            user.pk: user
            for user in self._candidates(identifier)
            if user.check_password(password) and self.user_can_authenticate(user)
        }
        if len(matches) == 1:
            return next(iter(matches.values()))
        if not matches:
            # Spend the time of one hash so a missing account cannot be told
            # apart from a wrong password by timing.
            Pengguna().set_password(password)
        return None

    def _candidates(self, identifier: str):
        exact = Pengguna.objects.filter(username=identifier).first()
        if exact is not None:
            return [exact]
        found = []
        for resolver in registry.login_resolvers:
            found.extend(resolver(identifier))
        if not found and "@" in identifier:
            found = list(Pengguna.objects.filter(email__iexact=identifier))
        return found
