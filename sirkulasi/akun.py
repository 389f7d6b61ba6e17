"""Online access for members: activation by member number, birth date and a
one-time code (sent through a channel, or handed over at a desk), and the
member's own changes to their contact details.

Every imported member starts without online access; proving the number and
birth date is not enough on its own (both are printed or guessable), so a code
goes to the email or phone on record, or a desk hands it over after checking
the ID card.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from dispusip import akses
from dispusip.audit import catat
from dispusip.models import Pengguna
from sirkulasi.models import Anggota, Denda, Peminjaman, StatusAnggota
from sirkulasi.pemberitahuan import saluran_untuk
from sirkulasi.services import IZIN_ANGGOTA, SirkulasiGagal

KODE_BERLAKU_DETIK = 15 * 60
MAKS_PERCOBAAN = 5
KONTAK_SENDIRI = ("telepon", "email", "alamat")


def _kunci(anggota: Anggota) -> str:
    return f"sirkulasi:aktivasi:{anggota.pk}"


def _hash(anggota: Anggota, kode: str) -> str:
    return salted_hmac("sirkulasi.aktivasi", f"{anggota.pk}:{kode}").hexdigest()


def _anggota_terbukti(nomor: str, tanggal_lahir) -> Anggota:
    anggota = Anggota.objects.cari_kode(nomor).first()
    # One message for both mismatches: the form must not reveal which numbers exist.
    if anggota is None or anggota.tanggal_lahir is None or anggota.tanggal_lahir != tanggal_lahir:
        raise SirkulasiGagal(_("Nomor anggota dan tanggal lahir tidak cocok dengan data kami."))
    if anggota.akun_id is not None:
        raise SirkulasiGagal(
            _("Akses daring anggota ini sudah aktif. Masuk, atau pakai “Lupa kata sandi”.")
        )
    if anggota.status == StatusAnggota.PRA_DAFTAR:
        raise SirkulasiGagal(
            _("Pendaftaran belum diverifikasi: bawa kartu identitas ke meja layanan.")
        )
    return anggota


def _buat_kode(anggota: Anggota) -> str:
    kode = f"{secrets.randbelow(10**6):06d}"
    cache.set(_kunci(anggota), {"hash": _hash(anggota, kode), "coba": 0}, KODE_BERLAKU_DETIK)
    return kode


def kirim_kode_aktivasi(nomor: str, tanggal_lahir) -> str:
    """Step one: send a code to the member's channel; returns the channel's name."""
    anggota = _anggota_terbukti(nomor, tanggal_lahir)
    saluran = saluran_untuk(anggota)
    if saluran is None:
        raise SirkulasiGagal(
            _(
                "Tidak ada email atau nomor yang dapat kami hubungi. Datanglah ke meja "
                "layanan perpustakaan mana pun untuk mengaktifkan akses daring."
            )
        )
    kode = _buat_kode(anggota)
    saluran.kirim(
        anggota,
        subjek=_("Kode aktivasi akun Perpustakaan Dispusip DKI Jakarta"),
        isi=_(
            "Halo %(n)s,\n\nKode aktivasi akses daring Anda: %(k)s\n"
            "Kode berlaku 15 menit. Abaikan pesan ini bila Anda tidak memintanya."
        )
        % {"n": anggota.nama, "k": kode},
    )
    return str(saluran.nama)


def kode_aktivasi_di_meja(anggota: Anggota, *, oleh: Pengguna) -> str:
    """A desk hands the code over after checking the ID card."""
    akses.wajib_boleh(oleh, anggota.unit_id, permission=IZIN_ANGGOTA)
    if anggota.akun_id is not None:
        raise SirkulasiGagal(_("Akses daring anggota ini sudah aktif."))
    kode = _buat_kode(anggota)
    catat(aksi="anggota.kode_aktivasi", oleh=oleh, objek=anggota)
    return kode


def aktifkan(nomor: str, tanggal_lahir, kode: str, kata_sandi: str) -> Pengguna:
    """Step two: the right code and a good password create the member's account."""
    anggota = _anggota_terbukti(nomor, tanggal_lahir)
    data = cache.get(_kunci(anggota))
    if data is None or data["coba"] >= MAKS_PERCOBAAN:
        raise SirkulasiGagal(_("Kode tidak berlaku lagi; mintalah kode baru."))
    if not constant_time_compare(data["hash"], _hash(anggota, kode.strip())):
        data["coba"] += 1
        cache.set(_kunci(anggota), data, KODE_BERLAKU_DETIK)
        raise SirkulasiGagal(_("Kode aktivasi salah."))
    akun = Pengguna(username=f"anggota-{anggota.pk}", first_name=anggota.nama[:150])
    akun.email = anggota.email
    validate_password(kata_sandi, akun)
    akun.set_password(kata_sandi)
    with transaction.atomic():
        anggota = Anggota.objects.select_for_update().get(pk=anggota.pk)
        if anggota.akun_id is not None:
            raise SirkulasiGagal(_("Akses daring anggota ini sudah aktif."))
        akun.save()
        anggota.akun = akun
        anggota.save(update_fields=["akun", "diubah"])
        catat(aksi="anggota.aktivasi", oleh=akun, objek=anggota)
    cache.delete(_kunci(anggota))
    return akun


def ubah_kontak_sendiri(anggota: Anggota, data: dict) -> Anggota:
    """A member corrects their own phone, email or address."""
    data = {k: v for k, v in data.items() if k in KONTAK_SENDIRI}
    sebelum = {k: getattr(anggota, k) for k in data}
    for nama, nilai in data.items():
        setattr(anggota, nama, nilai)
    anggota.full_clean()
    berubah = [k for k in data if sebelum[k] != data[k]]
    with transaction.atomic():
        anggota.save()
        if anggota.akun_id and "email" in berubah:
            Pengguna.objects.filter(pk=anggota.akun_id).update(email=anggota.email)
        if berubah:
            catat(
                aksi="anggota.ubah_sendiri",
                oleh=anggota.akun,
                objek=anggota,
                sebelum={k: sebelum[k] for k in berubah},
                sesudah={k: data[k] for k in berubah},
            )
    return anggota


def data_pribadi(anggota: Anggota) -> dict:
    """Everything the portal holds about a member, for them to download (UU 27/2022)."""
    profil = {
        f.name: getattr(anggota, f.name)
        for f in Anggota._meta.concrete_fields
        if f.name not in ("id", "akun", "foto", "unit", "cabang", "kategori")
    }
    profil.update(
        kategori=str(anggota.kategori), cabang=str(anggota.cabang), foto=bool(anggota.foto)
    )
    return {
        "profil": profil,
        "nomor_lama": list(anggota.nomor_lama.values_list("nomor", flat=True)),
        "peminjaman": [
            {
                "judul": p.katalog.judul,
                "barcode": p.eksemplar.barcode,
                "cabang": str(p.cabang),
                "dipinjam": p.dipinjam,
                "jatuh_tempo": p.jatuh_tempo,
                "dikembalikan": p.dikembalikan,
            }
            for p in Peminjaman.objects.filter(anggota=anggota).select_related(
                "katalog", "eksemplar", "cabang"
            )
        ],
        "reservasi": [
            {"judul": r.katalog.judul, "status": r.status, "dibuat": r.dibuat}
            for r in anggota.reservasi.select_related("katalog")
        ],
        "denda": list(
            Denda.objects.filter(anggota=anggota).values(
                "jenis", "jumlah", "dibayar", "dibebaskan", "keterangan", "dibuat"
            )
        ),
    }
