"""factory_boy factories for the core; apps keep theirs in tests/<app>/factories.py."""

import factory
from django.contrib.auth.models import Group

from dispusip.models import Cabang, Pengguna, Unit

PASSWORD = "sandi-uji-1234"


class CabangFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cabang

    unit = factory.LazyFunction(lambda: Unit.objects.get(kode="jakpus"))
    kode = factory.Sequence(lambda n: f"cabang-uji-{n}")
    nama = factory.Sequence(lambda n: f"Perpustakaan Uji {n}")


class PenggunaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pengguna
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    first_name = "Uji"
    email = factory.LazyAttribute(lambda o: f"{o.username}@contoh.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def peran(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
