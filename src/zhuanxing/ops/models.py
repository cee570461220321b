"""The matching index's change log: every save that may change what the index holds writes one
row, in the same transaction; each process's index reads the rows it has not applied yet
(``techmarket.indexing.catch_up``), so every web process on every host follows one database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexChange(models.Model):
    doc_id = models.CharField(_("索引文档"), max_length=60)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("索引变更")
        verbose_name_plural = _("索引变更")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.pk} {self.doc_id}"
