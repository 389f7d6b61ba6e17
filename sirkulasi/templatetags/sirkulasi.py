from django import template

from sirkulasi import digital

register = template.Library()


@register.simple_tag
def lisensi_bebas(sumber) -> int:
    """Free licences of a licensed e-resource, for the OPAC record page."""
    return digital.lisensi_bebas(sumber)
