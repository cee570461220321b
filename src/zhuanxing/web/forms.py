"""The site's one way of rendering forms, and the form widgets every app shares."""

from pathlib import Path

import django.forms
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property

# Templates here replace Django's own of the same name (django/forms/div.html, p.html,
# field.html, widgets/select_option.html), so that {{ form }}, {{ form.as_p }} and
# {{ field.as_field_group }} all come out the same way: labels with "：", one required mark,
# help under the field, errors inline and summed up at the top, "请选择" for the empty choice.
SITE_FORM_TEMPLATES = Path(__file__).parent / "form_templates"
DJANGO_FORM_TEMPLATES = Path(django.forms.__file__).parent / "templates"


class SiteFormRenderer(DjangoTemplates):
    """``FORM_RENDERER`` of the site: Django's template renderer, the site's templates first."""

    @cached_property
    def engine(self):
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [SITE_FORM_TEMPLATES, DJANGO_FORM_TEMPLATES],
                "NAME": "siteforms",
                "OPTIONS": {},
            }
        )
