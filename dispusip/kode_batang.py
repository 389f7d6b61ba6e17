"""Barcodes and QR codes people scan (item labels, member cards), as inline SVG
that print crisply at any size."""

from __future__ import annotations

import re
from io import BytesIO

import segno
from barcode import Code128
from barcode.writer import SVGWriter


def svg_barcode(kode: str, *, regang: bool = False) -> str:
    """A Code 128 barcode with its text underneath, scalable by the page's CSS.
    `regang` lets it stretch to its box's width (bars widen evenly, which scanners
    read as well)."""
    keluaran = BytesIO()
    Code128(kode, writer=SVGWriter()).write(
        keluaran,
        options={
            "module_height": 9,
            "module_width": 0.25,
            "font_size": 7,
            "text_distance": 3,
            "quiet_zone": 2,
        },
    )
    svg = keluaran.getvalue().decode()
    svg = svg[svg.index("<svg") :]
    # python-barcode draws in millimetres without a viewBox; give it one (in CSS
    # pixels, 96 per inch) so the page's CSS can scale the code to its box.
    lebar, tinggi = (
        float(re.search(rf'{nama}="([\d.]+)mm"', svg).group(1)) * 96 / 25.4
        for nama in ("width", "height")
    )
    atribut = f'viewBox="0 0 {lebar:.1f} {tinggi:.1f}" '
    if regang:
        atribut += 'preserveAspectRatio="none" '
    return svg.replace("<svg ", f"<svg {atribut}", 1)


def svg_qr(data: str) -> str:
    """A QR code (error correction M) without fixed size, for the page's CSS to scale."""
    keluaran = BytesIO()
    segno.make(data, error="m").save(
        keluaran, kind="svg", xmldecl=False, svgns=True, omitsize=True, border=1
    )
    return keluaran.getvalue().decode()
