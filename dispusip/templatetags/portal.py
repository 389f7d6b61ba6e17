from django import forms, template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def widget_bootstrap(field):
    """Render a bound field's widget with Bootstrap's classes and ARIA state."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    attrs = {"class": f"{css} is-invalid" if field.errors else css}
    if field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_help"
    return field.as_widget(attrs=attrs)


@register.filter
def angka(value):
    """1234567 -> 1.234.567 in Indonesian, 1,234,567 in English."""
    try:
        return formats.number_format(int(value), force_grouping=True)
    except (TypeError, ValueError):
        return value


@register.filter
def duration_menit(value):
    """A timedelta as '2 mnt 05 dtk' (or '0,4 dtk' for quick jobs), in the active language."""
    try:
        seconds = value.total_seconds()
    except AttributeError:
        return value
    if seconds < 1:
        return _("%(s)s dtk") % {"s": formats.number_format(seconds, 1)}
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)s jam %(m)02d mnt") % {"h": hours, "m": minutes}
    if minutes and not secs:
        return _("%(m)s mnt") % {"m": minutes}
    if minutes:
        return _("%(m)s mnt %(s)02d dtk") % {"m": minutes, "s": secs}
    return _("%(s)s dtk") % {"s": secs}
